// SPDX-License-Identifier: GPL-3.0-or-later
#include "player/QtMediaEngine.h"

#include <QAudioOutput>
#include <QMediaPlayer>
#include <QUrl>
#include <QVideoWidget>

namespace framecast::ui {

namespace {

class QtMediaEngine final : public MediaEngine
{
public:
    QtMediaEngine(QWidget *parent, const Events &events)
        : m_video(new QVideoWidget(parent))
        , m_player(new QMediaPlayer(parent))
        , m_audio(new QAudioOutput(parent))
    {
        m_player->setVideoOutput(m_video);
        m_player->setAudioOutput(m_audio);
        QObject::connect(m_player, &QMediaPlayer::playbackStateChanged, m_player,
                         [cb = events.playingChanged](QMediaPlayer::PlaybackState s) {
                             if (cb)
                                 cb(s == QMediaPlayer::PlayingState);
                         });
        QObject::connect(m_player, &QMediaPlayer::durationChanged, m_player, [cb = events.durationChanged](qint64 d) {
            if (cb)
                cb(d);
        });
        QObject::connect(m_player, &QMediaPlayer::positionChanged, m_player, [cb = events.positionChanged](qint64 p) {
            if (cb)
                cb(p);
        });
    }

    ~QtMediaEngine() override
    {
        // Without this, GStreamer can crash at exit under Xvfb (DEVELOPERS.md).
        m_player->stop();
        m_player->setVideoOutput(nullptr);
        delete m_player;
        delete m_audio;
        delete m_video;
    }

    QWidget *screen() const override { return m_video; }
    void setFile(const QString &file) override
    {
        m_player->setSource(file.isEmpty() ? QUrl() : QUrl::fromLocalFile(file));
    }
    void play() override { m_player->play(); }
    void pause() override { m_player->pause(); }
    void stop() override { m_player->stop(); }
    bool isPlaying() const override { return m_player->playbackState() == QMediaPlayer::PlayingState; }
    void setPosition(qint64 ms) override { m_player->setPosition(ms); }
    qint64 duration() const override { return m_player->duration(); }
    void setVolume(float volume) override { m_audio->setVolume(volume); }
    void setLooping(bool loop) override { m_player->setLoops(loop ? QMediaPlayer::Infinite : 1); }
    QObject *mediaObject() const override { return m_player; }

private:
    QVideoWidget *m_video;
    QMediaPlayer *m_player;
    QAudioOutput *m_audio;
};

} // namespace

std::unique_ptr<MediaEngine> makeQtMediaEngine(QWidget *parent, const MediaEngine::Events &events)
{
    return std::make_unique<QtMediaEngine>(parent, events);
}

MediaEngineFactory qtMediaEngineFactory()
{
    return [](QWidget *parent, const MediaEngine::Events &events, QString *) {
        return makeQtMediaEngine(parent, events);
    };
}

} // namespace framecast::ui
