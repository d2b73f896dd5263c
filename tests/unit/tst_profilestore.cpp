// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/ProfileStore.h"

#include <QDir>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;

class TestProfileStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
        QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
        ProfileStore().settings()->clear();
    }

    void demoIsAlwaysFirst()
    {
        ProfileStore store;
        const auto all = store.profiles();
        QVERIFY(!all.isEmpty());
        QVERIFY(all.first().builtInDemo);
        QCOMPARE(store.save(ServerProfile::demo()).isEmpty(), false); // cannot be changed
    }

    void browserSignInIsRemembered()
    {
        // PROTOCOL §1 auth: browser, with the provider last signed in with.
        ProfileStore store;
        ServerProfile p;
        p.name = QStringLiteral("Google studio");
        p.baseUrl = QUrl(QStringLiteral("https://api.studio.example"));
        p.auth = ServerProfile::Auth::Browser;
        p.oidcProvider = QStringLiteral("google");
        QCOMPARE(store.save(p), QString());
        const auto back = store.find(p.name);
        QVERIFY(back);
        QCOMPARE(back->auth, ServerProfile::Auth::Browser);
        QCOMPARE(back->oidcProvider, QStringLiteral("google"));
        QCOMPARE(store.settings()->value(QStringLiteral("profiles/Google studio/auth")).toString(), QStringLiteral("browser"));
        QCOMPARE(parseAuth(QStringLiteral("nonsense")), ServerProfile::Auth::Password);
        for (auto a : {ServerProfile::Auth::Password, ServerProfile::Auth::Token, ServerProfile::Auth::Browser})
            QCOMPARE(parseAuth(authName(a)), a);
        store.remove(p.name);
    }

    void roundTripInTheHeadlessKeys()
    {
        ProfileStore store;
        ServerProfile p;
        p.name = QStringLiteral("Studio");
        p.baseUrl = QUrl(QStringLiteral("https://api.studio.example"));
        p.dialect = Dialect::WebSocket;
        p.wsUrl = QUrl(QStringLiteral("wss://push.studio.example/ws"));
        p.tokenInQuery = true;
        p.auth = ServerProfile::Auth::Token;
        QCOMPARE(store.save(p), QString());
        const auto back = store.find(QStringLiteral("Studio"));
        QVERIFY(back);
        QCOMPARE(back->baseUrl, p.baseUrl);
        QCOMPARE(back->dialect, Dialect::WebSocket);
        QCOMPARE(back->wsUrl, p.wsUrl);
        QCOMPARE(back->tokenInQuery, true);
        QCOMPARE(back->auth, ServerProfile::Auth::Token);
        // The keys framecast --headless --profile reads, and no secret.
        const auto held = store.settings();
        QSettings &s = *held;
        QCOMPARE(s.value(QStringLiteral("profiles/Studio/baseUrl")).toString(), QStringLiteral("https://api.studio.example"));
        QCOMPARE(s.value(QStringLiteral("profiles/Studio/progress")).toString(), QStringLiteral("websocket"));
        for (const QString &key : s.allKeys())
            QVERIFY2(!key.contains(QLatin1String("token"), Qt::CaseInsensitive) || key.endsWith(QLatin1String("tokenInQuery")),
                     qPrintable(key));
        QCOMPARE(store.profiles().size(), 2);
        store.remove(QStringLiteral("Studio"));
        QVERIFY(!store.find(QStringLiteral("Studio")));
    }

    void caCertificateAndProxyRoundTrip()
    {
        ProfileStore store;
        ServerProfile p;
        p.name = QStringLiteral("Company");
        p.baseUrl = QUrl(QStringLiteral("https://video.corp.example"));
        p.caCertificate = QStringLiteral(FRAMECAST_TEST_DATA "/selfsigned-cert.pem");
        p.proxy = QStringLiteral("http://proxy.corp.example:3128");
        QCOMPARE(store.save(p), QString());
        const auto back = store.find(QStringLiteral("Company"));
        QVERIFY(back);
        QCOMPARE(back->caCertificate, p.caCertificate);
        QCOMPARE(back->proxy, p.proxy);
        QString error;
        const auto settings = back->networkSettings(&error);
        QVERIFY2(settings, qPrintable(error));
        QCOMPARE(settings->extraCaCertificates.size(), 1);
        QCOMPARE(settings->proxy.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(settings->proxy.hostName(), QStringLiteral("proxy.corp.example"));
        QCOMPARE(settings->proxy.port(), quint16(3128));
        QVERIFY(describeCertificate(settings->extraCaCertificates.first()).contains(QStringLiteral("SHA-256")));
        // A profile saved before these fields existed: no CA, the system's proxy.
        const auto held = store.settings();
        QSettings &s = *held;
        s.remove(QStringLiteral("profiles/Company/proxy"));
        s.remove(QStringLiteral("profiles/Company/caCertificate"));
        QCOMPARE(store.find(QStringLiteral("Company"))->proxy, QStringLiteral("system"));
        store.remove(QStringLiteral("Company"));
    }

    /// FRAMECAST_SETTINGS names an INI file, and then that file is the
    /// settings, on every platform: the one place tests (and a portable
    /// install) choose.
    void environmentNamesTheSettingsFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("elsewhere.ini"));
        const QByteArray before = qgetenv(ProfileStore::kSettingsEnvironmentVariable);
        const auto restore = qScopeGuard([before] { qputenv(ProfileStore::kSettingsEnvironmentVariable, before); });
        qputenv(ProfileStore::kSettingsEnvironmentVariable, file.toUtf8());
        ProfileStore store;
        QCOMPARE(store.iniFile(), file);
        QCOMPARE(store.settings()->format(), QSettings::IniFormat);
        ServerProfile p;
        p.name = QStringLiteral("Elsewhere");
        p.baseUrl = QUrl(QStringLiteral("https://elsewhere.example"));
        QCOMPARE(store.save(p), QString());
        store.setLastLogin(p.name, QStringLiteral("mei"));
        // A plain INI file with the headless keys, readable by anyone.
        QSettings ini(file, QSettings::IniFormat);
        QCOMPARE(ini.value(QStringLiteral("profiles/Elsewhere/baseUrl")).toString(), QStringLiteral("https://elsewhere.example"));
        QCOMPARE(ini.value(QStringLiteral("session/user")).toString(), QStringLiteral("mei"));
        QFile text(file);
        QVERIFY(text.open(QIODevice::ReadOnly));
        QVERIFY(text.readAll().contains("[profiles]"));
        // Another store on the same file sees it; the platform's default does not.
        QCOMPARE(ProfileStore(file).find(p.name)->baseUrl, p.baseUrl);
        QCOMPARE(ProfileStore(file).lastLogin()->user, QStringLiteral("mei"));
        QVERIFY(!ProfileStore(QString()).find(p.name));
    }

    /// No FRAMECAST_SETTINGS: the platform's native store, which on Linux is
    /// the file it always was.
    void defaultIsThePlatformsOwnStore()
    {
        const QByteArray before = qgetenv(ProfileStore::kSettingsEnvironmentVariable);
        const auto restore = qScopeGuard([before] { qputenv(ProfileStore::kSettingsEnvironmentVariable, before); });
        qunsetenv(ProfileStore::kSettingsEnvironmentVariable);
        ProfileStore store;
        QVERIFY(store.iniFile().isEmpty());
        const auto settings = store.settings();
        QCOMPARE(settings->format(), QSettings::NativeFormat);
#ifdef Q_OS_LINUX
        // $XDG_CONFIG_HOME (~/.config) for a user; under QStandardPaths' test
        // mode, as here, its test folder.
        const QString config = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
        QCOMPARE(settings->fileName(), QDir(config).filePath(QStringLiteral("Framecast/Framecast.conf")));
#endif
    }

    void networkValidation_data()
    {
        QTest::addColumn<QString>("ca");
        QTest::addColumn<QString>("proxy");
        QTest::addColumn<QString>("error"); ///< part of the message, empty: valid
        QTest::newRow("system") << "" << "system" << "";
        QTest::newRow("none") << "" << "none" << "";
        QTest::newRow("proxy url") << "" << "http://127.0.0.1:3128" << "";
        QTest::newRow("socks") << "" << "socks5://127.0.0.1:1080" << "";
        QTest::newRow("pem") << FRAMECAST_TEST_DATA "/selfsigned-cert.pem" << "system" << "";
        QTest::newRow("key, not a certificate") << FRAMECAST_TEST_DATA "/selfsigned-key.pem" << "system" << "is not a PEM certificate file";
        QTest::newRow("not PEM") << FRAMECAST_TEST_DATA "/sse-vectors.md" << "system" << "is not a PEM certificate file";
        QTest::newRow("missing file") << "/nonexistent/ca.pem" << "system" << "Cannot read the certificate file";
        QTest::newRow("proxy without scheme") << "" << "proxy:3128" << "The proxy must be";
        QTest::newRow("ftp proxy") << "" << "ftp://proxy:21" << "The proxy must be";
    }

    void networkValidation()
    {
        QFETCH(QString, ca);
        QFETCH(QString, proxy);
        QFETCH(QString, error);
        ServerProfile p;
        p.name = QStringLiteral("A");
        p.baseUrl = QUrl(QStringLiteral("https://api.example.com"));
        p.caCertificate = ca;
        p.proxy = proxy;
        const QString message = ProfileStore::validate(p);
        if (error.isEmpty())
            QCOMPARE(message, QString());
        else
            QVERIFY2(message.contains(error), qPrintable(message));
    }

    void validation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("ws");
        QTest::addColumn<bool>("ok");
        QTest::newRow("https") << "A" << "https://api.example.com" << "" << true;
        QTest::newRow("loopback http") << "A" << "http://127.0.0.1:8000" << "" << true;
        QTest::newRow("localhost http") << "A" << "http://localhost:8000" << "ws://localhost:3001/ws" << true;
        QTest::newRow("remote http refused") << "A" << "http://api.example.com" << "" << false;
        QTest::newRow("no scheme") << "A" << "api.example.com" << "" << false;
        QTest::newRow("ftp") << "A" << "ftp://api.example.com" << "" << false;
        QTest::newRow("bad ws") << "A" << "https://api.example.com" << "https://push" << false;
        QTest::newRow("no name") << " " << "https://api.example.com" << "" << false;
        QTest::newRow("slash in name") << "a/b" << "https://api.example.com" << "" << false;
    }

    void validation()
    {
        QFETCH(QString, name);
        QFETCH(QString, url);
        QFETCH(QString, ws);
        QFETCH(bool, ok);
        ServerProfile p;
        p.name = name;
        p.baseUrl = QUrl(url, QUrl::StrictMode);
        p.wsUrl = QUrl(ws);
        QCOMPARE(ProfileStore::validate(p).isEmpty(), ok);
    }
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
