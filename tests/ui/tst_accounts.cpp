// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts, the job ledger and security in the real window: the last login
// restored from the secret store (or the login dialog when it expired),
// unfinished jobs picked up on launch (running, completed meanwhile, lost,
// and one whose app was killed), the History tab, plain http refused, and
// no secret in any log line of a full run.
#include "DemoTestConfig.h"
#include "HttpTestClient.h"
#include "Screenshot.h"
#include "SecretStoreSync.h"
#include "demo/DemoBackend.h"
#include "demo/EmbeddedDemo.h"
#include "history/HistoryView.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "ledger/JobRecorder.h"
#include "ledger/Ledger.h"
#include "login/LoginDialog.h"
#include "mainwindow/MainWindow.h"
#include "player/VideoPlayer.h"
#include "security/Redaction.h"
#include "security/SecretStore.h"
#include "session/ProfileStore.h"
#include "session/Session.h"

#include <QBuffer>
#include <QCheckBox>
#include <QScopeGuard>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace framecast;
using namespace framecast::ui;
using framecast::test::HttpTestClient;
using framecast::test::readBack;
using framecast::test::screenshot;
using framecast::test::writeSync;

namespace {

const QString kProfile = QStringLiteral("Local studio");
const QString kUser = QStringLiteral("mei");
const QString kPassword = QStringLiteral("Lantern-Harbor-77");

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
        savedOut = ::dup(1);
        savedErr = ::dup(2);
        ::dup2(captureFd, 1); // QtTest prints messages to stdout,
        ::dup2(captureFd, 2); // Qt's default handler to stderr
    }
    ~RedirectedStdStreams()
    {
        std::fflush(stdout);
        std::fflush(stderr);
        ::dup2(savedOut, 1);
        ::dup2(savedErr, 2);
        ::close(savedOut);
        ::close(savedErr);
        if (QTest::currentTestFailed()) {
            const off_t end = ::lseek(fd, 0, SEEK_END);
            const off_t from = std::max<off_t>(0, end - 8192);
            QByteArray tail(end - from, Qt::Uninitialized);
            const ssize_t n = ::pread(fd, tail.data(), tail.size(), from);
            tail.resize(std::max<ssize_t>(0, n));
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

class TestAccounts final : public QObject
{
    Q_OBJECT

private:
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

    /// Starts a job directly on the server (as an earlier run of the app did).
    QString startJobOnServer(HttpTestClient &client)
    {
        QFile f(m_image);
        f.open(QIODevice::ReadOnly);
        const auto up = client.upload(f.readAll(), "ref.png", "image/png");
        const auto job = client.post(QStringLiteral("/api/v1/videos/generate"),
                                     {{QStringLiteral("prompt"), QStringLiteral("Koi under a frozen pond")},
                                      {QStringLiteral("reference_image_url"), up.json().value(QStringLiteral("url"))}});
        return job.json().value(QStringLiteral("id")).toString();
    }

    /// What the ledger of an earlier run held for a job it was watching.
    void recordRunning(const QString &serverId, const QString &prompt)
    {
        Ledger ledger;
        QVERIFY(ledger.open(ledgerPath()));
        LedgerEntry e;
        e.profile = kProfile;
        e.baseUrl = serverKey();
        e.username = kUser;
        e.serverId = serverId;
        e.params.prompt = prompt;
        e.params.imagePath = m_image;
        QFile image(m_image);
        QVERIFY(image.open(QIODevice::ReadOnly));
        e.thumbnail = JobRecorder::thumbnailOf(image.readAll());
        e.state = Job::State::Running;
        e.createdAt = QDateTime::currentDateTimeUtc();
        e.step = 1;
        e.totalSteps = 9;
        e.log = {Job::LogEntry{1, {}, e.createdAt, QStringLiteral("🔍 Validating request parameters...")}}; // the seed's step 1
        QVERIFY(ledger.add(e) > 0);
    }

    /// The app as it was left by a run that logged in and then closed.
    void rememberLogin()
    {
        HttpTestClient client(m_backend->baseUrl());
        const QByteArray token = client.login(kUser, kPassword).json().value(QStringLiteral("access_token")).toString().toUtf8();
        QVERIFY(writeSync(*m_secrets, kProfile, kUser, Credentials{token, {}}, nullptr, 5000));
        ProfileStore().setLastLogin(kProfile, kUser);
    }

    Job *jobById(const QString &id) const { return m_session->findJob(id); }

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
        QSettings().clear();
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

    void restoresTheLastLoginOnLaunch()
    {
        launch(false);
        logInThroughTheDialog(false);
        // The token is kept (in the secret store, never in settings); the password is not.
        const auto saved = readBack(*m_secrets, kProfile, kUser, nullptr, 5000);
        QVERIFY(saved && !saved->token.isEmpty());
        QVERIFY(saved->password.isEmpty());
        QCOMPARE(ProfileStore().lastLogin()->user, kUser);
        QSettings settings;
        for (const QString &key : settings.allKeys())
            QVERIFY2(!settings.value(key).toString().contains(QString::fromUtf8(saved->token)), qPrintable(key));

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

    void unfinishedJobsArePickedUpOnLaunch()
    {
        HttpTestClient client(m_backend->baseUrl());
        client.login(kUser, kPassword);
        // Left running, and completed while the app was closed.
        const QString finished = startJobOnServer(client);
        recordRunning(finished, QStringLiteral("Steam rising from a teacup"));
        QTRY_COMPARE_WITH_TIMEOUT(client.get(QStringLiteral("/api/v1/videos/") + finished).json().value(QStringLiteral("status")).toString(),
                                  QStringLiteral("completed"), 20000);
        // Left running by the last run, and still running.
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 200;
        const QString running = startJobOnServer(client);
        recordRunning(running, QStringLiteral("Koi under a frozen pond"));
        // Left running, and forgotten by the server since.
        recordRunning(QStringLiteral("vid_forgotten"), QStringLiteral("A lighthouse that no one remembers"));
        rememberLogin();

        launch();
        QTRY_VERIFY_WITH_TIMEOUT(loggedInAsMei(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(jobById(running) && jobById(finished) && jobById(QStringLiteral("vid_forgotten")), 10000);
        QCOMPARE(m_window->jobList()->count(), 3);
        for (int row = 0; row < 3; ++row) // picked-up jobs show their reference image like new ones
            QVERIFY(!m_window->jobList()->item(row)->icon().isNull());
        QTRY_COMPARE_WITH_TIMEOUT(jobById(QStringLiteral("vid_forgotten"))->state(), Job::State::Lost, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->videoFile(finished).isEmpty(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->videoFile(running).isEmpty(), 30000);

        const auto lost = m_ledger->findByServerId(serverKey(), QStringLiteral("vid_forgotten"));
        QCOMPARE(lost->state, Job::State::Lost);
        QVERIFY(lost->videoPath.isEmpty());
        for (const QString &id : {running, finished}) {
            QTRY_VERIFY_WITH_TIMEOUT(!m_ledger->findByServerId(serverKey(), id)->videoPath.isEmpty(), 5000);
            const LedgerEntry e = *m_ledger->findByServerId(serverKey(), id);
            QCOMPARE(e.state, Job::State::Completed);
            QVERIFY(QFileInfo(e.videoPath).size() > 0);
        }
        // The watched one: every step in its log once, the first from the last run.
        QList<int> steps;
        const LedgerEntry watched = *m_ledger->findByServerId(serverKey(), running);
        for (const Job::LogEntry &l : watched.log)
            steps << l.step;

        QCOMPARE(steps, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));

        // The History tab shows all three, with what happened to them.
        m_window->showTab(1);
        HistoryView *history = m_window->history();
        QTRY_COMPARE_WITH_TIMEOUT(history->count(), 3, 5000);
        auto shown = [history] {
            QString all;
            for (int i = 0; i < history->items()->rowCount(); ++i)
                all += history->items()->index(i, 0).data().toString() + QLatin1Char('\n');
            return all;
        };
        QTRY_COMPARE_WITH_TIMEOUT(shown().count(QStringLiteral("\u00b7 Completed\n")), 2, 5000);
        QVERIFY2(shown().contains(QLatin1String("Lost")), qPrintable(shown()));
        const QString lostTip = history->items()
                                    ->index(history->shownRows().indexOf(
                                                m_ledger->findByServerId(serverKey(), QStringLiteral("vid_forgotten"))->rowId),
                                            0)
                                    .data(Qt::ToolTipRole)
                                    .toString();
        QVERIFY2(lostTip.contains(QLatin1String("no longer knows")), qPrintable(lostTip));
        history->selectRow(m_ledger->findByServerId(serverKey(), finished)->rowId);
        screenshot(m_window.get(), QStringLiteral("history"));
    }

    void aKilledAppResumesItsJob()
    {
        // The app is killed (SIGKILL) mid-job; the next launch finishes it.
        rememberLogin();
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FC_PASSWORD"), kPassword);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        cli.setProcessEnvironment(env);
        cli.setWorkingDirectory(m_dir.path());
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 150;
        cli.start(QStringLiteral(FRAMECAST_EXE),
                  {QStringLiteral("--headless"), QStringLiteral("--server"), serverKey(), QStringLiteral("--progress"),
                   QStringLiteral("videos-sse"), QStringLiteral("--user"), kUser, QStringLiteral("--password-env"),
                   QStringLiteral("FC_PASSWORD"), QStringLiteral("--prompt"), QStringLiteral("Fireflies over a rice field"),
                   QStringLiteral("--image"), m_image, QStringLiteral("--ledger"), ledgerPath()});
        QByteArray seen;
        QVERIFY2(QTest::qWaitFor([&] {
                     seen += cli.readAllStandardOutput();
                     return seen.contains("[3/");
                 }, 30000),
                 seen.constData());
        cli.kill();
        QVERIFY(cli.waitForFinished(5000));
        QCOMPARE(cli.exitStatus(), QProcess::CrashExit);
        const QString id = QString::fromUtf8(seen.mid(4, seen.indexOf('\n') - 4)).trimmed();
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 30;

        launch();
        QTRY_VERIFY_WITH_TIMEOUT(jobById(id), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->videoFile(id).isEmpty(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_ledger->findByServerId(serverKey(), id)->videoPath.isEmpty(), 5000);
        const LedgerEntry e = *m_ledger->findByServerId(serverKey(), id);
        QCOMPARE(e.params.prompt, QStringLiteral("Fireflies over a rice field"));
        QList<int> steps;
        for (const Job::LogEntry &l : e.log)
            steps << l.step;
        QCOMPARE(steps, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QList<int> shown;
        for (const Job::LogEntry &l : jobById(id)->log())
            shown << l.step;
        QCOMPARE(shown, steps);
    }

    void aJobTheServerForgetsWhileWatchedIsLost()
    {
        launch(false);
        logInThroughTheDialog(false);
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 300;
        JobParams p;
        p.prompt = QStringLiteral("Tide pools at low water");
        p.imagePath = m_image;
        Job *job = m_session->generate(p);
        QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 2, 10000);
        // The server restarts on the same address without its jobs (nor its
        // tokens): the app asks to log in again, then the stream gets 404 and
        // the job is checked: lost, not failed, not done.
        const quint16 port = quint16(m_backend->port());
        demo::DemoConfig config = m_backend->config();
        m_backend.reset();
        config.port = port;
        m_backend = std::make_unique<demo::DemoBackend>(config);
        QVERIFY(m_backend->start());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->loginDialog()->isVisible(), 20000);
        QCOMPARE(m_window->loginDialog()->profile().name, kProfile);
        QTest::mouseClick(m_window->loginDialog()->loginButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Lost, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_ledger->findByServerId(serverKey(), job->id())->state, Job::State::Lost, 5000);
    }

    void corruptHistoryIsMovedAsideAndSaidSo()
    {
        {
            QFile f(ledgerPath());
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'x'));
        }
        launch(false);
        QVERIFY2(m_window->bannerText().contains(QLatin1String("moved to")), qPrintable(m_window->bannerText()));
        QVERIFY(QFileInfo::exists(m_ledger->movedAsideTo()));
        QVERIFY(m_ledger->isPersistent()); // a new history was started in its place
        QCOMPARE(m_window->history()->count(), 0);
    }

    void historyActions()
    {
        launch(false);
        logInThroughTheDialog(false);
        JobParams p;
        p.prompt = QStringLiteral("Paper lanterns on a night river");
        p.imagePath = m_image;
        Job *job = m_session->generate(p);
        QVERIFY(!m_window->jobList()->item(0)->icon().isNull()); // the reference image as thumbnail
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->videoFile(job->id()).isEmpty(), 30000);
        const QString file = m_session->videoFile(job->id());
        HistoryView *history = m_window->history();
        m_window->showTab(1);
        QTRY_COMPARE_WITH_TIMEOUT(history->count(), 1, 5000);

        // Search by prompt.
        history->setSearch(QStringLiteral("LANTERN"));
        QCOMPARE(history->count(), 1);
        history->setSearch(QStringLiteral("volcano"));
        QCOMPARE(history->count(), 0);
        history->setSearch({});
        const qint64 row = history->shownRows().first();
        history->selectRow(row);

        // Open: an older job plays its archived video.
        QTRY_VERIFY(history->openButton()->isEnabled());
        QTest::mouseClick(history->openButton(), Qt::LeftButton);
        QCOMPARE(m_window->player()->file(), file);

        // Generate again: the same parameters, a new job.
        QTest::mouseClick(history->againButton(), Qt::LeftButton);
        QTRY_COMPARE(m_session->jobs().size(), 2);
        Job *again = m_session->jobs().last();
        QCOMPARE(again->params().prompt, p.prompt);
        QCOMPARE(again->params().imagePath, m_image);
        QTRY_VERIFY_WITH_TIMEOUT(!again->id().startsWith(QLatin1String("new-")), 10000);

        // Delete, after confirming: the entry and its video go.
        m_window->showTab(1);
        QTRY_COMPARE_WITH_TIMEOUT(history->count(), 2, 5000);
        history->selectRow(row);
        QTest::mouseClick(history->deleteButton(), Qt::LeftButton);
        QVERIFY(history->confirmation());
        history->confirmation()->button(QMessageBox::Cancel)->click();
        QVERIFY(QFile::exists(file));
        QCOMPARE(history->count(), 2);
        history->selectRow(row);
        QTest::mouseClick(history->deleteButton(), Qt::LeftButton);
        history->confirmation()->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(history->count(), 1, 5000);
        QVERIFY(!QFile::exists(file));
        QVERIFY(!m_ledger->entry(row));
        // A running job cannot be deleted.
        history->selectRow(history->shownRows().first());
        if (!again->isFinal())
            QVERIFY(!history->deleteButton()->isEnabled());
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
