// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "player/MediaEngine.h"

namespace framecast::ui {

/// VideoPlayer's engine from the framecast-player module, loaded on the first
/// call (the first video shown): next to the program, else in the install
/// tree's FRAMECAST_DEMO_MODULE_DIR. When it cannot be loaded, no engine and
/// the loader's reason.
MediaEngineFactory modulePlayerFactory();

} // namespace framecast::ui
