// SPDX-License-Identifier: GPL-3.0-or-later
// The entry point of the framecast-video module (FRAMECAST_DEMO_MODULE): the
// demo module resolves it when it renders its first video
// (VideoEncoderLoader.cpp), so that FFmpeg is mapped only from then on.
#include "demo/DemoModuleEntry.h"

extern "C" Q_DECL_EXPORT framecast::demo::VideoResult framecast_video_render(const framecast::demo::VideoSpec &spec,
                                                                              const std::function<void(double)> &progress,
                                                                              const std::atomic_bool *cancel)
{
    return framecast::demo::renderVideo(spec, progress, cancel);
}
