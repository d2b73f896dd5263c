// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "player/MediaEngine.h"

namespace framecast::ui {

/// Qt Multimedia's engine for VideoPlayer: a QMediaPlayer with its audio
/// output and a QVideoWidget (GStreamer underneath on Linux).
std::unique_ptr<MediaEngine> makeQtMediaEngine(QWidget *parent, const MediaEngine::Events &events);

/// The same engine as a VideoPlayer factory (VideoPlayer::setDefaultEngineFactory):
/// for a program or a test that links Qt Multimedia in.
MediaEngineFactory qtMediaEngineFactory();

} // namespace framecast::ui
