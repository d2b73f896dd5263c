// SPDX-License-Identifier: GPL-3.0-or-later
// The framecast-player module (Linux): Qt Multimedia for the window's video
// player, loaded with the first video (PlayerModuleLoader).
#include "player/QtMediaEngine.h"

extern "C" __attribute__((visibility("default"))) framecast::ui::MediaEngine *
framecast_player_create(QWidget *parent, const framecast::ui::MediaEngine::Events *events)
{
    return framecast::ui::makeQtMediaEngine(parent, events ? *events : framecast::ui::MediaEngine::Events{}).release();
}
