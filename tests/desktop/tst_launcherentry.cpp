// SPDX-License-Identifier: GPL-3.0-or-later
// Taskbar progress on Linux: the com.canonical.Unity.LauncherEntry signal,
// heard by a listener on a private session bus (a real dbus-daemon), as
// KDE Plasma's task manager and Dash to Dock hear it.
#include "BusPeers.h"
#include "PrivateBus.h"
#include "desktop/LauncherProgress.h"
#include "desktop/UnityLauncherEntry.h"
#include "jobs/Job.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using framecast::Job;
using framecast::JobStatus;
using framecast::ProgressEvent;
using framecast::desktop::LauncherProgress;
using framecast::desktop::UnityLauncherEntry;
using framecast::test::Dock;
using framecast::test::Update;

namespace {

ProgressEvent running(double percent)
{
    ProgressEvent e;
    e.status = JobStatus::Running;
    e.percent = percent;
    e.message = QStringLiteral("working");
    return e;
}

} // namespace

class TestLauncherEntry : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<framecast::test::PrivateBus> m_bus;
    std::unique_ptr<Dock> m_dock;
    int m_n = 0;

    std::unique_ptr<LauncherProgress> launcher(int intervalMs)
    {
        auto sink = std::make_unique<UnityLauncherEntry>(m_bus->connect(QStringLiteral("app%1").arg(++m_n)),
                                                         QStringLiteral("io.github.framecast.Framecast"));
        return std::make_unique<LauncherProgress>(std::move(sink), intervalMs);
    }
    bool waitForUpdates(qsizetype count)
    {
        QSignalSpy heard(m_dock.get(), &Dock::heard);
        while (m_dock->updates.size() < count) {
            if (!heard.wait(5000))
                return false;
        }
        return true;
    }

private Q_SLOTS:
    void init()
    {
        m_bus = std::make_unique<framecast::test::PrivateBus>();
        QString error;
        QVERIFY2(m_bus->start(&error), qPrintable(error));
        m_dock = std::make_unique<Dock>();
        QDBusConnection dock = m_bus->connect(QStringLiteral("dock"));
        QVERIFY(framecast::test::listenForLauncherUpdates(dock, m_dock.get()));
    }
    void cleanup()
    {
        m_dock.reset();
        m_bus.reset();
    }

    void progressAndCountOfTheRunningJobs()
    {
        auto progress = launcher(50);
        Job a(QStringLiteral("a")), b(QStringLiteral("b"));
        a.markQueued();
        b.markQueued();
        progress->watch(&a);
        progress->watch(&b);
        QVERIFY(waitForUpdates(1));
        const Update &first = m_dock->updates.constFirst();
        QCOMPARE(first.uri, QStringLiteral("application://io.github.framecast.Framecast.desktop"));
        QCOMPARE(first.count(), 2);
        QCOMPARE(first.progress(), 0.0);
        QVERIFY(first.visible());

        // Twenty events before the event loop runs again: one update, the mean of both.
        for (int p = 5; p <= 100; p += 5)
            a.applyProgress(running(p * 0.6)); // up to 60 %
        b.applyProgress(running(20));
        QVERIFY(waitForUpdates(2));
        QCOMPARE(m_dock->updates.at(1).count(), 2);
        QCOMPARE(m_dock->updates.at(1).progress(), 0.4);

        // What the dock shows does not change (still 60 %, two jobs): nothing is sent.
        a.applyProgress(running(60.2));
        QTRY_VERIFY(!progress->pending());
        // One ends: its count and progress leave.
        ProgressEvent done;
        done.status = JobStatus::Completed;
        done.videoUrl = QStringLiteral("/v/a.mp4");
        a.applyProgress(done);
        QVERIFY(waitForUpdates(3));
        QCOMPARE(m_dock->updates.size(), 3);
        QCOMPARE(m_dock->updates.at(2).count(), 1);
        QCOMPARE(m_dock->updates.at(2).progress(), 0.2);
        QVERIFY(m_dock->updates.at(2).visible());

        // None runs: cleared.
        b.markCancelled();
        QVERIFY(waitForUpdates(4));
        QCOMPARE(m_dock->updates.at(3).count(), 0);
        QVERIFY(!m_dock->updates.at(3).properties.value(QStringLiteral("progress-visible")).toBool());
        QVERIFY(!m_dock->updates.at(3).properties.value(QStringLiteral("count-visible")).toBool());
    }

    void aSteadyStreamIsCoalesced()
    {
        // Forty events 15 ms apart (600 ms) with a 200 ms interval: about
        // three updates, not forty.
        auto progress = launcher(200);
        Job job(QStringLiteral("j"));
        job.markQueued();
        progress->watch(&job);
        int sent = 0;
        QTimer feed;
        feed.setInterval(15);
        connect(&feed, &QTimer::timeout, this, [&] {
            job.applyProgress(running(++sent * 2.5));
            if (sent == 40)
                feed.stop();
        });
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.percent(), 100.0, 10000);
        QTRY_VERIFY(!progress->pending());
        // The last one sent is the final state; the job's 40 events became a few.
        QTRY_VERIFY(!m_dock->updates.isEmpty() && m_dock->updates.constLast().progress() == 1.0);
        QVERIFY2(m_dock->updates.size() >= 2 && m_dock->updates.size() <= 6, qPrintable(QString::number(m_dock->updates.size())));
    }

    void aDestroyedJobLeavesAndTheEntryIsCleared()
    {
        auto progress = launcher(20);
        auto job = std::make_unique<Job>(QStringLiteral("gone"));
        job->markQueued();
        progress->watch(job.get());
        QVERIFY(waitForUpdates(1));
        QCOMPARE(m_dock->updates.at(0).count(), 1);
        job.reset(); // its server's connection went (logged out, closed)
        QVERIFY(waitForUpdates(2));
        QCOMPARE(m_dock->updates.at(1).count(), 0);
        QVERIFY(!m_dock->updates.at(1).visible());
    }
};

QTEST_GUILESS_MAIN(TestLauncherEntry)
#include "tst_launcherentry.moc"
