// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace framecast::desktop {

/// What the desktop is told when a job ends: a video is ready (with "Play")
/// or a job failed.
struct DesktopNotification
{
    enum class Kind { VideoReady, JobFailed };
    Kind kind = Kind::VideoReady;
    QString summary;
    QString body;
    QString jobId;     ///< which job the window shows when the notification is clicked
    QString videoFile; ///< the archived video: offered as "Play" when set
};

/// Shows desktop notifications: the freedesktop notification server on
/// Linux, the tray elsewhere (and as the Linux fallback).
class Notifier : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notifier)

public:
    using QObject::QObject;
    ~Notifier() override;
    virtual void notify(const DesktopNotification &notification) = 0;

    /// Opens a finished video with the system's player (the "Play" action).
    static bool openVideo(const QString &file);

Q_SIGNALS:
    /// The user clicked the notification of `jobId`: raise the window on it.
    void activated(const QString &jobId);
};

} // namespace framecast::desktop
