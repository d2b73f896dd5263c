// SPDX-License-Identifier: GPL-3.0-or-later
// A connection per server, in the real window: two demo backends, A on the
// WebSocket dialect and B on videos-sse. Log in to A, start a job, switch to
// B in the login dialog without logging out, log in: nothing of B (its
// token) reaches A and nothing of A (its token, its job id) reaches B; A's
// job goes on, is archived and recorded as completed (never lost), and is
// there when the user comes back to A. Logging out of B leaves A alone.
#include "DemoTestConfig.h"
#include "Screenshot.h"
#include "compose/ComposePanel.h"
#include "demo/DemoBackend.h"
#include "demo/EmbeddedDemo.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "jobs/JobListWidget.h"
#include "ledger/Ledger.h"
#include "login/LoginDialog.h"
#include "mainwindow/MainWindow.h"
#include "widgets/JobProgressView.h"
#include "session/ProfileStore.h"
#include "session/ServerConnection.h"
#include "session/Session.h"

#include <QFile>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;
using namespace framecast::ui;

namespace {
const QString kA = QStringLiteral("Server A");
const QString kB = QStringLiteral("Server B");
} // namespace

class TestServerSwitch final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<demo::DemoBackend> m_a;
    std::unique_ptr<demo::DemoBackend> m_b;
    std::unique_ptr<Ledger> m_ledger;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;

    void logIn(const QString &profile)
    {
        LoginDialog *dialog = m_window->showLogin(profile);
        QCOMPARE(dialog->profile().name, profile);
        dialog->setCredentials(QStringLiteral("demo"), QStringLiteral("demo"));
        QTest::mouseClick(dialog->loginButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->isLoggedIn() && m_session->profile().name == profile
                                     && m_window->accountText().contains(profile),
                                 10000);
    }

    static bool saw(const demo::DemoBackend &server, const QByteArray &token)
    {
        return server.sawToken(token);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
        QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
    }

    void init()
    {
        ProfileStore().settings()->clear();
        m_a = std::make_unique<demo::DemoBackend>(test::fastDemoConfig(250)); // slow enough to switch mid-job
        m_b = std::make_unique<demo::DemoBackend>(test::fastDemoConfig(30));
        QVERIFY(m_a->start());
        QVERIFY(m_b->start());
        ServerProfile a;
        a.name = kA;
        a.baseUrl = m_a->baseUrl();
        a.dialect = Dialect::WebSocket;
        a.wsUrl = m_a->webSocketUrl();
        QCOMPARE(ProfileStore().save(a), QString());
        ServerProfile b;
        b.name = kB;
        b.baseUrl = m_b->baseUrl();
        QCOMPARE(ProfileStore().save(b), QString());
        m_ledger = std::make_unique<Ledger>();
        QVERIFY(m_ledger->open(m_dir.filePath(QStringLiteral("ledger.sqlite"))));
        m_session = std::make_unique<Session>(m_dir.filePath(QStringLiteral("videos")));
        m_session->setLedger(m_ledger.get());
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        m_ledger.reset();
        m_a.reset();
        m_b.reset();
    }

    void switchingServersSendsNothingToTheOther()
    {
        logIn(kA);
        ServerConnection *a = m_session->connection();
        const QByteArray tokenA = a->api()->token();
        QVERIFY(!tokenA.isEmpty());

        ComposePanel *compose = m_window->compose();
        compose->setPrompt(QStringLiteral("A night train crossing a snowy bridge"));
        QTest::mouseClick(compose->sampleButtons().first(), Qt::LeftButton);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        QPointer<Job> job = m_window->jobList()->currentJob();
        QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 2, 10000);
        QVERIFY(!job->isFinal());
        const QString jobId = job->id();

        // To B in the login dialog, without logging out of A.
        logIn(kB);
        ServerConnection *b = m_session->connection();
        QVERIFY(b != a);
        const QByteArray tokenB = b->api()->token();
        QVERIFY(!tokenB.isEmpty() && tokenB != tokenA);
        // The window shows B's jobs only; A's job goes on with A.
        QVERIFY(!m_session->jobs().contains(job.data()));
        QCOMPARE(m_window->jobList()->count(), 0);
        QCOMPARE(m_window->progressView()->stepText(), QStringLiteral("No job selected"));
        QVERIFY(a->isLoggedIn());

        // A's job completes and is archived while B is current.
        QTRY_VERIFY_WITH_TIMEOUT(job && job->state() == Job::State::Completed, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!a->jobs()->videoFile(jobId).isEmpty(), 10000);
        QVERIFY(QFile::exists(a->jobs()->videoFile(jobId)));
        const auto recorded = m_ledger->findByServerId(a->serverKey(), jobId);
        QVERIFY(recorded);
        QCOMPARE(recorded->state, Job::State::Completed);
        QCOMPARE(recorded->username, QStringLiteral("demo"));

        // Nothing of one server reached the other.
        QVERIFY2(!saw(*m_a, tokenB), "server A saw B's token");
        QVERIFY2(!saw(*m_b, tokenA), "server B saw A's token");
        for (const demo::SeenRequest &r : m_b->seenRequests())
            QVERIFY2(!r.path.contains(jobId), qPrintable(QStringLiteral("server B was asked about A's job: ") + r.path));
        QVERIFY(saw(*m_a, tokenA) && saw(*m_b, tokenB)); // the check can see tokens at all

        // Logging out of B leaves A alone.
        m_session->logout();
        QVERIFY(!b->isLoggedIn());
        QVERIFY(a->isLoggedIn());

        // Back on A: its job is there, completed, with its video.
        logIn(kA);
        QCOMPARE(m_session->connection(), a);
        QVERIFY(m_session->jobs().contains(job.data()));
        QCOMPARE(m_window->jobList()->count(), 1);
        QCOMPARE(m_window->jobList()->currentJob(), job.data()); // shown, not a stale view
        QVERIFY(m_window->progressView()->logText().contains(QStringLiteral("🎉")));
        QVERIFY(!m_session->videoFile(jobId).isEmpty());
        QVERIFY(!saw(*m_a, tokenB));
        test::screenshot(m_window.get(), QStringLiteral("server-switch-back-on-a"));
    }
};

QTEST_MAIN(TestServerSwitch)
#include "tst_serverswitch.moc"
