// SPDX-License-Identifier: GPL-3.0-or-later
// The core's one job lifecycle against the demo backend, as the window and
// the terminal both drive it: cancel reads the server's answer (cancelled;
// completed after all, then archived; or refused, said, and watched again),
// a stream that gives up after the reconnect limit hands over to the status,
// and a job's requested output path survives a restart of the client.
#include "DemoTestConfig.h"
#include "demo/DemoBackend.h"
#include "demo/DemoJob.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "ledger/Ledger.h"
#include "progress/ProgressTransport.h"
#include "session/ServerConnection.h"

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;

Q_DECLARE_METATYPE(framecast::Dialect)

class TestJobLifecycle final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_image;

    std::unique_ptr<ServerConnection> connect(const demo::DemoBackend &server, Ledger *ledger = nullptr,
                                              Dialect dialect = Dialect::VideosSse, int maxReconnects = 10)
    {
        ServerProfile p;
        p.name = QStringLiteral("demo under test");
        p.baseUrl = server.baseUrl();
        p.wsUrl = server.webSocketUrl();
        p.dialect = dialect;
        ServerConnection::Options o;
        o.videoFolder = m_dir.filePath(QStringLiteral("videos"));
        o.ledger = ledger;
        o.maxReconnects = maxReconnects;
        auto c = std::make_unique<ServerConnection>(p, o);
        bool done = false;
        bool ok = false;
        c->login(QStringLiteral("demo"), QStringLiteral("demo"), [&](const ApiResponse &r) {
            done = true;
            ok = r.ok();
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000) || !ok)
            return nullptr;
        return c;
    }

    JobParams params(const QString &output = {}) const
    {
        JobParams p;
        p.prompt = QStringLiteral("A heron taking off from a misty lake");
        p.imagePath = m_image;
        p.outputPath = output;
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(30, 90, 160));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
    }

    void cancelThatArrivesAfterTheEndArchivesTheVideo()
    {
        demo::DemoConfig config = test::fastDemoConfig(20);
        config.stallMs = 60000; // the client sees two messages, then silence
        demo::DemoBackend server(config);
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        QSignalSpy ready(c->jobs(), &JobLifecycle::videoReady);
        QSignalSpy cancelFailed(c->jobs(), &JobLifecycle::cancelFailed);
        Job *job = c->jobs()->submit(params());
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == Job::State::Running, 10000);
        // The server finishes the job while the client still waits for news.
        QTRY_VERIFY_WITH_TIMEOUT(server.job(job->id()) && server.job(job->id())->status() == demo::DemoJob::Status::Completed, 10000);
        QVERIFY(!job->isFinal());
        c->jobs()->cancel(job->id()); // answered 409: it is already completed
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 10000);
        QVERIFY(ready.wait(10000) || !ready.isEmpty());
        QVERIFY(QFile::exists(c->jobs()->videoFile(job->id())));
        QCOMPARE(cancelFailed.size(), 0);
        QCOMPARE(server.job(job->id())->status(), demo::DemoJob::Status::Completed);
    }

    void cancelThatIsAnsweredCancels()
    {
        demo::DemoBackend server(test::fastDemoConfig(300));
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        Job *job = c->jobs()->submit(params());
        QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 1, 10000);
        c->jobs()->cancel(job->id());
        QVERIFY(!job->isFinal()); // the answer decides, not the click
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Cancelled, 10000);
        QCOMPARE(server.job(job->id())->status(), demo::DemoJob::Status::Cancelled);
        QVERIFY(!c->transport()->isWatching(job->id()));
    }

    void cancelThatFailsIsSaidAndTheJobWatchedAgain()
    {
        demo::DemoConfig config = test::fastDemoConfig(100);
        config.failCancel = true; // every cancel is answered 503
        demo::DemoBackend server(config);
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        QSignalSpy cancelFailed(c->jobs(), &JobLifecycle::cancelFailed);
        Job *job = c->jobs()->submit(params());
        QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 1, 10000);
        c->jobs()->cancel(job->id());
        QVERIFY(cancelFailed.wait(10000));
        const QString message = cancelFailed.first().at(1).toString();
        QVERIFY2(message.startsWith(QLatin1String("Cancelling failed")) && message.contains(QLatin1String("scheduler is busy")),
                 qPrintable(message));
        QVERIFY(!job->isFinal());
        QVERIFY(c->transport()->isWatching(job->id())); // watched again
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 20000);
    }

    void streamThatGivesUpAsksForTheStatus_data()
    {
        QTest::addColumn<Dialect>("dialect");
        QTest::newRow("videos-sse") << Dialect::VideosSse;
        QTest::newRow("websocket") << Dialect::WebSocket;
    }

    /// One policy for the window and the terminal: a stream gives up after
    /// the connection's reconnect limit, then the job's status decides.
    void streamThatGivesUpAsksForTheStatus()
    {
        QFETCH(Dialect, dialect);
        QCOMPARE(ServerConnection::Options{}.maxReconnects, 10); // the window's and the terminal's
        demo::DemoBackend server(test::fastDemoConfig(3000)); // still running when the stream gives up
        QVERIFY(server.start());
        auto c = connect(server, nullptr, dialect, 2);
        QVERIFY(c);
        QSignalSpy watchFailed(c->jobs(), &JobLifecycle::watchFailed);
        Job *job = c->jobs()->submit(params());
        QTRY_VERIFY_WITH_TIMEOUT(job->connection().state == ConnectionState::Connected, 10000);
        int attempts = 0;
        QObject::connect(job, &Job::connectionChanged, this, [&](const ConnectionStatus &s) {
            if (s.state == ConnectionState::Reconnecting)
                attempts = std::max(attempts, s.attempt);
        });
        server.simulateRestart(60000); // streams dropped, new connections refused
        QVERIFY(watchFailed.wait(30000));
        QCOMPARE(watchFailed.first().first().value<Job *>(), job);
        QVERIFY(!job->isFinal()); // a connection problem is not a failed job
        QCOMPARE(job->connection().state, ConnectionState::Failed);
        QVERIFY2(attempts >= 1 && attempts <= 2, qPrintable(QString::number(attempts)));
    }

    void requestedOutputPathSurvivesARestart()
    {
        demo::DemoBackend server(test::fastDemoConfig(150));
        QVERIFY(server.start());
        Ledger ledger;
        QVERIFY(ledger.open(m_dir.filePath(QStringLiteral("ledger.sqlite"))));
        const QString output = m_dir.filePath(QStringLiteral("wanted/here.mp4"));
        QString jobId;
        {
            auto first = connect(server, &ledger);
            QVERIFY(first);
            Job *job = first->jobs()->submit(params(output));
            QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 1, 10000);
            jobId = job->id();
        } // the client goes away mid-job
        QVERIFY(!QFile::exists(output));
        QCOMPARE(ledger.findByServerId(server.baseUrl().toString(), jobId)->params.outputPath, output);
        auto second = connect(server, &ledger);
        QVERIFY(second);
        QSignalSpy ready(second->jobs(), &JobLifecycle::videoReady);
        const QList<Job *> picked = second->jobs()->resumePending();
        QCOMPARE(picked.size(), 1);
        QVERIFY(ready.wait(30000));
        QCOMPARE(ready.first().at(1).toString(), output);
        QVERIFY(QFile::exists(output));
        QCOMPARE(ledger.findByServerId(server.baseUrl().toString(), jobId)->videoPath, output);
    }
};

QTEST_MAIN(TestJobLifecycle)
#include "tst_joblifecycle.moc"
