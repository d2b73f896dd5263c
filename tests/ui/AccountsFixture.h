// SPDX-License-Identifier: GPL-3.0-or-later
// What the tst_accounts* tests share: a demo backend with a second user
// behind a saved profile, an in-memory secret store standing in for the
// keychain across "launches" of the real window, and the job history file
// those launches share (launch(), logInThroughTheDialog(), rememberLogin()).
#pragma once

#include "DemoTestConfig.h"
#include "HttpTestClient.h"
#include "SecretStoreSync.h"
#include "demo/DemoBackend.h"
#include "demo/EmbeddedDemo.h"
#include "ledger/Ledger.h"
#include "login/LoginDialog.h"
#include "mainwindow/MainWindow.h"
#include "security/SecretStore.h"
#include "session/ProfileStore.h"
#include "session/Session.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace framecast::test {

using framecast::ui::LoginDialog;
using framecast::ui::MainWindow;

/// The fixture: derived test classes inherit initTestCase(), init() and cleanup().
class AccountsFixture : public QObject
{
    Q_OBJECT

protected:
    static inline const QString kProfile = QStringLiteral("Local studio");
    static inline const QString kUser = QStringLiteral("mei");
    static inline const QString kPassword = QStringLiteral("Lantern-Harbor-77");

    QTemporaryDir m_dir;
    std::unique_ptr<demo::DemoBackend> m_backend;
    std::unique_ptr<Ledger> m_ledger;
    std::unique_ptr<MemorySecretStore> m_secrets; ///< stands in for the keychain across "launches"
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
    QString m_image;

    QString ledgerPath() const { return m_dir.filePath(QStringLiteral("ledger.sqlite")); }
    QString serverKey() const { return m_backend->baseUrl().toString(); }

    /// One launch of the app, as main() wires it.
    void launch(bool restore = true)
    {
        m_window.reset();
        m_session.reset();
        m_ledger = std::make_unique<Ledger>();
        QVERIFY(m_ledger->open(ledgerPath()));
        m_session = std::make_unique<Session>(m_dir.filePath(QStringLiteral("videos")));
        m_session->setEmbeddedServerFactory(demo::embeddedDemoFactory());
        m_session->setLedger(m_ledger.get());
        m_session->setSecretStore(m_secrets.get());
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        if (restore)
            m_window->restoreSession();
    }

    void logInThroughTheDialog(bool remember)
    {
        LoginDialog *dialog = m_window->showLogin(kProfile);
        QCOMPARE(dialog->profile().name, kProfile);
        dialog->setCredentials(kUser, kPassword);
        dialog->rememberBox()->setChecked(remember);
        QTest::mouseClick(dialog->loginButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->isLoggedIn(), 10000);
    }

    bool loggedInAsMei() const { return m_window->accountText().contains(kUser); }

    /// The app as it was left by a run that logged in and then closed.
    void rememberLogin()
    {
        HttpTestClient client(m_backend->baseUrl());
        const QByteArray token = client.login(kUser, kPassword).json().value(QStringLiteral("access_token")).toString().toUtf8();
        QVERIFY(writeSync(*m_secrets, kProfile, kUser, Credentials{token, {}}, nullptr, 5000));
        ProfileStore().setLastLogin(kProfile, kUser);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
        QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(200, 120, 40));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
    }

    void init()
    {
        ProfileStore().settings()->clear();
        QFile::remove(ledgerPath());
        demo::DemoConfig config = test::fastDemoConfig(30);
        config.users.append({kUser, kPassword, 5000, true});
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
        m_ledger.reset();
        m_backend.reset();
    }
};

} // namespace framecast::test
