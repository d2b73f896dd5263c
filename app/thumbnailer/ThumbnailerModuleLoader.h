// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gallery/FrameGrabber.h"

#include <memory>

namespace framecast::thumbnailer {

/// The gallery's FFmpeg FrameGrabber from the framecast-thumbnailer module,
/// loaded on the first call (when the gallery is first shown): next to the
/// program, else in the install tree's FRAMECAST_DEMO_MODULE_DIR. When the
/// module cannot be loaded, a grabber whose every answer says why.
std::shared_ptr<const FrameGrabber> moduleFrameGrabber();

} // namespace framecast::thumbnailer
