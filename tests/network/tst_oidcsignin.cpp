// SPDX-License-Identifier: GPL-3.0-or-later
// BrowserSignIn against a real OpenID provider (panva's oidc-provider,
// tests/servers/oidc) with the test browser (BrowserPlayer): the code flow
// with PKCE S256 and iss (RFC 9207) as the provider checks them, a declined
// login, a forged state, a timeout. The backend half: tst_oidcbackend.
#include "auth/BrowserSignIn.h"

#include "BrowserPlayer.h"
#include "OidcProvider.h"
#include "security/Redaction.h"

#include <QLoggingCategory>
#include <QMutex>

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace framecast;
using namespace framecast::auth;
using framecast::test::BrowserPlayer;
using framecast::test::OidcProvider;

namespace {
QMutex g_logMutex;
QStringList g_log; ///< every message, after the redaction point

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_logMutex);
    g_log << message;
}

/// Every debug line of Framecast's and Qt Network's categories, whatever
/// QT_LOGGING_RULES (ctest turns debug off) says.
void everything(QLoggingCategory *category)
{
    const QByteArray name(category->categoryName());
    if (name.startsWith("framecast.") || name.startsWith("qt.network"))
        category->setEnabled(QtDebugMsg, true);
}
} // namespace

class TestOidcSignIn final : public QObject
{
    Q_OBJECT

    OidcProvider m_provider;
    QNetworkAccessManager m_network;

    OidcProviderInfo info() const
    {
        OidcProviderInfo p;
        p.id = QStringLiteral("testid");
        p.displayName = QStringLiteral("Test ID");
        p.issuer = m_provider.issuer();
        p.clientId = QStringLiteral("framecast-test");
        return p;
    }

    /// Runs a sign-in whose browser is `play` (called with the URL, later).
    SignInResult run(BrowserSignIn &flow, const std::function<void(const QUrl &)> &play)
    {
        flow.setBrowserOpener([play](const QUrl &url) {
            QTimer::singleShot(0, [play, url] { play(url); });
            return true;
        });
        QSignalSpy done(&flow, &BrowserSignIn::finished);
        flow.start(info());
        if (!done.wait(20000))
            return {};
        return done.first().first().value<SignInResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // As the app does: every message passes the redaction point, and
        // here every category's debug output is on, the wire included.
        qInstallMessageHandler(captureLog);
        redaction::installLogRedaction();
        QLoggingCategory::installFilter(everything);
        QString error;
        QVERIFY2(m_provider.start({}, &error), qPrintable(error));
    }

    void signsInWithPkce()
    {
        QString error;
        QVERIFY2(m_provider.setLogin(QStringLiteral("ada@example.com"), true, &error), qPrintable(error));
        BrowserSignIn flow(&m_network);
        BrowserPlayer::Result page;
        const SignInResult r = run(flow, [&page](const QUrl &url) { page = BrowserPlayer().open(url); });
        QVERIFY2(r.status == SignInResult::Status::Succeeded, qPrintable(r.message + m_provider.log()));
        // The browser was answered by the loopback listener with the page.
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("go back to Framecast"));
        // The provider put our nonce's hash in the id_token; the backend will
        // get the raw nonce.
        const QList<QByteArray> parts = r.idToken.split('.');
        QCOMPARE(parts.size(), 3);
        const QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding)).object();
        QCOMPARE(claims.value("nonce").toString().toLatin1(), s256(r.nonce));
        QCOMPARE(claims.value("email").toString(), QStringLiteral("ada@example.com"));
        QCOMPARE(claims.value("aud").toString(), QStringLiteral("framecast-test"));
        QCOMPARE(claims.value("iss").toString(), m_provider.issuer().toString());
        QVERIFY(m_provider.stat(QStringLiteral("token_requests")) >= 1);

        // No log line carries the code, the verifier, the raw nonce or the id_token.
        const QString code = QUrlQuery(page.redirect).queryItemValue(QStringLiteral("code"));
        QVERIFY(!code.isEmpty());
        QMutexLocker lock(&g_logMutex);
        const QString all = g_log.join(QLatin1Char('\n'));
        QVERIFY(all.contains(QLatin1String("signing in with testid"))); // the steps are logged
        for (const QString &secret : {code, QString::fromLatin1(r.idToken), QString::fromLatin1(r.nonce), QString::fromLatin1(parts.at(1))})
            QVERIFY2(!all.contains(secret), qPrintable(secret.left(12)));
    }

    void declined()
    {
        QString error;
        QVERIFY2(m_provider.denyLogins(&error), qPrintable(error));
        BrowserSignIn flow(&m_network);
        BrowserPlayer::Result page;
        const SignInResult r = run(flow, [&page](const QUrl &url) { page = BrowserPlayer().open(url); });
        QCOMPARE(int(r.status), int(SignInResult::Status::Refused));
        QCOMPARE(r.providerError, QStringLiteral("access_denied"));
        QVERIFY2(r.message.contains(QLatin1String("declined in the browser")), qPrintable(r.message));
        QCOMPARE(page.status, 400);
        QVERIFY(m_provider.setLogin(QStringLiteral("ada@example.com"), true));
    }

    void forgedStateRefused()
    {
        // The provider's real redirect, with another state: as a page that
        // sends a code of its own to the listener would.
        BrowserSignIn flow(&m_network);
        const SignInResult r = run(flow, [](const QUrl &url) {
            BrowserPlayer browser;
            const BrowserPlayer::Result hop = browser.follow(url);
            QUrl forged = hop.redirect;
            QUrlQuery q(forged);
            QVERIFY(q.hasQueryItem("code"));
            QVERIFY(q.hasQueryItem("iss")); // RFC 9207: the provider says who it is
            q.removeAllQueryItems("state");
            q.addQueryItem("state", "forged-state-value");
            forged.setQuery(q);
            browser.get(forged);
        });
        QCOMPARE(int(r.status), int(SignInResult::Status::Refused));
        QVERIFY2(r.message.contains(QLatin1String("state does not match")), qPrintable(r.message));
    }

    void wrongClientRefusedByTheProvider()
    {
        // A client the provider does not know: its error page, no redirect;
        // the sign-in then ends by its timeout, the port closed.
        OidcProviderInfo p = info();
        p.clientId = QStringLiteral("unknown-client");
        BrowserSignIn flow(&m_network);
        flow.setTimeoutMs(2000);
        BrowserPlayer::Result page;
        flow.setBrowserOpener([&page](const QUrl &url) {
            QTimer::singleShot(0, [&page, url] { page = BrowserPlayer().open(url); });
            return true;
        });
        QSignalSpy done(&flow, &BrowserSignIn::finished);
        flow.start(p);
        QVERIFY(done.wait(10000));
        QCOMPARE(int(done.first().first().value<SignInResult>().status), int(SignInResult::Status::TimedOut));
        QVERIFY(!page.ok());
        QVERIFY(!flow.receiver()->isListening());
    }
};

QTEST_GUILESS_MAIN(TestOidcSignIn)
#include "tst_oidcsignin.moc"
