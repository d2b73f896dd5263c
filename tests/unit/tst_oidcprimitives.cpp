// SPDX-License-Identifier: GPL-3.0-or-later
// The one-use values of a browser sign-in (PKCE S256, state, nonce), the
// server's sign-in methods and the OAuth errors in words (PROTOCOL §2.1).
#include "auth/AuthMethods.h"
#include "auth/OAuthErrorText.h"
#include "auth/PkceSecrets.h"
#include "security/Redaction.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <cstdlib>

using namespace framecast;
using namespace framecast::auth;

namespace {
/// JSON written with single quotes (moc misreads "//" inside raw strings).
QByteArray jsonText(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}
} // namespace

class TestOidcPrimitives final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pkceRfc7636AppendixB()
    {
        // RFC 7636 Appendix B: the verifier's octets, the verifier, the challenge.
        const int octetValues[] = {116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
                                   22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121};
        QByteArray octets;
        for (int v : octetValues)
            octets.append(char(v));
        QCOMPARE(octets.size(), 32);
        QCOMPARE(base64Url(octets), QByteArray("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        QCOMPARE(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    void generatedValues()
    {
        const PkceSecrets s = PkceSecrets::generate();
        const QRegularExpression unreserved(QStringLiteral("^[A-Za-z0-9_-]+$"));
        for (const QByteArray &v : {s.codeVerifier, s.state, s.nonce}) {
            // 32 octets of entropy each: 43 base64url characters, ≥128 bits.
            QCOMPARE(v.size(), 43);
            QVERIFY(unreserved.match(QString::fromLatin1(v)).hasMatch());
            const auto raw = QByteArray::fromBase64Encoding(v, QByteArray::Base64UrlEncoding);
            QVERIFY(raw);
            QVERIFY((*raw).size() * 8 >= 128);
        }
        // RFC 7636 §4.1: 43 to 128 characters.
        QVERIFY(s.codeVerifier.size() >= 43 && s.codeVerifier.size() <= 128);
        QCOMPARE(s.codeChallenge, s256(s.codeVerifier));
        QCOMPARE(s.nonceHash, base64Url(QCryptographicHash::hash(s.nonce, QCryptographicHash::Sha256)));
        QVERIFY(s.state != s.nonce && s.state != s.codeVerifier);
        // The verifier and the raw nonce never reach a log line.
        QVERIFY(!redaction::redact(QString::fromLatin1("v=" + s.codeVerifier + " n=" + s.nonce)).contains(QString::fromLatin1(s.nonce)));
        QVERIFY(!redaction::redact(QString::fromLatin1(s.codeVerifier)).contains(QString::fromLatin1(s.codeVerifier)));
    }

    void randomnessComesFromTheSystemGenerator()
    {
        // A seeded generator (std::rand, a default-constructed
        // QRandomGenerator) repeats itself after the same seed; the system's
        // does not (Qt refuses to seed system() and global() at all).
        std::srand(42);
        const QByteArray first = randomToken(16);
        std::srand(42);
        const QByteArray second = randomToken(16);
        QVERIFY(first != second);
        QSet<QByteArray> seen;
        for (int i = 0; i < 2000; ++i)
            seen.insert(PkceSecrets::generate().state);
        QCOMPARE(seen.size(), 2000);
        // Every bit position varies (a stuck byte would show).
        QByteArray orAll(32, '\0');
        QByteArray andAll(32, '\xff');
        for (const QByteArray &state : std::as_const(seen)) {
            const QByteArray raw = QByteArray::fromBase64(state, QByteArray::Base64UrlEncoding);
            for (int i = 0; i < 32; ++i) {
                orAll[i] = char(orAll[i] | raw[i]);
                andAll[i] = char(andAll[i] & raw[i]);
            }
        }
        QCOMPARE(orAll, QByteArray(32, '\xff'));
        QCOMPARE(andAll, QByteArray(32, '\0'));
        QCOMPARE(randomToken(5).size(), 7); // sizes that are not multiples of 4 are filled too
    }

    void authMethods_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("providers");
        QTest::addColumn<QString>("error");
        QTest::newRow("google") << jsonText("{'password': true, 'oidc': [{'id': 'google', 'display_name': 'Google',"
                                             "'issuer': 'https://accounts.google.com', 'client_id': '123.apps.googleusercontent.com',"
                                             "'scopes': ['openid', 'email', 'profile'], 'loopback_host': '127.0.0.1'}]}") << 1 << QString();
        QTest::newRow("password only") << jsonText("{'password': true}") << 0 << QString();
        QTest::newRow("all interfaces") << jsonText("{'oidc': [{'id': 'x', 'issuer': 'https://id.example', 'client_id': 'c', 'loopback_host': '0.0.0.0'}]}") << 0 << QStringLiteral("only a loopback address");
        QTest::newRow("no client id") << jsonText("{'oidc': [{'id': 'x', 'issuer': 'https://id.example'}]}") << 0
                                      << QStringLiteral("without id, client_id");
        QTest::newRow("oidc not a list") << jsonText("{'oidc': {'id': 'x'}}") << 0 << QStringLiteral("not a list");
    }
    void authMethods()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, providers);
        QFETCH(QString, error);
        QString problem;
        const auto m = AuthMethods::fromJson(QJsonDocument::fromJson(json).object(), &problem);
        QCOMPARE(bool(m), error.isEmpty());
        if (!m) {
            QVERIFY2(problem.contains(error), qPrintable(problem));
            return;
        }
        QCOMPARE(m->oidc.size(), providers);
        if (providers) {
            QVERIFY(m->provider(QStringLiteral("google")));
            QVERIFY(m->provider(QStringLiteral("google"))->isGoogle());
            QCOMPARE(m->oidc.first().displayName, QStringLiteral("Google"));
            QCOMPARE(m->oidc.first().scopes, (QStringList{"openid", "email", "profile"}));
        }
    }

    void oauthErrorsInWords()
    {
        const QString denied = describeOAuthError(QStringLiteral("access_denied"), QStringLiteral("End-User aborted interaction"));
        QVERIFY2(denied.contains(QLatin1String("declined")) && denied.contains(QLatin1String("End-User aborted interaction"))
                     && denied.contains(QLatin1String("(access_denied)")),
                 qPrintable(denied));
        QVERIFY(describeOAuthError(QStringLiteral("invalid_grant"), {}).contains(QLatin1String("PKCE")));
        QVERIFY(describeOAuthError(QString(), {}).contains(QLatin1String("unknown_error")));
    }
};

QTEST_GUILESS_MAIN(TestOidcPrimitives)
#include "tst_oidcprimitives.moc"
