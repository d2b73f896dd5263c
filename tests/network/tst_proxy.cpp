// SPDX-License-Identifier: GPL-3.0-or-later
// A server's proxy through a REAL forward proxy (Debian's tinyproxy, started
// here with its own config and log): REST, SSE, the video download and the
// WebSocket go through an explicit proxy URL; "system" follows http_proxy and
// no_proxy; "none" goes direct even when http_proxy is set; an unreachable
// proxy is said in words.
#include "DemoTestConfig.h"
#include "ConnectionHelpers.h"
#include "RealServers.h"
#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "progress/WebSocketChannel.h"
#include "session/ServerConnection.h"

#include <QFile>
#include <QImage>
#include <QNetworkProxyFactory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;

class TestProxy final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_image;
    test::Tinyproxy m_tinyproxy;
    quint16 m_proxyPort = 0;

    QString proxyLog() const { return m_tinyproxy.logText(); }

    std::unique_ptr<ServerConnection> connection(const QUrl &base, const QUrl &ws, const QString &proxy,
                                                 Dialect dialect = Dialect::VideosSse)
    {
        ServerProfile p;
        p.name = QStringLiteral("demo behind a proxy");
        p.baseUrl = base;
        p.wsUrl = ws;
        p.dialect = dialect;
        p.proxy = proxy;
        p.allowInsecureHttp = true; // the demo speaks plain http on this machine
        ServerConnection::Options o;
        o.videoFolder = m_dir.filePath(QStringLiteral("videos"));
        return std::make_unique<ServerConnection>(p, o);
    }


private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_tinyproxy.start(m_dir.path(), QString(), &error), qPrintable(error));
        m_proxyPort = m_tinyproxy.port;
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(30, 90, 160));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
        QNetworkProxyFactory::setUseSystemConfiguration(true); // as both start-ups do
    }

    void cleanup()
    {
        qunsetenv("http_proxy");
        qunsetenv("no_proxy");
    }

    void restSseAndDownloadGoThroughAnExplicitProxy()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        auto c = connection(demo.baseUrl(), demo.webSocketUrl(), QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort));
        const ApiResponse r = test::loginAsDemo(c.get());
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        Job *job = c->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(c->jobs()->videoFile(job->id())), 20000);
        const QString origin = QStringLiteral("http://127.0.0.1:%1").arg(demo.port());
        const QString log = proxyLog();
        QVERIFY2(log.contains(QStringLiteral("POST %1/api/v1/auth/login").arg(origin)), qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("GET %1/api/v1/videos/%2/stream").arg(origin, job->id())), qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("GET %1/uploads/videos/").arg(origin)), qPrintable(log));
    }

    void webSocketGoesThroughAnExplicitProxy()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        auto c = connection(demo.baseUrl(), demo.webSocketUrl(), QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort),
                            Dialect::WebSocket);
        QVERIFY(test::loginAsDemo(c.get()).ok());
        Job *job = c->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
        const QString log = proxyLog();
        QVERIFY2(log.contains(QStringLiteral("CONNECT 127.0.0.1:%1").arg(demo.port())), qPrintable(log));
    }

    void systemFollowsHttpProxyAndNoProxy()
    {
        const QHostAddress lan = test::lanAddress();
        if (lan.isNull())
            QSKIP("this machine has no non-loopback IPv4 address");
        demo::DemoConfig config = test::fastDemoConfig(20);
        config.bind = lan;
        demo::DemoBackend demo(config);
        QVERIFY(demo.start());
        const QString origin = demo.baseUrl().toString(QUrl::StripTrailingSlash);
        qputenv("http_proxy", QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort).toLatin1());
        {
            auto c = connection(demo.baseUrl(), demo.webSocketUrl(), QStringLiteral("system"));
            const ApiResponse r = test::loginAsDemo(c.get());
            QVERIFY2(r.ok(), qPrintable(r.error.message));
            QVERIFY2(proxyLog().contains(QStringLiteral("POST %1/api/v1/auth/login").arg(origin)), qPrintable(proxyLog()));
        }
        const int before = int(proxyLog().count(origin));
        {
            qputenv("no_proxy", lan.toString().toLatin1());
            auto c = connection(demo.baseUrl(), demo.webSocketUrl(), QStringLiteral("system"));
            QVERIFY(test::loginAsDemo(c.get()).ok());
            qunsetenv("no_proxy");
        }
        {
            auto c = connection(demo.baseUrl(), demo.webSocketUrl(), QStringLiteral("none"));
            QVERIFY(test::loginAsDemo(c.get()).ok());
        }
        QCOMPARE(int(proxyLog().count(origin)), before); // neither went through the proxy
    }

    void unreachableProxyIsSaid()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        const quint16 nobody = test::freePort();
        auto c = connection(demo.baseUrl(), demo.webSocketUrl(), QStringLiteral("http://127.0.0.1:%1").arg(nobody));
        const ApiResponse r = test::loginAsDemo(c.get());
        QCOMPARE(r.error.kind, ApiError::Kind::Network);
        QVERIFY2(r.error.message.startsWith(QStringLiteral("Cannot reach the proxy 127.0.0.1:%1").arg(nobody)), qPrintable(r.error.message));
    }

    void webSocketSaysItsProxyIsUnreachable()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        const quint16 nobody = test::freePort();
        WebSocketChannel::Options o;
        o.reconnect.maxAttempts = 2;
        o.network.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), nobody);
        WebSocketChannel ws(demo.webSocketUrl(), "token", nullptr, o);
        QSignalSpy failed(&ws, &WebSocketChannel::failed);
        ws.start();
        QVERIFY(failed.wait(20000));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("Cannot reach the proxy 127.0.0.1:%1").arg(nobody)), qPrintable(message));
    }
};

QTEST_MAIN(TestProxy)
#include "tst_proxy.moc"
