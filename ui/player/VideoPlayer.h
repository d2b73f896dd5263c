// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAudioOutput;
class QCheckBox;
class QLabel;
class QMediaPlayer;
class QPushButton;
class QSlider;
class QVideoWidget;

namespace framecast::ui {

/// The finished video: play/pause, seek, volume, loop, Save As and Show in folder.
class VideoPlayer final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VideoPlayer)

public:
    explicit VideoPlayer(QWidget *parent = nullptr);
    ~VideoPlayer() override;

    void setFile(const QString &file);
    void clear();
    QString file() const { return m_file; }
    /// Null until the first video is shown (Qt Multimedia starts then).
    QMediaPlayer *player() const { return m_player; }

private:
    void startMedia();

    QWidget *m_screen; ///< holds the video's place until Qt Multimedia starts
    QVideoWidget *m_video = nullptr;
    QMediaPlayer *m_player = nullptr;
    QAudioOutput *m_audio = nullptr;
    QPushButton *m_play;
    QSlider *m_position;
    QSlider *m_volume;
    QCheckBox *m_loop;
    QPushButton *m_saveAs;
    QPushButton *m_showInFolder;
    QLabel *m_time;
    QString m_file;
};

} // namespace framecast::ui
