// SPDX-License-Identifier: GPL-3.0-or-later
// The demo backend's JWS/JWK unit (app/demo/Jws): strict parsing, the keys it
// refuses, and RS256 signatures made by the openssl CLI (a second, independent
// implementation). ES256 against a real provider is in tst_demooidc.
#include "RealServers.h"

#include "demo/Jws.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast::demo;

namespace {
QByteArray b64(const QByteArray &data)
{
    return jws::base64urlEncode(data);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestJws final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_openssl;

    /// openssl in the test folder; its stdout.
    QByteArray openssl(const QStringList &arguments)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(m_openssl, arguments);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            qWarning("openssl %s: %s", qPrintable(arguments.join(QLatin1Char(' '))),
                     p.readAllStandardError().constData());
        return p.readAllStandardOutput();
    }

    /// A JWK for a new RSA key of `bits` (its private key in `name`.pem).
    QJsonObject rsaJwk(int bits, const QString &name)
    {
        openssl({ "genpkey", "-algorithm", "RSA", "-pkeyopt", QStringLiteral("rsa_keygen_bits:%1").arg(bits), "-out",
                  name + ".pem" });
        const QByteArray modulus = openssl({ "rsa", "-in", name + ".pem", "-noout", "-modulus" }).trimmed();
        return { { "kty", "RSA" },
                 { "kid", name },
                 { "e", "AQAB" },
                 { "n", QString::fromLatin1(b64(QByteArray::fromHex(modulus.mid(modulus.indexOf('=') + 1)))) } };
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_openssl = framecast::test::findProgram(QStringLiteral("openssl"));
        QVERIFY2(!m_openssl.isEmpty(), "openssl is not installed (bash .ci/deps installs it)");
        QVERIFY(m_dir.isValid());
    }

    void parseRefuses_data()
    {
        QTest::addColumn<QByteArray>("token");
        const QByteArray h = b64(R"({"alg":"RS256"})");
        const QByteArray p = b64(R"({"sub":"x"})");
        QTest::newRow("two parts") << QByteArray(h + '.' + p);
        QTest::newRow("four parts") << QByteArray(h + '.' + p + ".c2ln.eA");
        QTest::newRow("padding") << QByteArray(h + "=." + p + ".c2ln");
        QTest::newRow("standard base64") << QByteArray(h + '.' + p + ".c2l+/w");
        QTest::newRow("header not JSON") << QByteArray(b64("nope") + '.' + p + ".c2ln");
        QTest::newRow("payload an array") << QByteArray(h + '.' + b64("[1]") + ".c2ln");
        QTest::newRow("empty") << QByteArray();
    }

    void parseRefuses()
    {
        QFETCH(QByteArray, token);
        QString error;
        QVERIFY(!jws::parse(token, &error));
        QVERIFY(!error.isEmpty());
    }

    void keysRefused_data()
    {
        QTest::addColumn<QJsonObject>("jwk");
        QTest::addColumn<QString>("why");
        QTest::newRow("RSA 1024") << rsaJwk(1024, "small") << "under 2048 bits";
        QTest::newRow("P-384") << QJsonObject { { "kty", "EC" }, { "crv", "P-384" }, { "x", "AA" }, { "y", "AA" } }
                               << "P-256";
        QTest::newRow("short P-256 point")
            << QJsonObject { { "kty", "EC" }, { "crv", "P-256" }, { "x", "AA" }, { "y", "AA" } } << "P-256";
        const QString one = QString::fromLatin1(b64(QByteArray(32, '\x01')));
        QTest::newRow("point off the curve")
            << QJsonObject { { "kty", "EC" }, { "crv", "P-256" }, { "x", one }, { "y", one } } << "libcrypto refused";
        QTest::newRow("symmetric") << QJsonObject { { "kty", "oct" }, { "k", "c2VjcmV0" } } << "not supported";
        QTest::newRow("RSA without n") << QJsonObject { { "kty", "RSA" }, { "e", "AQAB" } }
                                       << "needs base64url n and e";
        QJsonObject ps256 = rsaJwk(2048, "ps");
        ps256.insert("alg", "PS256");
        QTest::newRow("declared PS256") << ps256 << "PS256";
    }

    void keysRefused()
    {
        QFETCH(QJsonObject, jwk);
        QFETCH(QString, why);
        QString error;
        QVERIFY(!jws::PublicKey::fromJwk(jwk, &error));
        QVERIFY2(error.contains(why), qPrintable(error));
    }

    void rs256Signatures()
    {
        const QJsonObject jwk = rsaJwk(2048, "good");
        QString error;
        const auto key = jws::PublicKey::fromJwk(jwk, &error);
        QVERIFY2(key, qPrintable(error));
        QCOMPARE(key->alg(), QStringLiteral("RS256"));
        const QByteArray input = b64(R"({"alg":"RS256","kid":"good"})") + '.' + b64(R"({"email":"a@example.com"})");
        QFile in(m_dir.filePath("input"));
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write(input);
        in.close();
        openssl({ "dgst", "-sha256", "-sign", "good.pem", "-out", "sig", "input" });
        const QByteArray signature = readAll(m_dir.filePath("sig"));
        QCOMPARE(signature.size(), 256);

        QVERIFY(key->verify("RS256", input, signature));
        QByteArray flipped = signature;
        flipped[10] = char(flipped[10] ^ 1);
        QVERIFY(!key->verify("RS256", input, flipped));
        QVERIFY(!key->verify("RS256", input + "x", signature));
        QVERIFY(!key->verify("ES256", input, signature)); // a key verifies only its own algorithm
        QVERIFY(!key->verify("RS256", input, {}));

        // The whole token through parse(): the same bytes are what is verified.
        const auto token = jws::parse(input + '.' + b64(signature), &error);
        QVERIFY2(token, qPrintable(error));
        QCOMPARE(token->kid(), QStringLiteral("good"));
        QVERIFY(key->verify(token->alg(), token->signingInput, token->signature));
    }

    void keySetKeepsSigningKeysWithKids()
    {
        QJsonObject good = rsaJwk(2048, "set1");
        QJsonObject encryption = good;
        encryption.insert("kid", "enc");
        encryption.insert("use", "enc");
        QJsonObject noKid = good;
        noKid.remove("kid");
        const QJsonObject jwks {
            { "keys", QJsonArray { good, encryption, noKid, QJsonObject { { "kty", "oct" }, { "kid", "k" } } } }
        };
        int skipped = 0;
        const jws::KeySet keys = jws::parseKeySet(jwks, &skipped);
        QCOMPARE(keys.keys(), QStringList { "set1" });
        QCOMPARE(skipped, 3);
    }
};

QTEST_GUILESS_MAIN(TestJws)
#include "tst_jws.moc"
