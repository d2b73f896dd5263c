// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts and security in the real window: the last login restored from the
// secret store (or the login dialog when it expired), logout, a remembered
// password, the no-keychain notice, plain http refused, and no secret in any
// log line of a full run. Unfinished jobs and the History tab:
// tst_accounts_history.
#include "AccountsFixture.h"
#include "Screenshot.h"
#include "security/Redaction.h"

#include <QLineEdit>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSettings>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>
#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h> // the C runtime's _dup, _dup2, _close, _lseeki64, _read
#else
#include <unistd.h>
#endif

using namespace framecast;
using namespace framecast::ui;
using namespace framecast::test;

namespace {

// The few descriptor calls below, on POSIX and on the Windows C runtime.
#ifdef Q_OS_WIN
int dupFd(int fd) { return ::_dup(fd); }
int dup2Fd(int from, int to) { return ::_dup2(from, to); }
int closeFd(int fd) { return ::_close(fd); }
qint64 endOf(int fd) { return ::_lseeki64(fd, 0, SEEK_END); }
qint64 readAt(int fd, char *into, qint64 size, qint64 from)
{
    if (::_lseeki64(fd, from, SEEK_SET) < 0)
        return -1;
    return ::_read(fd, into, unsigned(size));
}
#else
int dupFd(int fd) { return ::dup(fd); }
int dup2Fd(int from, int to) { return ::dup2(from, to); }
int closeFd(int fd) { return ::close(fd); }
qint64 endOf(int fd) { return qint64(::lseek(fd, 0, SEEK_END)); }
qint64 readAt(int fd, char *into, qint64 size, qint64 from) { return qint64(::pread(fd, into, size_t(size), off_t(from))); }
#endif

/// Sends stdout and stderr to `fd` until destroyed, then puts the real ones
/// back, also when a failing QVERIFY/QTRY leaves the test function early.
/// QtTest writes a failure message as it happens, into `fd`: when the test has
/// failed, the end of what was captured is copied to the real stdout, so the
/// message is not lost with the capture.
struct RedirectedStdStreams
{
    explicit RedirectedStdStreams(int captureFd)
        : fd(captureFd)
    {
        std::fflush(stdout);
        std::fflush(stderr);
        savedOut = dupFd(1);
        savedErr = dupFd(2);
        dup2Fd(captureFd, 1); // QtTest prints messages to stdout,
        dup2Fd(captureFd, 2); // Qt's default handler to stderr
    }
    ~RedirectedStdStreams()
    {
        std::fflush(stdout);
        std::fflush(stderr);
        dup2Fd(savedOut, 1);
        dup2Fd(savedErr, 2);
        closeFd(savedOut);
        closeFd(savedErr);
        if (QTest::currentTestFailed()) {
            const qint64 end = endOf(fd);
            const qint64 from = std::max<qint64>(0, end - 8192);
            QByteArray tail(qsizetype(std::max<qint64>(0, end - from)), Qt::Uninitialized);
            const qint64 n = readAt(fd, tail.data(), tail.size(), from);
            tail.resize(qsizetype(std::max<qint64>(0, n)));
            std::fprintf(stdout, "--- the end of the captured output ---\n%s\n---\n", tail.constData());
            std::fflush(stdout);
        }
    }
    RedirectedStdStreams(const RedirectedStdStreams &) = delete;
    RedirectedStdStreams &operator=(const RedirectedStdStreams &) = delete;
    int fd;
    int savedOut = -1;
    int savedErr = -1;
};


} // namespace

class TestAccounts final : public AccountsFixture
{
    Q_OBJECT

private Q_SLOTS:
    void restoresTheLastLoginOnLaunch()
    {
        launch(false);
        logInThroughTheDialog(false);
        // The token is kept (in the secret store, never in settings); the password is not.
        const auto saved = readBack(*m_secrets, kProfile, kUser, nullptr, 5000);
        QVERIFY(saved && !saved->token.isEmpty());
        QVERIFY(saved->password.isEmpty());
        QCOMPARE(ProfileStore().lastLogin()->user, kUser);
        const auto settings = ProfileStore().settings();
        for (const QString &key : settings->allKeys())
            QVERIFY2(!settings->value(key).toString().contains(QString::fromUtf8(saved->token)), qPrintable(key));

        launch(); // the next launch
        QTRY_VERIFY_WITH_TIMEOUT(loggedInAsMei(), 10000);
        QVERIFY(!m_window->loginDialog() || !m_window->loginDialog()->isVisible());
        QCOMPARE(m_session->profile().name, kProfile);
    }

    void logoutForgetsTheKeptLogin()
    {
        launch(false);
        logInThroughTheDialog(true);
        QVERIFY(readBack(*m_secrets, kProfile, kUser, nullptr, 5000));
        m_session->logout();
        QVERIFY(!m_session->isLoggedIn());
        QVERIFY(m_window->accountText().contains(QLatin1String("Not logged in")));
        QVERIFY(!readBack(*m_secrets, kProfile, kUser, nullptr, 5000)); // forgotten
        launch(); // the next launch asks instead of restoring (and does not fall back to the demo)
        QTRY_VERIFY_WITH_TIMEOUT(m_window->loginDialog() && m_window->loginDialog()->isVisible(), 5000);
        QCOMPARE(m_window->loginDialog()->profile().name, kProfile);
        QVERIFY(!m_session->isLoggedIn());
    }

    void expiredTokenOpensTheLoginOnItsProfile()
    {
        rememberLogin();
        m_backend->accounts().revokeAllTokens();
        launch();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->loginDialog() && m_window->loginDialog()->isVisible(), 10000);
        QCOMPARE(m_window->loginDialog()->profile().name, kProfile);
        QVERIFY2(m_window->loginDialog()->errorText().contains(QLatin1String("expired")),
                 qPrintable(m_window->loginDialog()->errorText()));
        QVERIFY(!m_session->isLoggedIn());
    }

    void rememberedPasswordLogsInAgain()
    {
        launch(false);
        logInThroughTheDialog(true);
        const QByteArray first = readBack(*m_secrets, kProfile, kUser, nullptr, 5000)->token;
        QCOMPARE(readBack(*m_secrets, kProfile, kUser, nullptr, 5000)->password, kPassword);
        m_backend->accounts().revokeAllTokens();
        launch();
        QTRY_VERIFY_WITH_TIMEOUT(loggedInAsMei(), 10000);
        QVERIFY(!m_window->loginDialog() || !m_window->loginDialog()->isVisible());
        const QByteArray second = readBack(*m_secrets, kProfile, kUser, nullptr, 5000)->token;
        QVERIFY(!second.isEmpty() && second != first);
    }

    void noKeychainIsSaidSo()
    {
        m_secrets = std::make_unique<MemorySecretStore>(QStringLiteral("no D-Bus session"));
        launch(false);
        QVERIFY2(m_window->keychainNotice().contains(QLatin1String("no D-Bus session")), qPrintable(m_window->keychainNotice()));
        LoginDialog *dialog = m_window->showLogin(kProfile);
        QVERIFY(dialog->keychainNote().contains(QLatin1String("kept in memory")));
        QVERIFY(dialog->findChild<QLineEdit *>()); // no demo credentials carried over to this server
        for (QLineEdit *field : dialog->findChildren<QLineEdit *>())
            QVERIFY2(field->text() != QLatin1String("demo"), qPrintable(field->accessibleName()));
        screenshot(dialog, QStringLiteral("login-no-keychain"));
    }

    void plainHttpIsRefusedUnlessAllowed()
    {
        ServerProfile remote;
        remote.name = QStringLiteral("Remote");
        remote.baseUrl = QUrl(QStringLiteral("http://192.0.2.10:8000"));
        QVERIFY(ProfileStore::validate(remote).contains(QLatin1String("https")));
        QVERIFY(!ProfileStore().save(remote).isEmpty());
        Session session(m_dir.filePath(QStringLiteral("v")));
        QString error;
        QVERIFY(!session.setProfile(remote, &error));
        QVERIFY(error.contains(QLatin1String("192.0.2.10")));
        // A plain-ws WebSocket to another host is refused as well.
        ServerProfile ws = remote;
        ws.baseUrl = QUrl(QStringLiteral("https://192.0.2.10"));
        ws.dialect = Dialect::WebSocket;
        ws.wsUrl = QUrl(QStringLiteral("ws://192.0.2.10/ws"));
        QVERIFY(!ProfileStore::validate(ws).isEmpty());
        // Loopback is fine over http; so is a host the profile explicitly allows, with a warning.
        remote.allowInsecureHttp = true;
        QCOMPARE(ProfileStore().save(remote), QString());
        QVERIFY(ProfileStore().find(QStringLiteral("Remote"))->allowInsecureHttp);

        launch(false);
        logInThroughTheDialog(false); // loopback over http: no warning
        QVERIFY(m_window->securityWarning().isEmpty());
        QVERIFY(m_session->setProfile(remote, &error));
        QVERIFY2(m_window->securityWarning().contains(QLatin1String("192.0.2.10")), qPrintable(m_window->securityWarning()));
        screenshot(m_window.get(), QStringLiteral("insecure-warning"));
    }

    void noSecretInAnyLogLine()
    {
        // Everything the app logs, at every level, passes the redaction point.
        redaction::installLogRedaction();
        // Every category at every level (a filter, so QT_LOGGING_RULES cannot veto it).
        const QLoggingCategory::CategoryFilter previousFilter = QLoggingCategory::installFilter([](QLoggingCategory *category) {
            for (QtMsgType type : {QtDebugMsg, QtInfoMsg, QtWarningMsg, QtCriticalMsg})
                category->setEnabled(type, true);
        });
        // Put back on every way out of this function, a failed check too.
        const auto restoreFilter = qScopeGuard([previousFilter] { QLoggingCategory::installFilter(previousFilter); });
        ServerProfile profile = *ProfileStore().find(kProfile);
        profile.tokenInQuery = true; // the token travels in stream URLs too
        QCOMPARE(ProfileStore().save(profile), QString());
        QTemporaryFile capture;
        QVERIFY(capture.open());
        {
            // Restored however the block is left: a failing QTRY returns from
            // this function, and its message must reach the real stdout.
            const RedirectedStdStreams redirect(capture.handle());
            launch(false);
            logInThroughTheDialog(true);
            JobParams p;
            p.prompt = QStringLiteral("Snow falling on a quiet harbour");
            p.imagePath = m_image;
            Job *job = m_session->generate(p);
            QTRY_VERIFY_WITH_TIMEOUT(!m_session->videoFile(job->id()).isEmpty(), 30000);
            m_backend->accounts().revokeAllTokens();
            launch(); // restored from the secret store, re-login with the remembered password
            QTRY_VERIFY_WITH_TIMEOUT(loggedInAsMei(), 10000);
            m_window.reset();
            m_session.reset();
        }
        capture.seek(0);
        const QByteArray log = capture.readAll();
        QVERIFY2(log.size() > 2000, log.constData()); // it did log, plenty
        QVERIFY(log.contains("framecast.net"));
        QVERIFY(log.contains("REDACTED")); // token-bearing lines were there, and redacted
        const QList<QByteArray> tokens = m_backend->accounts().issuedTokens();
        QVERIFY(tokens.size() >= 2);
        for (const QByteArray &token : tokens)
            QVERIFY2(!log.contains(token), "a token reached the log");
        QVERIFY2(!log.contains(kPassword.toUtf8()), "the password reached the log");
        std::printf("captured %lld bytes of log, %lld redactions\n", qint64(log.size()), qint64(log.count("REDACTED")));
    }
};

QTEST_MAIN(TestAccounts)
#include "tst_accounts.moc"
