// SPDX-License-Identifier: GPL-3.0-or-later
// The framecast-thumbnailer module (Linux): FFmpeg's decoders for the
// gallery, loaded when the gallery is first shown (ThumbnailerModuleLoader).
#include "thumbnailer/FfmpegFrameGrabber.h"
#include "thumbnailer/ThumbnailerModuleEntry.h"

extern "C" __attribute__((visibility("default"))) framecast::FrameGrabber *framecast_thumbnailer_create()
{
    return new framecast::thumbnailer::FfmpegFrameGrabber();
}
