// SPDX-License-Identifier: GPL-3.0-or-later
#include "style/Style.h"

#include <QApplication>
#include <QFile>
#include <QFontMetrics>
#include <QLabel>
#include <QWidget>

#include <algorithm>

namespace framecast::ui::style {

namespace {

/// The scale: each step about 1.2 times the next (a minor third), from the
/// system font's size, so a user's font setting moves all of them.
struct Step
{
    qreal factor;
    QFont::Weight weight;
};

Step stepOf(TextRole role)
{
    switch (role) {
    case TextRole::Title:
        return { 1.6, QFont::Bold };
    case TextRole::Heading:
        return { 1.2, QFont::Bold }; // not DemiBold: CJK fonts without one (WenQuanYi) get no synthetic bold for it
    case TextRole::Prompt:
        return { 1.15, QFont::Normal };
    case TextRole::Body:
        break;
    case TextRole::Caption:
        return { 0.9, QFont::Normal };
    }
    return { 1.0, QFont::Normal };
}

constexpr int kSmallIconSizes[] = { 16, 24, 32, 48, 64, 128, 256 };

} // namespace

QFont font(TextRole role, const QFont &base)
{
    QFont f = base == QFont() ? QApplication::font() : base;
    const Step step = stepOf(role);
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * step.factor);
    else
        f.setPixelSize(std::max(1, int(f.pixelSize() * step.factor + 0.5)));
    f.setWeight(step.weight);
    return f;
}

void setTextRole(QWidget *widget, TextRole role)
{
    widget->setFont(font(role, QApplication::font(widget)));
    widget->setProperty("framecastTextRole", int(role));
}

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    setTextRole(label, TextRole::Heading);
    label->setAccessibleName(text);
    return label;
}

void setMuted(QWidget *widget, bool muted)
{
    widget->setForegroundRole(muted ? QPalette::PlaceholderText : QPalette::WindowText);
}

bool isMuted(const QWidget *widget)
{
    return widget->foregroundRole() == QPalette::PlaceholderText;
}

int spacing(Space space)
{
    const int unit = std::max(4, QFontMetrics(QApplication::font()).height() / 4);
    return int(space) * unit;
}

QIcon icon(const QString &name, const QString &themeName)
{
    const QIcon bundled(QStringLiteral(":/icons/%1.svg").arg(name));
    if (themeName.isEmpty())
        return bundled;
    return QIcon::fromTheme(themeName, bundled);
}

QIcon appIcon()
{
    QIcon icon(QStringLiteral(":/icons/framecast.svg"));
    // The packaged PNGs (rendered from the same SVG) serve their sizes without
    // rasterizing; the SVG serves every other size and device pixel ratio.
    for (const int side : kSmallIconSizes) {
        const QString png = QStringLiteral(":/icons/hicolor/%1x%1/apps/io.github.framecast.Framecast.png").arg(side);
        if (QFile::exists(png))
            icon.addFile(png, QSize(side, side));
    }
    return icon;
}

QPixmap coverPixmap(const QPixmap &image, const QSize &size, qreal dpr)
{
    if (image.isNull())
        return {};
    const QSize device = (QSizeF(size) * dpr).toSize();
    QPixmap scaled = image.scaled(device, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
    // Cover: the middle of what overflows.
    const QRect crop(QPoint((scaled.width() - device.width()) / 2, (scaled.height() - device.height()) / 2), device);
    QPixmap out = scaled.copy(crop);
    out.setDevicePixelRatio(dpr);
    return out;
}

} // namespace framecast::ui::style
