// SPDX-License-Identifier: GPL-3.0-or-later
// Compiled into every widget test (tests/CMakeLists.txt): their video players
// get Qt Multimedia linked in, as the other platforms' program has it (on
// Linux the program loads the same engine from the framecast-player module).
#include "player/QtMediaEngine.h"
#include "player/VideoPlayer.h"

namespace {

const bool kRegistered = [] {
    framecast::ui::VideoPlayer::setDefaultEngineFactory(framecast::ui::qtMediaEngineFactory());
    return true;
}();

} // namespace
