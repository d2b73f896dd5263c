// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gallery/FrameGrabber.h"

#include <QCoreApplication>

#include <memory>

namespace framecast::thumbnailer {

/// FrameGrabber with FFmpeg's libraries (libavformat, libavcodec,
/// libswscale): opens the file, seeks to a third of the video (at most 3 s
/// in), decodes the first frame from there that is not blank (a fade from
/// black is skipped) and scales it. Every read is bounded: an interrupt
/// callback ends it at `timeoutMs` or on cancel, and at most a few hundred
/// packets are read, so a damaged or endless file answers with an error.
class FfmpegFrameGrabber final : public FrameGrabber
{
    // The catalogue's context is the class's full name, as lupdate sees it.
    Q_DECLARE_TR_FUNCTIONS(framecast::thumbnailer::FfmpegFrameGrabber)

public:
    explicit FfmpegFrameGrabber(int timeoutMs = 10000);

    VideoFrame grab(const QString &file, QSize maxSize, const std::atomic_bool *cancel) const override;

private:
    int m_timeoutMs;
};

/// What the gallery asks for when it is first shown.
std::shared_ptr<const FrameGrabber> makeFfmpegFrameGrabber();

} // namespace framecast::thumbnailer
