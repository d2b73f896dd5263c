// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-bench-pulse [--seconds S]
// How much CPU the connection dot's pulse costs: a visible dot, connected
// (pulsing) for S seconds, then idle (not connected) for S seconds, measuring
// this process's CPU time in each phase. Prints one JSON line:
// {"seconds":…, "pulsing_cpu_ms":…, "idle_cpu_ms":…, "pulsing_cpu_percent":…, "repaints":…}.
#include "widgets/ConnectionDot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QEvent>
#include <QTimer>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

namespace {

double cpuMs()
{
#ifdef Q_OS_UNIX
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0;
#else
    return 0;
#endif
}

class PaintCounter final : public QObject
{
public:
    int paints = 0;
    bool eventFilter(QObject *, QEvent *e) override
    {
        if (e->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};

void run(int ms)
{
    // A real event loop: it sleeps until something (the pulse timer) wakes it.
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Length of each phase (default 5)."),
                                           QStringLiteral("S"), QStringLiteral("5"));
    cli.addOption(secondsOption);
    cli.process(app);
    const int ms = qMax(1, cli.value(secondsOption).toInt()) * 1000;

    framecast::ui::ConnectionDot dot;
    PaintCounter counter;
    dot.installEventFilter(&counter);
    dot.show();
    framecast::ConnectionStatus status;
    status.state = framecast::ConnectionState::Connected;
    status.connectedSinceMs = 0;
    dot.setStatus(status);
    run(200); // settle

    const double pulsingStart = cpuMs();
    counter.paints = 0;
    run(ms);
    const double pulsing = cpuMs() - pulsingStart;
    const int repaints = counter.paints;

    status.state = framecast::ConnectionState::Closed;
    dot.setStatus(status);
    const double idleStart = cpuMs();
    run(ms);
    const double idle = cpuMs() - idleStart;

    std::printf("{\"seconds\":%d,\"pulsing_cpu_ms\":%.1f,\"idle_cpu_ms\":%.1f,\"pulsing_cpu_percent\":%.3f,\"repaints\":%d}\n",
                ms / 1000, pulsing, idle, 100.0 * pulsing / ms, repaints);
    return 0;
}
