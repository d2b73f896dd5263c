// SPDX-License-Identifier: GPL-3.0-or-later
// BrowserSignIn against a scripted provider on loopback (discovery, token
// endpoint) and a test "browser" that answers the real loopback listener:
// the request it makes, the token's nonce, errors in words, timeout, cancel.
// The same flow against the real oidc-provider: tst_oidcsignin.
#include "auth/BrowserSignIn.h"

#include "ScriptedHttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace framecast;
using namespace framecast::auth;
using framecast::test::ScriptedHttpServer;

namespace {

QByteArray b64(const QByteArray &b)
{
    return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fakeJwt(const QByteArray &nonce)
{
    return b64("{\"alg\":\"RS256\",\"kid\":\"k\"}") + '.' + b64(QJsonDocument(QJsonObject{{"nonce", QString::fromLatin1(nonce)}, {"sub", "u1"}}).toJson(QJsonDocument::Compact))
           + '.' + b64("signature");
}

} // namespace

class TestBrowserSignIn final : public QObject
{
    Q_OBJECT

    ScriptedHttpServer *m_provider = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    QByteArray m_tokenAnswer;   ///< empty: a good id_token for the last nonce
    QJsonObject m_discovery;
    QUrl m_opened;              ///< what the "browser" was sent to
    QByteArray m_browserQuery;  ///< what it answers the callback with; "" = no answer

    QUrlQuery opened() const { return QUrlQuery(m_opened); }

    OidcProviderInfo providerInfo() const
    {
        OidcProviderInfo p;
        p.id = QStringLiteral("test");
        p.displayName = QStringLiteral("Test ID");
        p.issuer = m_provider->baseUrl();
        p.clientId = QStringLiteral("framecast-desktop");
        return p;
    }

    /// The sign-in with its browser: opens nothing, answers the callback
    /// with m_browserQuery (state=… added from the URL unless it has one).
    std::unique_ptr<BrowserSignIn> flow()
    {
        auto f = std::make_unique<BrowserSignIn>(m_network);
        f->setBrowserOpener([this](const QUrl &url) {
            m_opened = url;
            if (m_browserQuery.isEmpty())
                return true;
            QByteArray query = m_browserQuery;
            if (!query.contains("state="))
                query += "&state=" + QUrlQuery(url).queryItemValue(QStringLiteral("state")).toLatin1();
            const QUrl back(QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded) + QStringLiteral("?")
                            + QString::fromLatin1(query));
            QTimer::singleShot(10, this, [this, back] { m_network->get(QNetworkRequest(back)); });
            return true;
        });
        return f;
    }

    static SignInResult run(BrowserSignIn &f, const OidcProviderInfo &p)
    {
        QSignalSpy done(&f, &BrowserSignIn::finished);
        f.start(p);
        if (!done.wait(10000))
            return {};
        return done.first().first().value<SignInResult>();
    }

private Q_SLOTS:
    void init()
    {
        m_provider = new ScriptedHttpServer(this);
        QVERIFY(m_provider->listen());
        m_network = new QNetworkAccessManager(this);
        const QString base = m_provider->baseUrl().toString(QUrl::StripTrailingSlash);
        m_discovery = QJsonObject{{"issuer", base},
                                  {"authorization_endpoint", QString(base + "/auth")},
                                  {"token_endpoint", QString(base + "/token")},
                                  {"code_challenge_methods_supported", QJsonArray{"S256"}}};
        m_tokenAnswer.clear();
        m_browserQuery = "code=the-code-0123456789";
        m_provider->setHandler([this](const ScriptedHttpServer::Request &r, int) {
            ScriptedHttpServer::Script s;
            if (r.path() == "/.well-known/openid-configuration") {
                s.steps << ScriptedHttpServer::Step{0, ScriptedHttpServer::response(200, QJsonDocument(m_discovery).toJson())};
            } else if (r.path() == "/token" && r.method == "POST") {
                const QByteArray nonce = QUrlQuery(m_opened).queryItemValue(QStringLiteral("nonce")).toLatin1();
                const QByteArray body = m_tokenAnswer.isEmpty()
                                            ? QJsonDocument(QJsonObject{{"id_token", QString::fromLatin1(fakeJwt(nonce))},
                                                                        {"access_token", "provider-access-token"},
                                                                        {"token_type", "Bearer"}})
                                                  .toJson()
                                            : m_tokenAnswer;
                s.steps << ScriptedHttpServer::Step{0, ScriptedHttpServer::response(m_tokenAnswer.startsWith("{\"error") ? 400 : 200, body)};
            } else {
                s.steps << ScriptedHttpServer::Step{0, ScriptedHttpServer::response(404, "{}")};
            }
            return s;
        });
    }
    void cleanup()
    {
        delete m_network;
        delete m_provider;
    }

    void succeeds()
    {
        auto f = flow();
        QSignalSpy waiting(f.get(), &BrowserSignIn::waitingForBrowser);
        const SignInResult r = run(*f, providerInfo());
        QCOMPARE(int(r.status), int(SignInResult::Status::Succeeded));
        QCOMPARE(waiting.size(), 1);
        // The authorization request (PROTOCOL §2.1 step 2).
        const QUrlQuery q = opened();
        QCOMPARE(m_opened.path(), QStringLiteral("/auth"));
        QCOMPARE(q.queryItemValue("response_type"), QStringLiteral("code"));
        QCOMPARE(q.queryItemValue("client_id"), QStringLiteral("framecast-desktop"));
        QCOMPARE(q.queryItemValue("code_challenge_method"), QStringLiteral("S256"));
        QCOMPARE(q.queryItemValue("code_challenge").size(), 43);
        QCOMPARE(q.queryItemValue("state").size(), 43);
        QCOMPARE(q.queryItemValue("scope", QUrl::FullyDecoded), QStringLiteral("openid email profile"));
        const QUrl redirect(q.queryItemValue("redirect_uri", QUrl::FullyDecoded));
        QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(redirect.path(), QStringLiteral("/callback"));
        // The provider got the nonce's hash; the backend gets the raw nonce.
        QCOMPARE(s256(r.nonce), q.queryItemValue("nonce").toLatin1());
        QCOMPARE(r.idToken, fakeJwt(q.queryItemValue("nonce").toLatin1()));
        QCOMPARE(f->authorizationUrl(), m_opened);
        // The port closed after the one callback.
        QTcpSocket again;
        again.connectToHost(QHostAddress::LocalHost, quint16(redirect.port()));
        QVERIFY(!again.waitForConnected(2000));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("browser");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QJsonObject>("discovery");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        using S = SignInResult::Status;
        QTest::newRow("access_denied") << QByteArray("error=access_denied") << QByteArray() << QJsonObject() << int(S::Refused)
                                       << "declined in the browser (access_denied)";
        QTest::newRow("wrong state") << QByteArray("code=c0de12345&state=nottheone") << QByteArray() << QJsonObject() << int(S::Refused)
                                     << "state does not match";
        QTest::newRow("token invalid_grant")
            << QByteArray("code=c0de12345") << QByteArray("{\"error\":\"invalid_grant\",\"error_description\":\"grant request is invalid\"}")
            << QJsonObject() << int(S::Refused) << "PKCE did not match): grant request is invalid (invalid_grant)";
        QTest::newRow("token without id_token") << QByteArray("code=c0de12345") << QByteArray("{\"access_token\":\"x\"}") << QJsonObject()
                                                << int(S::Failed) << "no id_token";
        QTest::newRow("nonce mismatch") << QByteArray("code=c0de12345") << QByteArray("{\"id_token\":\"" + fakeJwt("other") + "\"}")
                                        << QJsonObject() << int(S::Refused) << "nonce does not match";
        QTest::newRow("issuer mismatch") << QByteArray("code=c0de12345") << QByteArray() << QJsonObject{{"issuer", "https://evil.example"}}
                                         << int(S::Failed) << "names another issuer";
        QTest::newRow("no S256") << QByteArray("code=c0de12345") << QByteArray()
                                 << QJsonObject{{"code_challenge_methods_supported", QJsonArray{"plain"}}} << int(S::Failed) << "PKCE with S256";
        QTest::newRow("iss announced, missing") << QByteArray("code=c0de12345") << QByteArray()
                                                << QJsonObject{{"authorization_response_iss_parameter_supported", true}} << int(S::Refused)
                                                << "no iss";
        QTest::newRow("plain http endpoint elsewhere") << QByteArray("code=c0de12345") << QByteArray()
                                                       << QJsonObject{{"token_endpoint", "http://id.example/token"}} << int(S::Failed)
                                                       << "https is required";
    }
    void errors()
    {
        QFETCH(QByteArray, browser);
        QFETCH(QByteArray, token);
        QFETCH(QJsonObject, discovery);
        QFETCH(int, status);
        QFETCH(QString, message);
        m_browserQuery = browser;
        m_tokenAnswer = token;
        for (auto it = discovery.begin(); it != discovery.end(); ++it)
            m_discovery.insert(it.key(), it.value());
        auto f = flow();
        const SignInResult r = run(*f, providerInfo());
        QCOMPARE(int(r.status), status);
        QVERIFY2(r.message.contains(message), qPrintable(r.message));
        QVERIFY(r.idToken.isEmpty());
    }

    void providerUnreachable()
    {
        OidcProviderInfo p = providerInfo();
        p.issuer = QUrl(QStringLiteral("http://127.0.0.1:1"));
        auto f = flow();
        const SignInResult r = run(*f, p);
        QCOMPARE(int(r.status), int(SignInResult::Status::Failed));
        QVERIFY2(r.message.contains(QLatin1String("Cannot reach the sign-in provider")), qPrintable(r.message));
    }

    void timesOut()
    {
        m_browserQuery.clear(); // the user never finishes in the browser
        auto f = flow();
        f->setTimeoutMs(1500);
        QSignalSpy waiting(f.get(), &BrowserSignIn::waitingForBrowser);
        QSignalSpy done(f.get(), &BrowserSignIn::finished);
        f->start(providerInfo());
        QVERIFY(waiting.wait(5000));
        const quint16 port = quint16(f->receiver()->redirectUri().port());
        QVERIFY(f->receiver()->isListening());
        QVERIFY(done.wait(5000));
        const auto r = done.first().first().value<SignInResult>();
        QCOMPARE(int(r.status), int(SignInResult::Status::TimedOut));
        QVERIFY2(r.message.contains(QLatin1String("within 1 s;")), qPrintable(r.message));
        QTcpSocket late;
        late.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!late.waitForConnected(2000));
        QVERIFY(!f->isRunning());
    }

    void cancels()
    {
        m_browserQuery.clear();
        auto f = flow();
        QSignalSpy waiting(f.get(), &BrowserSignIn::waitingForBrowser);
        QSignalSpy done(f.get(), &BrowserSignIn::finished);
        f->start(providerInfo());
        QVERIFY(waiting.wait(5000));
        const quint16 port = quint16(f->receiver()->redirectUri().port());
        f->cancel();
        QCOMPARE(done.size(), 1);
        QCOMPARE(int(done.first().first().value<SignInResult>().status), int(SignInResult::Status::Cancelled));
        QTcpSocket late;
        late.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!late.waitForConnected(2000));
        f->cancel(); // a second cancel does nothing
        QCOMPARE(done.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestBrowserSignIn)
#include "tst_browsersignin.moc"
