// SPDX-License-Identifier: GPL-3.0-or-later
#include "player/VideoPlayer.h"

#include <QAudioOutput>
#include <QCheckBox>
#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaPlayer>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoWidget>

namespace framecast::ui {

namespace {
QString clock(qint64 ms)
{
    return QStringLiteral("%1:%2").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

VideoPlayer::VideoPlayer(QWidget *parent)
    : QWidget(parent)
    , m_screen(new QWidget(this))
    , m_play(new QPushButton(tr("Play"), this))
    , m_position(new QSlider(Qt::Horizontal, this))
    , m_volume(new QSlider(Qt::Horizontal, this))
    , m_loop(new QCheckBox(tr("Loop"), this))
    , m_saveAs(new QPushButton(tr("Save As…"), this))
    , m_showInFolder(new QPushButton(tr("Show in folder"), this))
    , m_time(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // Qt Multimedia (and GStreamer under it) start when the first video is
    // shown, not with the window: until then an empty screen holds the place.
    m_screen->setMinimumSize(320, 180);
    m_screen->setAccessibleName(tr("Video"));
    layout->addWidget(m_screen, 1);
    auto *controls = new QHBoxLayout;
    m_play->setAccessibleName(tr("Play or pause"));
    m_position->setAccessibleName(tr("Position"));
    m_volume->setAccessibleName(tr("Volume"));
    m_volume->setRange(0, 100);
    m_volume->setValue(80);
    m_volume->setMaximumWidth(90);
    m_loop->setAccessibleName(tr("Loop"));
    m_loop->setChecked(true);
    m_saveAs->setAccessibleName(tr("Save the video as"));
    m_showInFolder->setAccessibleName(tr("Show the video in its folder"));
    controls->addWidget(m_play);
    controls->addWidget(m_position, 1);
    controls->addWidget(m_time);
    controls->addWidget(m_volume);
    controls->addWidget(m_loop);
    layout->addLayout(controls);
    auto *files = new QHBoxLayout;
    files->addStretch(1);
    files->addWidget(m_saveAs);
    files->addWidget(m_showInFolder);
    layout->addLayout(files);

    connect(m_volume, &QSlider::valueChanged, this, [this](int v) {
        if (m_audio)
            m_audio->setVolume(float(v) / 100.0f);
    });
    connect(m_loop, &QCheckBox::toggled, this, [this](bool on) {
        if (m_player)
            m_player->setLoops(on ? QMediaPlayer::Infinite : 1);
    });
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (!m_player)
            return;
        if (m_player->playbackState() == QMediaPlayer::PlayingState)
            m_player->pause();
        else
            m_player->play();
    });
    connect(m_saveAs, &QPushButton::clicked, this, [this] {
        const QString target = QFileDialog::getSaveFileName(this, tr("Save video"), QFileInfo(m_file).fileName(),
                                                            tr("MP4 video (*.mp4)"));
        if (target.isEmpty())
            return;
        QFile::remove(target);
        if (!QFile::copy(m_file, target))
            QMessageBox::warning(this, tr("Save video"), tr("Could not save %1").arg(target));
    });
    connect(m_showInFolder, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_file).absolutePath())); });
    clear();
}

VideoPlayer::~VideoPlayer()
{
    if (!m_player)
        return;
    // Without this, GStreamer can crash at exit under Xvfb (DEVELOPERS.md).
    m_player->stop();
    m_player->setVideoOutput(nullptr);
}

void VideoPlayer::startMedia()
{
    if (m_player)
        return;
    m_video = new QVideoWidget(this);
    m_video->setMinimumSize(m_screen->minimumSize());
    m_video->setAccessibleName(m_screen->accessibleName());
    layout()->replaceWidget(m_screen, m_video);
    delete m_screen;
    m_screen = nullptr;
    m_player = new QMediaPlayer(this);
    m_audio = new QAudioOutput(this);
    m_player->setVideoOutput(m_video);
    m_player->setAudioOutput(m_audio);
    m_audio->setVolume(float(m_volume->value()) / 100.0f);
    m_player->setLoops(m_loop->isChecked() ? QMediaPlayer::Infinite : 1);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState s) {
        m_play->setText(s == QMediaPlayer::PlayingState ? tr("Pause") : tr("Play"));
    });
    connect(m_player, &QMediaPlayer::durationChanged, this, [this](qint64 d) { m_position->setRange(0, int(d)); });
    connect(m_player, &QMediaPlayer::positionChanged, this, [this](qint64 p) {
        if (!m_position->isSliderDown())
            m_position->setValue(int(p));
        m_time->setText(clock(p) + QStringLiteral(" / ") + clock(m_player->duration()));
    });
    connect(m_position, &QSlider::sliderMoved, m_player, [this](int p) { m_player->setPosition(p); });
}

void VideoPlayer::setFile(const QString &file)
{
    startMedia();
    m_file = file;
    m_player->setSource(QUrl::fromLocalFile(file));
    m_player->play();
    for (QWidget *w : {static_cast<QWidget *>(m_play), static_cast<QWidget *>(m_position), static_cast<QWidget *>(m_saveAs),
                       static_cast<QWidget *>(m_showInFolder)})
        w->setEnabled(true);
}

void VideoPlayer::clear()
{
    m_file.clear();
    if (m_player) {
        m_player->stop();
        m_player->setSource(QUrl());
    }
    for (QWidget *w : {static_cast<QWidget *>(m_play), static_cast<QWidget *>(m_position), static_cast<QWidget *>(m_saveAs),
                       static_cast<QWidget *>(m_showInFolder)})
        w->setEnabled(false);
    m_time->clear();
}

} // namespace framecast::ui
