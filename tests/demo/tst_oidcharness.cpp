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
#include <QTest>
#include <QUrlQuery>

using namespace framecast::test;

namespace {
QByteArray s256(const QByteArray &value)
{
    return QCryptographicHash::hash(value, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject jwtPart(const QString &jwt, int part)
{
    const QByteArray bytes = jwt.toLatin1().split('.').value(part);
    return QJsonDocument::fromJson(QByteArray::fromBase64(bytes, QByteArray::Base64UrlEncoding)).object();
}
} // namespace

class TestOidcHarness final : public QObject
{
    Q_OBJECT

private:
    OidcProvider m_provider;

    /// A whole sign-in; the id_token's claims.
    QJsonObject signIn()
    {
        QByteArray nonce;
        QString error;
        const QString idToken = m_provider.signIn(QStringLiteral("framecast-test"), &nonce, &error);
        if (idToken.isEmpty())
            qWarning("%s", qPrintable(error));
        return jwtPart(idToken, 1);
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
        QCOMPARE(m_provider.discovery().value(QStringLiteral("issuer")).toString(), m_provider.issuer().toString());
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
            const ManualSignIn a = m_provider.prepareSignIn(clientId, port);
            BrowserPlayer browser;
            const BrowserPlayer::Result r = browser.follow(a.authorizationUrl);
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
            QCOMPARE(m_provider.redeem(a, code, QByteArrayLiteral("a-wrong-verifier-of-the-right-length-0123456789")).status, 400);
            const HttpTestClient::Reply token = m_provider.redeem(a, code, a.verifier);
            QVERIFY2(token.status == 200, token.body.constData());
            const QString idToken = token.json().value(QStringLiteral("id_token")).toString();
            const QJsonObject header = jwtPart(idToken, 0);
            QCOMPARE(header.value(QStringLiteral("alg")).toString(), alg);
            QVERIFY(!header.value(QStringLiteral("kid")).toString().isEmpty());
            const QJsonObject claims = jwtPart(idToken, 1);
            QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_provider.issuer().toString());
            QCOMPARE(claims.value(QStringLiteral("aud")).toString(), clientId);
            QCOMPARE(claims.value(QStringLiteral("nonce")).toString().toLatin1(), s256(a.nonce));
            QCOMPARE(claims.value(QStringLiteral("email")).toString(), QStringLiteral("ada@example.com"));
            QCOMPARE(claims.value(QStringLiteral("email_verified")).toBool(), true);
            // The same code twice: refused.
            QCOMPARE(m_provider.redeem(a, code, a.verifier).status, 400);
        }
    }

    void missingPkceIsRefused()
    {
        const ManualSignIn a = m_provider.prepareSignIn(QStringLiteral("framecast-test"), 40124, false);
        BrowserPlayer browser;
        const BrowserPlayer::Result r = browser.follow(a.authorizationUrl);
        QVERIFY2(r.ok(), qPrintable(r.error));
        const QUrlQuery callback(r.redirect);
        QCOMPARE(callback.queryItemValue(QStringLiteral("error")), QStringLiteral("invalid_request"));
        QVERIFY(callback.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded).contains(QStringLiteral("PKCE")));
        QVERIFY(!callback.hasQueryItem(QStringLiteral("code")));
    }

    void controlledLoginOutcome()
    {
        QVERIFY(m_provider.setLogin(QStringLiteral("unverified@example.com"), false));
        const QJsonObject claims = signIn();
        QCOMPARE(claims.value(QStringLiteral("email")).toString(), QStringLiteral("unverified@example.com"));
        QCOMPARE(claims.value(QStringLiteral("email_verified")).toBool(true), false);

        QVERIFY(m_provider.denyLogins());
        BrowserPlayer fresh; // no session cookie, so the login interaction runs
        const BrowserPlayer::Result r = fresh.follow(m_provider.prepareSignIn(QStringLiteral("framecast-test"), 40126).authorizationUrl);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(QUrlQuery(r.redirect).queryItemValue(QStringLiteral("error")), QStringLiteral("access_denied"));
        QVERIFY(m_provider.setLogin(QStringLiteral("ada@example.com"), true));
    }

    void unregisteredRedirectIsAnErrorPage()
    {
        ManualSignIn a = m_provider.prepareSignIn(QStringLiteral("framecast-test"), 40127);
        QUrlQuery q(a.authorizationUrl);
        q.removeQueryItem(QStringLiteral("redirect_uri"));
        q.addQueryItem(QStringLiteral("redirect_uri"), QStringLiteral("http://127.0.0.1:40127/elsewhere"));
        a.authorizationUrl.setQuery(q);
        BrowserPlayer browser;
        const BrowserPlayer::Result r = browser.follow(a.authorizationUrl);
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
        const QJsonObject claims = signIn();
        QCOMPARE(claims.value(QStringLiteral("exp")).toInteger() - claims.value(QStringLiteral("iat")).toInteger(), 5);
        QVERIFY(m_provider.setIdTokenTtl(3600));
    }

    void cleanupTestCase() { m_provider.stop(); }
};

QTEST_GUILESS_MAIN(TestOidcHarness)
#include "tst_oidcharness.moc"
