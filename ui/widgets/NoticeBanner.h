// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

namespace framecast::ui {

/// The window's one-line notice: a rounded card tinted green (news) or red
/// (an error), its colours taken from the palette each time it paints, so a
/// pale card on a light window is a deep one on a dark window and follows a
/// scheme switched live. A text longer than the card is elided; the whole
/// text stays the label's text, tooltip and accessible description.
class NoticeBanner final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeBanner)

public:
    enum class Kind { News, Error };

    explicit NoticeBanner(QWidget *parent = nullptr);

    void showNotice(const QString &text, Kind kind);
    void clearNotice();
    Kind kind() const { return m_kind; }

    /// The card's fill and text for a palette (a pale tint on light windows,
    /// a deep one on dark windows).
    static QColor cardColor(const QPalette &palette, Kind kind);
    static QColor textColor(const QPalette &palette, Kind kind);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Kind m_kind = Kind::News;
};

} // namespace framecast::ui
