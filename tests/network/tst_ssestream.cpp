// SPDX-License-Identifier: GPL-3.0-or-later
// SseStream and SseProgressChannel against a real HTTP server on loopback
// (ScriptedHttpServer), one stream at a time: normal runs with their headers,
// the token in the query, invalid JSON, final statuses, cancel, and the
// tasks-sse and stages-sse events. Reconnects, limits and many streams:
// tst_ssestream_reconnect.
#include "SseStreamFixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace framecast;
using namespace framecast::test;
using namespace framecast::test::sse_fixture;

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
