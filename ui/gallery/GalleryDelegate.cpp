// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallery/GalleryDelegate.h"

#include "gallery/GalleryModel.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>
#include <QTextLayout>

namespace framecast::ui {

namespace {

constexpr int kPad = 8;
constexpr int kRadius = 6;

/// Up to `lines` lines of `text` in `width`, the last one elided.
QStringList wrapped(const QString &text, const QFont &font, int width, int lines)
{
    const QFontMetrics fm(font);
    QStringList out;
    QTextLayout layout(text, font);
    layout.beginLayout();
    int consumed = 0;
    while (out.size() < lines - 1) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        out << text.mid(line.textStart(), line.textLength()).trimmed();
        consumed = line.textStart() + line.textLength();
    }
    layout.endLayout();
    const QString rest = text.mid(consumed).trimmed();
    if (!rest.isEmpty())
        out << fm.elidedText(rest, Qt::ElideRight, width);
    return out;
}

} // namespace

GalleryDelegate::GalleryDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QString GalleryDelegate::durationText(qint64 ms)
{
    const qint64 s = (std::max<qint64>(ms, 0) + 500) / 1000;
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString GalleryDelegate::detailsText(const QModelIndex &index)
{
    const QLocale locale;
    const QSize size = index.data(GalleryModel::VideoSizeRole).toSize();
    const qint64 bytes = index.data(GalleryModel::BytesRole).toLongLong();
    QStringList parts;
    parts << tr("%1 s").arg((index.data(GalleryModel::DurationMsRole).toLongLong() + 500) / 1000);
    if (size.isValid())
        parts << tr("%1×%2").arg(size.width()).arg(size.height());
    if (bytes > 0)
        parts << locale.formattedDataSize(bytes, 1);
    parts << locale.toString(index.data(GalleryModel::FinishedRole).toDateTime().toLocalTime(), QLocale::ShortFormat);
    return parts.join(QStringLiteral(" · "));
}

QSize GalleryDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    return {m_thumbnail.width() + 2 * kPad,
            kPad + m_thumbnail.height() + kPad / 2 + 2 * fm.lineSpacing() + QFontMetrics(small).lineSpacing() + kPad};
}

void GalleryDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect tile = option.rect.adjusted(2, 2, -2, -2);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &pal = option.palette;
    if (selected || (option.state & QStyle::State_MouseOver)) {
        QColor fill = pal.color(QPalette::Highlight);
        fill.setAlphaF(selected ? 0.22f : 0.08f);
        QPainterPath path;
        path.addRoundedRect(tile, kRadius, kRadius);
        painter->fillPath(path, fill);
        if (selected) {
            painter->setPen(QPen(pal.color(QPalette::Highlight), 2));
            painter->drawPath(path);
        }
    }
    const QRect box(tile.left() + (tile.width() - m_thumbnail.width()) / 2, tile.top() + kPad - 2, m_thumbnail.width(),
                    m_thumbnail.height());
    paintThumbnail(painter, box, option, index);

    // The prompt (two lines at most), then the date.
    const QFontMetrics fm(option.font);
    painter->setFont(option.font);
    painter->setPen(pal.color(QPalette::Text));
    QString prompt = index.data(GalleryModel::PromptRole).toString().simplified();
    if (prompt.isEmpty())
        prompt = tr("(no prompt recorded)");
    int y = box.bottom() + kPad / 2 + 1;
    for (const QString &line : wrapped(prompt, option.font, box.width(), 2)) {
        painter->drawText(QRect(box.left(), y, box.width(), fm.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, line);
        y += fm.lineSpacing();
    }
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    painter->setFont(small);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    const QString when = QLocale().toString(index.data(GalleryModel::FinishedRole).toDateTime().toLocalTime(), QLocale::ShortFormat);
    y = box.bottom() + kPad / 2 + 1 + 2 * fm.lineSpacing();
    painter->drawText(QRect(box.left(), y, box.width(), QFontMetrics(small).lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(when, Qt::ElideRight, box.width()));
    painter->restore();
}

void GalleryDelegate::paintThumbnail(QPainter *painter, const QRect &box, const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    QPainterPath clip;
    clip.addRoundedRect(box, kRadius, kRadius);
    // Letterbox: the frame sits on near-black; on a dark background a lighter
    // grey, so that the tile (and a placeholder) still stands out.
    const QColor base = option.palette.color(QPalette::Base);
    painter->fillPath(clip, base.lightness() < 96 ? base.lighter(170) : QColor(0x1f, 0x1f, 0x24));
    const auto state = index.data(GalleryModel::ThumbnailStateRole).value<GalleryModel::ThumbnailState>();
    const QImage image = index.data(GalleryModel::ThumbnailRole).value<QImage>();
    painter->save();
    painter->setClipPath(clip);
    if (state == GalleryModel::ThumbnailState::Ready && !image.isNull()) {
        const QSize fitted = image.size().scaled(box.size(), Qt::KeepAspectRatio);
        const QRect target(box.center().x() - fitted.width() / 2 + 1, box.center().y() - fitted.height() / 2 + 1, fitted.width(),
                           fitted.height());
        // Scaled once per image and size, then drawn from the pixmap cache.
        const QString key = QStringLiteral("framecast-gallery-%1-%2x%3").arg(image.cacheKey()).arg(fitted.width()).arg(fitted.height());
        QPixmap pixmap;
        if (!QPixmapCache::find(key, &pixmap)) {
            pixmap = QPixmap::fromImage(image.scaled(fitted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
            QPixmapCache::insert(key, pixmap);
        }
        painter->drawPixmap(target, pixmap);
    } else {
        // Loading: a quiet "…"; failed: a mark and words, so a broken file is not mistaken for a dark video.
        QFont font = option.font;
        painter->setPen(QColor(0xc8, 0xc8, 0xd0));
        if (state == GalleryModel::ThumbnailState::Failed) {
            font.setPointSizeF(font.pointSizeF() * 1.8);
            painter->setFont(font);
            painter->drawText(box.adjusted(0, 0, 0, -box.height() / 3), Qt::AlignCenter, QStringLiteral("🎞"));
            painter->setFont(option.font);
            painter->drawText(box.adjusted(kPad, box.height() / 2, -kPad, 0), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                              tr("No preview: the video cannot be read"));
        } else {
            painter->setFont(font);
            painter->drawText(box, Qt::AlignCenter, tr("Loading preview…"));
        }
    }
    painter->restore();

    // The duration on the frame, bottom right.
    QFont bold = option.font;
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 0.85);
    const QFontMetrics bfm(bold);
    const QString duration = durationText(index.data(GalleryModel::DurationMsRole).toLongLong());
    const QRect badge(box.right() - bfm.horizontalAdvance(duration) - 12, box.bottom() - bfm.height() - 6,
                      bfm.horizontalAdvance(duration) + 8, bfm.height() + 2);
    QPainterPath pill;
    pill.addRoundedRect(badge, 3, 3);
    painter->fillPath(pill, QColor(0, 0, 0, 170));
    painter->setFont(bold);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, duration);
}

} // namespace framecast::ui
