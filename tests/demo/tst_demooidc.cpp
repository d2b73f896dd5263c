// SPDX-License-Identifier: GPL-3.0-or-later
// The demo backend signs in users of a real OpenID provider (PROTOCOL §2.1
// step 4, §6): /auth/methods, and /auth/oidc/token checking id_tokens from
// tests/servers/oidc for real: signature (RS256, ES256, tampered), issuer,
// audience, expiry, nonce, email_verified, replay, JWKS caching and refetch
// on an unknown kid, an unreachable provider; and the command-line options.
#include "DemoTestConfig.h"
#include "HttpTestClient.h"
#include "OidcProvider.h"
#include "RealServers.h"

#include "demo/DemoBackend.h"
#include "demo/DemoOidc.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTest>

using namespace framecast;
using framecast::demo::DemoBackend;
using framecast::demo::DemoConfig;
using framecast::test::HttpTestClient;
using framecast::test::OidcProvider;

namespace {
const QString kApp = QStringLiteral("framecast-app");
const QString kEs256App = QStringLiteral("framecast-es256");
const QString kOtherApp = QStringLiteral("someone-elses-app");
const QString kProviderId = QStringLiteral("testidp");
constexpr int kSkewS = 1;

QByteArray b64(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject part(const QString &jwt, int index)
{
    const QByteArray bytes = jwt.toLatin1().split('.').value(index);
    return QJsonDocument::fromJson(QByteArray::fromBase64(bytes, QByteArray::Base64UrlEncoding)).object();
}

/// `jwt` with part `index` replaced by `object` (the signature kept).
QString withPart(const QString &jwt, int index, const QJsonObject &object)
{
    QList<QByteArray> parts = jwt.toLatin1().split('.');
    parts[index] = b64(QJsonDocument(object).toJson(QJsonDocument::Compact));
    return QString::fromLatin1(parts.join('.'));
}

DemoConfig oidcConfig(const QUrl &issuer)
{
    DemoConfig c = test::fastDemoConfig();
    demo::DemoOidcSpec spec;
    spec.id = kProviderId;
    spec.displayName = QStringLiteral("Test IdP");
    spec.issuer = issuer;
    spec.clientIds = {kApp, kEs256App};
    c.oidc = spec;
    c.oidcClockSkewS = kSkewS;
    return c;
}
} // namespace

class TestDemoOidc final : public QObject
{
    Q_OBJECT

private:
    OidcProvider m_provider;
    std::unique_ptr<DemoBackend> m_backend;

    QString idToken(const QString &clientId, QByteArray *nonce)
    {
        QString error;
        const QString token = m_provider.signIn(clientId, nonce, &error);
        if (token.isEmpty())
            qWarning("sign-in at the provider failed: %s", qPrintable(error));
        return token;
    }

    HttpTestClient::Reply exchange(const QString &idToken, const QByteArray &nonce, const QString &provider = kProviderId)
    {
        HttpTestClient http(m_backend->baseUrl());
        return http.post(QStringLiteral("/api/v1/auth/oidc/token"),
                         {{QStringLiteral("provider"), provider},
                          {QStringLiteral("id_token"), idToken},
                          {QStringLiteral("nonce"), QString::fromLatin1(nonce)}});
    }

    /// A refusal with `status` whose detail mentions `words`.
    static bool refused(const HttpTestClient::Reply &r, int status, const QString &words)
    {
        const QString detail = r.detail().toString();
        if (r.status == status && detail.contains(words, Qt::CaseInsensitive))
            return true;
        qWarning("expected %d mentioning \"%s\", got %d %s", status, qPrintable(words), r.status, r.body.constData());
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        OidcProvider::Options options;
        options.clientIds = {kApp, kOtherApp};
        options.es256ClientIds = {kEs256App};
        QString error;
        QVERIFY2(m_provider.start(options, &error), qPrintable(error));
        m_backend = std::make_unique<DemoBackend>(oidcConfig(m_provider.issuer()));
        QVERIFY2(m_backend->start(&error), qPrintable(error));
    }

    void authMethodsListsTheProvider()
    {
        HttpTestClient http(m_backend->baseUrl());
        const HttpTestClient::Reply r = http.get(QStringLiteral("/api/v1/auth/methods"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("password")).toBool(), true);
        const QJsonArray oidc = r.json().value(QStringLiteral("oidc")).toArray();
        QCOMPARE(oidc.size(), 1);
        const QJsonObject p = oidc.first().toObject();
        QCOMPARE(p.value(QStringLiteral("id")).toString(), kProviderId);
        QCOMPARE(p.value(QStringLiteral("display_name")).toString(), QStringLiteral("Test IdP"));
        QCOMPARE(p.value(QStringLiteral("issuer")).toString(), m_provider.issuer().toString());
        QCOMPARE(p.value(QStringLiteral("client_id")).toString(), kApp);
        QCOMPARE(p.value(QStringLiteral("loopback_host")).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(p.value(QStringLiteral("scopes")).toArray(),
                 QJsonArray({QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("profile")}));
    }

    void passwordsOnlyWithoutAProvider()
    {
        DemoBackend plain(test::fastDemoConfig());
        QVERIFY(plain.start());
        HttpTestClient http(plain.baseUrl());
        const HttpTestClient::Reply methods = http.get(QStringLiteral("/api/v1/auth/methods"));
        QCOMPARE(methods.status, 200);
        QCOMPARE(methods.json().value(QStringLiteral("password")).toBool(), true);
        QVERIFY(methods.json().value(QStringLiteral("oidc")).toArray().isEmpty());
        const HttpTestClient::Reply token = http.post(QStringLiteral("/api/v1/auth/oidc/token"),
                                                      {{QStringLiteral("provider"), kProviderId},
                                                       {QStringLiteral("id_token"), QStringLiteral("a.b.c")},
                                                       {QStringLiteral("nonce"), QStringLiteral("n")}});
        QVERIFY(refused(token, 404, QStringLiteral("not configured")));
    }

    void newVerifiedEmailGetsAnAccount()
    {
        QVERIFY(m_provider.setLogin(QStringLiteral("grace@example.com"), true));
        QByteArray nonce;
        const QString token = idToken(kApp, &nonce);
        QVERIFY(!token.isEmpty());
        const HttpTestClient::Reply r = exchange(token, nonce);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json().value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        QVERIFY(r.json().value(QStringLiteral("expires_in")).toInt() > 0);

        HttpTestClient http(m_backend->baseUrl());
        http.setToken(r.json().value(QStringLiteral("access_token")).toString().toUtf8());
        const HttpTestClient::Reply me = http.get(QStringLiteral("/api/v1/users/me"));
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("email")).toString(), QStringLiteral("grace@example.com"));
        QCOMPARE(me.json().value(QStringLiteral("credits")).toInt(), 1000);
        const QString id = me.json().value(QStringLiteral("id")).toString();

        // The same email again (an ES256 client this time): the same account.
        const QString again = idToken(kEs256App, &nonce);
        QCOMPARE(part(again, 0).value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
        const HttpTestClient::Reply second = exchange(again, nonce);
        QVERIFY2(second.status == 200, second.body.constData());
        http.setToken(second.json().value(QStringLiteral("access_token")).toString().toUtf8());
        QCOMPARE(http.get(QStringLiteral("/api/v1/users/me")).json().value(QStringLiteral("id")).toString(), id);

        // Such an account has no password: the password login never opens it.
        HttpTestClient anonymous(m_backend->baseUrl());
        QCOMPARE(anonymous.login(QStringLiteral("grace@example.com"), QString()).status, 401);
    }

    void wrongAudienceIsRefused()
    {
        QVERIFY(m_provider.setLogin(QStringLiteral("grace@example.com"), true));
        QByteArray nonce;
        const QString token = idToken(kOtherApp, &nonce);
        QCOMPARE(part(token, 1).value(QStringLiteral("aud")).toString(), kOtherApp);
        QVERIFY(refused(exchange(token, nonce), 401, QStringLiteral("another application")));
    }

    void expiredIdTokenIsRefused()
    {
        QVERIFY(m_provider.setIdTokenTtl(1));
        QByteArray nonce;
        const QString token = idToken(kApp, &nonce);
        QVERIFY(m_provider.setIdTokenTtl(3600));
        const qint64 exp = part(token, 1).value(QStringLiteral("exp")).toInteger();
        QCOMPARE(exp - part(token, 1).value(QStringLiteral("iat")).toInteger(), 1);
        // Past exp and the backend's clock skew, on the real clock.
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch() > exp + kSkewS, 10000);
        QVERIFY(refused(exchange(token, nonce), 401, QStringLiteral("expired")));
    }

    void replayedIdTokenIsRefused()
    {
        QByteArray nonce;
        const QString token = idToken(kApp, &nonce);
        QCOMPARE(exchange(token, nonce).status, 200);
        QVERIFY(refused(exchange(token, nonce), 401, QStringLiteral("already used")));
    }

    void nonceMismatchIsRefused()
    {
        QByteArray nonce;
        const QString token = idToken(kApp, &nonce);
        QVERIFY(refused(exchange(token, nonce + "x"), 401, QStringLiteral("nonce")));
        // The hash itself (what the provider saw) is not the raw nonce either.
        QVERIFY(refused(exchange(token, part(token, 1).value(QStringLiteral("nonce")).toString().toLatin1()), 401,
                        QStringLiteral("nonce")));
        QCOMPARE(exchange(token, QByteArray()).status, 422);
        // Refusals do not use the token up.
        QCOMPARE(exchange(token, nonce).status, 200);
    }

    void unverifiedEmailIsForbidden()
    {
        QVERIFY(m_provider.setLogin(QStringLiteral("mallory@example.com"), false));
        QByteArray nonce;
        const QString token = idToken(kApp, &nonce);
        QVERIFY(m_provider.setLogin(QStringLiteral("grace@example.com"), true));
        QCOMPARE(part(token, 1).value(QStringLiteral("email_verified")).toBool(true), false);
        QVERIFY(refused(exchange(token, nonce), 403, QStringLiteral("not verified")));
        QVERIFY(!m_backend->accounts().userByEmail(QStringLiteral("mallory@example.com")));
    }

    void tamperedIdTokenIsRefused()
    {
        QByteArray nonce;
        const QString token = idToken(kApp, &nonce);
        // Another email in the payload, the provider's signature kept.
        QJsonObject claims = part(token, 1);
        claims.insert(QStringLiteral("email"), QStringLiteral("admin@example.com"));
        QVERIFY(refused(exchange(withPart(token, 1, claims), nonce), 401, QStringLiteral("signature")));
        // One bit of the signature flipped.
        QByteArray bytes = token.toLatin1();
        const qsizetype last = bytes.size() - 5;
        bytes[last] = bytes[last] == 'A' ? 'B' : 'A';
        QVERIFY(refused(exchange(QString::fromLatin1(bytes), nonce), 401, QStringLiteral("signature")));
        // "alg": "none" and an HMAC alg are refused before any key is looked at.
        for (const char *alg : {"none", "HS256"}) {
            QJsonObject header = part(token, 0);
            header.insert(QStringLiteral("alg"), QLatin1String(alg));
            QVERIFY(refused(exchange(withPart(token, 0, header), nonce), 401, QStringLiteral("only RS256 and ES256")));
        }
        QVERIFY(refused(exchange(QStringLiteral("not-a-jwt"), nonce), 401, QStringLiteral("malformed")));
        QVERIFY(refused(exchange(token, nonce, QStringLiteral("google")), 401, QStringLiteral("unknown sign-in provider")));
        // The untouched token still signs in: nothing above used it up.
        QCOMPARE(exchange(token, nonce).status, 200);
    }

    void unknownKidFetchesTheJwksAgain()
    {
        QByteArray nonce;
        QCOMPARE(exchange(idToken(kApp, &nonce), nonce).status, 200); // the keys are cached now
        const int before = m_provider.stat(QStringLiteral("jwks_requests"));
        QCOMPARE(exchange(idToken(kApp, &nonce), nonce).status, 200);
        QCOMPARE(m_provider.stat(QStringLiteral("jwks_requests")), before); // cached: no fetch

        const QStringList kids = m_provider.rotateKeys();
        QCOMPARE(kids.size(), 2);
        const QString rotated = idToken(kApp, &nonce);
        QCOMPARE(part(rotated, 0).value(QStringLiteral("kid")).toString(), kids.first());
        QCOMPARE(exchange(rotated, nonce).status, 200);
        QCOMPARE(m_provider.stat(QStringLiteral("jwks_requests")), before + 1);

        // A kid the provider never had: fetched once more, then refused.
        const QString token = idToken(kApp, &nonce);
        QJsonObject header = part(token, 0);
        header.insert(QStringLiteral("kid"), QStringLiteral("no-such-key"));
        QVERIFY(refused(exchange(withPart(token, 0, header), nonce), 401, QStringLiteral("signing key")));
        QCOMPARE(m_provider.stat(QStringLiteral("jwks_requests")), before + 2);
        QCOMPARE(m_backend->oidc()->jwksFetches(), m_provider.stat(QStringLiteral("jwks_requests")));
    }

    void unusableProviderIsA503_data()
    {
        QTest::addColumn<QString>("why");
        QTest::newRow("nobody listens") << QStringLiteral("connection refused");
        QTest::newRow("silent") << QStringLiteral("timed out");
        QTest::newRow("another issuer") << QStringLiteral("names issuer");
    }

    void unusableProviderIsA503()
    {
        QFETCH(QString, why);
        const QLatin1String tag(QTest::currentDataTag());
        QByteArray nonce;
        const QString token = idToken(kApp, &nonce);
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QUrl issuer(QStringLiteral("http://127.0.0.1"));
        if (tag == QLatin1String("nobody listens")) {
            issuer.setPort(test::freePort());
        } else if (tag == QLatin1String("silent")) {
            issuer.setPort(silent.serverPort());
        } else { // the same provider under another name: its discovery says 127.0.0.1
            issuer = m_provider.issuer();
            issuer.setHost(QStringLiteral("localhost"));
        }
        DemoConfig config = oidcConfig(issuer);
        config.oidcFetchTimeoutMs = 500;
        DemoBackend backend(config);
        QVERIFY(backend.start());
        QNetworkAccessManager nam;
        QNetworkRequest request(backend.baseUrl().resolved(QUrl(QStringLiteral("/api/v1/auth/oidc/token"))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const QJsonObject body{{QStringLiteral("provider"), kProviderId},
                               {QStringLiteral("id_token"), token},
                               {QStringLiteral("nonce"), QString::fromLatin1(nonce)}};
        std::unique_ptr<QNetworkReply> reply(nam.post(request, QJsonDocument(body).toJson()));
        if (tag == QLatin1String("silent")) {
            // While the provider keeps the backend waiting, the backend still answers others.
            HttpTestClient http(backend.baseUrl());
            QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
            QVERIFY(!reply->isFinished());
        }
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
        const QString detail = QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("detail")).toString();
        QVERIFY2(detail.startsWith(QStringLiteral("The sign-in provider is unavailable")), qPrintable(detail));
        QVERIFY2(detail.contains(why, Qt::CaseInsensitive), qPrintable(detail));
    }

    void options_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("clientIds");
        QTest::newRow("google") << QStringList{"--oidc-issuer", "https://accounts.google.com", "--oidc-client-id", "a",
                                               "--oidc-client-id", "b"}
                                << QString() << "google" << "Google" << QStringList{"a", "b"};
        QTest::newRow("named") << QStringList{"--oidc-issuer", "http://127.0.0.1:9000", "--oidc-client-id", "a",
                                              "--oidc-provider-id", "corp", "--oidc-name", "Corp SSO"}
                               << QString() << "corp" << "Corp SSO" << QStringList{"a"};
        QTest::newRow("other") << QStringList{"--oidc-issuer", "https://id.example.org/realms/x", "--oidc-client-id", "a"}
                               << QString() << "oidc" << "id.example.org" << QStringList{"a"};
        QTest::newRow("no client id") << QStringList{"--oidc-issuer", "https://accounts.google.com"}
                                      << "at least one --oidc-client-id" << QString() << QString() << QStringList();
        QTest::newRow("no issuer") << QStringList{"--oidc-client-id", "a"} << "need --oidc-issuer" << QString()
                                   << QString() << QStringList();
        QTest::newRow("plain http elsewhere") << QStringList{"--oidc-issuer", "http://idp.example.org", "--oidc-client-id", "a"}
                                              << "https URL" << QString() << QString() << QStringList();
        QTest::newRow("not a URL") << QStringList{"--oidc-issuer", "accounts.google.com", "--oidc-client-id", "a"}
                                   << "https URL" << QString() << QString() << QStringList();
    }

    void options()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        QCommandLineParser cli;
        DemoConfig::addOptions(cli);
        QVERIFY2(cli.parse(QStringList{"framecast-demo-server"} + arguments), qPrintable(cli.errorText()));
        QString why;
        const auto config = DemoConfig::fromOptions(cli, &why);
        if (!error.isEmpty()) {
            QVERIFY(!config);
            QVERIFY2(why.contains(error), qPrintable(why));
            return;
        }
        QVERIFY2(config && config->oidc, qPrintable(why));
        QTEST(config->oidc->id, "id");
        QTEST(config->oidc->displayName, "name");
        QTEST(config->oidc->clientIds, "clientIds");
    }

    void cleanupTestCase()
    {
        m_backend.reset();
        m_provider.stop();
    }
};

QTEST_GUILESS_MAIN(TestDemoOidc)
#include "tst_demooidc.moc"
