// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gallery/FrameGrabber.h"

#include <QCache>
#include <QFileInfo>
#include <QObject>
#include <QSet>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <optional>

namespace framecast {

/// A video's thumbnail as the gallery shows it.
struct Thumbnail
{
    QImage image;           ///< null when the video could not be decoded
    qint64 durationMs = -1; ///< the video's own duration, -1 when unknown
    QString error;          ///< why there is no image

    bool failed() const { return image.isNull(); }
};

/// Thumbnails of video files, made off the GUI thread by a FrameGrabber and
/// kept on disk (one PNG per file version, keyed by path, modification time
/// and size, so a replaced file gets a new one) and in memory (bounded).
///
/// thumbnail() answers at once from memory; otherwise it starts the work
/// (read the disk cache, else decode a frame and store it) on its own
/// pool of worker threads and `ready` follows. A file that cannot be decoded
/// (missing, truncated, not a video) gives a Thumbnail without image and
/// its error; it is not tried again until the file changes.
class ThumbnailCache final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThumbnailCache)

public:
    /// The side of the box thumbnails are scaled into (16:9).
    static constexpr QSize kSize{320, 180};

    /// `cacheDir` is created when first written; empty: memory only.
    ThumbnailCache(std::shared_ptr<const FrameGrabber> grabber, QString cacheDir, QObject *parent = nullptr);
    /// Stops the workers (a grab in progress is cancelled) and waits for them.
    ~ThumbnailCache() override;

    /// <cache location>/thumbnails.
    static QString defaultCacheDir();
    /// The disk cache's file name for this version of a file.
    static QString cacheName(const QFileInfo &file);

    /// What is known now; std::nullopt while it is being made (then `ready`).
    std::optional<Thumbnail> thumbnail(const QString &file);
    QString cacheDir() const { return m_cacheDir; }
    /// Thumbnails decoded from a video (not read from the disk cache) so far.
    int decodedCount() const { return m_decoded; }
    /// Waits for the work in progress (tests and benchmarks).
    bool waitForIdle(int msecs);

Q_SIGNALS:
    /// The thumbnail of `file` is known (it may be a failure).
    void ready(const QString &file);

private:
    static QString keyOf(const QFileInfo &info);
    void finished(const QString &file, const QString &key, const Thumbnail &thumbnail, bool decoded);

    std::shared_ptr<const FrameGrabber> m_grabber;
    QString m_cacheDir;
    QCache<QString, Thumbnail> m_memory; ///< cost: kilobytes of image
    QSet<QString> m_pending;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QThreadPool m_pool;
    int m_decoded = 0;
};

} // namespace framecast
