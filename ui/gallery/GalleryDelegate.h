// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace framecast::ui {

/// One tile of the gallery: the video's frame (16:9, letterboxed) with its
/// duration on it, the prompt (elided to two lines) and the date under it.
/// While the frame is being made the tile says so; a video that cannot be
/// decoded gets a clear placeholder, never a blank.
class GalleryDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryDelegate)

public:
    static constexpr QSize kThumbnail{192, 108};
    static constexpr QSize kLargeThumbnail{240, 135};

    explicit GalleryDelegate(QObject *parent = nullptr);

    /// The frame's box (kThumbnail, or kLargeThumbnail on a wide window).
    void setThumbnailSize(QSize size) { m_thumbnail = size; }
    QSize thumbnailSize() const { return m_thumbnail; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// "0:04", "1:02:03".
    static QString durationText(qint64 ms);
    /// "4 s · 1280×720 · 2.1 MB · <date>" (what the preview and the tooltip say).
    static QString detailsText(const QModelIndex &index);

private:
    void paintThumbnail(QPainter *painter, const QRect &box, const QStyleOptionViewItem &option, const QModelIndex &index) const;

    QSize m_thumbnail = kThumbnail;
};

} // namespace framecast::ui
