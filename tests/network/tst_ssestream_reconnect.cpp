// SPDX-License-Identifier: GPL-3.0-or-later
// SseStream and SseProgressChannel against a real HTTP server on loopback
// (ScriptedHttpServer) when the stream does not simply run to its end: drops
// (Last-Event-ID, replays shown once), stalls, keep-alives, oversized lines,
// 401, 5xx and retry:, the stages-sse client giving up, and 20 jobs on one host.
#include "SseStreamFixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace framecast;
using namespace framecast::test;
using namespace framecast::test::sse_fixture;

class TestSseStreamReconnect final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropMidJobResumesWithLastEventId()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &request, int number) {
            if (number == 1) // three steps, then the connection is reset
                return Script{QList<Step>{{0, ScriptedHttpServer::sseHead()}} + videosSteps(1, 3), End::Abort};
            const int last = request.headers.value("last-event-id").toInt();
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}};
            steps << videosSteps(last + 1, 8) << Step{5, videosDone()};
            return Script{steps, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        SseProgressChannel channel(&job, endpoint(server), &pool);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QCOMPARE(server.requests().size(), 2);
        QCOMPARE(server.requests().at(1).headers.value("last-event-id"), QByteArray("3"));
        QCOMPARE(job.log().size(), 9); // every step exactly once
        QCOMPARE(job.connection().reconnectCount, 1);
    }

    void replayAfterReconnectIsShownOnce()
    {
        // A server that ignores Last-Event-ID and starts over.
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int number) {
            if (number == 1)
                return Script{QList<Step>{{0, ScriptedHttpServer::sseHead()}} + videosSteps(1, 4), End::Close};
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}};
            steps << videosSteps(1, 8) << Step{5, videosDone()};
            return Script{steps, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        SseProgressChannel channel(&job, endpoint(server), &pool);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QCOMPARE(server.requests().size(), 2); // clean end without final event -> reconnect
        QCOMPARE(job.log().size(), 9);
        QStringList expected;
        for (int i = 1; i <= 8; ++i)
            expected << QStringLiteral("[%1] ").arg(i) + QString::fromUtf8(kSeedSteps.at(i - 1));
        expected << QStringLiteral("[9] 🎉 Video ready!");
        QCOMPARE(logTexts(job), expected);
    }

    void stallIsDetectedByInactivityTimer()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int number) {
            if (number == 1)
                return Script{QList<Step>{{0, ScriptedHttpServer::sseHead()}} + videosSteps(1, 2), End::Hold};
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}};
            steps << videosSteps(3, 8) << Step{5, videosDone()};
            return Script{steps, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        ProgressEndpoint e = endpoint(server);
        e.inactivityTimeoutMs = 300;
        SseProgressChannel channel(&job, e, &pool);
        QSignalSpy problems(channel.stream(), &SseStream::connectionProblem);
        QElapsedTimer timer;
        timer.start();
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QVERIFY(timer.elapsed() >= 300);
        QCOMPARE(server.requests().size(), 2);
        QVERIFY(!problems.isEmpty());
        QVERIFY(problems.first().first().toString().contains(QLatin1String("No data")));
        QCOMPARE(job.log().size(), 9);
    }

    void keepAlivesKeepAStreamAlive()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}, {0, videosStep(1)}};
            for (int i = 0; i < 8; ++i)
                steps << Step{100, ": ping\n\n"}; // 800 ms of comments only
            steps << Step{0, videosDone()};
            return Script{steps, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        ProgressEndpoint e = endpoint(server);
        e.inactivityTimeoutMs = 350;
        SseProgressChannel channel(&job, e, &pool);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QCOMPARE(server.requests().size(), 1); // never judged dead
    }

    void oversizedLineIsAProtocolErrorAndReconnects()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int number) {
            if (number == 1) {
                QList<Step> steps{{0, ScriptedHttpServer::sseHead()}, {0, videosStep(1)}, {0, "data: "}};
                const QByteArray chunk(256 * 1024, 'x');
                for (int i = 0; i < 40; ++i) // 10 MiB without a line end
                    steps << Step{0, chunk};
                return Script{steps, End::Hold};
            }
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}};
            steps << videosSteps(2, 8) << Step{5, videosDone()};
            return Script{steps, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        SseProgressChannel channel(&job, endpoint(server), &pool);
        QSignalSpy problems(channel.stream(), &SseStream::connectionProblem);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 10000);
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.first().first().toString().contains(QLatin1String("longer than")),
                 qPrintable(problems.first().first().toString()));
        QCOMPARE(server.requests().size(), 2);
        QCOMPARE(job.log().size(), 9);
    }

    void unauthorizedIsFinal()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, ScriptedHttpServer::response(401, R"({"detail": "Token expired"})")}}, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        SseProgressChannel channel(&job, endpoint(server), &pool);
        QSignalSpy failed(&channel, &SseProgressChannel::watchFailed);
        channel.start();
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).value<SseStream::Failure>(), SseStream::Failure::Unauthorized);
        QVERIFY(failed.first().at(1).toString().contains(QLatin1String("Token expired")));
        QCOMPARE(job.connection().state, ConnectionState::Failed);
        QVERIFY(job.connection().lastError.contains(QLatin1String("401")));
        // No reconnect loop: the server has sent its whole answer and the
        // connection is closed, and the stream has failed for good with no
        // attempt waiting, so nothing will make another request.
        QTRY_COMPARE(server.scriptsSent(), 1);
        QTRY_COMPARE(server.openConnections(), 0);
        QCOMPARE(channel.stream()->state(), SseStream::State::Failed);
        QVERIFY(!channel.stream()->reconnectScheduled());
        QCOMPARE(server.requests().size(), 1);
        QCOMPARE(job.state(), Job::State::Submitting); // the job is kept, not failed
    }

    void serverErrorsAndRetryFieldAreRetried()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int number) {
            if (number == 1) // a stream that sets retry: 150 and ends
                return Script{{{0, ScriptedHttpServer::sseHead()}, {0, "retry: 150\n\n"}}, End::Close};
            if (number <= 3)
                return Script{{{0, ScriptedHttpServer::response(503, R"({"detail": "busy"})")}}, End::Close};
            return Script{{{0, ScriptedHttpServer::sseHead()}, {0, videosDone()}}, End::Close};
        });
        StreamConnectionPool pool;
        sse::SseStreamConfig config;
        config.url = server.baseUrl().resolved(QUrl(QStringLiteral("/stream")));
        config.reconnect.initialDelayMs = 5000; // replaced by the server's retry: 150
        config.reconnect.multiplier = 1.0;
        config.reconnect.jitter = 0;
        SseStream stream(&pool, config);
        QSignalSpy events(&stream, &SseStream::eventReceived);
        QElapsedTimer timer;
        timer.start();
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(events.count(), 1, 5000);
        QCOMPARE(server.requests().size(), 4);
        QVERIFY2(timer.elapsed() >= 3 * 150, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(stream.serverRetryMs(), std::optional<qint64>(150));
        stream.stop();
    }

    void stagesSseGivesUpAfterThreeTries()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, ScriptedHttpServer::response(502, "bad gateway", "text/plain")}}, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("p1"));
        SseProgressChannel channel(&job, endpoint(server, Dialect::StagesSse), &pool);
        QSignalSpy failed(&channel, &SseProgressChannel::watchFailed);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        QCOMPARE(failed.first().at(0).value<SseStream::Failure>(), SseStream::Failure::GaveUp);
        QCOMPARE(server.requests().size(), 4); // the first try and three reconnects
        QCOMPARE(server.requests().first().path(), QByteArray("/api/v1/sse/projects/p1/"));
        QCOMPARE(job.connection().state, ConnectionState::Failed);
        QCOMPARE(job.connection().reconnectCount, 1); // one episode of three attempts
        QVERIFY(job.connection().lastError.contains(QLatin1String("Gave up")));
    }

    void twentyJobsOnOneHostDoNotStall()
    {
        // Qt allows six HTTP/1.1 connections per host and manager; streams never
        // end, so a single manager would leave fourteen jobs waiting forever.
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &request, int) {
            const QByteArray id = request.path().split('/').value(4);
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}, {0, videosStep(1)}};
            return Script{steps, End::Hold};
        });
        StreamConnectionPool pool;
        QList<Job *> jobs;
        QList<SseProgressChannel *> channels;
        for (int i = 0; i < 20; ++i) {
            auto *job = new Job(QStringLiteral("v%1").arg(i), Clock::system(), this);
            jobs << job;
            channels << new SseProgressChannel(job, endpoint(server), &pool, this);
            channels.last()->start();
        }
        QTRY_COMPARE_WITH_TIMEOUT(server.maxConcurrentConnections(), 20, 5000);
        for (Job *job : jobs) {
            QTRY_COMPARE_WITH_TIMEOUT(job->step(), 1, 2000);
            QCOMPARE(job->connection().state, ConnectionState::Connected);
        }
        QVERIFY(pool.managerCount() >= 4); // 20 streams, at most 4 per manager
        QCOMPARE(pool.activeStreams(), 20);
        qDeleteAll(channels);
        qDeleteAll(jobs);
        QCOMPARE(pool.activeStreams(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSseStreamReconnect)
#include "tst_ssestream_reconnect.moc"
