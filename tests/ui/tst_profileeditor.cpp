// SPDX-License-Identifier: GPL-3.0-or-later
// The profile editor's CA and proxy fields, driven in code: a PEM file shows
// each certificate's subject and SHA-256 fingerprint (checked against the
// openssl CLI's), a file that is not PEM or cannot be read is said and cannot
// be saved; the proxy field takes system, none or a proxy URL, refuses
// anything else (and a URL with a password in it, which would land in the
// settings file), and what is saved through the login dialog's "Add server…"
// is what the profile store reads back.
#include "RealServers.h"
#include "Screenshot.h"
#include "login/LoginDialog.h"
#include "session/ProfileStore.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace framecast;
using framecast::ui::LoginDialog;
using framecast::ui::ProfileEditor;

namespace {

template<typename T>
T *byName(QWidget *parent, const QString &accessibleName)
{
    const QList<T *> all = parent->findChildren<T *>();
    for (T *w : all)
        if (w->accessibleName() == accessibleName)
            return w;
    return nullptr;
}

QPushButton *saveButton(ProfileEditor *editor)
{
    return editor->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
}

} // namespace

class TestProfileEditor final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TestCa m_ca;

    static ServerProfile someServer()
    {
        ServerProfile p;
        p.name = QStringLiteral("studio");
        p.baseUrl = QUrl(QStringLiteral("https://studio.example.com"));
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
        QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
        QStandardPaths::setTestModeEnabled(true);
        QString log;
        QVERIFY2(test::makeTestCa(m_dir.path(), &m_ca, &log), qPrintable(log));
        QFile notes(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("these are notes, not a certificate\n");
    }

    void init() { ProfileStore().settings()->clear(); } // the store's own file (FRAMECAST_SETTINGS)

    void caFileShowsSubjectAndFingerprint()
    {
        ProfileEditor editor(someServer());
        editor.show();
        QLineEdit *ca = byName<QLineEdit>(&editor, QStringLiteral("CA certificate file"));
        QVERIFY(ca);
        QTest::keyClicks(ca, m_ca.caPem);
        // The fingerprint as openssl prints it: "sha256 Fingerprint=AB:CD:…".
        QString out;
        QProcess openssl;
        openssl.start(test::findProgram(QStringLiteral("openssl")),
                      {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"), QStringLiteral("-sha256"),
                       QStringLiteral("-in"), m_ca.caPem});
        QVERIFY(openssl.waitForFinished(20000));
        out = QString::fromLatin1(openssl.readAllStandardOutput()).trimmed();
        const QString fingerprint = out.mid(out.indexOf(QLatin1Char('=')) + 1).toUpper();
        QCOMPARE(fingerprint.count(QLatin1Char(':')), 31);
        const QString info = editor.certificateInfo();
        QVERIFY2(info.contains(QLatin1String("Framecast Test CA")), qPrintable(info));
        QVERIFY2(info.contains(QStringLiteral("SHA-256 ") + fingerprint), qPrintable(info + QLatin1Char('\n') + fingerprint));
        test::screenshot(&editor, QStringLiteral("profile-editor-ca"));
        QTest::mouseClick(saveButton(&editor), Qt::LeftButton);
        QCOMPARE(editor.result(), int(QDialog::Accepted));
        QCOMPARE(editor.profile().caCertificate, m_ca.caPem);
    }

    void badCaFileIsSaid_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("not PEM") << m_dir.filePath(QStringLiteral("notes.txt")) << QStringLiteral("is not a PEM certificate file");
        QTest::newRow("missing") << QStringLiteral("/nonexistent/ca.pem") << QStringLiteral("Cannot read the certificate file");
        QTest::newRow("a key, not a certificate") << m_ca.serverKey << QStringLiteral("is not a PEM certificate file");
    }
    void badCaFileIsSaid()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        ProfileEditor editor(someServer());
        editor.show();
        QTest::keyClicks(byName<QLineEdit>(&editor, QStringLiteral("CA certificate file")), file);
        QVERIFY2(editor.certificateInfo().startsWith(QStringLiteral("✖ ")), qPrintable(editor.certificateInfo()));
        QVERIFY2(editor.certificateInfo().contains(message), qPrintable(editor.certificateInfo()));
        QTest::mouseClick(saveButton(&editor), Qt::LeftButton);
        QVERIFY(editor.isVisible()); // not saved
        QVERIFY2(editor.status().contains(message), qPrintable(editor.status()));
    }

    void proxyIsValidatedAndSaved_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("saved"); ///< empty: refused
        QTest::addColumn<QString>("message");
        QTest::newRow("system") << "system" << "system" << QString();
        QTest::newRow("empty is system") << "" << "system" << QString();
        QTest::newRow("none") << "none" << "none" << QString();
        QTest::newRow("url") << "http://proxy.example.com:3128" << "http://proxy.example.com:3128" << QString();
        QTest::newRow("socks5") << "socks5://127.0.0.1:1080" << "socks5://127.0.0.1:1080" << QString();
        QTest::newRow("no scheme") << "proxy:3128" << QString() << "The proxy must be \"system\", \"none\" or a URL";
        QTest::newRow("ftp") << "ftp://proxy.example.com:21" << QString() << "The proxy must be";
        QTest::newRow("password in it") << "http://alice:pw@proxy.example.com:3128" << QString()
                                        << "Leave the user name and password out of the proxy address";
    }
    void proxyIsValidatedAndSaved()
    {
        QFETCH(QString, typed);
        QFETCH(QString, saved);
        QFETCH(QString, message);
        LoginDialog login;
        login.show();
        QString status;
        bool closedBySave = false;
        // The editor runs in its own exec(): drive it from inside that loop.
        QTimer::singleShot(0, &login, [&] {
            ProfileEditor *editor = login.findChild<ProfileEditor *>();
            QVERIFY(editor);
            QLineEdit *name = byName<QLineEdit>(editor, QStringLiteral("Server name"));
            QLineEdit *url = byName<QLineEdit>(editor, QStringLiteral("Server address"));
            QLineEdit *proxy = byName<QLineEdit>(editor, QStringLiteral("Proxy"));
            QVERIFY(name && url && proxy);
            QTest::keyClicks(name, QStringLiteral("behind a proxy"));
            url->clear();
            QTest::keyClicks(url, QStringLiteral("https://studio.example.com"));
            proxy->clear();
            QTest::keyClicks(proxy, typed);
            QTest::mouseClick(saveButton(editor), Qt::LeftButton);
            closedBySave = !editor->isVisible();
            status = editor->status();
            if (editor->isVisible())
                editor->reject();
        });
        QTest::mouseClick(byName<QPushButton>(&login, QStringLiteral("Add a server")), Qt::LeftButton);
        const auto stored = ProfileStore().find(QStringLiteral("behind a proxy"));
        if (saved.isEmpty()) {
            QVERIFY2(!closedBySave, qPrintable(status));
            QVERIFY2(status.contains(message), qPrintable(status));
            QVERIFY(!stored);
        } else {
            QVERIFY2(closedBySave, qPrintable(status));
            QVERIFY(stored);
            QCOMPARE(stored->proxy, saved);
        }
    }
};

QTEST_MAIN(TestProfileEditor)
#include "tst_profileeditor.moc"
