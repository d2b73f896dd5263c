// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "player/MediaEngine.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QSlider;

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
    /// The media framework's player object (a QMediaPlayer): null until the
    /// first video is shown (Qt Multimedia starts then), or when there is none.
    QObject *mediaObject() const;
    /// Why no video can play (the player module is missing), else empty.
    QString unavailableReason() const { return m_unavailable; }

    /// How players get their engine: the program sets the module's (Linux)
    /// or the linked-in one. Without one, videos are listed but not played.
    static void setDefaultEngineFactory(MediaEngineFactory factory);

private:
    void startMedia();

    QWidget *m_screen; ///< holds the video's place until Qt Multimedia starts
    std::unique_ptr<MediaEngine> m_engine;
    QString m_unavailable;
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
