// SPDX-License-Identifier: GPL-3.0-or-later
// A proxy that asks for credentials (HTTP 407), through a REAL tinyproxy with
// `BasicAuth`: credentials from the proxy URL and from http_proxy reach REST,
// SSE, the download and the WebSocket; without them the proxy is said in
// words; the prompt is asked once for every manager and socket of a server
// (and of a second server behind the same proxy); refused credentials are said
// once, never a loop of prompts; remembered credentials come back from the
// keychain on the next start without asking (`keychainRoundTrip`, under
// tests/support/with-keyring.sh).
#include "DemoTestConfig.h"
#include "ConnectionHelpers.h"
#include "RealServers.h"
#include "SecretStoreSync.h"
#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "net/ProxyAuthenticator.h"
#include "security/Redaction.h"
#include "session/ServerConnection.h"

#include <QFile>
#include <QImage>
#include <QNetworkProxyFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace framecast;

namespace {
const QString kUser = QStringLiteral("alice");
const QString kPassword = QStringLiteral("s3cret-pass");
} // namespace

class TestProxyAuth final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_image;
    test::Tinyproxy m_proxy;

    std::unique_ptr<ServerConnection> connection(const demo::DemoBackend &demo, const QString &proxy,
                                                 ProxyAuthenticator *auth = nullptr, Dialect dialect = Dialect::VideosSse)
    {
        ServerProfile p;
        p.name = QStringLiteral("demo behind an authenticating proxy");
        p.baseUrl = demo.baseUrl();
        p.wsUrl = demo.webSocketUrl();
        p.dialect = dialect;
        p.proxy = proxy;
        p.allowInsecureHttp = true;
        ServerConnection::Options o;
        o.videoFolder = m_dir.filePath(QStringLiteral("videos"));
        o.proxyAuth = auth;
        return std::make_unique<ServerConnection>(p, o);
    }

    /// A prompt that answers `login` a moment later (as a person would), counting its calls.
    static ProxyAuthenticator::Prompt answering(const ProxyLogin &login, QStringList *asked)
    {
        return [login, asked](const QString &proxy, const QString &why, bool, ProxyAuthenticator::Answer answer) {
            *asked << proxy + QLatin1Char('|') + why;
            QTimer::singleShot(100, [answer, login] { answer(login); });
        };
    }

    QString origin(const demo::DemoBackend &demo) const
    {
        return demo.baseUrl().toString(QUrl::StripTrailingSlash);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_proxy.start(m_dir.path(), QStringLiteral("BasicAuth %1 %2").arg(kUser, kPassword), &error),
                 qPrintable(error));
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(160, 90, 30));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
        QNetworkProxyFactory::setUseSystemConfiguration(true); // as both start-ups do
    }

    void cleanup()
    {
        qunsetenv("http_proxy");
        qunsetenv("https_proxy");
    }

    void urlCredentialsReachEveryConnection()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        const QString url = m_proxy.url(kUser + QLatin1Char(':') + kPassword);
        auto sse = connection(demo, url);
        const ApiResponse r = test::loginAsDemo(sse.get());
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        Job *job = sse->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(sse->jobs()->videoFile(job->id())), 20000);
        auto ws = connection(demo, url, nullptr, Dialect::WebSocket);
        QVERIFY(test::loginAsDemo(ws.get()).ok());
        Job *wsJob = ws->jobs()->submit(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(wsJob->state(), Job::State::Completed, 20000);
        const QString log = m_proxy.logText();
        QVERIFY2(log.contains(QStringLiteral("GET %1/api/v1/videos/%2/stream").arg(origin(demo), job->id())), qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("GET %1/uploads/videos/").arg(origin(demo))), qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("CONNECT 127.0.0.1:%1").arg(demo.port())), qPrintable(log));
        // The password is a secret: never in a log line or a message.
        QVERIFY(!redaction::redact(QStringLiteral("proxy %1").arg(url)).contains(kPassword));
    }

    void withoutCredentialsTheProxyIsSaid()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        auto c = connection(demo, m_proxy.url());
        const ApiResponse r = test::loginAsDemo(c.get());
        QVERIFY(!r.ok());
        QVERIFY2(r.error.message.startsWith(QStringLiteral("The proxy 127.0.0.1:%1 asks for a user name and password").arg(m_proxy.port)),
                 qPrintable(r.error.message));
        QVERIFY2(r.error.message.contains(QStringLiteral("http://user:password@host:port")), qPrintable(r.error.message));
    }

    void refusedUrlCredentialsAreSaid()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        auto c = connection(demo, m_proxy.url(kUser + QStringLiteral(":wrong-password")));
        const ApiResponse r = test::loginAsDemo(c.get());
        QCOMPARE(r.error.message, QStringLiteral("The proxy 127.0.0.1:%1 refused the user name and password").arg(m_proxy.port));
    }

    void environmentCredentialsForTheSystemProxy()
    {
        const QHostAddress lan = test::lanAddress();
        QVERIFY2(!lan.isNull(), "this machine has no non-loopback IPv4 address");
        demo::DemoConfig config = test::fastDemoConfig(20);
        config.bind = lan;
        demo::DemoBackend demo(config);
        QVERIFY(demo.start());
        qputenv("http_proxy", m_proxy.url(kUser + QLatin1Char(':') + kPassword).toLatin1());
        auto c = connection(demo, QStringLiteral("system"));
        const ApiResponse r = test::loginAsDemo(c.get());
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QVERIFY2(m_proxy.logText().contains(QStringLiteral("POST %1/api/v1/auth/login").arg(origin(demo))), qPrintable(m_proxy.logText()));
    }

    void promptAskedOnceForEveryConnection()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        QStringList asked;
        ProxyAuthenticator auth;
        auth.setPrompt(answering(ProxyLogin{kUser, kPassword, false}, &asked));
        auto sse = connection(demo, m_proxy.url(), &auth);
        const ApiResponse r = test::loginAsDemo(sse.get());
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        // Six streams at once: the pool spreads them over two managers.
        QList<Job *> jobs;
        for (int i = 0; i < 6; ++i)
            jobs << sse->jobs()->submit(test::heronJob(m_image));
        auto ws = connection(demo, m_proxy.url(), &auth, Dialect::WebSocket);
        QVERIFY(test::loginAsDemo(ws.get()).ok());
        Job *wsJob = ws->jobs()->submit(test::heronJob(m_image));
        for (Job *job : std::as_const(jobs)) {
            QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 30000);
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(sse->jobs()->videoFile(job->id())), 20000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(wsJob->state(), Job::State::Completed, 20000);
        QCOMPARE(asked, QStringList{QStringLiteral("127.0.0.1:%1|").arg(m_proxy.port)});
        QCOMPARE(auth.promptCount(), 1);
        QVERIFY2(m_proxy.logText().contains(QStringLiteral("CONNECT 127.0.0.1:%1").arg(demo.port())), qPrintable(m_proxy.logText()));
    }

    void refusedCredentialsAreSaidNotAskedInALoop()
    {
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        QStringList asked;
        ProxyAuthenticator auth;
        auth.setPrompt(answering(ProxyLogin{kUser, QStringLiteral("not-the-password"), false}, &asked));
        auto c = connection(demo, m_proxy.url(), &auth);
        const ApiResponse r = test::loginAsDemo(c.get());
        QVERIFY(!r.ok());
        const QString refused = QStringLiteral("The proxy 127.0.0.1:%1 refused the user name and password").arg(m_proxy.port);
        QCOMPARE(r.error.message, refused);
        QCOMPARE(auth.promptCount(), 1);
        // Calls the person did not start (a refresh, a stream) do not ask again.
        ApiResponse again;
        bool done = false;
        c->api()->me([&](const ApiResponse &answer) {
            again = answer;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QCOMPARE(again.error.message, refused);
        QCOMPARE(auth.promptCount(), 1);
        // A login the person starts asks again, saying why.
        QVERIFY(!test::loginAsDemo(c.get()).ok());
        QCOMPARE(auth.promptCount(), 2);
        QCOMPARE(asked.last(), QStringLiteral("127.0.0.1:%1|The proxy refused the user name and password").arg(m_proxy.port));
    }

    void keychainRoundTrip()
    {
        const QString service = QStringLiteral("io.github.framecast.Framecast.test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        demo::DemoBackend demo(test::fastDemoConfig(20));
        QVERIFY(demo.start());
        const QString key = QStringLiteral("127.0.0.1:%1").arg(m_proxy.port);
        {
            KeychainSecretStore store(service);
            QVERIFY2(store.isPersistent(), qPrintable(store.unavailableReason()));
            QStringList asked;
            ProxyAuthenticator auth;
            auth.setSecretStore(&store);
            auth.setPrompt(answering(ProxyLogin{kUser, kPassword, true}, &asked));
            auto c = connection(demo, m_proxy.url(), &auth);
            const ApiResponse r = test::loginAsDemo(c.get());
            QVERIFY2(r.ok(), qPrintable(r.error.message));
            QCOMPARE(auth.promptCount(), 1);
            QTRY_VERIFY_WITH_TIMEOUT(test::readBack(store, ProxyAuthenticator::keychainProfile(key), QString()), 10000);
        }
        // The next start: another store, another authenticator, no prompt.
        KeychainSecretStore store(service);
        const auto kept = test::readBack(store, ProxyAuthenticator::keychainProfile(key), QString());
        QVERIFY(kept);
        QCOMPARE(kept->username, kUser);
        QCOMPARE(kept->password, kPassword);
        ProxyAuthenticator auth;
        auth.setSecretStore(&store);
        auth.setPrompt([](const QString &, const QString &, bool, ProxyAuthenticator::Answer answer) {
            QTest::qFail("asked although the keychain had the credentials", __FILE__, __LINE__);
            answer(std::nullopt);
        });
        auto c = connection(demo, m_proxy.url(), &auth);
        const ApiResponse r = test::loginAsDemo(c.get());
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(auth.promptCount(), 0);
        QVERIFY(test::removeSync(store, ProxyAuthenticator::keychainProfile(key), QString()));
    }
};

QTEST_MAIN(TestProxyAuth)
#include "tst_proxyauth.moc"
