// SPDX-License-Identifier: GPL-3.0-or-later
// The one redaction point: patterns, registered secrets and the installed
// message handler that every log line of the app passes through.
#include "core/Logging.h"
#include "security/Redaction.h"

#include <QTest>

using namespace framecast;

namespace {

QStringList g_captured;
QtMessageHandler g_redacting = nullptr; ///< the redaction point's handler, chained to `capture`

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_captured << message;
}

} // namespace

class TestRedaction final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { redaction::clearSecrets(); }

    void patterns_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("secret");
        QTest::newRow("header") << "Authorization: Bearer eyJhbGciOi.abc-DEF_123" << "eyJhbGciOi.abc-DEF_123";
        QTest::newRow("header lower") << "authorization: bearer s3cr3tT0ken" << "s3cr3tT0ken";
        QTest::newRow("header qdebug") << "(\"Authorization\", \"Bearer s3cr3tT0ken\")" << "s3cr3tT0ken";
        QTest::newRow("basic") << "Authorization: Basic ZGVtbzpkZW1v" << "ZGVtbzpkZW1v";
        QTest::newRow("bearer alone") << "sent Bearer tok_live_998877 to server" << "tok_live_998877";
        QTest::newRow("query token") << "GET http://h/api/v1/videos/1/stream?token=abc123xyz&x=1" << "abc123xyz";
        QTest::newRow("query access_token") << "url /s?a=1&access_token=Zz9_Zz9" << "Zz9_Zz9";
        QTest::newRow("query password") << "/login?user=demo&password=hunter2hunter" << "hunter2hunter";
        QTest::newRow("query api_key") << "https://x/y?api_key=K-1234567" << "K-1234567";
        QTest::newRow("json password") << "{\"username\": \"demo\", \"password\": \"pa\\\"ss word\"}" << "ss word";
        QTest::newRow("json access_token") << "{\"access_token\":\"tok.en.value\",\"token_type\":\"bearer\"}" << "tok.en.value";
        QTest::newRow("json token") << "{\"type\": \"auth\", \"token\": \"WS-TOKEN-1\"}" << "WS-TOKEN-1";
        // A proxy's credentials: in --proxy and http(s)_proxy URLs, and Qt's header.
        QTest::newRow("proxy url") << "--proxy http://alice:pw1@proxy.corp:3128 is not usable" << "pw1";
        QTest::newRow("proxy url quoted") << "not \"http://bob:p%40ss:w0rd@10.0.0.1:8080\"" << "p%40ss:w0rd";
        QTest::newRow("https_proxy") << "https_proxy=https://carol:Zq9-x@gw.example:443/" << "Zq9-x";
        QTest::newRow("socks5 url") << "socks5://dave:s3@127.0.0.1:1080" << "s3";
        QTest::newRow("proxy header") << "Proxy-Authorization: Basic YWxpY2U6czNjcmV0" << "YWxpY2U6czNjcmV0";
        // OpenID Connect sign-in (PROTOCOL §2.1): the callback's code, the
        // token request's form body, the token answer, the backend call.
        QTest::newRow("callback code") << "GET /callback?state=abc&code=SplxlOBeZQQYbYS6WxSbIA&iss=x" << "SplxlOBeZQQYbYS6WxSbIA";
        QTest::newRow("form code_verifier")
            << "grant_type=authorization_code&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            << "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        QTest::newRow("form client_secret") << "client_id=app&client_secret=GOCSPX-abcdef" << "GOCSPX-abcdef";
        QTest::newRow("json id_token") << "{\"provider\":\"google\",\"id_token\":\"opaque-id-token-1\",\"nonce\":\"n\"}"
                                       << "opaque-id-token-1";
        QTest::newRow("json code_verifier") << "{\"code_verifier\": \"verif-123456\"}" << "verif-123456";
        QTest::newRow("jwt anywhere") << "token endpoint said eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl ok"
                                      << "eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    }
    void patterns()
    {
        QFETCH(QString, text);
        QFETCH(QString, secret);
        const QString out = redaction::redact(text);
        QVERIFY2(!out.contains(secret), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("REDACTED")), qPrintable(out));
    }

    void ordinaryTextIsKept_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("log line") << "[3] 🤖 Calling Sora 2 API...";
        QTest::newRow("url") << "http://127.0.0.1:8000/api/v1/videos/abc/stream?dialect=videos";
        QTest::newRow("token type") << "{\"token_type\": \"bearer\", \"expires_in\": 3600}";
        QTest::newRow("category") << "framecast.demo: token expired for user demo";
        QTest::newRow("proxy without password") << "proxy http://alice@proxy.corp:3128 and http://proxy.corp:3128";
        QTest::newRow("mail in text") << "write to ops@example.com: the time is 10:30";
        // The authorization URL is printed for the user to open: its state,
        // challenge and nonce hash are no secrets and must stay.
        QTest::newRow("authorization url")
            << "http://127.0.0.1:3000/auth?response_type=code&state=xyz123456&code_challenge=E9Melhoa2Ow&code_challenge_method=S256";
        QTest::newRow("failed code") << "{\"event\":\"failed\",\"code\":\"DOWNLOAD_FAILED\"}";
    }
    void ordinaryTextIsKept()
    {
        QFETCH(QString, text);
        QCOMPARE(redaction::redact(text), text);
    }

    void registeredSecretsAnywhere()
    {
        const QByteArray token = "q8Zr-77_longtoken";
        QVERIFY(!redaction::redact(QStringLiteral("error: unknown token q8Zr-77_longtoken")).contains(QLatin1String("REDACTED")));
        redaction::registerSecret(token);
        QCOMPARE(redaction::redact(QStringLiteral("error: unknown q8Zr-77_longtoken!")), QStringLiteral("error: unknown REDACTED!"));
        // Percent-encoded, as in a logged URL.
        redaction::registerSecret(QStringLiteral("p@ss w0rd"));
        QVERIFY(!redaction::redact(QStringLiteral("body user=x&pw=p%40ss%20w0rd")).contains(QLatin1String("w0rd")));
        // Too short to tell from a word: not registered.
        redaction::registerSecret(QStringLiteral("demo"));
        QCOMPARE(redaction::redact(QStringLiteral("framecast.demo")), QStringLiteral("framecast.demo"));
    }

    void urlsShownToTheUser()
    {
        redaction::registerSecret(QByteArray("in-path-secret-1"));
        const QString shown = redactedUrl(QUrl(QStringLiteral("https://me:pw@h.example/v/in-path-secret-1?token=t0ken1&dialect=x")));
        QVERIFY2(!shown.contains(QLatin1String("t0ken1")), qPrintable(shown));
        QVERIFY2(!shown.contains(QLatin1String("in-path-secret-1")), qPrintable(shown));
        QVERIFY2(!shown.contains(QLatin1String("me:pw")), qPrintable(shown));
        QVERIFY(shown.contains(QLatin1String("dialect=x")));
    }

    void handlerRedactsEveryMessage()
    {
        const QtMessageHandler before = qInstallMessageHandler(capture);
        redaction::installLogRedaction(); // chains to `capture`
        redaction::installLogRedaction(); // idempotent: still one pass, no loop
        redaction::registerSecret(QByteArray("handler-secret-42"));
        g_captured.clear();
        qCWarning(lcNet) << "request with" << QByteArray("Authorization: Bearer zzTopSecret9");
        qWarning("login answered %s", "{\"access_token\":\"aaBBcc1122\"}");
        qCritical() << "stream failed for handler-secret-42";
        g_redacting = qInstallMessageHandler(before);
        QCOMPARE(g_captured.size(), 3);
        const QString all = g_captured.join(u'\n');
        QVERIFY2(!all.contains(QLatin1String("zzTopSecret9")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("aaBBcc1122")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("handler-secret-42")), qPrintable(all));
        QCOMPARE(all.count(QLatin1String("REDACTED")), 3);
    }

    void qtChatter_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("category");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("chatter");
        // What Qt prints at start-up in a `su` shell or without a sound server.
        QTest::newRow("runtime dir") << int(QtWarningMsg) << "default"
                                     << "QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '/tmp/runtime-root'" << true;
        QTest::newRow("pulseaudio") << int(QtWarningMsg) << "default" << "PulseAudioService: pa_context_connect() failed" << true;
        QTest::newRow("multimedia") << int(QtWarningMsg) << "qt.multimedia.player" << "Warning: \"Failed to connect: Connection refused\"" << true;
        QTest::newRow("wayland note") << int(QtWarningMsg) << "qt.qpa.wayland" << "Wayland does not support QWindow::requestActivate()" << true;
        // Kept: Framecast's own, anything critical, Qt's other warnings.
        QTest::newRow("framecast") << int(QtWarningMsg) << "framecast.net" << "QStandardPaths: XDG_RUNTIME_DIR not set" << false;
        QTest::newRow("critical") << int(QtCriticalMsg) << "qt.multimedia.player" << "no backend" << false;
        QTest::newRow("ssl") << int(QtWarningMsg) << "qt.network.ssl" << "No functional TLS backend was found" << false;
        QTest::newRow("xcb") << int(QtWarningMsg) << "qt.qpa.xcb" << "could not connect to display" << false;
        QTest::newRow("default other") << int(QtWarningMsg) << "default" << "QObject::connect: No such signal" << false;
    }
    void qtChatter()
    {
        QFETCH(int, type);
        QFETCH(QString, category);
        QFETCH(QString, message);
        QFETCH(bool, chatter);
        QCOMPARE(redaction::isQtChatter(QtMsgType(type), category.toLatin1().constData(), message), chatter);
    }

    void handlerDropsChatterUnlessAsked()
    {
        QVERIFY(g_redacting); // handlerRedactsEveryMessage ran first and left it chained to `capture`
        const QtMessageHandler before = qInstallMessageHandler(g_redacting);
        redaction::setShowQtChatter(false);
        g_captured.clear();
        qWarning("QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '/tmp/runtime-x'");
        qCWarning(lcNet) << "kept";
        redaction::setShowQtChatter(true); // --verbose
        qWarning("QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '/tmp/runtime-y'");
        qInstallMessageHandler(before);
        QCOMPARE(g_captured.size(), 2);
        QCOMPARE(g_captured.at(0), QStringLiteral("kept"));
        QVERIFY(g_captured.at(1).contains(QLatin1String("runtime-y")));
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
