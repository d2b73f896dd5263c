// SPDX-License-Identifier: GPL-3.0-or-later
// SseStream and SseProgressChannel against a real HTTP server on loopback
// (ScriptedHttpServer): normal runs, drops, stalls, oversized lines, invalid
// JSON, 401, 5xx, retry:, Last-Event-ID, cancel, and 20 jobs on one host.
#include "ScriptedHttpServer.h"

#include "jobs/Job.h"
#include "net/StreamConnectionPool.h"
#include "progress/SseProgressChannel.h"
#include "sse/SseStream.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace framecast;
using framecast::sse::SseEvent;
using framecast::sse::SseStream;
using framecast::test::ScriptedHttpServer;
using Script = ScriptedHttpServer::Script;
using Step = ScriptedHttpServer::Step;
using End = ScriptedHttpServer::End;

namespace {

const QList<QByteArray> kSeedSteps = {
    "🔍 Validating request parameters...", "📸 Processing reference image...", "🤖 Calling Sora 2 API...",
    "⏳ Waiting for AI processing (this may take 2-5 minutes)...", "🎬 Rendering video frames...",
    "🎞️ Encoding video...", "☁️ Uploading video...", "✅ Finalizing...",
};

QByteArray videosStep(int n)
{
    return ScriptedHttpServer::event("{\"step\": " + QByteArray::number(n) + ", \"message\": \"" + kSeedSteps.at(n - 1)
                                         + "\"}",
                                     {}, QByteArray::number(n));
}

QByteArray videosDone()
{
    return ScriptedHttpServer::event(
        R"({"step": 9, "message": "🎉 Video ready!", "video_url": "/uploads/videos/v1.mp4", "status": "completed"})", {},
        "9");
}

/// Steps from..to of videos-sse, `gap` ms apart.
QList<Step> videosSteps(int from, int to, int gap = 5)
{
    QList<Step> steps;
    for (int i = from; i <= to; ++i)
        steps << Step{gap, videosStep(i)};
    return steps;
}

ProgressEndpoint endpoint(const ScriptedHttpServer &server, Dialect dialect = Dialect::VideosSse)
{
    ProgressEndpoint e;
    e.baseUrl = server.baseUrl();
    e.dialect = dialect;
    e.token = "secret-token";
    ReconnectPolicy fast;
    fast.initialDelayMs = 20;
    fast.maxDelayMs = 100;
    fast.jitter = 0.1;
    if (dialect == Dialect::StagesSse) {
        fast = ReconnectPolicy::stagesSse();
        fast.fixedDelaysMs = {20, 40, 60}; // the seed's 1 s, 2 s, 3 s shrunk for the test
    }
    e.reconnect = fast;
    e.inactivityTimeoutMs = 2000;
    return e;
}

QStringList logTexts(const Job &job)
{
    QStringList out;
    for (const auto &entry : job.log())
        out << entry.text();
    return out;
}

} // namespace

class TestSseStream final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullRunWithHeaders()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}, {0, ": keep-alive\n\n"}};
            steps << videosSteps(1, 8) << Step{5, videosDone()};
            return Script{steps, End::Hold}; // the client must close by itself after the final event
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        SseProgressChannel channel(&job, endpoint(server), &pool);
        QSignalSpy closed(&channel, &SseProgressChannel::closed);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QCOMPARE(closed.count(), 1);
        QCOMPARE(job.log().size(), 9);
        QCOMPARE(job.log().at(2).text(), QStringLiteral("[3] 🤖 Calling Sora 2 API..."));
        QCOMPARE(job.videoUrl(), QStringLiteral("/uploads/videos/v1.mp4"));
        QCOMPARE(job.connection().state, ConnectionState::Closed);
        QCOMPARE(channel.stream()->state(), SseStream::State::Closed);

        QCOMPARE(server.requests().size(), 1);
        const auto &r = server.requests().first();
        QCOMPARE(r.method, QByteArray("GET"));
        QCOMPARE(r.path(), QByteArray("/api/v1/videos/v1/stream"));
        QCOMPARE(r.headers.value("accept"), QByteArray("text/event-stream"));
        QCOMPARE(r.headers.value("authorization"), QByteArray("Bearer secret-token"));
        QCOMPARE(r.headers.value("cache-control"), QByteArray("no-cache"));
        QVERIFY(!r.target.contains("token=")); // only when the profile says so
        QVERIFY(!r.headers.contains("last-event-id"));
        QTRY_COMPARE(pool.activeStreams(), 0);
    }

    void tokenInQueryWhenProfileSaysSo()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, ScriptedHttpServer::sseHead()}, {0, videosDone()}}, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        ProgressEndpoint e = endpoint(server);
        e.tokenInQuery = true;
        SseProgressChannel channel(&job, e, &pool);
        channel.start();
        QTRY_COMPARE(job.state(), Job::State::Completed);
        const auto &r = server.requests().first();
        QCOMPARE(r.target, QByteArray("/api/v1/videos/v1/stream?token=secret-token"));
        QCOMPARE(r.headers.value("authorization"), QByteArray("Bearer secret-token"));
        QVERIFY(!channel.stream()->displayUrl().contains(QLatin1String("secret-token")));
    }

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

    void invalidJsonIsAWarningAndTheStreamGoesOn()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}, {0, videosStep(1)}};
            steps << Step{0, "data: {\"step\": 2, \"message\": \"broken\n\n"};
            steps << Step{0, "data: [\"not an object\"]\n\n"};
            steps << videosSteps(2, 8) << Step{0, videosDone()};
            return Script{steps, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        SseProgressChannel channel(&job, endpoint(server), &pool);
        QSignalSpy warnings(&job, &Job::warningRaised);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QCOMPARE(warnings.count(), 2);
        QVERIFY(warnings.first().first().toString().contains(QLatin1String("not valid JSON")));
        QCOMPARE(job.log().size(), 9);
        QCOMPARE(server.requests().size(), 1);
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

    void finalStatuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("failure");
        QTest::newRow("403") << 403 << int(SseStream::Failure::Forbidden);
        QTest::newRow("404") << 404 << int(SseStream::Failure::NotFound);
        QTest::newRow("410") << 410 << int(SseStream::Failure::HttpError);
    }

    void finalStatuses()
    {
        QFETCH(int, status);
        QFETCH(int, failure);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([status](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, ScriptedHttpServer::response(status, R"({"detail": "no"})")}}, End::Close};
        });
        StreamConnectionPool pool;
        sse::SseStreamConfig config;
        config.url = server.baseUrl().resolved(QUrl(QStringLiteral("/stream")));
        config.reconnect.initialDelayMs = 10;
        SseStream stream(&pool, config);
        QSignalSpy failed(&stream, &SseStream::failed);
        stream.start();
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(int(failed.first().at(0).value<SseStream::Failure>()), failure);
        QCOMPARE(failed.first().at(1).toInt(), status);
        QTRY_COMPARE(server.scriptsSent(), 1);
        QTRY_COMPARE(server.openConnections(), 0);
        QCOMPARE(stream.state(), SseStream::State::Failed);
        QVERIFY(!stream.reconnectScheduled());
        QCOMPARE(server.requests().size(), 1);
    }

    void htmlErrorPageIsSaidInWords()
    {
        // A proxy's HTML page instead of the stream: the user reads what it
        // means, not a bare number.
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, ScriptedHttpServer::response(
                                   410, "<html><head><title>410 Gone</title></head><body>gone</body></html>", "text/html")}},
                          End::Close};
        });
        StreamConnectionPool pool;
        sse::SseStreamConfig config;
        config.url = server.baseUrl().resolved(QUrl(QStringLiteral("/stream")));
        SseStream stream(&pool, config);
        QSignalSpy failed(&stream, &SseStream::failed);
        stream.start();
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(2).toString(), QStringLiteral("Gone (HTTP 410)"));
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

    void cancelStopsEveryFurtherEvent()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}};
            steps << videosSteps(1, 8, 30) << Step{30, videosDone()};
            return Script{steps, End::Close};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("v1"));
        SseProgressChannel channel(&job, endpoint(server), &pool);
        // Cancel from inside the handler of step 3: the rest of that chunk and
        // everything after must not reach the job.
        connect(&job, &Job::logAppended, &channel, [&](const Job::LogEntry &entry) {
            if (entry.step == 3) {
                channel.stop();
                job.markCancelled();
            }
        });
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Cancelled, 5000);
        // The client hung up: nothing more can arrive on that connection, and
        // the stream will not open another.
        QTRY_COMPARE(server.openConnections(), 0);
        QVERIFY(!channel.stream()->reconnectScheduled());
        QCOMPARE(job.step(), 3);
        QCOMPARE(job.log().size(), 4); // three steps and "Cancelled"
        QCOMPARE(job.log().last().message, QStringLiteral("🛑 Cancelled"));
        QCOMPARE(server.requests().size(), 1);
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

    void tasksSseNamedEvents()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}};
            for (int p : {10, 40, 70})
                steps << Step{5, ScriptedHttpServer::event(R"({"task_id": "t1", "state": "PROCESSING", "progress": )"
                                                               + QByteArray::number(p) + R"(, "estimated_time": 12})",
                                                           "progress")};
            steps << Step{5, ScriptedHttpServer::event(
                                 R"({"task_id": "t1", "state": "COMPLETED", "progress": 100, "video_url": "/uploads/videos/t1.mp4"})",
                                 "complete")};
            return Script{steps, End::Hold};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("t1"));
        SseProgressChannel channel(&job, endpoint(server, Dialect::TasksSse), &pool);
        QList<double> percents;
        connect(&job, &Job::changed, this, [&] { percents << job.percent(); });
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QCOMPARE(server.requests().first().path(), QByteArray("/api/v1/sse/tasks/t1/progress"));
        QVERIFY(percents.contains(40.0));
        QCOMPARE(job.videoUrl(), QStringLiteral("/uploads/videos/t1.mp4"));
        QCOMPARE(logTexts(job), QStringList({QStringLiteral("⚙️ Processing"), QStringLiteral("🎉 Video ready!")}));
    }

    void stagesSseTokensAndCompletion()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            QList<Step> steps{{0, ScriptedHttpServer::sseHead()}};
            steps << Step{0, ScriptedHttpServer::event(R"({"type": "connected", "project_id": "p1", "stage": "rewrite", "message": "connected"})")};
            QByteArray full;
            for (const char *t : {"A ", "cat ", "on ", "a ", "boat"}) {
                full += t;
                steps << Step{2, ScriptedHttpServer::event(R"({"type": "token", "content": ")" + QByteArray(t)
                                                            + R"(", "full_text": ")" + full + R"("})")};
            }
            steps << Step{0, ScriptedHttpServer::event(R"({"type": "done", "stage": "rewrite", "full_text": "A cat on a boat"})")};
            for (const char *stage : {"storyboard", "image_generation", "camera_movement", "video_generation"})
                steps << Step{2, ScriptedHttpServer::event(R"({"type": "stage_update", "stage": ")" + QByteArray(stage)
                                                            + R"(", "status": "processing", "progress": 0})")};
            steps << Step{2, ScriptedHttpServer::event(R"({"type": "done", "stage": "video_generation", "result": {"video_url": "/uploads/videos/p1.mp4"}})")};
            steps << Step{0, ScriptedHttpServer::event(R"({"type": "stream_end", "project_id": "p1", "message": "bye"})")};
            return Script{steps, End::Hold};
        });
        StreamConnectionPool pool;
        Job job(QStringLiteral("p1"));
        SseProgressChannel channel(&job, endpoint(server, Dialect::StagesSse), &pool);
        QSignalSpy text(&job, &Job::textChanged);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 5000);
        QCOMPARE(job.streamedText(), QStringLiteral("A cat on a boat"));
        QCOMPARE(text.count(), 5);
        QCOMPARE(job.videoUrl(), QStringLiteral("/uploads/videos/p1.mp4"));
        QCOMPARE(job.step(), 5);
        QCOMPARE(job.totalSteps(), 5);
        QVERIFY(logTexts(job).contains(QStringLiteral("[4] 🎥 Camera movement...")));
    }
};

QTEST_GUILESS_MAIN(TestSseStream)
#include "tst_ssestream.moc"
