// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <atomic>
#include <functional>

namespace framecast::demo {

/// What the demo backend renders for a job: a slow pan and zoom over the
/// reference image (cropped and scaled to fill), with the prompt as a caption,
/// encoded as H.264 in an MP4 with FFmpeg's libraries (libx264).
struct VideoSpec
{
    QImage image;                  ///< the reference image; a gradient is used when null
    QSize size{1280, 720};         ///< 1280x720 or 720x1280
    int durationSeconds = 4;       ///< 4, 8 or 12
    int fps = 24;
    QString caption;               ///< drawn when a QGuiApplication exists (fonts need one)
    QString outputPath;
    QString x264Preset = QStringLiteral("veryfast");
};

struct VideoResult
{
    bool ok = false;
    QString error;
    qint64 bytes = 0;
    int frames = 0;
    qint64 elapsedMs = 0;
};

/// Encodes `spec` synchronously; call it off the event loop. `progress` gets
/// 0..1 as frames are encoded (from the calling thread). Setting `cancel`
/// stops early with an error. A partial file is removed on failure.
VideoResult renderVideo(const VideoSpec &spec, const std::function<void(double)> &progress = {},
                        const std::atomic_bool *cancel = nullptr);

/// Draws frame `index` of `frameCount` (exposed for tests and thumbnails).
QImage renderFrame(const QImage &coverSource, QSize size, const QString &caption, int index, int frameCount);

/// The source scaled to cover `size` with room for the zoom (done once per video).
QImage prepareCoverSource(const QImage &image, QSize size);

/// A placeholder image when the job's reference is not a local upload.
QImage placeholderImage(QSize size, const QString &seedText);

} // namespace framecast::demo
