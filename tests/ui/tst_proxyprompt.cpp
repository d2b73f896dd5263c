// SPDX-License-Identifier: GPL-3.0-or-later
// The window's prompt for a proxy that asks for credentials, driven in code
// against a REAL tinyproxy with BasicAuth in front of the demo backend: the
// dialog names the proxy, "Use" waits for a user name, the login goes on with
// what was typed and a job's REST, SSE and download calls are not asked again;
// "Remember" puts the login in the secret store under the proxy's host:port;
// wrong credentials are said once (no second dialog); Cancel is said too;
// logging in from the login dialog puts the prompt over that dialog.
#include "DemoTestConfig.h"
#include "ConnectionHelpers.h"
#include "RealServers.h"
#include "Screenshot.h"
#include "SecretStoreSync.h"
#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "login/LoginDialog.h"
#include "login/ProxyCredentialsDialog.h"
#include "mainwindow/MainWindow.h"
#include "net/ProxyAuthenticator.h"
#include "session/ProfileStore.h"
#include "session/Session.h"

#include <QCheckBox>
#include <QImage>
#include <QLineEdit>
#include <QNetworkProxyFactory>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace framecast;
using framecast::ui::ProxyCredentialsDialog;

namespace {

const QString kUser = QStringLiteral("alice");
const QString kPassword = QStringLiteral("s3cret-pass");

/// Secrets kept in memory but said to be persistent, so that the dialog
/// offers "Remember" (the real keychain: tst_proxyauth_keychain).
class KeepingStore final : public SecretStore
{
public:
    void read(const QString &profile, const QString &user, ReadCallback callback) override
    {
        const auto it = m_entries.constFind(keyFor(profile, user));
        const std::optional<Credentials> found = it == m_entries.cend() ? std::nullopt : std::optional<Credentials>(*it);
        QTimer::singleShot(0, this, [callback, found] { callback(found, {}); });
    }
    void write(const QString &profile, const QString &user, const Credentials &c, DoneCallback callback = {}) override
    {
        m_entries.insert(keyFor(profile, user), c);
        if (callback)
            QTimer::singleShot(0, this, [callback] { callback(true, {}); });
    }
    void remove(const QString &profile, const QString &user, DoneCallback callback = {}) override
    {
        m_entries.remove(keyFor(profile, user));
        if (callback)
            QTimer::singleShot(0, this, [callback] { callback(true, {}); });
    }
    bool isPersistent() const override { return true; }

private:
    QHash<QString, Credentials> m_entries;
};

} // namespace

class TestProxyPrompt final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_image;
    test::Tinyproxy m_proxy;
    std::unique_ptr<demo::DemoBackend> m_demo;

    ServerProfile profile() const
    {
        ServerProfile p;
        p.name = QStringLiteral("behind the company proxy");
        p.baseUrl = m_demo->baseUrl();
        p.wsUrl = m_demo->webSocketUrl();
        p.proxy = m_proxy.url();
        p.allowInsecureHttp = true;
        return p;
    }

    /// Runs `act` on the window's proxy dialog once it is shown. The dialog
    /// is answered inside the event loop that waits for it (Qt wants the
    /// credentials before the 407's signal returns), so the test acts from
    /// a timer, as a person's clicks would arrive, not after a wait returns.
    static void whenDialogShows(QWidget *window, std::function<void(ProxyCredentialsDialog *)> act)
    {
        auto *poll = new QTimer(window);
        poll->setInterval(20);
        QObject::connect(poll, &QTimer::timeout, window, [window, poll, act] {
            ProxyCredentialsDialog *dialog = window->findChild<ProxyCredentialsDialog *>();
            if (!dialog || !dialog->isVisible())
                return;
            poll->stop();
            poll->deleteLater();
            act(dialog);
        });
        poll->start();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
        QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
        QStandardPaths::setTestModeEnabled(true);
        ProfileStore().settings()->clear(); // the store's own file (FRAMECAST_SETTINGS)
        QString error;
        QVERIFY2(m_proxy.start(m_dir.path(), QStringLiteral("BasicAuth %1 %2").arg(kUser, kPassword), &error),
                 qPrintable(error));
        m_demo = std::make_unique<demo::DemoBackend>(test::fastDemoConfig(20));
        QVERIFY(m_demo->start());
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(20, 120, 90));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
        QNetworkProxyFactory::setUseSystemConfiguration(true);
    }

    void askedOnceAndRemembered()
    {
        KeepingStore store;
        Session session(m_dir.filePath(QStringLiteral("videos")));
        session.setSecretStore(&store);
        ui::MainWindow window(&session);
        window.show();
        QSignalSpy loggedIn(&session, &Session::loggedIn);
        QVERIFY(session.setProfile(profile()));
        QString message;
        bool okAtFirst = true;
        bool canRemember = false;
        whenDialogShows(&window, [&](ProxyCredentialsDialog *dialog) {
            message = dialog->message();
            okAtFirst = dialog->okButton()->isEnabled();
            canRemember = dialog->rememberBox()->isEnabled();
            QTest::keyClicks(dialog->userEdit(), kUser);
            QTest::keyClicks(dialog->passwordEdit(), kPassword);
            dialog->rememberBox()->setChecked(true);
            test::screenshot(dialog, QStringLiteral("proxy-login"));
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        });
        session.login(QStringLiteral("demo"), QStringLiteral("demo"));
        QVERIFY(loggedIn.wait(15000));
        QVERIFY2(message.contains(QStringLiteral("The proxy 127.0.0.1:%1 asks for a user name and password").arg(m_proxy.port)),
                 qPrintable(message));
        QVERIFY(!okAtFirst); // nothing typed yet
        QVERIFY(canRemember);
        // A job: upload, generate, its SSE stream (the pool's own manager)
        // and the download, all through the proxy, none asking again.
        Job *job = session.generate(test::heronJob(m_image));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!session.videoFile(job->id()).isEmpty() && QFile::exists(session.videoFile(job->id())), 20000);
        QCOMPARE(session.proxyAuthenticator()->promptCount(), 1);
        QVERIFY(m_proxy.logText().contains(QStringLiteral("GET %1/api/v1/videos/%2/stream")
                                               .arg(m_demo->baseUrl().toString(QUrl::StripTrailingSlash), job->id())));
        const auto kept = test::readBack(store, ProxyAuthenticator::keychainProfile(QStringLiteral("127.0.0.1:%1").arg(m_proxy.port)), QString());
        QVERIFY(kept);
        QCOMPARE(kept->username, kUser);
        QCOMPARE(kept->password, kPassword);
    }

    void wrongCredentialsAreSaidOnce()
    {
        Session session(m_dir.filePath(QStringLiteral("videos")));
        ui::MainWindow window(&session);
        window.show();
        QSignalSpy failed(&session, &Session::loginFailed);
        QVERIFY(session.setProfile(profile()));
        bool canRemember = true;
        whenDialogShows(&window, [&](ProxyCredentialsDialog *dialog) {
            canRemember = dialog->rememberBox()->isEnabled();
            QTest::keyClicks(dialog->userEdit(), kUser);
            QTest::keyClicks(dialog->passwordEdit(), QStringLiteral("not-the-password"));
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        });
        session.login(QStringLiteral("demo"), QStringLiteral("demo"));
        QVERIFY(failed.wait(15000));
        QCOMPARE(failed.first().first().toString(),
                 QStringLiteral("The proxy 127.0.0.1:%1 refused the user name and password").arg(m_proxy.port));
        QVERIFY(!canRemember); // no keychain given: nothing to remember in
        QCOMPARE(session.proxyAuthenticator()->promptCount(), 1);
        QTRY_VERIFY(!window.findChild<ProxyCredentialsDialog *>()); // closed, and no other one
    }

    void askedOverTheLoginDialog()
    {
        const QString saveError = ProfileStore().save(profile());
        QVERIFY2(saveError.isEmpty(), qPrintable(saveError));
        Session session(m_dir.filePath(QStringLiteral("videos")));
        ui::MainWindow window(&session);
        window.show();
        QSignalSpy loggedIn(&session, &Session::loggedIn);
        ui::LoginDialog *login = window.showLogin(profile().name);
        QVERIFY(login);
        QWidget *over = nullptr;
        whenDialogShows(&window, [&](ProxyCredentialsDialog *dialog) {
            over = dialog->parentWidget();
            QTest::keyClicks(dialog->userEdit(), kUser);
            QTest::keyClicks(dialog->passwordEdit(), kPassword);
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        });
        login->setCredentials(QStringLiteral("demo"), QStringLiteral("demo"));
        QTest::mouseClick(login->loginButton(), Qt::LeftButton);
        QVERIFY(loggedIn.wait(15000));
        QCOMPARE(over, static_cast<QWidget *>(login)); // over the dialog the person is using
        QCOMPARE(session.proxyAuthenticator()->promptCount(), 1);
    }

    void cancelIsSaid()
    {
        Session session(m_dir.filePath(QStringLiteral("videos")));
        ui::MainWindow window(&session);
        window.show();
        QSignalSpy failed(&session, &Session::loginFailed);
        QVERIFY(session.setProfile(profile()));
        whenDialogShows(&window, [](ProxyCredentialsDialog *dialog) { dialog->reject(); });
        session.login(QStringLiteral("demo"), QStringLiteral("demo"));
        QVERIFY(failed.wait(15000));
        QCOMPARE(failed.first().first().toString(),
                 QStringLiteral("The proxy 127.0.0.1:%1 asks for a user name and password").arg(m_proxy.port));
    }
};

QTEST_MAIN(TestProxyPrompt)
#include "tst_proxyprompt.moc"
