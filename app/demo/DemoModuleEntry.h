// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/EmbeddedServer.h"

#include <QtGlobal>

/// The one symbol the framecast-demo module exports: a new built-in demo
/// (its config from the environment, as embeddedConfigFromEnvironment()),
/// owned by the caller and deleted through EmbeddedServer's destructor.
/// The module is never unloaded.
extern "C" {
using FramecastDemoCreate = framecast::EmbeddedServer *(*)();
}
inline constexpr char kFramecastDemoCreateSymbol[] = "framecast_demo_create";

#include "demo/VideoRenderer.h"

/// The framecast-video module's one symbol: renderVideo() with FFmpeg.
using FramecastVideoRender = framecast::demo::VideoResult (*)(const framecast::demo::VideoSpec &,
                                                              const std::function<void(double)> &, const std::atomic_bool *);
inline constexpr char kFramecastVideoRenderSymbol[] = "framecast_video_render";
