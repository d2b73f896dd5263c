// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFont>
#include <QIcon>
#include <QPalette>
#include <QPixmap>

class QLabel;
class QWidget;

/// The look of the window in one place: a type scale derived from the
/// system font (never fixed pixel sizes, so a user's larger font or a 2x
/// screen scale everything alike), spacing in units of that font, muted
/// secondary text through a palette role (it follows a dark scheme), and the
/// vector icons. Widgets call these; they hold no colours of their own.
namespace framecast::ui::style {

/// The type scale, from the largest: the brand and the big step line, the
/// headings of sections, body text (the system font) and captions.
enum class TextRole { Title, Heading, Prompt, Body, Caption };

/// `role`'s font, scaled from `base` (by default the application font).
QFont font(TextRole role, const QFont &base = {});
/// Sets `role`'s font on `widget` (from the widget's own font).
void setTextRole(QWidget *widget, TextRole role);
/// A label for a section: the heading font, with `text`.
QLabel *heading(const QString &text, QWidget *parent);

/// Secondary text: drawn with the palette's placeholder colour, so it is
/// muted in light and in dark schemes alike.
void setMuted(QWidget *widget, bool muted = true);
bool isMuted(const QWidget *widget);

/// Spacing in units of the system font (a unit is a quarter of its line
/// height: 4 px at the usual 16 px line, more with a larger font).
enum class Space { Tight = 1, Related = 2, Group = 3, Section = 5 };
int spacing(Space space);

/// An icon of the app (resources/icons/NAME.svg): the theme's icon of
/// `themeName` when the desktop has one, else the bundled SVG, sharp at any
/// device pixel ratio.
QIcon icon(const QString &name, const QString &themeName = {});
/// The app icon: the SVG for every size, with the hand-drawn small PNGs.
QIcon appIcon();

/// `image` scaled to cover `size` (logical pixels) for a screen of `dpr`:
/// the pixmap has size × dpr pixels and that device pixel ratio, so it is
/// sharp on a 2x screen.
QPixmap coverPixmap(const QPixmap &image, const QSize &size, qreal dpr);

} // namespace framecast::ui::style
