// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace framecast {
class Job;
}

namespace framecast::desktop {

/// What the taskbar or dock shows: the running jobs' progress and their count.
struct LauncherState
{
    double progress = 0; ///< 0..1, the mean of the running jobs'
    int count = 0;       ///< jobs not yet ended; 0 hides both
    bool operator==(const LauncherState &o) const { return count == o.count && qRound(progress * 100) == qRound(o.progress * 100); }
    bool operator!=(const LauncherState &o) const { return !(*this == o); }
};

/// Where the state goes: the Unity launcher entry on Linux, the taskbar
/// button on Windows, the dock tile on macOS.
class LauncherSink
{
public:
    LauncherSink() = default;
    virtual ~LauncherSink();
    Q_DISABLE_COPY_MOVE(LauncherSink)
    virtual void publish(const LauncherState &state) = 0;
};

/// Follows jobs and publishes their combined progress, coalesced: however
/// many events arrive, at most one update per interval, and only when what
/// is shown changes (whole percent or count). When no job runs any more the
/// state goes back to nothing shown.
class LauncherProgress final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LauncherProgress)

public:
    explicit LauncherProgress(std::unique_ptr<LauncherSink> sink, int intervalMs = 250, QObject *parent = nullptr);
    ~LauncherProgress() override;

    /// Follows `job` until it ends (a job already followed is ignored).
    void watch(Job *job);
    /// What was published last.
    LauncherState state() const { return m_published; }
    /// An update is due at the end of the current interval.
    bool pending() const { return m_timer.isActive(); }

Q_SIGNALS:
    void published(const framecast::desktop::LauncherState &state);

private:
    void schedule();
    void publish();

    std::unique_ptr<LauncherSink> m_sink;
    QList<QPointer<Job>> m_jobs;
    QTimer m_timer;
    LauncherState m_published;
};

} // namespace framecast::desktop
