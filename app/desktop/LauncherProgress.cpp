// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop/LauncherProgress.h"

#include "jobs/Job.h"

#include <algorithm>

namespace framecast::desktop {

LauncherSink::~LauncherSink() = default;

LauncherProgress::LauncherProgress(std::unique_ptr<LauncherSink> sink, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_sink(std::move(sink))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LauncherProgress::publish);
}

LauncherProgress::~LauncherProgress()
{
    // Nothing left behind on the taskbar when the window goes.
    if (m_sink && m_published.count > 0)
        m_sink->publish({});
}

void LauncherProgress::watch(Job *job)
{
    if (!job || job->isFinal() || m_jobs.contains(job))
        return;
    m_jobs << job;
    connect(job, &Job::changed, this, &LauncherProgress::schedule);
    connect(job, &Job::finished, this, &LauncherProgress::schedule);
    connect(job, &QObject::destroyed, this, &LauncherProgress::schedule);
    schedule();
}

void LauncherProgress::schedule()
{
    if (!m_timer.isActive())
        m_timer.start(); // not restarted: a steady stream of events still updates once per interval
}

void LauncherProgress::publish()
{
    m_jobs.removeIf([](const QPointer<Job> &job) { return !job || job->isFinal(); });
    LauncherState now;
    now.count = int(m_jobs.size());
    for (const QPointer<Job> &job : std::as_const(m_jobs))
        now.progress += std::clamp(job->percent(), 0.0, 100.0) / 100.0;
    if (now.count > 0)
        now.progress /= now.count;
    if (now == m_published)
        return;
    m_published = now;
    if (m_sink)
        m_sink->publish(now);
    Q_EMIT published(now);
}

} // namespace framecast::desktop
