// SPDX-License-Identifier: GPL-3.0-or-later
// "Sign in with Google" in the real window, end to end: the demo backend
// trusting a real OpenID provider (oidc-provider from npm), the system
// browser intercepted with QDesktopServices::setUrlHandler and played by
// BrowserPlayer with plain HTTP. Screenshots: the dialog with the button,
// the waiting state, signed in.
#include "BrowserPlayer.h"
#include "DemoTestConfig.h"
#include "OidcProvider.h"
#include "Screenshot.h"
#include "SecretStoreSync.h"
#include "demo/DemoBackend.h"
#include "login/BrowserSignInPanel.h"
#include "login/LoginDialog.h"
#include "mainwindow/MainWindow.h"
#include "security/SecretStore.h"
#include "session/ProfileStore.h"
#include "session/Session.h"

#include <QDesktopServices>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace framecast;
using namespace framecast::test;
using framecast::ui::LoginDialog;
using framecast::ui::MainWindow;

/// The "system browser": QDesktopServices hands it every http URL.
class BrowserStub final : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> opened;

public Q_SLOTS:
    void open(const QUrl &url) { opened << url; }
};

class TestBrowserLogin final : public QObject
{
    Q_OBJECT

    static inline const QString kProfile = QStringLiteral("Google studio");
    static inline const QString kEmail = QStringLiteral("mei.lin@example.com");

    QTemporaryDir m_dir;
    OidcProvider m_provider;
    std::unique_ptr<demo::DemoBackend> m_backend;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
    BrowserStub m_browser;

    void launch(bool restore)
    {
        m_window.reset();
        m_session.reset();
        m_session = std::make_unique<Session>(m_dir.filePath(QStringLiteral("videos")));
        m_session->setSecretStore(m_secrets.get());
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->resize(1100, 720);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        if (restore)
            m_window->restoreSession();
    }

    /// The login dialog on the Google profile, its button there.
    QPushButton *googleButton(LoginDialog *dialog)
    {
        [&] { QTRY_VERIFY_WITH_TIMEOUT(dialog->browserPanel()->button(QStringLiteral("google")), 10000); }();
        return dialog->browserPanel()->button(QStringLiteral("google"));
    }

    /// Presses the button; returns the URL the browser was sent to.
    QUrl press(LoginDialog *dialog)
    {
        m_browser.opened.clear();
        QPushButton *button = googleButton(dialog);
        if (!button)
            return {};
        QTest::mouseClick(button, Qt::LeftButton);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(m_browser.opened.size(), 1, 10000); }();
        return m_browser.opened.value(0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
        QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
        QString error;
        QVERIFY2(m_provider.start({}, &error), qPrintable(error));
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_browser, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_browser, "open");
    }
    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    }

    void init()
    {
        ProfileStore().settings()->clear(); // the store's own file (FRAMECAST_SETTINGS)
        QVERIFY(m_provider.setLogin(kEmail, true));
        demo::DemoConfig config = fastDemoConfig(30);
        demo::DemoOidcSpec oidc;
        oidc.id = QStringLiteral("google");
        oidc.displayName = QStringLiteral("Google");
        oidc.issuer = m_provider.issuer();
        oidc.clientIds = {QStringLiteral("framecast-test")};
        config.oidc = oidc;
        m_backend = std::make_unique<demo::DemoBackend>(config);
        QVERIFY(m_backend->start());
        ServerProfile profile;
        profile.name = kProfile;
        profile.baseUrl = m_backend->baseUrl();
        QCOMPARE(ProfileStore().save(profile), QString());
        m_secrets = std::make_unique<MemorySecretStore>();
    }
    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        m_backend.reset();
    }

    void signsInThroughTheBrowser()
    {
        launch(false);
        LoginDialog *dialog = m_window->showLogin(kProfile);
        QPushButton *button = googleButton(dialog);
        QVERIFY(button);
        QCOMPARE(button->text(), QStringLiteral("Sign in with Google"));
        QVERIFY(!button->icon().isNull()); // the G
        QVERIFY(dialog->showsPasswordFields()); // the server also takes passwords
        screenshot(dialog, QStringLiteral("signin-dialog"));

        const QUrl url = press(dialog);
        QCOMPARE(url.host(), m_provider.issuer().host());
        QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QTRY_VERIFY(dialog->browserPanel()->isWaiting());
        QVERIFY(dialog->browserPanel()->waitingText().contains(QLatin1String("Waiting for the browser")));
        QVERIFY(dialog->browserPanel()->cancelButton()->isVisible());
        screenshot(dialog, QStringLiteral("signin-waiting"));

        const BrowserPlayer::Result page = BrowserPlayer().open(url);
        QCOMPARE(page.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->isLoggedIn(), 15000);
        QCOMPARE(m_session->user().value(QStringLiteral("email")).toString(), kEmail);
        QTRY_VERIFY(!dialog->isVisible());
        QVERIFY(m_window->accountText().contains(m_session->username()));
        screenshot(m_window.get(), QStringLiteral("signin-done"));

        // The profile remembers how, and the keychain the backend's token.
        const auto saved = ProfileStore().find(kProfile);
        QVERIFY(saved);
        QCOMPARE(int(saved->auth), int(ServerProfile::Auth::Browser));
        QCOMPARE(saved->oidcProvider, QStringLiteral("google"));
        const auto kept = readBack(*m_secrets, kProfile, m_session->username());
        QVERIFY(kept);
        QVERIFY(!kept->token.isEmpty());
        QVERIFY(kept->password.isEmpty());

        // Next launch: the kept token signs in again, no browser.
        m_browser.opened.clear();
        launch(true);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->isLoggedIn(), 10000);
        QVERIFY(m_browser.opened.isEmpty());
    }

    void expiredTokenLeadsBackToTheButton()
    {
        ServerProfile p = *ProfileStore().find(kProfile);
        p.auth = ServerProfile::Auth::Browser;
        p.oidcProvider = QStringLiteral("google");
        QCOMPARE(ProfileStore().save(p), QString());
        QVERIFY(writeSync(*m_secrets, kProfile, kEmail, Credentials{"expired-or-revoked-token", {}}, nullptr, 5000));
        ProfileStore().setLastLogin(kProfile, kEmail);
        launch(true);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->loginDialog() && m_window->loginDialog()->isVisible(), 10000);
        LoginDialog *dialog = m_window->loginDialog();
        QVERIFY(googleButton(dialog));
        QTRY_VERIFY(googleButton(dialog)->isVisible());
        // Not squeezed: the dialog made room for it (Google's button is 40 px high).
        QTRY_VERIFY2(dialog->browserPanel()->height() >= 40, qPrintable(QString::number(dialog->browserPanel()->height())));
        QVERIFY(!dialog->showsPasswordFields());
        QVERIFY(!dialog->loginButton()->isVisible());
        QTest::qWait(500); // a real X server shows the grown dialog a little later
        screenshot(dialog, QStringLiteral("signin-expired"));
        // And the button signs in again.
        const QUrl url = press(dialog);
        QCOMPARE(BrowserPlayer().open(url).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->isLoggedIn(), 15000);
    }

    void cancel()
    {
        launch(false);
        LoginDialog *dialog = m_window->showLogin(kProfile);
        const QUrl url = press(dialog);
        QTRY_VERIFY(dialog->browserPanel()->isWaiting());
        const QUrl redirect(QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        QTest::mouseClick(dialog->browserPanel()->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(dialog->errorText().contains(QLatin1String("cancelled")));
        QVERIFY(!dialog->browserPanel()->isWaiting());
        QVERIFY(dialog->browserPanel()->button(QStringLiteral("google"))->isVisible());
        // The browser coming back late finds the port closed.
        QVERIFY(BrowserPlayer(3000).open(url).status != 200);
        QVERIFY(!m_session->isLoggedIn());
        Q_UNUSED(redirect)
    }

    void declinedInTheBrowser()
    {
        QVERIFY(m_provider.denyLogins());
        launch(false);
        LoginDialog *dialog = m_window->showLogin(kProfile);
        const QUrl url = press(dialog);
        QCOMPARE(BrowserPlayer().open(url).status, 400);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(QLatin1String("declined in the browser")), 10000);
        QVERIFY(!dialog->browserPanel()->isWaiting());
        QVERIFY(!m_session->isLoggedIn());
    }

    void unverifiedEmailRefusedByTheBackend()
    {
        QVERIFY(m_provider.setLogin(QStringLiteral("nobody@example.com"), false));
        launch(false);
        LoginDialog *dialog = m_window->showLogin(kProfile);
        const QUrl url = press(dialog);
        QCOMPARE(BrowserPlayer().open(url).status, 200); // the provider signed in; the backend refuses
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->errorText().isEmpty(), 10000);
        QVERIFY2(dialog->errorText().contains(QLatin1String("email"), Qt::CaseInsensitive), qPrintable(dialog->errorText()));
        QVERIFY(!m_session->isLoggedIn());
    }
};

QTEST_MAIN(TestBrowserLogin)
#include "tst_browserlogin.moc"
