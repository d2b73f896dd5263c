// SPDX-License-Identifier: GPL-3.0-or-later
// The demo backend's three SSE progress dialects, raw on the wire and through
// the client's own progress channel, with every fault switch. The WebSocket
// dialect: tst_demowebsocket.
#include "DemoDialectFixture.h"

#include "jobs/Job.h"
#include "net/StreamConnectionPool.h"
#include "progress/SseProgressChannel.h"
#include "sse/SseParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace framecast;
using framecast::sse::SseEvent;
using namespace framecast::test;

namespace {

/// Reads a whole SSE response with the project's parser.
struct SseCapture
{
    QList<SseEvent> events;
    int status = 0;
    bool finished = false;
};

SseCapture captureSse(QNetworkAccessManager &nam, const QUrl &url, const QByteArray &token,
                      const QByteArray &lastEventId = {}, int timeoutMs = 20000)
{
    SseCapture capture;
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "text/event-stream");
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!lastEventId.isEmpty())
        request.setRawHeader("Last-Event-ID", lastEventId);
    sse::SseParser parser([&capture](const sse::SseEventView &e) { capture.events.append(e.toEvent()); });
    QNetworkReply *reply = nam.get(request);
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [&] { parser.feed(reply->readAll()); });
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(timeoutMs);
    parser.feed(reply->readAll());
    parser.finish();
    capture.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    capture.finished = reply->isFinished();
    reply->deleteLater();
    return capture;
}

QJsonObject json(const SseEvent &e)
{
    return QJsonDocument::fromJson(e.data).object();
}

const QStringList kStages = {QStringLiteral("rewrite"), QStringLiteral("storyboard"), QStringLiteral("image_generation"),
                             QStringLiteral("camera_movement"), QStringLiteral("video_generation")};

} // namespace

class TestDemoDialects final : public DemoDialectFixture
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    QUrl url(const QString &path) const { return m_backend->baseUrl().resolved(QUrl(path)); }

    ProgressEndpoint endpoint(Dialect dialect) const
    {
        ProgressEndpoint e;
        e.baseUrl = m_backend->baseUrl();
        e.dialect = dialect;
        e.token = m_client->token();
        ReconnectPolicy fast;
        fast.initialDelayMs = 20;
        fast.maxDelayMs = 200;
        if (dialect == Dialect::StagesSse) {
            fast = ReconnectPolicy::stagesSse();
            fast.fixedDelaysMs = {20, 40, 60};
        }
        e.reconnect = fast;
        e.inactivityTimeoutMs = 3000;
        return e;
    }

private Q_SLOTS:
    // --- the raw wire ------------------------------------------------------

    void videosSseSequence()
    {
        const QString id = generate(*m_client);
        // The seed's curl form: token in the query.
        QUrl u = url(QStringLiteral("/api/v1/videos/%1/stream").arg(id));
        u.setQuery(QStringLiteral("token=") + QString::fromUtf8(m_client->token()));
        const SseCapture c = captureSse(m_nam, u, {});
        QCOMPARE(c.status, 200);
        QVERIFY(c.finished); // the server closes after the final event
        QList<int> steps;
        qint64 lastId = 0;
        for (const SseEvent &e : c.events) {
            QCOMPARE(e.type, QByteArray("message"));
            QVERIFY(e.lastEventId.toLongLong() > lastId);
            lastId = e.lastEventId.toLongLong();
            const int step = json(e).value(QStringLiteral("step")).toInt();
            if (steps.isEmpty() || steps.last() != step)
                steps << step;
        }
        QCOMPARE(steps, QList<int>({1, 2, 3, 4, 5, 6, 7, 8, 9}));
        const QJsonObject first = json(c.events.first());
        QCOMPARE(first.value(QStringLiteral("message")).toString(), QStringLiteral("🔍 Validating request parameters..."));
        const QJsonObject last = json(c.events.last());
        QCOMPARE(last.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(last.value(QStringLiteral("message")).toString(), QStringLiteral("🎉 Video ready!"));
        QCOMPARE(last.value(QStringLiteral("video_url")).toString(), QStringLiteral("/uploads/videos/%1.mp4").arg(id));
    }

    void resumesAfterLastEventId()
    {
        const QString id = generate(*m_client);
        const SseCapture all = captureSse(m_nam, url(QStringLiteral("/api/v1/videos/%1/stream").arg(id)), m_client->token());
        QVERIFY(all.events.size() > 9);
        const SseEvent pivot = all.events.at(3);
        const SseCapture rest = captureSse(m_nam, url(QStringLiteral("/api/v1/videos/%1/stream").arg(id)), m_client->token(),
                                           pivot.lastEventId);
        QCOMPARE(rest.events.size(), all.events.size() - 4);
        QCOMPARE(rest.events.first().lastEventId, all.events.at(4).lastEventId);
        QCOMPARE(rest.events.last().data, all.events.last().data);
    }

    void streamSaysWhenItHasSentEverything()
    {
        // A test can wait for the server's word that a stream is over
        // instead of sleeping to show that nothing more comes.
        QSignalSpy ended(m_backend.get(), &DemoBackend::sseStreamEnded);
        const QString whole = generate(*m_client);
        const SseCapture all = captureSse(m_nam, url(QStringLiteral("/api/v1/videos/%1/stream").arg(whole)), m_client->token());
        QVERIFY(all.finished);
        QTRY_COMPARE(ended.count(), 1);
        QCOMPARE(ended.at(0).at(0).toString(), whole);
        QCOMPARE(ended.at(0).at(1).toString(), QStringLiteral("videos-sse"));
        QCOMPARE(ended.at(0).at(2).toInt(), all.events.size());
        QVERIFY(ended.at(0).at(3).toBool()); // it said everything

        // Messages held back by a stall count once they are written; a stall
        // that outlasts the job loses them, and the stream is not complete.
        m_backend->config().stallMs = 100;
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 50;
        const QString stalled = generate(*m_client);
        const SseCapture late = captureSse(m_nam, url(QStringLiteral("/api/v1/videos/%1/stream").arg(stalled)), m_client->token());
        QTRY_COMPARE(ended.count(), 2);
        QCOMPARE(ended.at(1).at(2).toInt(), late.events.size());
        QVERIFY(late.events.size() > 9);
        QVERIFY(ended.at(1).at(3).toBool());
        m_backend->config().stallMs = 2000;
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 10;
        const QString outlasted = generate(*m_client);
        const SseCapture two = captureSse(m_nam, url(QStringLiteral("/api/v1/videos/%1/stream").arg(outlasted)), m_client->token());
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 3, 10000);
        QCOMPARE(two.events.size(), 2);
        QCOMPARE(ended.at(2).at(2).toInt(), 2);
        QVERIFY(!ended.at(2).at(3).toBool());

        // Cut short by a fault: not complete, and only what was written.
        m_backend->config().stallMs = 0;
        m_backend->config().dropAfter = 3;
        const QString cut = generate(*m_client);
        const SseCapture some = captureSse(m_nam, url(QStringLiteral("/api/v1/videos/%1/stream").arg(cut)), m_client->token());
        QTRY_COMPARE(ended.count(), 4);
        QCOMPARE(some.events.size(), 3);
        QCOMPARE(ended.at(3).at(0).toString(), cut);
        QCOMPARE(ended.at(3).at(2).toInt(), 3);
        QVERIFY(!ended.at(3).at(3).toBool());
    }

    void tasksSseSequence()
    {
        const QString id = generate(*m_client);
        const QUrl u = url(QStringLiteral("/api/v1/sse/tasks/%1/progress").arg(id));
        QUrl withQuery = u;
        withQuery.setQuery(QStringLiteral("token=") + QString::fromUtf8(m_client->token()));
        QCOMPARE(captureSse(m_nam, withQuery, {}).status, 401); // header only, as its seed
        QCOMPARE(captureSse(m_nam, url(QStringLiteral("/api/v1/sse/tasks/task_unknown/progress")), m_client->token()).status, 404);

        const SseCapture c = captureSse(m_nam, u, m_client->token());
        QCOMPARE(c.status, 200);
        QVERIFY(c.events.size() >= 9);
        double progress = -1;
        for (qsizetype i = 0; i < c.events.size() - 1; ++i) {
            const SseEvent &e = c.events.at(i);
            QCOMPARE(e.type, QByteArray("progress"));
            const QJsonObject o = json(e);
            QCOMPARE(o.value(QStringLiteral("task_id")).toString(), id);
            QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("PROCESSING"));
            QVERIFY(o.value(QStringLiteral("progress")).toDouble() >= progress);
            progress = o.value(QStringLiteral("progress")).toDouble();
            QVERIFY(o.value(QStringLiteral("estimated_time")).isDouble());
            QVERIFY(!o.value(QStringLiteral("updated_at")).toString().isEmpty());
        }
        QCOMPARE(c.events.last().type, QByteArray("complete"));
        const QJsonObject done = json(c.events.last());
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("COMPLETED"));
        QCOMPARE(done.value(QStringLiteral("progress")).toInt(), 100);
        QVERIFY(done.value(QStringLiteral("video_url")).toString().endsWith(QLatin1String(".mp4")));
    }

    void stagesSseSequence()
    {
        const QString id = generate(*m_client);
        const SseCapture c = captureSse(m_nam, url(QStringLiteral("/api/v1/sse/projects/%1/").arg(id)), m_client->token());
        QCOMPARE(c.status, 200);
        QStringList types;
        QStringList stagesStarted;
        QString fullText;
        for (const SseEvent &e : c.events) {
            const QJsonObject o = json(e);
            const QString type = o.value(QStringLiteral("type")).toString();
            types << type;
            if (type == QLatin1String("token")) {
                const QString text = o.value(QStringLiteral("full_text")).toString();
                QVERIFY(text.startsWith(fullText)); // grows token by token
                QVERIFY(text.endsWith(o.value(QStringLiteral("content")).toString()));
                fullText = text;
            } else if (type == QLatin1String("stage_update")) {
                stagesStarted << o.value(QStringLiteral("stage")).toString();
            }
        }
        QCOMPARE(types.first(), QStringLiteral("connected"));
        QCOMPARE(types.last(), QStringLiteral("stream_end"));
        QCOMPARE(stagesStarted, kStages);
        QCOMPARE(fullText, m_backend->job(id)->rewrittenPrompt());
        QVERIFY(fullText.contains(QLatin1String("A paper boat on a rainy street")));
        const QJsonObject done = json(c.events.at(c.events.size() - 2));
        QCOMPARE(done.value(QStringLiteral("type")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("stage")).toString(), QStringLiteral("video_generation"));
        QVERIFY(done.value(QStringLiteral("result")).toObject().value(QStringLiteral("video_url")).toString().endsWith(QLatin1String(".mp4")));
        QVERIFY(types.count(QStringLiteral("done")) == 5);
    }

    void stagesSingleStage()
    {
        const QString id = generate(*m_client);
        const SseCapture c = captureSse(m_nam, url(QStringLiteral("/api/v1/sse/projects/%1/stages/rewrite/").arg(id)),
                                        m_client->token());
        QCOMPARE(c.status, 200);
        QVERIFY(c.finished);
        QStringList types;
        for (const SseEvent &e : c.events) {
            const QJsonObject o = json(e);
            types << o.value(QStringLiteral("type")).toString();
            if (o.contains(QStringLiteral("stage")))
                QCOMPARE(o.value(QStringLiteral("stage")).toString(), QStringLiteral("rewrite"));
        }
        QCOMPARE(types.first(), QStringLiteral("connected"));
        QVERIFY(types.count(QStringLiteral("token")) > 5);
        QCOMPARE(types.last(), QStringLiteral("done"));
        QCOMPARE(captureSse(m_nam, url(QStringLiteral("/api/v1/sse/projects/%1/stages/nonsense/").arg(id)), m_client->token()).status, 404);
    }

    // --- the client's channel against every SSE dialect ---------------------

    void clientFollowsEveryDialect_data()
    {
        QTest::addColumn<Dialect>("dialect");
        QTest::newRow("videos-sse") << Dialect::VideosSse;
        QTest::newRow("tasks-sse") << Dialect::TasksSse;
        QTest::newRow("stages-sse") << Dialect::StagesSse;
    }

    void clientFollowsEveryDialect()
    {
        QFETCH(Dialect, dialect);
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        SseProgressChannel channel(&job, endpoint(dialect), &pool);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(job.videoUrl(), QStringLiteral("/uploads/videos/%1.mp4").arg(id));
        QCOMPARE(job.percent(), 100.0);
        QCOMPARE(job.warnings().size(), 0);
        if (dialect == Dialect::VideosSse) {
            QCOMPARE(job.log().size(), 9); // progress updates within a step add no lines
            QCOMPARE(job.log().at(4).text(), QStringLiteral("[5] 🎬 Rendering video frames..."));
        }
        if (dialect == Dialect::StagesSse)
            QCOMPARE(job.streamedText(), m_backend->job(id)->rewrittenPrompt());
    }

    // --- fault switches ------------------------------------------------------

    void dropAfterResumesWithLastEventId()
    {
        m_backend->config().dropAfter = 3;
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        SseProgressChannel channel(&job, endpoint(Dialect::VideosSse), &pool);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(job.log().size(), 9); // every step exactly once
        QVERIFY(job.connection().reconnectCount >= 3);
    }

    void stallIsSurvived()
    {
        m_backend->config().stallMs = 1500;
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 50;
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        ProgressEndpoint e = endpoint(Dialect::VideosSse);
        e.inactivityTimeoutMs = 400;
        SseProgressChannel channel(&job, e, &pool);
        QSignalSpy problems(channel.stream(), &sse::SseStream::connectionProblem);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QVERIFY(!problems.isEmpty());
        QVERIFY(problems.first().first().toString().contains(QLatin1String("No data")));
        QCOMPARE(job.log().size(), 9);
    }

    void garbageIsAWarning_data() { clientFollowsEveryDialect_data(); }

    void garbageIsAWarning()
    {
        QFETCH(Dialect, dialect);
        m_backend->config().garbage = true;
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        SseProgressChannel channel(&job, endpoint(dialect), &pool);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(job.warnings().size(), 1);
        QVERIFY(job.warnings().first().contains(QLatin1String("not valid JSON")));
    }

    void oversizedLineIsDroppedAndResumed()
    {
        m_backend->config().oversized = true;
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        SseProgressChannel channel(&job, endpoint(Dialect::VideosSse), &pool);
        QSignalSpy problems(channel.stream(), &sse::SseStream::connectionProblem);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(problems.count(), 1);
        QVERIFY(problems.first().first().toString().contains(QLatin1String("longer than")));
        QCOMPARE(job.log().size(), 9);
    }

    void failAtStep_data()
    {
        QTest::addColumn<bool>("retryable");
        QTest::newRow("final") << false;
        QTest::newRow("retryable") << true;
    }

    void failAtStep()
    {
        QFETCH(bool, retryable);
        m_backend->config().failAtStep = 4;
        m_backend->config().failRetryable = retryable;
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        SseProgressChannel channel(&job, endpoint(Dialect::VideosSse), &pool);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Failed, 20000);
        QCOMPARE(job.step(), 3);
        QVERIFY(job.error()->message.contains(QLatin1String("step 4")));
        const QJsonObject status = m_client->get(QStringLiteral("/api/v1/videos/") + id).json();
        QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(status.value(QStringLiteral("retryable")).toBool(), retryable);
        QCOMPARE(m_client->get(QStringLiteral("/api/v1/users/me")).json().value(QStringLiteral("credits")).toInt(), 1000);
    }

    void restartIsSurvived()
    {
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 80;
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        SseProgressChannel channel(&job, endpoint(Dialect::VideosSse), &pool);
        connect(&job, &Job::logAppended, this, [this](const Job::LogEntry &entry) {
            if (entry.step == 3)
                m_backend->simulateRestart(400);
        });
        QSignalSpy restarted(m_backend.get(), &DemoBackend::restarted);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(restarted.count(), 1);
        QVERIFY(job.connection().reconnectCount >= 1);
        QCOMPARE(job.log().size(), 9);
    }

    void restartsRepeatForASoak()
    {
        demo::DemoConfig config = test::fastDemoConfig(80);
        config.restartAfterMs = 150;
        config.restartEveryMs = 300; // --restart-every-ms: again and again, not once
        config.refuseMs = 100;
        demo::DemoBackend backend(config);
        QVERIFY(backend.start());
        QSignalSpy restarted(&backend, &DemoBackend::restarted);
        QTRY_VERIFY_WITH_TIMEOUT(restarted.count() >= 3, 5000);
        // Between restarts it answers again (401: no token given).
        HttpTestClient client(backend.baseUrl());
        QTRY_VERIFY_WITH_TIMEOUT(client.get(QStringLiteral("/api/v1/users/me")).status == 401, 5000);
    }

    void revokedTokenIsFinal()
    {
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 80;
        const QString id = generate(*m_client);
        StreamConnectionPool pool;
        Job job(id);
        SseProgressChannel channel(&job, endpoint(Dialect::VideosSse), &pool);
        QSignalSpy failed(&channel, &SseProgressChannel::watchFailed);
        connect(&job, &Job::logAppended, this, [this](const Job::LogEntry &entry) {
            if (entry.step == 2) {
                m_backend->accounts().revokeAllTokens();
                m_backend->simulateRestart(10);
            }
        });
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(failed.first().first().value<sse::SseStream::Failure>(), sse::SseStream::Failure::Unauthorized);
        QVERIFY(!job.isFinal()); // the job is kept for after the new login
    }
};

QTEST_MAIN(TestDemoDialects)
#include "tst_demodialects.moc"
