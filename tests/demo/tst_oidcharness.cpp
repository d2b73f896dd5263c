// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in test harness itself: the real OpenID provider
// (tests/servers/oidc) and the test browser, with a whole authorization code
// flow with PKCE done here by hand, so that a failing sign-in test elsewhere
// is about Framecast, not about its harness.
#include "BrowserPlayer.h"
#include "HttpTestClient.h"
#include "OidcProvider.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <QUrlQuery>

using namespace framecast::test;

namespace {
QByteArray base64url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return base64url(bytes);
}

QByteArray s256(const QByteArray &value)
{
    return base64url(QCryptographicHash::hash(value, QCryptographicHash::Sha256));
}

QJsonObject jwtPayload(const QString &jwt)
{
    const QByteArray part = jwt.toLatin1().split('.').value(1);
    return QJsonDocument::fromJson(QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding)).object();
}

struct Authorization
{
    QUrl url;
    QByteArray verifier;
    QByteArray state;
    QByteArray nonce;
    QString redirectUri;
};
} // namespace

class TestOidcHarness final : public QObject
{
    Q_OBJECT

private:
    OidcProvider m_provider;

    Authorization authorization(const QString &clientId, quint16 port, bool pkce = true)
    {
        Authorization a;
        a.verifier = randomToken();
        a.state = randomToken();
        a.nonce = randomToken();
        a.redirectUri = QStringLiteral("http://127.0.0.1:%1/callback").arg(port);
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        q.addQueryItem(QStringLiteral("client_id"), clientId);
        q.addQueryItem(QStringLiteral("redirect_uri"), a.redirectUri);
        q.addQueryItem(QStringLiteral("scope"), QStringLiteral("openid email profile"));
        q.addQueryItem(QStringLiteral("state"), QString::fromLatin1(a.state));
        q.addQueryItem(QStringLiteral("nonce"), QString::fromLatin1(s256(a.nonce)));
        if (pkce) {
            q.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(s256(a.verifier)));
            q.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
        }
        a.url = QUrl(discovery().value(QStringLiteral("authorization_endpoint")).toString());
        a.url.setQuery(q);
        return a;
    }

    QJsonObject discovery()
    {
        HttpTestClient http(m_provider.issuer());
        return http.get(QStringLiteral("/.well-known/openid-configuration")).json();
    }

    HttpTestClient::Reply redeem(const QString &clientId, const Authorization &a, const QString &code,
                                 const QByteArray &verifier)
    {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
        form.addQueryItem(QStringLiteral("code"), code);
        form.addQueryItem(QStringLiteral("client_id"), clientId);
        form.addQueryItem(QStringLiteral("redirect_uri"), a.redirectUri);
        form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(verifier));
        HttpTestClient http(m_provider.issuer());
        return http.postRaw(discovery().value(QStringLiteral("token_endpoint")).toString(),
                            form.query(QUrl::FullyEncoded).toLatin1(), "application/x-www-form-urlencoded");
    }

    /// A whole sign-in; the id_token's claims.
    QJsonObject signIn(BrowserPlayer &browser, quint16 port)
    {
        const Authorization a = authorization(QStringLiteral("framecast-test"), port);
        const BrowserPlayer::Result r = browser.follow(a.url);
        if (!r.ok())
            qWarning("%s", qPrintable(r.error));
        const QString code = QUrlQuery(r.redirect).queryItemValue(QStringLiteral("code"));
        const HttpTestClient::Reply token = redeem(QStringLiteral("framecast-test"), a, code, a.verifier);
        return jwtPayload(token.json().value(QStringLiteral("id_token")).toString());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        OidcProvider::Options options;
        options.clientIds = {QStringLiteral("framecast-test")};
        options.es256ClientIds = {QStringLiteral("framecast-es256")};
        QVERIFY2(m_provider.start(options, &error), qPrintable(error));
        QCOMPARE(m_provider.issuer().host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(discovery().value(QStringLiteral("issuer")).toString(), m_provider.issuer().toString());
    }

    void codeFlowWithPkce_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("alg");
        QTest::newRow("RS256") << QStringLiteral("framecast-test") << QStringLiteral("RS256");
        QTest::newRow("ES256") << QStringLiteral("framecast-es256") << QStringLiteral("ES256");
    }

    void codeFlowWithPkce()
    {
        QFETCH(QString, clientId);
        QFETCH(QString, alg);
        QVERIFY(m_provider.setLogin(QStringLiteral("ada@example.com"), true));
        // Any loopback port is accepted for the registered http://127.0.0.1/callback (RFC 8252 §7.3).
        for (const quint16 port : {quint16(40123), quint16(51234)}) {
            const Authorization a = authorization(clientId, port);
            BrowserPlayer browser;
            const BrowserPlayer::Result r = browser.follow(a.url);
            QVERIFY2(r.ok(), qPrintable(r.error));
            QVERIFY(r.hops >= 2); // through the login and the consent interactions
            QCOMPARE(r.redirect.port(), int(port));
            QCOMPARE(r.redirect.path(), QStringLiteral("/callback"));
            const QUrlQuery callback(r.redirect);
            QCOMPARE(callback.queryItemValue(QStringLiteral("state")).toLatin1(), a.state);
            QCOMPARE(callback.queryItemValue(QStringLiteral("iss"), QUrl::FullyDecoded), m_provider.issuer().toString());
            const QString code = callback.queryItemValue(QStringLiteral("code"));
            QVERIFY(!code.isEmpty());

            // A wrong verifier is refused; the right one gets the id_token, once.
            QCOMPARE(redeem(clientId, a, code, randomToken()).status, 400);
            const HttpTestClient::Reply token = redeem(clientId, a, code, a.verifier);
            QVERIFY2(token.status == 200, token.body.constData());
            const QString idToken = token.json().value(QStringLiteral("id_token")).toString();
            const QJsonObject header = QJsonDocument::fromJson(QByteArray::fromBase64(
                idToken.toLatin1().split('.').value(0), QByteArray::Base64UrlEncoding)).object();
            QCOMPARE(header.value(QStringLiteral("alg")).toString(), alg);
            QVERIFY(!header.value(QStringLiteral("kid")).toString().isEmpty());
            const QJsonObject claims = jwtPayload(idToken);
            QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_provider.issuer().toString());
            QCOMPARE(claims.value(QStringLiteral("aud")).toString(), clientId);
            QCOMPARE(claims.value(QStringLiteral("nonce")).toString().toLatin1(), s256(a.nonce));
            QCOMPARE(claims.value(QStringLiteral("email")).toString(), QStringLiteral("ada@example.com"));
            QCOMPARE(claims.value(QStringLiteral("email_verified")).toBool(), true);
            // The same code twice: refused.
            QCOMPARE(redeem(clientId, a, code, a.verifier).status, 400);
        }
    }

    void missingPkceIsRefused()
    {
        const Authorization a = authorization(QStringLiteral("framecast-test"), 40124, false);
        BrowserPlayer browser;
        const BrowserPlayer::Result r = browser.follow(a.url);
        QVERIFY2(r.ok(), qPrintable(r.error));
        const QUrlQuery callback(r.redirect);
        QCOMPARE(callback.queryItemValue(QStringLiteral("error")), QStringLiteral("invalid_request"));
        QVERIFY(callback.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded).contains(QStringLiteral("PKCE")));
        QVERIFY(!callback.hasQueryItem(QStringLiteral("code")));
    }

    void controlledLoginOutcome()
    {
        QVERIFY(m_provider.setLogin(QStringLiteral("unverified@example.com"), false));
        BrowserPlayer browser;
        const QJsonObject claims = signIn(browser, 40125);
        QCOMPARE(claims.value(QStringLiteral("email")).toString(), QStringLiteral("unverified@example.com"));
        QCOMPARE(claims.value(QStringLiteral("email_verified")).toBool(true), false);

        QVERIFY(m_provider.denyLogins());
        BrowserPlayer fresh; // no session cookie, so the login interaction runs
        const BrowserPlayer::Result r = fresh.follow(authorization(QStringLiteral("framecast-test"), 40126).url);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(QUrlQuery(r.redirect).queryItemValue(QStringLiteral("error")), QStringLiteral("access_denied"));
        QVERIFY(m_provider.setLogin(QStringLiteral("ada@example.com"), true));
    }

    void unregisteredRedirectIsAnErrorPage()
    {
        Authorization a = authorization(QStringLiteral("framecast-test"), 40127);
        QUrlQuery q(a.url);
        q.removeQueryItem(QStringLiteral("redirect_uri"));
        q.addQueryItem(QStringLiteral("redirect_uri"), QStringLiteral("http://127.0.0.1:40127/elsewhere"));
        a.url.setQuery(q);
        BrowserPlayer browser;
        const BrowserPlayer::Result r = browser.follow(a.url);
        QVERIFY(!r.ok());
        QCOMPARE(r.status, 400);
        QVERIFY(r.redirect.isEmpty());
    }

    void controlEndpoints()
    {
        const int before = m_provider.stat(QStringLiteral("jwks_requests"));
        QVERIFY(before >= 0);
        HttpTestClient http(m_provider.issuer());
        const QString oldKid = http.get(QStringLiteral("/jwks")).json().value(QStringLiteral("keys")).toArray().first()
                                   .toObject().value(QStringLiteral("kid")).toString();
        QCOMPARE(m_provider.stat(QStringLiteral("jwks_requests")), before + 1);
        const QStringList kids = m_provider.rotateKeys();
        QCOMPARE(kids.size(), 2);
        QVERIFY(!kids.contains(oldKid));
        const QJsonArray keys = http.get(QStringLiteral("/jwks")).json().value(QStringLiteral("keys")).toArray();
        QCOMPARE(keys.size(), 4); // the new pair first, the old pair still published
        QCOMPARE(keys.first().toObject().value(QStringLiteral("kid")).toString(), kids.first());
        QString error;
        QVERIFY(!m_provider.setIdTokenTtl(0, &error));
        QVERIFY2(error.contains(QStringLiteral("positive")), qPrintable(error));
        QVERIFY(m_provider.setIdTokenTtl(5));
        BrowserPlayer browser;
        const QJsonObject claims = signIn(browser, 40128);
        QCOMPARE(claims.value(QStringLiteral("exp")).toInteger() - claims.value(QStringLiteral("iat")).toInteger(), 5);
        QVERIFY(m_provider.setIdTokenTtl(3600));
    }

    void cleanupTestCase() { m_provider.stop(); }
};

QTEST_GUILESS_MAIN(TestOidcHarness)
#include "tst_oidcharness.moc"
