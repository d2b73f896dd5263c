// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-bench-latency --dialect websocket|videos-sse|tasks-sse|stages-sse --jobs N --events M [--rate R]
//
// The in-process demo backend runs in its own thread and pushes M progress
// messages spread round-robin over N jobs at R messages per second (default
// 1000). The client (this thread) watches every job over the dialect. For
// each message, the time from just before the server writes it to the
// client's normalized event for it is measured with one monotonic clock.
// Prints one JSON line: {"dialect":…, "jobs":…, "events":…, "received":…,
// "rate":…, "p50_us":…, "p99_us":…, "max_us":…, "mean_us":…}.
#include "api/ApiClient.h"
#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "net/StreamConnectionPool.h"
#include "progress/SseProgressChannel.h"
#include "progress/WebSocketChannel.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QNetworkAccessManager>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

using namespace framecast;

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Measures progress latency from server write to normalized client event."));
    cli.addHelpOption();
    const QCommandLineOption dialectOption(QStringLiteral("dialect"), QStringLiteral("websocket, videos-sse, tasks-sse or stages-sse."),
                                           QStringLiteral("NAME"), QStringLiteral("websocket"));
    const QCommandLineOption jobsOption(QStringLiteral("jobs"), QStringLiteral("Jobs watched at once (default 100)."),
                                        QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption eventsOption(QStringLiteral("events"), QStringLiteral("Messages in all (default 10000)."),
                                          QStringLiteral("M"), QStringLiteral("10000"));
    const QCommandLineOption rateOption(QStringLiteral("rate"), QStringLiteral("Messages per second (default 1000)."),
                                        QStringLiteral("R"), QStringLiteral("1000"));
    cli.addOptions({dialectOption, jobsOption, eventsOption, rateOption});
    cli.process(app);

    const auto dialect = parseDialect(cli.value(dialectOption));
    const int jobCount = std::max(1, cli.value(jobsOption).toInt());
    const int events = std::max(1, cli.value(eventsOption).toInt());
    const int rate = std::clamp(cli.value(rateOption).toInt(), 1, 1000000);
    if (!dialect) {
        std::fprintf(stderr, "unknown dialect %s\n", qPrintable(cli.value(dialectOption)));
        return 2;
    }

    // --- the server, in its own thread ---------------------------------------
    QThread serverThread;
    serverThread.start();
    QObject serverContext;
    serverContext.moveToThread(&serverThread);
    demo::DemoBackend *backend = nullptr;
    QByteArray token;
    std::vector<demo::DemoJob *> serverJobs;
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
            demo::DemoConfig config;
            config.tinyVideos = true;
            backend = new demo::DemoBackend(config);
            backend->start();
            token = backend->accounts().login(QStringLiteral("demo"), QStringLiteral("demo"));
            for (int i = 0; i < jobCount; ++i)
                serverJobs.push_back(backend->createIdleJob(QStringLiteral("demo")));
            // One unmeasured message per job first: stages-sse opens a stage
            // with a stage_update that carries no message.
            for (demo::DemoJob *job : serverJobs)
                job->pushSyntheticProgress(-1);
        },
        Qt::BlockingQueuedConnection);

    // --- the client, here ----------------------------------------------------
    std::vector<std::atomic<qint64>> sentAt(static_cast<size_t>(events));
    std::vector<qint64> latencyNs(size_t(events), -1);
    int received = 0;
    auto onEvent = [&](const ProgressEvent &e) {
        const qint64 t1 = nowNs();
        // The sequence number rides in the ETA (tasks-sse, websocket) and in
        // the message "bench <seq>" (videos-sse, stages-sse).
        qint64 seq = -1;
        if (e.message.startsWith(QLatin1String("bench ")))
            seq = e.message.mid(6).toLongLong();
        else if (e.etaSeconds)
            seq = qint64(*e.etaSeconds);
        if (seq < 0 || seq >= events || latencyNs[size_t(seq)] >= 0)
            return;
        const qint64 t0 = sentAt[size_t(seq)].load();
        if (t0 <= 0)
            return;
        latencyNs[size_t(seq)] = t1 - t0;
        ++received;
    };

    QNetworkAccessManager network;
    ApiClient api(backend->baseUrl(), &network);
    api.setToken(token);
    StreamConnectionPool pool;
    std::vector<std::unique_ptr<Job>> jobs;
    std::vector<std::unique_ptr<SseProgressChannel>> sseChannels;
    std::unique_ptr<WebSocketChannel> ws;
    for (demo::DemoJob *serverJob : serverJobs)
        jobs.push_back(std::make_unique<Job>(serverJob->id()));
    if (*dialect == Dialect::WebSocket) {
        ws = std::make_unique<WebSocketChannel>(backend->webSocketUrl(), token, &api, WebSocketChannel::Options{});
        QObject::connect(ws.get(), &WebSocketChannel::progressEvent, &app, onEvent);
        for (auto &job : jobs)
            ws->watch(job.get());
        ws->start();
    } else {
        for (auto &job : jobs) {
            ProgressEndpoint e;
            e.baseUrl = backend->baseUrl();
            e.dialect = *dialect;
            e.token = token;
            sseChannels.push_back(std::make_unique<SseProgressChannel>(job.get(), e, &pool));
            QObject::connect(sseChannels.back().get(), &SseProgressChannel::progressEvent, &app, onEvent);
            sseChannels.back()->start();
        }
    }
    // Wait until every job is connected (and, for the socket, subscribed).
    QElapsedTimer wait;
    wait.start();
    auto allConnected = [&] {
        return std::all_of(jobs.begin(), jobs.end(),
                           [](const auto &j) { return j->connection().state == ConnectionState::Connected; });
    };
    while (!allConnected() && wait.elapsed() < 20000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const qint64 settle = wait.elapsed() + 300;
    while (wait.elapsed() < settle)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    if (!allConnected()) {
        std::fprintf(stderr, "not every job connected within 20 s\n");
        return 1;
    }

    // --- the run: the server thread pushes at the rate ------------------------
    std::atomic<int> pushed{0};
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
            auto *timer = new QTimer(backend);
            timer->setTimerType(Qt::PreciseTimer);
            const int intervalMs = std::max(1, 1000 / rate);
            const int perTick = std::max(1, rate * intervalMs / 1000);
            timer->setInterval(intervalMs);
            QObject::connect(timer, &QTimer::timeout, backend, [&, timer, perTick] {
                for (int i = 0; i < perTick && pushed < events; ++i) {
                    const int seq = pushed++;
                    sentAt[size_t(seq)].store(nowNs());
                    serverJobs[size_t(seq % jobCount)]->pushSyntheticProgress(seq);
                }
                if (pushed >= events)
                    timer->stop();
            });
            timer->start();
        },
        Qt::BlockingQueuedConnection);

    const qint64 deadline = wait.elapsed() + qint64(events) * 1000 / rate + 15000;
    while (received < events && wait.elapsed() < deadline)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);

    std::vector<qint64> values;
    for (qint64 v : latencyNs) {
        if (v >= 0)
            values.push_back(v);
    }
    std::sort(values.begin(), values.end());
    auto pct = [&](double p) -> double {
        if (values.empty())
            return -1;
        return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))] / 1000.0;
    };
    double mean = 0;
    for (qint64 v : values)
        mean += double(v) / 1000.0;
    mean = values.empty() ? -1 : mean / double(values.size());
    std::printf("{\"dialect\":\"%s\",\"jobs\":%d,\"events\":%d,\"received\":%d,\"rate\":%d,\"p50_us\":%.1f,"
                "\"p99_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f}\n",
                qPrintable(dialectName(*dialect)), jobCount, events, received, rate, pct(0.50), pct(0.99),
                values.empty() ? -1.0 : values.back() / 1000.0, mean);
    std::fflush(stdout);

    sseChannels.clear();
    ws.reset();
    QMetaObject::invokeMethod(&serverContext, [&] { delete backend; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return received == events ? 0 : 1;
}
