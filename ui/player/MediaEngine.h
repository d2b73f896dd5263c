// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

#include <functional>
#include <memory>

class QObject;
class QWidget;

namespace framecast::ui {

/// What VideoPlayer needs of a media framework. Qt Multimedia's is
/// QtMediaEngine (framecast_player); on Linux the program loads it from the
/// framecast-player module with the first video, so that neither Qt
/// Multimedia nor PulseAudio and its codecs are mapped at start.
class MediaEngine
{
public:
    /// Told as they happen (on the GUI thread).
    struct Events
    {
        std::function<void(bool playing)> playingChanged;
        std::function<void(qint64 ms)> durationChanged;
        std::function<void(qint64 ms)> positionChanged;
    };

    virtual ~MediaEngine() = default;
    /// The video's picture, a child of the parent given to the factory.
    virtual QWidget *screen() const = 0;
    /// A local file to show (empty: none).
    virtual void setFile(const QString &file) = 0;
    virtual void play() = 0;
    virtual void pause() = 0;
    virtual void stop() = 0;
    virtual bool isPlaying() const = 0;
    virtual void setPosition(qint64 ms) = 0;
    virtual qint64 duration() const = 0;
    virtual void setVolume(float volume) = 0;
    virtual void setLooping(bool loop) = 0;
    /// The framework's own player object (a QMediaPlayer), for tests.
    virtual QObject *mediaObject() const = 0;
};

/// Makes an engine whose screen is a child of `parent`; null with `why` set
/// when there is none to be had (the module is missing).
using MediaEngineFactory = std::function<std::unique_ptr<MediaEngine>(QWidget *parent, const MediaEngine::Events &events, QString *why)>;

} // namespace framecast::ui

/// The one symbol the framecast-player module exports: a new QtMediaEngine,
/// owned by the caller. The module is never unloaded.
extern "C" {
using FramecastPlayerCreate = framecast::ui::MediaEngine *(*)(QWidget *parent, const framecast::ui::MediaEngine::Events *events);
}
inline constexpr char kFramecastPlayerCreateSymbol[] = "framecast_player_create";
