// SPDX-License-Identifier: GPL-3.0-or-later
// The real main window's error paths against the in-process demo backend: a
// wrong password, an expired token (the job is kept), an unreachable server,
// a TLS failure with its reason, 402, a retryable failure and Retry, a
// dropped stream, a connection that gives up, a bad image, cancel mid-job.
// Screenshots go to $FRAMECAST_SCREENSHOT_DIR (default: <build>/tests/screenshots).
#include "MainWindowFixture.h"
#include "queue/QueueView.h"
#include "Screenshot.h"

#include "compose/ComposePanel.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "login/LoginDialog.h"
#include "session/ProfileStore.h"
#include "widgets/JobProgressView.h"

#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTcpServer>
#include <QListWidget>
#include <QTest>

#include <algorithm>

using namespace framecast;
using namespace framecast::ui;

using namespace framecast::test;

class TestMainWindowErrors final : public MainWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void wrongPasswordShowsTheServersDetail()
    {
        open();
        LoginDialog *login = m_window->showLogin(ServerProfile::demo().name);
        screenshot(login, QStringLiteral("login"));
        login->setCredentials(QStringLiteral("demo"), QStringLiteral("not-the-password"));
        QTest::mouseClick(login->loginButton(), Qt::LeftButton);
        QTRY_COMPARE(login->errorText(), QStringLiteral("Invalid credentials"));
        QVERIFY(login->isVisible());
        QVERIFY(!m_window->bannerText().contains(QLatin1String("session ended"))); // a wrong password is not an expiry
        screenshot(login, QStringLiteral("login-error"));
        // The right one closes the dialog.
        login->setCredentials(QStringLiteral("demo"), QStringLiteral("demo"));
        QTest::mouseClick(login->loginButton(), Qt::LeftButton);
        QTRY_VERIFY(!login->isVisible());
    }

    void expiredTokenAsksToLogInAndKeepsTheJob()
    {
        open(150);
        ComposePanel *compose = m_window->compose();
        compose->setPrompt(QStringLiteral("A windmill turning in a storm"));
        QTest::mouseClick(compose->sampleButtons().at(3), Qt::LeftButton);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *job = m_window->jobList()->currentJob();
        QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 2, 10000);
        // The server forgets every token and drops the stream: the client gets a 401.
        demoBackend()->accounts().revokeAllTokens();
        demoBackend()->simulateRestart(10);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->loginDialog() && m_window->loginDialog()->isVisible(), 10000);
        QVERIFY(m_window->loginDialog()->errorText().contains(QLatin1String("session ended")));
        QVERIFY(!job->isFinal()); // kept
        screenshot(m_window->loginDialog(), QStringLiteral("login-expired"));
        QTest::mouseClick(m_window->loginDialog()->demoButton(), Qt::LeftButton); // demo/demo again
        QTRY_VERIFY(!m_window->loginDialog()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 30000); // watched again
    }

    void unreachableServer()
    {
        open();
        // A server profile whose port nobody listens on.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        ServerProfile p;
        p.name = QStringLiteral("Nowhere");
        p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        p.auth = ServerProfile::Auth::Token;
        QCOMPARE(ProfileStore().save(p), QString());
        LoginDialog *login = m_window->showLogin(QStringLiteral("Nowhere"));
        QVERIFY(login->usesToken()); // the profile says how its users log in
        const QList<QRadioButton *> radios = login->findChildren<QRadioButton *>();
        QTest::mouseClick(*std::find_if(radios.begin(), radios.end(),
                                        [](QRadioButton *r) { return r->text() == QLatin1String("Username and password"); }),
                          Qt::LeftButton);
        QCOMPARE(login->profile().name, QStringLiteral("Nowhere"));
        login->setCredentials(QStringLiteral("demo"), QStringLiteral("demo"));
        QTest::mouseClick(login->loginButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(login->errorText().contains(QLatin1String("Cannot reach the server")), 10000);
        // Remove it again from the dialog.
        QVERIFY(login->removeButton()->isEnabled());
        QTest::mouseClick(login->removeButton(), Qt::LeftButton);
        QVERIFY(!ProfileStore().find(QStringLiteral("Nowhere")));
        QVERIFY(!login->removeButton()->isEnabled()); // back on the demo server, which stays
    }

    void insufficientCreditsIsShown()
    {
        open();
        demoBackend()->accounts().user(QStringLiteral("user_1"))->credits = 50;
        ComposePanel *compose = m_window->compose();
        compose->setPrompt(QStringLiteral("A hot air balloon over the dunes"));
        QTest::mouseClick(compose->sampleButtons().first(), Qt::LeftButton);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        // The job waits in the queue with the server's word, and the real
        // credits are shown (tst_queue: Retry now sends it again).
        QTRY_COMPARE(m_window->queueView()->list()->count(), 1);
        QTRY_VERIFY(m_window->queueView()->list()->item(0)->toolTip().contains(QLatin1String("Insufficient credits")));
        QTRY_VERIFY(m_window->accountText().contains(QLatin1String("50 credits")));
        QVERIFY2(m_window->queueView()->statusText().startsWith(QLatin1String("Waiting for credits: 50 left")),
                 qPrintable(m_window->queueView()->statusText()));
        QCOMPARE(m_window->jobList()->count(), 0);
        screenshot(m_window.get(), QStringLiteral("error-402"));
    }

    void retryAfterARetryableFailure_data()
    {
        QTest::addColumn<Dialect>("dialect");
        QTest::newRow("videos-sse (says retryable)") << Dialect::VideosSse;
        QTest::newRow("tasks-sse (REST status says it)") << Dialect::TasksSse;
    }

    void retryAfterARetryableFailure()
    {
        QFETCH(Dialect, dialect);
        open(20, dialect);
        demoBackend()->config().failAtStep = 3;
        demoBackend()->config().failRetryable = true;
        ComposePanel *compose = m_window->compose();
        compose->setPrompt(QStringLiteral("Koi fish circling in a pond"));
        QTest::mouseClick(compose->sampleButtons().at(1), Qt::LeftButton);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *failed = m_window->jobList()->currentJob();
        QTRY_COMPARE_WITH_TIMEOUT(failed->state(), Job::State::Failed, 10000);
        QVERIFY2(m_window->bannerText().contains(QLatin1String("step 3")), qPrintable(m_window->bannerText()));
        QVERIFY(m_window->lastNotification().startsWith(QLatin1String("The video failed")));
        const QList<QPushButton *> buttons = m_window->progressView()->findChildren<QPushButton *>();
        QPushButton *retry = *std::find_if(buttons.begin(), buttons.end(), [](QPushButton *b) { return b->text() == QLatin1String("Retry"); });
        QTRY_VERIFY(retry->isVisible());
        screenshot(m_window.get(), QStringLiteral("error-failed-retryable"));
        demoBackend()->config().failAtStep = 0; // the model has recovered
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE(m_window->jobList()->count(), 2);
        Job *again = m_window->jobList()->currentJob();
        QVERIFY(again != failed);
        QCOMPARE(again->params().prompt, QStringLiteral("Koi fish circling in a pond"));
        QTRY_COMPARE_WITH_TIMEOUT(again->state(), Job::State::Completed, 30000);
    }

    void droppedConnectionShowsReconnectingAndRecovers()
    {
        open(40);
        demoBackend()->config().dropAfter = 3;
        ComposePanel *compose = m_window->compose();
        compose->setPrompt(QStringLiteral("Rain on a tin roof, close up"));
        QTest::mouseClick(compose->sampleButtons().at(2), Qt::LeftButton);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *job = m_window->jobList()->currentJob();
        bool sawReconnecting = false;
        connect(job, &Job::connectionChanged, this, [&](const ConnectionStatus &s) {
            sawReconnecting |= s.state == ConnectionState::Reconnecting;
        });
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 30000);
        QVERIFY(sawReconnecting);
        QVERIFY(job->connection().reconnectCount >= 1);
        QCOMPARE(job->log().size(), 9); // every step once
    }

    void connectionThatGivesUpIsExplained()
    {
        // Slow steps: the job is still running when the seed's client (three
        // tries, 1 s, 2 s, 3 s apart) gives up and the status check fails too.
        open(4000, Dialect::StagesSse);
        m_window->compose()->setPrompt(QStringLiteral("A lighthouse beam sweeping the fog"));
        QTest::mouseClick(m_window->compose()->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *job = m_window->jobList()->currentJob();
        QTRY_VERIFY_WITH_TIMEOUT(job->connection().state == ConnectionState::Connected, 10000);
        // What the window says when the stream and then the status check give up.
        QString bannerAtFailure;
        connect(m_session.get(), &Session::watchFailed, this, [&] { bannerAtFailure = m_window->bannerText(); });
        demoBackend()->simulateRestart(20000); // down for longer than the retries
        QTRY_VERIFY2_WITH_TIMEOUT(bannerAtFailure.contains(QLatin1String("Lost the connection")), qPrintable(bannerAtFailure), 15000);
        QCOMPARE(job->connection().state, ConnectionState::Failed);
        // Kept, and never called failed for a connection problem.
        QVERIFY(!job->isFinal());
        screenshot(m_window.get(), QStringLiteral("error-connection-lost"));
    }

    void tlsProblemIsShownWithItsReason()
    {
        open();
        // https to a server that only speaks http: the handshake fails.
        ServerProfile p;
        p.name = QStringLiteral("Not TLS");
        p.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(demoBackend()->port()));
        QCOMPARE(ProfileStore().save(p), QString());
        LoginDialog *login = m_window->showLogin(p.name);
        login->setCredentials(QStringLiteral("demo"), QStringLiteral("demo"));
        QTest::mouseClick(login->loginButton(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(login->errorText().contains(QLatin1String("Secure connection failed")), qPrintable(login->errorText()), 10000);
        QVERIFY(login->errorText().size() > QStringLiteral("Secure connection failed: ").size()); // with its reason
        screenshot(login, QStringLiteral("login-tls-error"));
        ProfileStore().remove(p.name);
    }

    void badImageIsRefusedBeforeUpload()
    {
        open();
        QFile text(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not a picture");
        text.close();
        QVERIFY(!m_window->compose()->setImage(text.fileName()));
        QVERIFY(m_window->compose()->errorText().contains(QLatin1String("not a PNG, JPEG or WebP")));
        QVERIFY(demoBackend()->jobs().isEmpty());
        screenshot(m_window.get(), QStringLiteral("bad-image"));
    }

    void cancelMidJob()
    {
        open(300);
        ComposePanel *compose = m_window->compose();
        compose->setPrompt(QStringLiteral("A slow sunrise over a misty valley"));
        QTest::mouseClick(compose->sampleButtons().at(1), Qt::LeftButton);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *job = m_window->jobList()->currentJob();
        QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 2, 10000);
        auto *cancel = m_window->progressView()->findChild<QPushButton *>();
        const int step = job->step();
        QTest::mouseClick(cancel, Qt::LeftButton);
        // The server's answer decides: cancelled.
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Cancelled, 5000);
        QCOMPARE(demoBackend()->jobs().first()->status(), demo::DemoJob::Status::Cancelled);
        // The server has closed every stream of the job (it sent all it will):
        // nothing of it reached the job after the cancel.
        QTRY_COMPARE_WITH_TIMEOUT(demoBackend()->openStreams(), 0, 5000);
        QCOMPARE(job->step(), step);
        QVERIFY(m_window->progressView()->logText().endsWith(QStringLiteral("🛑 Cancelled")));
    }
};

QTEST_MAIN(TestMainWindowErrors)
#include "tst_mainwindow_errors.moc"
