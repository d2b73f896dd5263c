// SPDX-License-Identifier: GPL-3.0-or-later
// The job history in the real window: unfinished jobs picked up on launch
// (running, completed meanwhile, lost), a CLI killed mid-job finished by the
// next launch, a job the server forgets while it is watched, a corrupt
// history moved aside, and the History tab (search, open, generate again,
// delete after confirming).
#include "AccountsFixture.h"
#include "Screenshot.h"
#include "history/HistoryView.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "ledger/JobRecorder.h"
#include "player/VideoPlayer.h"

#include <QFile>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QTest>

using namespace framecast;
using namespace framecast::ui;
using namespace framecast::test;

class TestAccountsHistory final : public AccountsFixture
{
    Q_OBJECT

private:
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

    Job *jobById(const QString &id) const { return m_session->findJob(id); }

private Q_SLOTS:
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
};

QTEST_MAIN(TestAccountsHistory)
#include "tst_accounts_history.moc"
