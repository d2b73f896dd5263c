// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gallery/FrameGrabber.h"

/// The one symbol the framecast-thumbnailer module exports: a new FFmpeg
/// FrameGrabber, owned by the caller and deleted through FrameGrabber's
/// destructor. The module is never unloaded.
extern "C" {
using FramecastThumbnailerCreate = framecast::FrameGrabber *(*)();
}
inline constexpr char kFramecastThumbnailerCreateSymbol[] = "framecast_thumbnailer_create";
