// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop/DesktopIntegration.h"

#include "desktop/LauncherProgress.h"
#include "desktop/Platform.h"
#include "desktop/TrayNotifier.h"
#include "jobs/Job.h"

#include <QWidget>

namespace framecast::ui {

namespace {

QString shortPrompt(const QString &prompt)
{
    constexpr int kMax = 120;
    const QString simple = prompt.simplified();
    return simple.size() <= kMax ? simple : simple.left(kMax - 1) + QChar(0x2026);
}

} // namespace

DesktopIntegration::DesktopIntegration(QWidget *window)
    : QObject(window)
    , m_window(window)
    , m_tray(new TrayNotifier(this))
    , m_notifier(desktop::makePlatformNotifier(m_tray, this))
    , m_launcher(new desktop::LauncherProgress(desktop::makePlatformLauncherSink([this]() -> QWindow * {
                                                   return m_window ? m_window->windowHandle() : nullptr;
                                               }),
                                               250, this))
{
    connect(m_notifier, &desktop::Notifier::activated, this, &DesktopIntegration::activated);
}

DesktopIntegration::~DesktopIntegration() = default;

void DesktopIntegration::watch(Job *job)
{
    m_launcher->watch(job);
}

desktop::DesktopNotification DesktopIntegration::videoReady(const Job &job, const QString &file)
{
    desktop::DesktopNotification n{desktop::DesktopNotification::Kind::VideoReady, tr("Your video is ready"),
                                   shortPrompt(job.params().prompt), job.id(), file};
    m_notifier->notify(n);
    return n;
}

desktop::DesktopNotification DesktopIntegration::jobFailed(const Job &job, const QString &message)
{
    desktop::DesktopNotification n{desktop::DesktopNotification::Kind::JobFailed, tr("The video failed"), message, job.id(), {}};
    m_notifier->notify(n);
    return n;
}

} // namespace framecast::ui
