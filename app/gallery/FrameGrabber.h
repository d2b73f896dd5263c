// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <atomic>

namespace framecast {

/// One still taken from a video file, with what the container says of it.
struct VideoFrame
{
    QImage image;          ///< null when no frame could be decoded
    qint64 durationMs = -1; ///< -1 when the container does not say
    QString error;         ///< why there is no image (for the log and a tooltip)

    bool ok() const { return !image.isNull(); }
};

/// Takes a representative frame out of a video file. The gallery's thumbnails
/// come from here; the implementation (FFmpeg, framecast_thumbnailer) stays
/// out of framecast_core so that the core links no decoder and it can be
/// loaded when the gallery is first shown.
///
/// grab() is called from worker threads, several at once: implementations
/// keep no state between calls. It must return (with an error) for any file,
/// however broken, and soon after `cancel` becomes true.
class FrameGrabber
{
public:
    FrameGrabber() = default;
    virtual ~FrameGrabber() = default;
    FrameGrabber(const FrameGrabber &) = delete;
    FrameGrabber &operator=(const FrameGrabber &) = delete;

    /// A frame scaled to fit in `maxSize` (aspect ratio kept).
    virtual VideoFrame grab(const QString &file, QSize maxSize, const std::atomic_bool *cancel) const = 0;
};

/// Stands in when no decoder could be loaded: every tile says why.
class UnavailableFrameGrabber final : public FrameGrabber
{
public:
    explicit UnavailableFrameGrabber(QString why)
        : m_why(std::move(why))
    {
    }
    VideoFrame grab(const QString &, QSize, const std::atomic_bool *) const override { return {QImage(), -1, m_why}; }

private:
    QString m_why;
};

} // namespace framecast
