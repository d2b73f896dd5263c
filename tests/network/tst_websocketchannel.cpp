// SPDX-License-Identifier: GPL-3.0-or-later
// WebSocketChannel against the demo backend (full flow, 100 jobs on one
// socket, drops, restarts, bad tokens, completion while away) and against a
// scripted raw WebSocket server (total silence, auth never answered,
// duplicate and out-of-order pushes, non-JSON and unknown messages).
#include "DemoTestConfig.h"
#include "HttpTestClient.h"
#include "ScriptedWsServer.h"

#include "api/ApiClient.h"
#include "demo/DemoBackend.h"
#include "jobs/Job.h"
#include "progress/ProgressDecoder.h"
#include "progress/WebSocketChannel.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace framecast;
using framecast::demo::DemoBackend;
using framecast::demo::DemoConfig;
using framecast::test::HttpTestClient;
using framecast::test::ScriptedWsServer;

namespace {

DemoConfig fastConfig()
{
    return test::fastDemoConfig();
}

WebSocketChannel::Options fastOptions(int heartbeatMs = 30000)
{
    WebSocketChannel::Options o;
    o.heartbeatIntervalMs = heartbeatMs;
    o.authTimeoutMs = 2000;
    o.reconnect.initialDelayMs = 20;
    o.reconnect.maxDelayMs = 200;
    return o;
}

QStringList stepTexts(const Job &job)
{
    QStringList out;
    for (const auto &e : job.log())
        out << e.text();
    return out;
}

QJsonObject progress(const QString &id, int step, const QString &message)
{
    return ScriptedWsServer::envelope(QStringLiteral("taskProgress"),
                                      {{QStringLiteral("videoId"), id},
                                       {QStringLiteral("status"), QStringLiteral("processing")},
                                       {QStringLiteral("progress"), step * 10},
                                       {QStringLiteral("currentStep"), step},
                                       {QStringLiteral("totalSteps"), 8},
                                       {QStringLiteral("message"), message}});
}

/// A scripted server that authenticates any token and acknowledges subscriptions.
QList<QJsonObject> friendly(int, const QJsonObject &m)
{
    const QString type = m.value(QStringLiteral("type")).toString();
    const QString id = m.value(QStringLiteral("id")).toString();
    if (type == QLatin1String("auth"))
        return {ScriptedWsServer::envelope(QStringLiteral("authSuccess"),
                                           {{QStringLiteral("userId"), QStringLiteral("u1")},
                                            {QStringLiteral("username"), QStringLiteral("demo")},
                                            {QStringLiteral("sessionId"), QStringLiteral("s1")},
                                            {QStringLiteral("expiresAt"), 0}},
                                           id)};
    if (type == QLatin1String("subscribe_task"))
        return {ScriptedWsServer::envelope(QStringLiteral("subscribeSuccess"),
                                           {{QStringLiteral("videoId"), m.value(QStringLiteral("payload")).toObject().value(QStringLiteral("videoId"))},
                                            {QStringLiteral("subscribed"), true}},
                                           id)};
    return {};
}

} // namespace

class TestWebSocketChannel final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DemoBackend> m_backend;
    std::unique_ptr<HttpTestClient> m_http;
    QNetworkAccessManager m_nam;
    std::unique_ptr<ApiClient> m_api;

    void startBackend(const DemoConfig &config)
    {
        m_backend = std::make_unique<DemoBackend>(config);
        QVERIFY(m_backend->start());
        m_http = std::make_unique<HttpTestClient>(m_backend->baseUrl());
        QCOMPARE(m_http->login(QStringLiteral("demo"), QStringLiteral("demo")).status, 200);
        m_api = std::make_unique<ApiClient>(m_backend->baseUrl(), &m_nam);
        m_api->setToken(m_http->token());
    }

    QString generate()
    {
        return m_http->post(QStringLiteral("/api/v1/videos/generate"), {{QStringLiteral("prompt"), QStringLiteral("Fireflies over a summer meadow")}})
            .json()
            .value(QStringLiteral("id"))
            .toString();
    }

private Q_SLOTS:
    void cleanup()
    {
        m_api.reset();
        m_http.reset();
        m_backend.reset();
    }

    void fullFlow()
    {
        startBackend(fastConfig());
        const QString id = generate();
        Job job(id);
        WebSocketChannel channel(m_backend->webSocketUrl(), m_http->token(), m_api.get(), fastOptions());
        QSignalSpy states(&channel, &WebSocketChannel::stateChanged);
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(job.videoUrl(), QStringLiteral("/uploads/videos/%1.mp4").arg(id));
        // Every step once, in order (steps 5 and 6 also report progress).
        QCOMPARE(job.log().size(), 9);
        QCOMPARE(job.log().first().text(), QStringLiteral("[1] 🔍 Validating request parameters..."));
        QCOMPARE(job.log().last().text(), QStringLiteral("[9] 🎉 Video ready!"));
        QCOMPARE(channel.state(), WebSocketChannel::State::Connected);
        QCOMPARE(channel.watchedCount(), 0); // unsubscribed once done
        QCOMPARE(job.connection().dialect, QStringLiteral("websocket"));
        // auth before subscribe, and the subscription only after authSuccess.
        QVERIFY(states.count() >= 3);
        QCOMPARE(states.at(0).first().value<WebSocketChannel::State>(), WebSocketChannel::State::Connecting);
        QCOMPARE(states.at(1).first().value<WebSocketChannel::State>(), WebSocketChannel::State::Authenticating);
        QCOMPARE(states.at(2).first().value<WebSocketChannel::State>(), WebSocketChannel::State::Connected);
    }

    void hundredJobsOnOneSocket()
    {
        DemoConfig c = fastConfig();
        c.users.first().credits = 100 * c.costPerVideo;
        startBackend(c);
        WebSocketChannel channel(m_backend->webSocketUrl(), m_http->token(), m_api.get(), fastOptions());
        std::vector<std::unique_ptr<Job>> jobs;
        for (int i = 0; i < 100; ++i) {
            const QString id = generate();
            QVERIFY(!id.isEmpty());
            jobs.push_back(std::make_unique<Job>(id));
            channel.watch(jobs.back().get());
        }
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(m_backend->webSocketClients(), 1, 5000);
        for (const auto &job : jobs) {
            QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 60000);
            QCOMPARE(job->log().size(), 9);
        }
        QCOMPARE(m_backend->webSocketClients(), 1);
    }

    void dropMidJobShowsEveryStepOnce()
    {
        DemoConfig c = fastConfig();
        c.dropAfter = 4;
        c.stepDelayMinMs = c.stepDelayMaxMs = 40;
        startBackend(c);
        const QString id = generate();
        Job job(id);
        WebSocketChannel channel(m_backend->webSocketUrl(), m_http->token(), m_api.get(), fastOptions());
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QVERIFY(job.connection().reconnectCount >= 1);
        QCOMPARE(job.log().size(), 9);
        QList<int> steps;
        for (const auto &e : job.log())
            steps << e.step;
        QCOMPARE(steps, QList<int>({1, 2, 3, 4, 5, 6, 7, 8, 9}));
    }

    void completionWhileDisconnectedIsAppliedOnce()
    {
        DemoConfig c = fastConfig();
        c.stepDelayMinMs = c.stepDelayMaxMs = 30;
        startBackend(c);
        const QString id = generate();
        Job job(id);
        QSignalSpy finished(&job, &Job::finished);
        WebSocketChannel channel(m_backend->webSocketUrl(), m_http->token(), m_api.get(), fastOptions());
        channel.watch(&job);
        bool restarted = false;
        connect(&job, &Job::logAppended, this, [&](const Job::LogEntry &e) {
            if (e.step == 2 && !restarted) {
                restarted = true;
                m_backend->simulateRestart(1500); // the job finishes while we are away
            }
        });
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(finished.count(), 1);
        QVERIFY(job.connection().reconnectCount >= 1);
        QCOMPARE(job.videoUrl(), QStringLiteral("/uploads/videos/%1.mp4").arg(id));
        QCOMPARE(m_backend->job(id)->status(), demo::DemoJob::Status::Completed);
    }

    void badTokenIsNotARetryLoop()
    {
        startBackend(fastConfig());
        WebSocketChannel channel(m_backend->webSocketUrl(), "not-a-token", m_api.get(), fastOptions());
        QSignalSpy authFailed(&channel, &WebSocketChannel::authenticationFailed);
        QSignalSpy failed(&channel, &WebSocketChannel::failed);
        channel.start();
        QTRY_COMPARE(authFailed.count(), 1);
        QCOMPARE(channel.state(), WebSocketChannel::State::Failed);
        QVERIFY(authFailed.first().first().toString().contains(QLatin1String("Invalid token")));
        // Not a retry loop: the server has seen the socket closed and the
        // channel has no attempt waiting, so nothing will connect again.
        QTRY_COMPARE(m_backend->webSocketClients(), 0);
        QVERIFY(!channel.reconnectScheduled());
        QCOMPARE(channel.state(), WebSocketChannel::State::Failed);
        QCOMPARE(authFailed.count(), 1);
        QCOMPARE(failed.count(), 0);
    }

    void expiredTokenAfterRestart()
    {
        DemoConfig c = fastConfig();
        c.stepDelayMinMs = c.stepDelayMaxMs = 50;
        startBackend(c);
        const QString id = generate();
        Job job(id);
        WebSocketChannel channel(m_backend->webSocketUrl(), m_http->token(), m_api.get(), fastOptions());
        QSignalSpy authFailed(&channel, &WebSocketChannel::authenticationFailed);
        channel.watch(&job);
        connect(&job, &Job::logAppended, this, [this](const Job::LogEntry &e) {
            if (e.step == 2) {
                m_backend->accounts().revokeAllTokens();
                m_backend->simulateRestart(50);
            }
        });
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(authFailed.count(), 1, 10000);
        QVERIFY(!job.isFinal()); // kept for after the new login
        // A new login and the same channel carries on.
        QCOMPARE(m_http->login(QStringLiteral("demo"), QStringLiteral("demo")).status, 200);
        m_api->setToken(m_http->token());
        channel.setToken(m_http->token());
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(job.log().size(), 9);
    }

    void serverRestart()
    {
        DemoConfig c = fastConfig();
        c.stepDelayMinMs = c.stepDelayMaxMs = 60;
        startBackend(c);
        const QString id = generate();
        Job job(id);
        WebSocketChannel channel(m_backend->webSocketUrl(), m_http->token(), m_api.get(), fastOptions());
        channel.watch(&job);
        connect(&job, &Job::logAppended, this, [this](const Job::LogEntry &e) {
            if (e.step == 3)
                m_backend->simulateRestart(200);
        });
        QSignalSpy states(&channel, &WebSocketChannel::stateChanged);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QCOMPARE(job.log().size(), 9);
        int connected = 0;
        for (const auto &s : states)
            connected += s.first().value<WebSocketChannel::State>() == WebSocketChannel::State::Connected;
        QVERIFY(connected >= 2); // authenticated again after the restart
    }

    void heartbeatStopIsDetectedWithinTwoIntervals()
    {
        ScriptedWsServer server;
        QVERIFY(server.listen());
        server.setHandler(friendly);
        Job job(QStringLiteral("v1"));
        WebSocketChannel channel(server.url(), "t", nullptr, fastOptions(150));
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Connected);
        QElapsedTimer t;
        qint64 detectedMs = -1;
        connect(&channel, &WebSocketChannel::stateChanged, this, [&](WebSocketChannel::State s) {
            if (s == WebSocketChannel::State::Reconnecting && detectedMs < 0)
                detectedMs = t.elapsed();
        });
        server.goSilent(); // no heartbeat, no pong, nothing
        t.start();
        QTRY_VERIFY_WITH_TIMEOUT(detectedMs >= 0, 3000);
        QVERIFY2(detectedMs <= 2 * 150 + 150, qPrintable(QString::number(detectedMs)));
        QVERIFY(channel.lastError().contains(QLatin1String("seems dead")));
        QCOMPARE(job.connection().state, ConnectionState::Reconnecting);
    }

    void heartbeatsAndPingsKeepItAlive()
    {
        ScriptedWsServer server;
        QVERIFY(server.listen());
        server.setHandler(friendly);
        WebSocketChannel channel(server.url(), "t", nullptr, fastOptions(150));
        QSignalSpy states(&channel, &WebSocketChannel::stateChanged);
        channel.start();
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Connected);
        const qsizetype changes = states.count();
        // Pings go out every half interval (75 ms) and only the server's pongs
        // reset the watchdog: eight answered pings are four intervals, twice
        // what silence may last, and the channel never left Connected.
        QTRY_VERIFY_WITH_TIMEOUT(server.pongsSent() >= 8, 5000);
        QCOMPARE(states.count(), changes);
        QCOMPARE(channel.state(), WebSocketChannel::State::Connected);
        QCOMPARE(server.connections(), 1);
    }

    void authNeverAnswered()
    {
        ScriptedWsServer server;
        QVERIFY(server.listen());
        server.setHandler([](int, const QJsonObject &) { return QList<QJsonObject>(); });
        WebSocketChannel::Options o = fastOptions();
        o.authTimeoutMs = 200;
        Job job(QStringLiteral("v1"));
        WebSocketChannel channel(server.url(), "t", nullptr, o);
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(channel.state(), WebSocketChannel::State::Reconnecting, 3000);
        QVERIFY(channel.lastError().contains(QLatin1String("did not answer the authentication")));
        // Nothing was subscribed before authSuccess.
        for (const QJsonObject &m : server.received())
            QCOMPARE(m.value(QStringLiteral("type")).toString(), QStringLiteral("auth"));
    }

    void duplicatesOutOfOrderAndNoise()
    {
        ScriptedWsServer server;
        QVERIFY(server.listen());
        server.setHandler(friendly);
        Job job(QStringLiteral("v1"));
        WebSocketChannel channel(server.url(), "t", nullptr, fastOptions());
        QSignalSpy warnings(&channel, &WebSocketChannel::protocolWarning);
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Connected);
        QTRY_COMPARE(server.received().size(), 2); // auth, subscribe
        QCOMPARE(server.received().at(1).value(QStringLiteral("type")).toString(), QStringLiteral("subscribe_task"));
        server.broadcast(progress(QStringLiteral("v1"), 1, QStringLiteral("🔍 one")));
        server.broadcast(progress(QStringLiteral("v1"), 1, QStringLiteral("🔍 one"))); // duplicate
        server.broadcast(progress(QStringLiteral("v1"), 3, QStringLiteral("🤖 three")));
        server.broadcast(progress(QStringLiteral("v1"), 2, QStringLiteral("📸 two"))); // late
        server.broadcast(progress(QStringLiteral("other"), 4, QStringLiteral("not ours")));
        server.broadcast(ScriptedWsServer::envelope(QStringLiteral("mystery"), {}));
        server.broadcast(ScriptedWsServer::envelope(QStringLiteral("taskCompleted"),
                                                    {{QStringLiteral("videoId"), QStringLiteral("v1")},
                                                     {QStringLiteral("status"), QStringLiteral("completed")},
                                                     {QStringLiteral("result"), QJsonObject{{QStringLiteral("videoUrl"), QStringLiteral("/v.mp4")}}}}));
        server.broadcast(ScriptedWsServer::envelope(QStringLiteral("taskCompleted"),
                                                    {{QStringLiteral("videoId"), QStringLiteral("v1")},
                                                     {QStringLiteral("status"), QStringLiteral("completed")}}));
        QTRY_COMPARE(job.state(), Job::State::Completed);
        // The duplicate changed nothing; the late step 2 took its place.
        QCOMPARE(stepTexts(job), QStringList({QStringLiteral("[1] 🔍 one"), QStringLiteral("[2] 📸 two"),
                                              QStringLiteral("[3] 🤖 three"), QStringLiteral("[9] 🎉 Video ready!")}));
        QCOMPARE(job.step(), 9);
        QCOMPARE(job.videoUrl(), QStringLiteral("/v.mp4"));
        QTRY_COMPARE(warnings.count(), 1);
        QVERIFY(warnings.first().first().toString().contains(QLatin1String("mystery")));
        // Unsubscribed after the end.
        QTRY_COMPARE(server.received().last().value(QStringLiteral("type")).toString(), QStringLiteral("unsubscribe_task"));
    }

    void endLearntWhileAwayStillGetsTheMissedSteps()
    {
        // The soak's missing step: the socket drops mid-job, the job's end is
        // learnt another way (a status check) before the socket is back, and
        // the steps sent meanwhile exist only in the server's replay.
        ScriptedWsServer server;
        QVERIFY(server.listen());
        const QString id = QStringLiteral("v9");
        const QJsonObject done = ScriptedWsServer::envelope(QStringLiteral("taskCompleted"),
                                                            {{QStringLiteral("videoId"), id},
                                                             {QStringLiteral("status"), QStringLiteral("completed")},
                                                             {QStringLiteral("progress"), 100},
                                                             {QStringLiteral("result"), QJsonObject{{QStringLiteral("videoUrl"), QStringLiteral("/v9.mp4")}}}});
        const QList<QJsonObject> history = {progress(id, 1, QStringLiteral("🔍 one")), progress(id, 2, QStringLiteral("📸 two")),
                                            progress(id, 3, QStringLiteral("🤖 three")), done};
        server.setHandler([&](int connection, const QJsonObject &m) {
            QList<QJsonObject> out = friendly(connection, m);
            if (connection >= 2 && m.value(QStringLiteral("type")).toString() == QLatin1String("subscribe_task"))
                out += history; // the server's replay on a (re)subscribe
            return out;
        });
        Job job(id);
        WebSocketChannel::Options options = fastOptions();
        options.reconnect.initialDelayMs = options.reconnect.maxDelayMs = 100;
        WebSocketChannel channel(server.url(), "t", nullptr, options);
        connect(&channel, &WebSocketChannel::stateChanged, this, [&](WebSocketChannel::State state) {
            if (state != WebSocketChannel::State::Reconnecting || job.isFinal())
                return;
            // What a status check answers while the socket is away.
            const DecodeResult end = decodeJobStatus({{QStringLiteral("id"), id},
                                                      {QStringLiteral("status"), QStringLiteral("completed")},
                                                      {QStringLiteral("step"), 9},
                                                      {QStringLiteral("total_steps"), 9},
                                                      {QStringLiteral("progress"), 100},
                                                      {QStringLiteral("message"), QStringLiteral("🎉 Video ready!")},
                                                      {QStringLiteral("video_url"), QStringLiteral("/v9.mp4")}});
            QVERIFY(end.event);
            job.applyProgress(*end.event);
        });
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE(server.received().size(), 2); // auth, subscribe
        server.broadcast(progress(id, 1, QStringLiteral("🔍 one")));
        QTRY_COMPARE(job.step(), 1);
        server.dropAll();
        QTRY_COMPARE(job.state(), Job::State::Completed);
        QCOMPARE(channel.watchedCount(), 0);
        // The next connection subscribes the ended job again; its replay
        // fills steps 2 and 3 in place, and the final ends the subscription.
        QTRY_COMPARE(stepTexts(job), QStringList({QStringLiteral("[1] 🔍 one"), QStringLiteral("[2] 📸 two"),
                                                  QStringLiteral("[3] 🤖 three"), QStringLiteral("[9] 🎉 Video ready!")}));
        QTRY_COMPARE(server.received().last().value(QStringLiteral("type")).toString(), QStringLiteral("unsubscribe_task"));
        QCOMPARE(job.state(), Job::State::Completed);
        // Owed nothing any more: a further reconnect does not subscribe it.
        const qsizetype before = server.received().size();
        server.dropAll();
        QTRY_COMPARE(server.connections(), 3);
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Connected);
        QTRY_VERIFY(server.received().size() > before); // its auth
        for (qsizetype i = before; i < server.received().size(); ++i)
            QVERIFY(server.received().at(i).value(QStringLiteral("type")).toString() != QLatin1String("subscribe_task"));
    }

    void replayTheServerNoLongerHasIsLetGo()
    {
        // The same, but after a restart the server no longer knows the job:
        // its NOT_FOUND ends what is owed, without a warning or a retry.
        ScriptedWsServer server;
        QVERIFY(server.listen());
        const QString id = QStringLiteral("v10");
        server.setHandler([&](int connection, const QJsonObject &m) -> QList<QJsonObject> {
            if (connection >= 2 && m.value(QStringLiteral("type")).toString() == QLatin1String("subscribe_task"))
                return {ScriptedWsServer::envelope(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("NOT_FOUND")},
                                                                             {QStringLiteral("message"), QStringLiteral("Video not found")},
                                                                             {QStringLiteral("videoId"), id}})};
            return friendly(connection, m);
        });
        Job job(id);
        WebSocketChannel::Options options = fastOptions();
        options.reconnect.initialDelayMs = options.reconnect.maxDelayMs = 100;
        WebSocketChannel channel(server.url(), "t", nullptr, options);
        QSignalSpy warnings(&channel, &WebSocketChannel::protocolWarning);
        connect(&channel, &WebSocketChannel::stateChanged, this, [&](WebSocketChannel::State state) {
            if (state != WebSocketChannel::State::Reconnecting || job.isFinal())
                return;
            const DecodeResult end = decodeJobStatus({{QStringLiteral("id"), id}, {QStringLiteral("status"), QStringLiteral("completed")},
                                                      {QStringLiteral("progress"), 100}});
            QVERIFY(end.event);
            job.applyProgress(*end.event);
        });
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE(server.received().size(), 2); // auth, subscribe
        server.dropAll();
        QTRY_COMPARE(job.state(), Job::State::Completed);
        QTRY_COMPARE(server.connections(), 2);
        QTRY_COMPARE(server.received().last().value(QStringLiteral("type")).toString(), QStringLiteral("subscribe_task"));
        server.broadcast(ScriptedWsServer::envelope(QStringLiteral("marker"), {})); // read after the NOT_FOUND
        QTRY_COMPARE(warnings.count(), 1);
        QVERIFY(warnings.first().first().toString().contains(QLatin1String("marker")));
        const qsizetype before = server.received().size();
        server.dropAll();
        QTRY_COMPARE(server.connections(), 3);
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Connected);
        QTRY_VERIFY(server.received().size() > before);
        for (qsizetype i = before; i < server.received().size(); ++i)
            QVERIFY(server.received().at(i).value(QStringLiteral("type")).toString() != QLatin1String("subscribe_task"));
    }

    void cancelUnsubscribes()
    {
        ScriptedWsServer server;
        QVERIFY(server.listen());
        server.setHandler(friendly);
        Job job(QStringLiteral("v7"));
        WebSocketChannel channel(server.url(), "t", nullptr, fastOptions());
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE(server.received().size(), 2); // auth, subscribe
        server.broadcast(progress(QStringLiteral("v7"), 2, QStringLiteral("📸 two")));
        QTRY_COMPARE(job.step(), 2);
        job.markCancelled(); // the user's cancel
        QTRY_COMPARE(server.received().size(), 3);
        const QJsonObject unsubscribe = server.received().last();
        QCOMPARE(unsubscribe.value(QStringLiteral("type")).toString(), QStringLiteral("unsubscribe_task"));
        QCOMPARE(unsubscribe.value(QStringLiteral("payload")).toObject().value(QStringLiteral("videoId")).toString(), QStringLiteral("v7"));
        QCOMPARE(channel.watchedCount(), 0);
        QSignalSpy warnings(&channel, &WebSocketChannel::protocolWarning);
        server.broadcast(progress(QStringLiteral("v7"), 3, QStringLiteral("🤖 three")));
        // A marker after it on the same socket: once the channel has read the
        // marker, it has read (and dropped) the step before it.
        server.broadcast(ScriptedWsServer::envelope(QStringLiteral("marker"), {}));
        QTRY_COMPARE(warnings.count(), 1);
        QVERIFY(warnings.first().first().toString().contains(QLatin1String("marker")));
        QCOMPARE(job.step(), 2); // nothing after the cancel
        QCOMPARE(job.state(), Job::State::Cancelled);
    }

    void serverTextInWarningsIsValidUnicode()
    {
        ScriptedWsServer server;
        QVERIFY(server.listen());
        server.setHandler(friendly);
        Job job(QStringLiteral("v1"));
        WebSocketChannel channel(server.url(), "t", nullptr, fastOptions());
        QSignalSpy warnings(&channel, &WebSocketChannel::protocolWarning);
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Connected);
        // Half a surrogate pair as a JSON escape, in the type and in an error's words.
        server.broadcastText(R"({"type":"odd\ud800type","payload":{}})");
        server.broadcastText(R"({"type":"error","payload":{"code":"E\udfff","message":"bad \ud83d"}})");
        // Not JSON, 79 characters and an emoji: the 80-unit excerpt cuts the pair.
        server.broadcastText(QByteArray(79, 'x') + "\xf0\x9f\x98\x80 tail");
        QTRY_COMPARE(warnings.count(), 3);
        const QChar replacement = QChar::ReplacementCharacter;
        const QStringList expected{QStringLiteral("odd%1type").arg(replacement), QStringLiteral("E%1 bad %1").arg(replacement),
                                   QString(79, QLatin1Char('x')) + replacement};
        for (int i = 0; i < 3; ++i) {
            const QString w = warnings.at(i).at(0).toString();
            QVERIFY2(w.contains(expected.at(i)), qPrintable(w));
            QCOMPARE(QString::fromUtf8(w.toUtf8()), w); // no lone surrogate left
        }
        // Invalid UTF-8 in a text frame: the socket is closed (1007) and
        // reconnects; what it says is valid text too.
        server.broadcastText("\xff\xfe not UTF-8");
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Reconnecting);
        QCOMPARE(QString::fromUtf8(channel.lastError().toUtf8()), channel.lastError());
        QTRY_COMPARE(channel.state(), WebSocketChannel::State::Connected);
    }

    void nonJsonAndOversizedMessages()
    {
        DemoConfig c = fastConfig();
        c.garbage = true;
        c.oversized = true;
        c.stepDelayMinMs = c.stepDelayMaxMs = 30;
        startBackend(c);
        const QString id = generate();
        Job job(id);
        WebSocketChannel channel(m_backend->webSocketUrl(), m_http->token(), m_api.get(), fastOptions());
        QSignalSpy warnings(&channel, &WebSocketChannel::protocolWarning);
        channel.watch(&job);
        channel.start();
        QTRY_COMPARE_WITH_TIMEOUT(job.state(), Job::State::Completed, 20000);
        QVERIFY(warnings.count() >= 1);
        QVERIFY(warnings.first().first().toString().contains(QLatin1String("not a JSON object")));
        QVERIFY(job.connection().reconnectCount >= 1); // the 8 MiB+ message closed the socket
        QCOMPARE(job.log().size(), 9);
    }
};

QTEST_MAIN(TestWebSocketChannel)
#include "tst_websocketchannel.moc"
