// SPDX-License-Identifier: GPL-3.0-or-later
// The demo backend's four progress dialects, raw on the wire and through the
// client's own progress channel, with every fault switch.
#include "DemoTestConfig.h"
#include "HttpTestClient.h"

#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "net/StreamConnectionPool.h"
#include "progress/SseProgressChannel.h"
#include "sse/SseParser.h"

#include <QJsonArray>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QWebSocket>

using namespace framecast;
using framecast::demo::DemoBackend;
using framecast::demo::DemoConfig;
using framecast::sse::SseEvent;
using framecast::test::HttpTestClient;

namespace {

DemoConfig fastConfig()
{
    return test::fastDemoConfig();
}

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

QString generate(HttpTestClient &client)
{
    return client
        .post(QStringLiteral("/api/v1/videos/generate"), {{QStringLiteral("prompt"), QStringLiteral("A paper boat on a rainy street")}})
        .json()
        .value(QStringLiteral("id"))
        .toString();
}

/// A WebSocket client that records every message.
class WsClient final : public QObject
{
public:
    explicit WsClient(const QUrl &url)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            texts.append(text);
            const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
            if (doc.isObject())
                messages.append(doc.object());
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
        });
        socket.open(url);
    }
    bool waitConnected() { return socket.state() == QAbstractSocket::ConnectedState || QSignalSpy(&socket, &QWebSocket::connected).wait(5000); }
    void send(const QString &type, const QJsonObject &payload, const QString &id = {})
    {
        QJsonObject o{{QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}};
        if (!id.isEmpty())
            o.insert(QStringLiteral("id"), id);
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : messages) {
            if (m.value(QStringLiteral("type")).toString() == type)
                out.append(m);
        }
        return out;
    }
    QWebSocket socket;
    QList<QJsonObject> messages;
    QStringList texts;
    bool closed = false;
    int closeCode = 0;
};

/// What a DemoBackend::webSocketPushed spy says of job `id`: whether its
/// final record went out, and to how many sockets its records went in all.
struct Pushes
{
    bool final = false;
    int recipients = 0;
};

Pushes pushesOf(const QSignalSpy &spy, const QString &id)
{
    Pushes p;
    for (const QList<QVariant> &args : spy) {
        if (args.at(0).toString() != id)
            continue;
        p.final = p.final || args.at(2).toBool();
        p.recipients += args.at(3).toInt();
    }
    return p;
}

/// Everything the server wrote to `ws` before now has arrived once its pong
/// for this ping has: a WebSocket keeps order.
bool drained(WsClient &ws, const QString &pingId)
{
    ws.send(QStringLiteral("ping"), {}, pingId);
    return QTest::qWaitFor([&] {
        return std::any_of(ws.messages.cbegin(), ws.messages.cend(), [&](const QJsonObject &m) {
            return m.value(QStringLiteral("type")).toString() == QLatin1String("pong") && m.value(QStringLiteral("id")).toString() == pingId;
        });
    });
}

const QStringList kStages = {QStringLiteral("rewrite"), QStringLiteral("storyboard"), QStringLiteral("image_generation"),
                             QStringLiteral("camera_movement"), QStringLiteral("video_generation")};

} // namespace

class TestDemoDialects final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DemoBackend> m_backend;
    std::unique_ptr<HttpTestClient> m_client;
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
    void init()
    {
        m_backend = std::make_unique<DemoBackend>(fastConfig());
        QVERIFY(m_backend->start());
        m_client = std::make_unique<HttpTestClient>(m_backend->baseUrl());
        QCOMPARE(m_client->login(QStringLiteral("demo"), QStringLiteral("demo")).status, 200);
    }

    void cleanup()
    {
        m_client.reset();
        m_backend.reset();
    }

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

    // --- WebSocket --------------------------------------------------------------

    void webSocketFullFlow()
    {
        const QString id = generate(*m_client);
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}}, QStringLiteral("req-1"));
        QTRY_COMPARE(ws.ofType(QStringLiteral("authSuccess")).size(), 1);
        const QJsonObject auth = ws.ofType(QStringLiteral("authSuccess")).first();
        QCOMPARE(auth.value(QStringLiteral("id")).toString(), QStringLiteral("req-1"));
        QCOMPARE(auth.value(QStringLiteral("payload")).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("demo"));
        ws.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}}, QStringLiteral("req-2"));
        QTRY_COMPARE_WITH_TIMEOUT(ws.ofType(QStringLiteral("taskCompleted")).size(), 1, 20000);
        QCOMPARE(ws.ofType(QStringLiteral("subscribeSuccess")).first().value(QStringLiteral("payload")).toObject().value(QStringLiteral("subscribed")).toBool(), true);
        double progress = -1;
        for (const QJsonObject &m : ws.ofType(QStringLiteral("taskProgress"))) {
            const QJsonObject p = m.value(QStringLiteral("payload")).toObject();
            QCOMPARE(p.value(QStringLiteral("videoId")).toString(), id);
            QVERIFY(p.value(QStringLiteral("progress")).toDouble() >= progress);
            progress = p.value(QStringLiteral("progress")).toDouble();
            QCOMPARE(p.value(QStringLiteral("totalSteps")).toInt(), 8);
            QVERIFY(m.value(QStringLiteral("timestamp")).toDouble() > 0);
        }
        const QJsonObject done = ws.ofType(QStringLiteral("taskCompleted")).first().value(QStringLiteral("payload")).toObject();
        QCOMPARE(done.value(QStringLiteral("result")).toObject().value(QStringLiteral("videoUrl")).toString(),
                 QStringLiteral("/uploads/videos/%1.mp4").arg(id));
        QVERIFY(done.value(QStringLiteral("result")).toObject().value(QStringLiteral("fileSize")).toDouble() > 0);
        QVERIFY(done.contains(QStringLiteral("metrics")));
    }

    void webSocketRefusals()
    {
        WsClient bad(m_backend->webSocketUrl());
        QVERIFY(bad.waitConnected());
        bad.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), QStringLiteral("x")}});
        QTRY_COMPARE(bad.ofType(QStringLiteral("error")).size(), 1);
        QCOMPARE(bad.ofType(QStringLiteral("error")).first().value(QStringLiteral("payload")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("NOT_AUTHENTICATED"));
        bad.send(QStringLiteral("auth"), {{QStringLiteral("token"), QStringLiteral("wrong")}}, QStringLiteral("a1"));
        QTRY_VERIFY(bad.closed);
        QCOMPARE(bad.closeCode, 4001);
        QCOMPARE(bad.ofType(QStringLiteral("authError")).first().value(QStringLiteral("id")).toString(), QStringLiteral("a1"));

        m_backend->config().authTimeoutMs = 200;
        WsClient silent(m_backend->webSocketUrl());
        QVERIFY(silent.waitConnected());
        QTRY_VERIFY_WITH_TIMEOUT(silent.closed, 3000);
        QCOMPARE(silent.closeCode, 4001);

        // Someone else's job cannot be watched.
        QSignalSpy pushed(m_backend.get(), &DemoBackend::webSocketPushed);
        const QString id = generate(*m_client);
        HttpTestClient alice(m_backend->baseUrl());
        alice.login(QStringLiteral("alice"), QStringLiteral("pw"));
        WsClient other(m_backend->webSocketUrl());
        QVERIFY(other.waitConnected());
        other.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(alice.token())}});
        QTRY_COMPARE(other.ofType(QStringLiteral("authSuccess")).size(), 1);
        other.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_COMPARE(other.ofType(QStringLiteral("error")).size(), 1);
        QCOMPARE(other.ofType(QStringLiteral("error")).first().value(QStringLiteral("payload")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("NOT_FOUND"));
        // The server says it has pushed the job's last record, to nobody;
        // once a later pong is back nothing of the job is still on its way.
        QTRY_VERIFY_WITH_TIMEOUT(pushesOf(pushed, id).final, 20000);
        QCOMPARE(pushesOf(pushed, id).recipients, 0);
        QVERIFY(drained(other, QStringLiteral("p1")));
        QCOMPARE(other.ofType(QStringLiteral("taskProgress")).size(), 0);
        QCOMPARE(other.ofType(QStringLiteral("taskCompleted")).size(), 0);
    }

    void webSocketHeartbeatsAndSeparatePort()
    {
        DemoConfig c = fastConfig();
        c.heartbeatMs = 100;
        c.wsPort = quint16(0); // replaced below by a free port
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        c.wsPort = probe.serverPort();
        probe.close();
        m_client.reset();
        m_backend = std::make_unique<DemoBackend>(c);
        QVERIFY(m_backend->start());
        QCOMPARE(m_backend->webSocketUrl().port(), int(*c.wsPort));
        m_client = std::make_unique<HttpTestClient>(m_backend->baseUrl());
        m_client->login(QStringLiteral("demo"), QStringLiteral("demo"));
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_VERIFY_WITH_TIMEOUT(ws.ofType(QStringLiteral("heartbeat")).size() >= 2, 2000);
        const QJsonObject hb = ws.ofType(QStringLiteral("heartbeat")).first().value(QStringLiteral("payload")).toObject();
        QCOMPARE(hb.value(QStringLiteral("connectedClients")).toInt(), 1);
        QVERIFY(hb.contains(QStringLiteral("uptime")));
    }

    void webSocketFaults()
    {
        m_backend->config().garbage = true;
        m_backend->config().dropAfter = 4;
        m_backend->config().failAtStep = 6;
        m_backend->config().failRetryable = true;
        const QString id = generate(*m_client);
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_COMPARE(ws.ofType(QStringLiteral("authSuccess")).size(), 1);
        ws.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_VERIFY_WITH_TIMEOUT(ws.closed, 10000); // dropped after four task messages
        QCOMPARE(ws.texts.size() - ws.messages.size(), 1); // one message was not JSON
        // A new socket catches up: subscribe again and see the failure.
        WsClient again(m_backend->webSocketUrl());
        QVERIFY(again.waitConnected());
        again.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_COMPARE(again.ofType(QStringLiteral("authSuccess")).size(), 1);
        again.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_COMPARE_WITH_TIMEOUT(again.ofType(QStringLiteral("taskFailed")).size(), 1, 20000);
        const QJsonObject error = again.ofType(QStringLiteral("taskFailed")).first().value(QStringLiteral("payload")).toObject()
                                      .value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("GENERATION_FAILED"));
        QCOMPARE(error.value(QStringLiteral("retryable")).toBool(), true);
    }

    void webSocketUnsubscribe()
    {
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 100;
        QSignalSpy pushed(m_backend.get(), &DemoBackend::webSocketPushed);
        const QString id = generate(*m_client);
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_COMPARE(ws.ofType(QStringLiteral("authSuccess")).size(), 1);
        ws.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_VERIFY(ws.ofType(QStringLiteral("taskProgress")).size() >= 1);
        ws.send(QStringLiteral("unsubscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_COMPARE(ws.ofType(QStringLiteral("unsubscribeSuccess")).size(), 1);
        const auto seen = ws.ofType(QStringLiteral("taskProgress")).size();
        // The job runs to its end; its last record reached no socket, and
        // nothing reached this one after the unsubscribe.
        QTRY_VERIFY_WITH_TIMEOUT(pushesOf(pushed, id).final, 20000);
        QCOMPARE(pushed.last().at(3).toInt(), 0);
        QVERIFY(drained(ws, QStringLiteral("p1")));
        QCOMPARE(ws.ofType(QStringLiteral("taskProgress")).size(), seen);
        QCOMPARE(ws.ofType(QStringLiteral("taskCompleted")).size(), 0);
    }
};

QTEST_MAIN(TestDemoDialects)
#include "tst_demodialects.moc"
