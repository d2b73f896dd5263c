// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-bench-gui [--jobs 100] [--rate 1000] [--seconds 10] [--log-lines 100000] [--log-rate 10000]
//                     [--dialect NAME]
//
// The real MainWindow, offscreen, against the demo backend in its own thread
// (as the app has it, only in a thread so that the window's thread is the
// one measured):
//  1. `--jobs` jobs followed by the window at once, `--rate` progress events
//     a second in all for `--seconds`;
//  2. every one of them then ends (cancelled on the server): memory per
//     finished job (the server's copy of each job is in it too: an upper bound);
//  3. one job whose log gets `--log-lines` lines (`--log-rate` a second), shown in the window, then its
//     log scrolled from the top to the bottom a page at a time.
// A 1 ms timer on the window's thread measures the event loop's stalls (how
// late it fires), over the second half of the events; CPU is the window
// thread's own (CLOCK_THREAD_CPUTIME_ID) over the first half, without the meter.
// Prints one JSON line.
#include "BenchProcess.h"
#include "demo/DemoBackend.h"
#include "demo/DemoJob.h"
#include "demo/EmbeddedDemo.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "jobs/JobListWidget.h"
#include "mainwindow/MainWindow.h"
#include "session/ServerConnection.h"
#include "session/Session.h"
#include "widgets/JobProgressView.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

using namespace framecast;

namespace {

qint64 threadCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

/// How late a 1 ms timer fires on this thread, while it runs.
class StallMeter
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_lateUs.push_back(std::max<qint64>(0, (now - m_last) / 1000 - 1000));
            m_last = now;
        });
    }
    void start()
    {
        m_lateUs.clear();
        m_last = -1;
        m_clock.start();
        m_cpu0 = threadCpuUs();
        m_timer.start();
    }
    QJsonObject stop(const QString &prefix)
    {
        m_timer.stop();
        const double wallUs = double(m_clock.nsecsElapsed()) / 1000.0;
        const double cpu = double(threadCpuUs() - m_cpu0) * 100.0 / wallUs;
        return {{prefix + QStringLiteral("stall_p50_ms"), bench::percentile(m_lateUs, 0.5) / 1000.0},
                {prefix + QStringLiteral("stall_p99_ms"), bench::percentile(m_lateUs, 0.99) / 1000.0},
                {prefix + QStringLiteral("stall_max_ms"), bench::percentile(m_lateUs, 1.0) / 1000.0},
                {prefix + QStringLiteral("cpu_pct"), cpu}};
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    qint64 m_cpu0 = 0;
    std::vector<qint64> m_lateUs;
};

bool spinUntil(const std::function<bool()> &done, qint64 timeoutMs)
{
    return bench::runUntil(done, timeoutMs);
}

void spin(qint64 ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/// Runs `f` on the server's thread and waits for it.
template<typename F>
void onServer(QObject *context, F f)
{
    QMetaObject::invokeMethod(context, f, Qt::BlockingQueuedConnection);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's settings alone
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Drives the real window with many jobs and a big log."));
    cli.addHelpOption();
    auto opt = [&](const char *name, const char *help, const char *def) {
        cli.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QStringLiteral("N"),
                                         QString::fromLatin1(def)));
    };
    opt("jobs", "Jobs watched at once (default 100).", "100");
    opt("rate", "Progress events a second in all (default 1000).", "1000");
    opt("seconds", "How long (default 10).", "10");
    opt("log-lines", "Lines in the big job's log (default 100000).", "100000");
    opt("log-rate", "Lines a second into the big log (default 10000).", "10000");
    opt("dialect", "Progress dialect (default websocket).", "websocket");
    cli.process(app);
    const int jobCount = std::max(1, cli.value(QStringLiteral("jobs")).toInt());
    const int rate = std::clamp(cli.value(QStringLiteral("rate")).toInt(), 1, 100000);
    const int seconds = std::max(1, cli.value(QStringLiteral("seconds")).toInt());
    const int logLines = std::max(1, cli.value(QStringLiteral("log-lines")).toInt());
    const int logRate = std::clamp(cli.value(QStringLiteral("log-rate")).toInt(), 1, 1000000);
    const auto dialect = parseDialect(cli.value(QStringLiteral("dialect")));
    if (!dialect) {
        std::fprintf(stderr, "framecast-bench-gui: unknown dialect\n");
        return 2;
    }

    // --- the server, in its own thread ---------------------------------------
    QThread serverThread;
    serverThread.start();
    QObject server;
    server.moveToThread(&serverThread);
    demo::DemoBackend *backend = nullptr;
    onServer(&server, [&] {
        demo::DemoConfig config;
        config.tinyVideos = true;
        config.heartbeatMs = 0;
        backend = new demo::DemoBackend(config);
        backend->start();
    });

    // --- the window, here, as main() wires it ---------------------------------
    QTemporaryDir dir;
    Session session(dir.filePath(QStringLiteral("videos")));
    session.setEmbeddedServerFactory([&] { return std::make_unique<demo::EmbeddedDemo>(backend); });
    ui::MainWindow window(&session);
    window.show();
    window.startDemo(*dialect);
    if (!spinUntil([&] { return session.isLoggedIn(); }, 20000)) {
        std::fprintf(stderr, "framecast-bench-gui: no login on the demo\n");
        return 1;
    }
    JobLifecycle *lifecycle = session.connectionFor(session.profile().name)->jobs();
    spin(500);
    const qint64 rssBefore = bench::residentKb();

    // --- 1. many jobs at once --------------------------------------------------
    std::vector<demo::DemoJob *> serverJobs;
    onServer(&server, [&] {
        for (int i = 0; i < jobCount; ++i)
            serverJobs.push_back(backend->createIdleJob(QStringLiteral("demo")));
    });
    for (demo::DemoJob *j : serverJobs)
        lifecycle->follow(j->id());
    auto allConnected = [&] {
        const QList<Job *> jobs = lifecycle->jobs();
        return jobs.size() == jobCount && std::all_of(jobs.begin(), jobs.end(), [](Job *j) {
                   return j->connection().state == ConnectionState::Connected;
               });
    };
    if (!spinUntil(allConnected, 30000)) {
        std::fprintf(stderr, "framecast-bench-gui: not every job connected\n");
        return 1;
    }
    window.jobList()->setCurrentRow(0); // one job's progress shown, as a user has it
    spin(300);
    std::atomic<qint64> pushed{0};
    const qint64 events = qint64(rate) * seconds;
    auto *pusher = new QTimer;
    pusher->moveToThread(&serverThread);
    onServer(&server, [&] {
        pusher->setTimerType(Qt::PreciseTimer);
        pusher->setInterval(1);
        QObject::connect(pusher, &QTimer::timeout, [&, started = std::optional<std::chrono::steady_clock::time_point>()]() mutable {
            if (!started)
                started = std::chrono::steady_clock::now();
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - *started).count();
            const qint64 due = std::min(events, qint64(elapsed * rate));
            while (pushed < due) {
                const qint64 seq = pushed++;
                serverJobs[size_t(seq % jobCount)]->pushSyntheticProgress(seq);
            }
            if (pushed >= events)
                pusher->stop();
        });
    });
    // CPU without the meter (its 1 ms timer alone costs a quarter of a core):
    // idle first, then the first half of the events; the stalls over the
    // second half.
    auto cpuOver = [](const std::function<void()> &run) {
        QElapsedTimer wall;
        wall.start();
        const qint64 cpu0 = threadCpuUs();
        run();
        return double(threadCpuUs() - cpu0) * 100.0 / (double(wall.nsecsElapsed()) / 1000.0);
    };
    const double idleCpu = cpuOver([] { spin(2000); });
    onServer(&server, [&] { pusher->start(); });
    const double busyCpu = cpuOver([&] { spinUntil([&] { return pushed >= events / 2; }, qint64(seconds) * 1000 + 20000); });
    StallMeter meter;
    meter.start();
    spinUntil([&] { return pushed >= events; }, qint64(seconds) * 1000 + 20000);
    spin(200);
    QJsonObject out = meter.stop(QString());
    out.insert(QStringLiteral("meter_cpu_pct"), out.take(QStringLiteral("cpu_pct")));
    out.insert(QStringLiteral("idle_cpu_pct"), idleCpu);
    out.insert(QStringLiteral("cpu_pct"), busyCpu);
    out.insert(QStringLiteral("jobs"), jobCount);
    out.insert(QStringLiteral("rate"), rate);
    out.insert(QStringLiteral("seconds"), seconds);
    out.insert(QStringLiteral("events"), qint64(pushed));
    out.insert(QStringLiteral("rss_kb"), bench::residentKb());

    // --- 2. all of them finished ----------------------------------------------
    onServer(&server, [&] {
        for (demo::DemoJob *j : serverJobs)
            j->cancel();
    });
    spinUntil([&] {
        const QList<Job *> jobs = lifecycle->jobs();
        return std::all_of(jobs.begin(), jobs.end(), [](Job *j) { return j->isFinal(); });
    }, 30000);
    spin(500);
    const qint64 rssFinished = bench::residentKb();
    out.insert(QStringLiteral("rss_finished_kb"), rssFinished);
    out.insert(QStringLiteral("kb_per_finished_job"), double(rssFinished - rssBefore) / jobCount);

    // --- 3. one job with a big log ---------------------------------------------
    demo::DemoJob *big = nullptr;
    onServer(&server, [&] { big = backend->createIdleJob(QStringLiteral("demo")); });
    Job *bigJob = lifecycle->follow(big->id());
    spinUntil([&] { return bigJob->connection().state == ConnectionState::Connected; }, 20000);
    window.jobList()->selectJob(bigJob);
    std::atomic<qint64> bigPushed{0};
    meter.start();
    onServer(&server, [&] {
        auto *burst = new QTimer(backend);
        burst->setTimerType(Qt::PreciseTimer);
        burst->setInterval(1);
        QObject::connect(burst, &QTimer::timeout, [&, burst, started = std::chrono::steady_clock::now()] {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            const qint64 due = std::min<qint64>(logLines, qint64(elapsed * logRate));
            while (bigPushed < due)
                big->pushSyntheticProgress(events + bigPushed++);
            if (bigPushed >= logLines)
                burst->stop();
        });
        burst->start();
    });
    spinUntil([&] { return bigPushed >= logLines && bigJob->droppedLogLines() + bigJob->log().size() >= logLines; },
              qint64(logLines) * 1000 / logRate + 60000);
    QJsonObject fill = meter.stop(QStringLiteral("biglog_fill_"));
    fill.insert(QStringLiteral("biglog_fill_meter_cpu_pct"), fill.take(QStringLiteral("biglog_fill_cpu_pct")));
    for (auto it = fill.begin(); it != fill.end(); ++it)
        out.insert(it.key(), it.value());
    out.insert(QStringLiteral("biglog_lines_received"), bigJob->droppedLogLines() + bigJob->log().size());
    // Scroll it top to bottom, a page at a time, each page painted.
    auto *logView = window.progressView()->findChild<QAbstractScrollArea *>(QStringLiteral("jobLog"));
    std::vector<qint64> pageUs;
    if (logView) {
        QScrollBar *bar = logView->verticalScrollBar();
        bar->setValue(0);
        QCoreApplication::processEvents();
        QElapsedTimer t;
        for (int v = 0; v <= bar->maximum(); v += std::max(1, bar->pageStep())) {
            t.start();
            bar->setValue(v);
            logView->viewport()->repaint();
            QCoreApplication::processEvents();
            pageUs.push_back(t.nsecsElapsed() / 1000);
        }
    }
    out.insert(QStringLiteral("biglog_scroll_pages"), qint64(pageUs.size()));
    out.insert(QStringLiteral("biglog_scroll_p99_ms"), bench::percentile(pageUs, 0.99) / 1000.0);
    out.insert(QStringLiteral("biglog_scroll_max_ms"), bench::percentile(pageUs, 1.0) / 1000.0);
    out.insert(QStringLiteral("rss_end_kb"), bench::residentKb());
    out.insert(QStringLiteral("load"), QString::fromLatin1([] {
                   QFile f(QStringLiteral("/proc/loadavg"));
                   return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
               }()));
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);

    onServer(&server, [&] {
        delete pusher;
        delete backend;
    });
    serverThread.quit();
    serverThread.wait();
    std::_Exit(0); // the window's teardown is not what is measured
}
