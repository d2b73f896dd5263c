// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "desktop/DesktopNotification.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace framecast {
class Job;
}

namespace framecast::desktop {
class LauncherProgress;
}

namespace framecast::ui {

class TrayNotifier;

/// What the window shows outside itself: a notification when a job ends
/// (freedesktop server, else the tray) and the running jobs' progress on
/// the taskbar or dock.
class DesktopIntegration final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopIntegration)

public:
    explicit DesktopIntegration(QWidget *window);
    ~DesktopIntegration() override;

    /// The taskbar follows `job` until it ends.
    void watch(Job *job);
    /// "Your video is ready", with Play.
    desktop::DesktopNotification videoReady(const Job &job, const QString &file);
    desktop::DesktopNotification jobFailed(const Job &job, const QString &message);

    desktop::Notifier *notifier() const { return m_notifier; }
    TrayNotifier *tray() const { return m_tray; }
    desktop::LauncherProgress *launcher() const { return m_launcher; }

Q_SIGNALS:
    /// A notification was clicked: show the window on this job.
    void activated(const QString &jobId);

private:
    QPointer<QWidget> m_window;
    TrayNotifier *m_tray;
    desktop::Notifier *m_notifier;
    desktop::LauncherProgress *m_launcher;
};

} // namespace framecast::ui
