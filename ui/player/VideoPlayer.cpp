// SPDX-License-Identifier: GPL-3.0-or-later
#include "player/VideoPlayer.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QUrl>
#include <QVBoxLayout>

namespace framecast::ui {

namespace {
QString clock(qint64 ms)
{
    return QStringLiteral("%1:%2").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}

MediaEngineFactory &defaultFactory()
{
    static MediaEngineFactory factory;
    return factory;
}
} // namespace

void VideoPlayer::setDefaultEngineFactory(MediaEngineFactory factory)
{
    defaultFactory() = std::move(factory);
}

QObject *VideoPlayer::mediaObject() const
{
    return m_engine ? m_engine->mediaObject() : nullptr;
}

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
        if (m_engine)
            m_engine->setVolume(float(v) / 100.0f);
    });
    connect(m_loop, &QCheckBox::toggled, this, [this](bool on) {
        if (m_engine)
            m_engine->setLooping(on);
    });
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (!m_engine)
            return;
        if (m_engine->isPlaying())
            m_engine->pause();
        else
            m_engine->play();
    });
    connect(m_position, &QSlider::sliderMoved, this, [this](int p) {
        if (m_engine)
            m_engine->setPosition(p);
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
    // First, while the controls its callbacks touch are all still there (the
    // engine stops its player, which may still report a position).
    m_engine.reset();
}

void VideoPlayer::startMedia()
{
    if (m_engine || !m_unavailable.isEmpty())
        return;
    MediaEngine::Events events;
    events.playingChanged = [this](bool playing) { m_play->setText(playing ? tr("Pause") : tr("Play")); };
    events.durationChanged = [this](qint64 d) { m_position->setRange(0, int(d)); };
    events.positionChanged = [this](qint64 p) {
        if (!m_position->isSliderDown())
            m_position->setValue(int(p));
        m_time->setText(clock(p) + QStringLiteral(" / ") + clock(m_engine ? m_engine->duration() : 0));
    };
    QString why;
    if (const MediaEngineFactory &factory = defaultFactory())
        m_engine = factory(this, events, &why);
    else
        why = tr("this build has no media player");
    if (!m_engine) {
        m_unavailable = why.isEmpty() ? tr("no media player could be started") : why;
        auto *message = new QLabel(tr("Videos cannot be played here: %1").arg(m_unavailable), m_screen);
        message->setWordWrap(true);
        message->setAlignment(Qt::AlignCenter);
        auto *box = new QVBoxLayout(m_screen);
        box->addWidget(message);
        return;
    }
    QWidget *video = m_engine->screen();
    video->setMinimumSize(m_screen->minimumSize());
    video->setAccessibleName(m_screen->accessibleName());
    layout()->replaceWidget(m_screen, video);
    delete m_screen;
    m_screen = nullptr;
    m_engine->setVolume(float(m_volume->value()) / 100.0f);
    m_engine->setLooping(m_loop->isChecked());
}

void VideoPlayer::setFile(const QString &file)
{
    startMedia();
    m_file = file;
    if (m_engine) {
        m_engine->setFile(file);
        m_engine->play();
    }
    for (QWidget *w : {static_cast<QWidget *>(m_play), static_cast<QWidget *>(m_position), static_cast<QWidget *>(m_saveAs),
                       static_cast<QWidget *>(m_showInFolder)})
        w->setEnabled(true);
}

void VideoPlayer::clear()
{
    m_file.clear();
    if (m_engine) {
        m_engine->stop();
        m_engine->setFile(QString());
    }
    for (QWidget *w : {static_cast<QWidget *>(m_play), static_cast<QWidget *>(m_position), static_cast<QWidget *>(m_saveAs),
                       static_cast<QWidget *>(m_showInFolder)})
        w->setEnabled(false);
    m_time->clear();
}

} // namespace framecast::ui
