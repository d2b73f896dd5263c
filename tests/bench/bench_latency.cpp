// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-bench-latency --dialect websocket|videos-sse|tasks-sse|stages-sse --jobs N --events M [--rate R]
//                         [--via direct|nginx]
//
// The in-process demo backend runs in its own thread and pushes M progress
// messages spread round-robin over N jobs at R messages per second (default
// 1000). The client (this thread) watches every job over the dialect. For
// each message, the time from just before the server writes it to the
// client's normalized event for it is measured with one monotonic clock.
//
// --via direct (default): the progress channels themselves, over plain HTTP/1.1
// (SSE through a StreamConnectionPool) or ws://. --via nginx: the app's own
// path, a ServerConnection (login over REST, then its ProgressTransport)
// through a real nginx in front of the demo backend, with TLS from a private
// CA made here by the openssl CLI: SSE streams multiplexed on one HTTP/2
// connection, the WebSocket over wss://.
//
// Prints one JSON line: {"dialect":…, "via":…, "http2":…, "jobs":…, "events":…,
// "received":…, "rate":…, "p50_us":…, "p99_us":…, "max_us":…, "mean_us":…,
// "client_cpu_us_per_event":…, "server_cpu_us_per_event":…, "load":…}: the
// CPU each thread spent per message during the run, and the load average.
#include "RealServers.h"
#include "api/ApiClient.h"
#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "net/StreamConnectionPool.h"
#include "progress/ProgressTransport.h"
#include "progress/SseProgressChannel.h"
#include "progress/WebSocketChannel.h"
#include "session/ServerConnection.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace framecast;

namespace {

/// CPU time of the calling thread, in microseconds.
qint64 threadCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// The first three fields of /proc/loadavg (the machine's noise), or "".
QByteArray loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().split(' ').mid(0, 3).join(' ');
}

/// Runs the event loop until `done()` holds or `timeoutMs` passed. Nothing
/// polls: whoever may make `done()` true calls the returned waker.
class Waiter final
{
public:
    bool run(const std::function<bool()> &done, qint64 timeoutMs)
    {
        m_done = done;
        if (m_done())
            return true;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &m_loop, &QEventLoop::quit);
        deadline.start(int(timeoutMs));
        m_loop.exec();
        m_done = nullptr;
        return done();
    }
    void wake()
    {
        if (m_done && m_done())
            m_loop.quit();
    }

private:
    QEventLoop m_loop;
    std::function<bool()> m_done;
};

/// nginx in front of the demo backend: TLS with a private CA, h2, wss://.
struct Nginx
{
    QTemporaryDir dir;
    test::TestCa ca;
    test::ChildServer server;
    quint16 port = 0;

    bool start(quint16 demoPort, QString *log)
    {
        const QString nginx = test::findProgram(QStringLiteral("nginx"));
        if (nginx.isEmpty()) {
            *log = QStringLiteral("nginx is not installed");
            return false;
        }
        if (!test::makeTestCa(dir.path(), &ca, log))
            return false;
        port = test::freePort();
        const QString conf = test::nginxConfHead(dir.path(), QStringLiteral("warn"), 4096) + QStringLiteral(R"(
    access_log off;
    server {
        listen 127.0.0.1:%1 ssl http2;
        http2_max_concurrent_streams 256;
        ssl_certificate %2;
        ssl_certificate_key %3;
        location / {
            proxy_pass http://127.0.0.1:%4;
            proxy_http_version 1.1;
            proxy_set_header Host $host:$server_port;
            proxy_buffering off;
            proxy_read_timeout 3600s;
        }
        location /ws {
            proxy_pass http://127.0.0.1:%4;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 3600s;
        }
    }
}
)")
                                 .arg(port)
                                 .arg(ca.serverPem, ca.serverKey)
                                 .arg(demoPort);
        return test::startNginx(server, nginx, dir.path(), conf, port, log);
    }
};

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
    const QCommandLineOption viaOption(QStringLiteral("via"),
                                       QStringLiteral("direct (the channels, HTTP/1.1 or ws://) or nginx (a ServerConnection "
                                                      "through nginx: TLS, HTTP/2, wss://)."),
                                       QStringLiteral("PATH"), QStringLiteral("direct"));
    const QCommandLineOption dumpOption(QStringLiteral("dump"),
                                        QStringLiteral("Writes \"seq sent_us latency_us\" per message to FILE (where the tail lies)."),
                                        QStringLiteral("FILE"));
    cli.addOptions({dialectOption, jobsOption, eventsOption, rateOption, viaOption, dumpOption});
    cli.process(app);

    const auto dialect = parseDialect(cli.value(dialectOption));
    const int jobCount = std::max(1, cli.value(jobsOption).toInt());
    const int events = std::max(1, cli.value(eventsOption).toInt());
    const int rate = std::clamp(cli.value(rateOption).toInt(), 1, 1000000);
    const QString via = cli.value(viaOption);
    if (!dialect) {
        std::fprintf(stderr, "unknown dialect %s\n", qPrintable(cli.value(dialectOption)));
        return 2;
    }
    if (via != QLatin1String("direct") && via != QLatin1String("nginx")) {
        std::fprintf(stderr, "--via is direct or nginx\n");
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
            config.heartbeatMs = 60000; // liveness is not measured here
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
    Waiter waiter;
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
        if (++received == events)
            waiter.wake();
    };

    std::vector<std::unique_ptr<Job>> jobs;
    for (demo::DemoJob *serverJob : serverJobs)
        jobs.push_back(std::make_unique<Job>(serverJob->id()));
    QNetworkAccessManager network;
    ApiClient api(backend->baseUrl(), &network);
    api.setToken(token);
    StreamConnectionPool pool;
    std::vector<std::unique_ptr<SseProgressChannel>> sseChannels;
    std::unique_ptr<WebSocketChannel> ws;
    Nginx nginx;
    std::unique_ptr<ServerConnection> connection;
    if (via == QLatin1String("nginx")) {
        QString log;
        if (!nginx.start(backend->port(), &log)) {
            std::fprintf(stderr, "nginx did not start: %s\n", qPrintable(log));
            return 1;
        }
        ServerProfile p;
        p.name = QStringLiteral("bench through nginx");
        p.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(nginx.port));
        p.wsUrl = QUrl(QStringLiteral("wss://127.0.0.1:%1/ws").arg(nginx.port));
        p.dialect = *dialect;
        p.caCertificate = nginx.ca.caPem;
        connection = std::make_unique<ServerConnection>(p, ServerConnection::Options{});
        bool answered = false;
        QString why;
        connection->login(QStringLiteral("demo"), QStringLiteral("demo"), [&](const ApiResponse &r) {
            answered = true;
            why = r.ok() ? QString() : r.error.message;
            waiter.wake();
        });
        if (!waiter.run([&] { return answered; }, 20000) || !why.isEmpty()) {
            std::fprintf(stderr, "login through nginx failed: %s\n", qPrintable(why));
            return 1;
        }
        QObject::connect(connection->transport(), &ProgressTransport::progressEvent, &app,
                         [&](Job *, const ProgressEvent &e) { onEvent(e); });
        for (auto &job : jobs)
            connection->transport()->watch(job.get());
    } else if (*dialect == Dialect::WebSocket) {
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
    auto allConnected = [&] {
        return std::all_of(jobs.begin(), jobs.end(),
                           [](const auto &j) { return j->connection().state == ConnectionState::Connected; });
    };
    for (auto &job : jobs)
        QObject::connect(job.get(), &Job::connectionChanged, &app, [&] { waiter.wake(); });
    if (!waiter.run(allConnected, 20000)) {
        std::fprintf(stderr, "not every job connected within 20 s\n");
        return 1;
    }
    waiter.run([] { return false; }, 300); // the subscriptions' replays
    const bool http2 = connection && *dialect != Dialect::WebSocket && connection->transport()->sharesHttp2();

    // --- the run: the server thread pushes at the rate ------------------------
    std::atomic<int> pushed{0};
    qint64 serverCpuUs = 0;
    const qint64 clientCpuStart = threadCpuUs();
    QMetaObject::invokeMethod(&serverContext, [&] { serverCpuUs = threadCpuUs(); }, Qt::BlockingQueuedConnection);
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

    waiter.run([&] { return received >= events; }, qint64(events) * 1000 / rate + 15000);
    const double clientCpuPerEvent = double(threadCpuUs() - clientCpuStart) / events;
    QMetaObject::invokeMethod(&serverContext, [&] { serverCpuUs = threadCpuUs() - serverCpuUs; }, Qt::BlockingQueuedConnection);

    if (cli.isSet(dumpOption)) {
        QFile dump(cli.value(dumpOption));
        if (dump.open(QIODevice::WriteOnly)) {
            const qint64 first = sentAt[0].load();
            for (size_t i = 0; i < latencyNs.size(); ++i)
                dump.write(QByteArray::number(qint64(i)) + ' ' + QByteArray::number((sentAt[i].load() - first) / 1000) + ' '
                           + QByteArray::number(latencyNs[i] / 1000) + '\n');
        }
    }
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
    std::printf("{\"dialect\":\"%s\",\"via\":\"%s\",\"http2\":%s,\"jobs\":%d,\"events\":%d,\"received\":%d,\"rate\":%d,"
                "\"p50_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f,\"client_cpu_us_per_event\":%.1f,"
                "\"server_cpu_us_per_event\":%.1f,\"load\":\"%s\"}\n",
                qPrintable(dialectName(*dialect)), qPrintable(via), http2 ? "true" : "false", jobCount, events, received, rate,
                pct(0.50), pct(0.99), values.empty() ? -1.0 : values.back() / 1000.0, mean, clientCpuPerEvent,
                double(serverCpuUs) / events, loadAverage().constData());
    std::fflush(stdout);

    sseChannels.clear();
    ws.reset();
    connection.reset();
    QMetaObject::invokeMethod(&serverContext, [&] { delete backend; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return received == events ? 0 : 1;
}
