// SPDX-License-Identifier: GPL-3.0-or-later
// A server's own CA and HTTP/2, through a REAL nginx (Debian's) in front of
// the demo backend: TLS with a private CA made here by the openssl CLI, h2 for
// REST and SSE, wss:// for the WebSocket dialect, the certificate error said
// in words without the CA, idle streams cut by nginx's proxy_read_timeout,
// SSE through proxy_buffering, and twenty jobs on one HTTP/2 connection.
#include "DemoTestConfig.h"
#include "ConnectionHelpers.h"
#include "RealServers.h"
#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "net/StreamConnectionPool.h"
#include "progress/ProgressTransport.h"
#include "progress/WebSocketChannel.h"
#include "session/ServerConnection.h"
#include "sse/SseStream.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QNetworkProxyFactory>
#include <QProcess>
#include <QScopeGuard>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;

class TestTlsNginx final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TestCa m_ca;
    QString m_image;
    QString m_nginx;
    QHostAddress m_lan; ///< also served, for the system proxy (never asked about loopback)
    int m_run = 0;

    struct Nginx
    {
        test::ChildServer server;
        quint16 port = 0;
        QString dir;
        QString accessLog() const { return test::readText(dir + QStringLiteral("/access.log")); }
        QString errorLog() const { return test::readText(dir + QStringLiteral("/error.log")); }
        QUrl baseUrl() const { return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(port)); }
        QUrl wsUrl() const { return QUrl(QStringLiteral("wss://127.0.0.1:%1/ws").arg(port)); }
        QString lanOrigin(const QHostAddress &lan) const { return QStringLiteral("%1:%2").arg(lan.toString()).arg(port); }
    };

    /// nginx with TLS and h2 on a free port, proxying to `demoPort`;
    /// `streamRules` go into the location of the SSE streams.
    bool startNginx(Nginx &n, quint16 demoPort, const QString &streamRules = QStringLiteral("proxy_buffering off;"))
    {
        n.dir = m_dir.filePath(QStringLiteral("nginx-%1").arg(++m_run));
        n.port = test::freePort();
        const QString upstream = QStringLiteral("http://127.0.0.1:%1").arg(demoPort);
        const QString conf = test::nginxConfHead(n.dir, QStringLiteral("info"), 512) + QStringLiteral(R"(
    log_format fc '$connection $server_protocol $request_method $uri $status';
    access_log %1/access.log fc;
    client_max_body_size 20m;
    server {
        listen 127.0.0.1:%2 ssl http2;
        %7
        ssl_certificate %3;
        ssl_certificate_key %4;
        location / {
            proxy_pass %5;
            proxy_http_version 1.1;
            proxy_set_header Host $host:$server_port;
        }
        location ~ ^/api/v1/videos/[^/]+/stream$ {
            proxy_pass %5;
            proxy_http_version 1.1;
            proxy_set_header Host $host:$server_port;
            %6
        }
        location /ws {
            proxy_pass %5;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 3600s;
        }
    }
}
)")
                                 .arg(n.dir)
                                 .arg(n.port)
                                 .arg(m_ca.serverPem, m_ca.serverKey, upstream, streamRules,
                                      m_lan.isNull() ? QString()
                                                     : QStringLiteral("listen %1 ssl http2;").arg(n.lanOrigin(m_lan)));
        QString log;
        const bool ok = test::startNginx(n.server, m_nginx, n.dir, conf, n.port, &log);
        if (!ok)
            qWarning().noquote() << log << n.errorLog();
        return ok;
    }

    /// A connection through nginx; `ca` empty: the system's CAs only.
    std::unique_ptr<ServerConnection> connection(const Nginx &n, const QString &ca, Dialect dialect = Dialect::VideosSse)
    {
        ServerProfile p;
        p.name = QStringLiteral("nginx under test");
        p.baseUrl = n.baseUrl();
        p.wsUrl = n.wsUrl();
        p.dialect = dialect;
        p.caCertificate = ca;
        ServerConnection::Options o;
        o.videoFolder = m_dir.filePath(QStringLiteral("videos"));
        return std::make_unique<ServerConnection>(p, o);
    }


    /// Every step 1..9 exactly once in the job's log.
    static QString stepsOnce(const Job *job)
    {
        QMap<int, int> seen;
        for (const Job::LogEntry &e : job->log())
            if (e.step > 0)
                ++seen[e.step];
        for (int step = 1; step <= 9; ++step)
            if (seen.value(step) != 1)
                return QStringLiteral("step %1 appears %2 times").arg(step).arg(seen.value(step));
        return {};
    }

    /// The access log's lines for SSE streams.
    static QStringList streamLines(const QString &accessLog)
    {
        return accessLog.split(QLatin1Char('\n')).filter(QStringLiteral("/stream "));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_nginx = test::findProgram(QStringLiteral("nginx"));
        if (m_nginx.isEmpty())
            QSKIP("nginx is not installed (bash .ci/deps installs it)");
        QString log;
        m_lan = test::lanAddress();
        QVERIFY2(test::makeTestCa(m_dir.path(), &m_ca, &log, m_lan), qPrintable(log));
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(30, 90, 160));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
    }

    void restAndSseOverHttp2WithTheServersCa()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        Nginx n;
        QVERIFY(startNginx(n, demo.port()));
        auto c = connection(n, m_ca.caPem);
        const ApiResponse r = test::loginAsDemo(c.get());
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        Job *job = c->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(c->jobs()->videoFile(job->id())), 20000); // downloaded through nginx
        QCOMPARE(stepsOnce(job), QString());
        const QString access = n.accessLog();
        QVERIFY2(access.contains(QStringLiteral(" HTTP/2.0 POST /api/v1/auth/login 200")), qPrintable(access));
        const QStringList streams = streamLines(access);
        QVERIFY2(!streams.isEmpty() && streams.filter(QStringLiteral("HTTP/2.0")).size() == streams.size(), qPrintable(access));
        QVERIFY2(access.contains(QRegularExpression(QStringLiteral(" HTTP/2.0 GET /uploads/videos/\\S+ 20[06]"))),
                 qPrintable(access));
    }

    void httpsProxyTunnelsToTheServerWithItsCa()
    {
        QVERIFY2(!m_lan.isNull(), "this machine has no non-loopback IPv4 address");
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        Nginx n;
        QVERIFY(startNginx(n, demo.port()));
        test::Tinyproxy proxy;
        QString error;
        QVERIFY2(proxy.start(n.dir, QString(), &error), qPrintable(error));
        QNetworkProxyFactory::setUseSystemConfiguration(true); // as both start-ups do
        qputenv("https_proxy", proxy.url().toLatin1());
        const auto unset = qScopeGuard([] {
            qunsetenv("https_proxy");
            qunsetenv("no_proxy");
        });
        const QString connect = QStringLiteral("CONNECT %1").arg(n.lanOrigin(m_lan));
        // The window's way: REST, SSE and the download through the tunnel.
        ServerProfile p;
        p.name = QStringLiteral("nginx behind https_proxy");
        p.baseUrl = QUrl(QStringLiteral("https://%1").arg(n.lanOrigin(m_lan)));
        p.caCertificate = m_ca.caPem;
        ServerConnection::Options o;
        o.videoFolder = m_dir.filePath(QStringLiteral("videos"));
        {
            ServerConnection c(p, o);
            const ApiResponse r = test::loginAsDemo(&c);
            QVERIFY2(r.ok(), qPrintable(r.error.message));
            Job *job = c.jobs()->submit(test::heronJob(m_image));
            QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(c.jobs()->videoFile(job->id())), 20000);
            QCOMPARE(stepsOnce(job), QString());
        }
        QVERIFY2(proxy.logText().contains(connect), qPrintable(proxy.logText()));
        QVERIFY2(n.accessLog().contains(QStringLiteral("/stream 200")), qPrintable(n.accessLog()));
        // The terminal's way: framecast --headless with the same environment.
        const int before = int(proxy.logText().count(connect));
        QProcess headless;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FC_TEST_PASSWORD"), QStringLiteral("demo"));
        headless.setProcessEnvironment(env);
        headless.start(QStringLiteral(FRAMECAST_EXE),
                       {QStringLiteral("--headless"), QStringLiteral("--server"), p.baseUrl.toString(), QStringLiteral("--progress"),
                        QStringLiteral("videos-sse"), QStringLiteral("--ca-file"), m_ca.caPem, QStringLiteral("--user"),
                        QStringLiteral("demo"), QStringLiteral("--password-env"), QStringLiteral("FC_TEST_PASSWORD"),
                        QStringLiteral("--prompt"), test::heronJob(m_image).prompt, QStringLiteral("--image"), m_image,
                        QStringLiteral("--output"), m_dir.filePath(QStringLiteral("headless.mp4")), QStringLiteral("--no-ledger"),
                        QStringLiteral("--quiet")});
        // The demo backend runs in this process: keep its event loop going.
        QTRY_COMPARE_WITH_TIMEOUT(headless.state(), QProcess::NotRunning, 60000);
        QVERIFY2(headless.exitCode() == 0, headless.readAllStandardError().constData());
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("headless.mp4"))));
        QVERIFY2(proxy.logText().count(connect) > before, qPrintable(proxy.logText()));
        // no_proxy: straight to the server, the proxy sees nothing more.
        qputenv("no_proxy", m_lan.toString().toLatin1());
        const int direct = int(proxy.logText().count(connect));
        {
            ServerConnection c(p, o);
            const ApiResponse r = test::loginAsDemo(&c);
            QVERIFY2(r.ok(), qPrintable(r.error.message));
        }
        QCOMPARE(int(proxy.logText().count(connect)), direct);
    }

    void webSocketOverWssWithTheServersCa()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        Nginx n;
        QVERIFY(startNginx(n, demo.port()));
        auto c = connection(n, m_ca.caPem, Dialect::WebSocket);
        const ApiResponse r = test::loginAsDemo(c.get());
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        Job *job = c->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
        QCOMPARE(stepsOnce(job), QString());
        c.reset(); // nginx logs the upgraded request when the socket closes
        QTRY_VERIFY2_WITH_TIMEOUT(n.accessLog().contains(QStringLiteral(" HTTP/1.1 GET /ws 101")), qPrintable(n.accessLog()),
                                  10000);
    }

    void withoutTheCaTheCertificateErrorIsSaid()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        Nginx n;
        QVERIFY(startNginx(n, demo.port()));
        // REST
        auto c = connection(n, QString());
        const ApiResponse r = test::loginAsDemo(c.get());
        QCOMPARE(r.error.kind, ApiError::Kind::Tls);
        QVERIFY2(r.error.message.contains(QStringLiteral("certificate")), qPrintable(r.error.message));
        // SSE
        StreamConnectionPool pool;
        sse::SseStreamConfig config;
        config.url = n.baseUrl().resolved(QUrl(QStringLiteral("/api/v1/videos/none/stream")));
        config.reconnect.maxAttempts = 0;
        sse::SseStream stream(&pool, config);
        QSignalSpy problem(&stream, &sse::SseStream::connectionProblem);
        stream.start();
        QVERIFY(problem.wait(15000));
        const QString sseMessage = problem.first().at(0).toString();
        QVERIFY2(sseMessage.contains(QStringLiteral("certificate")), qPrintable(sseMessage));
        // WebSocket
        WebSocketChannel::Options options;
        options.reconnect.maxAttempts = 0;
        WebSocketChannel ws(n.wsUrl(), QByteArray("token"), nullptr, options);
        QSignalSpy failed(&ws, &WebSocketChannel::failed);
        ws.start();
        QVERIFY(failed.wait(15000));
        QVERIFY2(ws.lastError().contains(QStringLiteral("certificate")), qPrintable(ws.lastError()));
        // And with the CA the very same server is trusted.
        auto trusted = connection(n, m_ca.caPem);
        QVERIFY2(test::loginAsDemo(trusted.get()).ok(), "the CA file makes the same server trusted");
    }

    void idleStreamsCutByNginxStillCompleteEachStepOnce()
    {
        // Steps 1.5 s apart, nginx gives up on a silent upstream after 1 s.
        demo::DemoBackend demo(test::fastDemoConfig(1500));
        QVERIFY(demo.start());
        Nginx n;
        QVERIFY(startNginx(n, demo.port(), QStringLiteral("proxy_buffering off; proxy_read_timeout 1s;")));
        auto c = connection(n, m_ca.caPem);
        QVERIFY(test::loginAsDemo(c.get()).ok());
        Job *job = c->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 60000);
        QCOMPARE(stepsOnce(job), QString());
        QVERIFY2(n.errorLog().contains(QStringLiteral("upstream timed out")), "nginx really cut the idle stream");
        QVERIFY2(streamLines(n.accessLog()).size() > 1, qPrintable(n.accessLog())); // and the client came back
    }

    void bufferedStreamsArriveInBurstsStillEachStepOnce()
    {
        demo::DemoBackend demo(test::fastDemoConfig(300));
        QVERIFY(demo.start());
        Nginx n;
        // The demo says X-Accel-Buffering: no, as real SSE servers do; this
        // nginx ignores it, like a proxy configured without SSE in mind.
        QVERIFY(startNginx(n, demo.port(), QStringLiteral("proxy_buffering on; proxy_ignore_headers X-Accel-Buffering;")));
        auto c = connection(n, m_ca.caPem);
        QVERIFY(test::loginAsDemo(c.get()).ok());
        QElapsedTimer clock;
        clock.start();
        QList<qint64> arrivals;
        QObject::connect(c->transport(), &ProgressTransport::progressEvent, this,
                         [&](Job *, const ProgressEvent &) { arrivals << clock.elapsed(); });
        Job *job = c->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 30000);
        QCOMPARE(stepsOnce(job), QString());
        // Sent 300 ms apart, they came in a burst: most within 50 ms of the one before.
        int close = 0;
        for (int i = 1; i < arrivals.size(); ++i)
            close += arrivals.at(i) - arrivals.at(i - 1) < 50 ? 1 : 0;
        QVERIFY2(close >= arrivals.size() / 2, qPrintable(QStringLiteral("arrivals (ms): %1").arg([&] {
                     QStringList s;
                     for (qint64 a : arrivals)
                         s << QString::number(a);
                     return s.join(QLatin1Char(' '));
                 }())));
    }

    void twentyJobsShareOneHttp2Connection()
    {
        demo::DemoConfig config = test::fastDemoConfig(100);
        config.costPerVideo = 10; // twenty videos within the demo user's credits
        demo::DemoBackend demo(config);
        QVERIFY(demo.start());
        Nginx n;
        QVERIFY(startNginx(n, demo.port()));
        auto c = connection(n, m_ca.caPem);
        QVERIFY(test::loginAsDemo(c.get()).ok());
        QList<Job *> jobs;
        for (int i = 0; i < 20; ++i)
            jobs << c->jobs()->submit(test::heronJob(m_image));
        // All twenty at once (more than the six HTTP/1.1 connections Qt
        // opens to a host, and five of the pool's managers) ...
        for (Job *job : std::as_const(jobs))
            QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 60000);
        // ... on one connection: REST, the twenty streams and the downloads.
        const QStringList lines = n.accessLog().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(streamLines(n.accessLog()).size(), 20);
        QSet<QString> connections;
        for (const QString &line : lines) {
            QVERIFY2(line.contains(QStringLiteral(" HTTP/2.0 ")), qPrintable(line));
            connections.insert(line.section(QLatin1Char(' '), 0, 0));
        }
        QVERIFY2(connections.size() == 1, qPrintable(n.accessLog()));
    }
};

QTEST_MAIN(TestTlsNginx)
#include "tst_tlsnginx.moc"
