// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoStreams.h"

#include "demo/DemoBackend.h"
#include "demo/HttpCompat.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QUuid>
#include <QWebSocket>

namespace framecast::demo {

namespace {
constexpr int kKeepAliveMs = 15000;
/// Past PROTOCOL §5's 1 MiB line limit (SSE) and 8 MiB message limit (WebSocket).
constexpr qsizetype kOversizedSse = (1 << 20) + 1024;
constexpr qsizetype kOversizedWs = (8 << 20) + 1024;
} // namespace

// --- SSE ---------------------------------------------------------------------

DemoSseConnection::DemoSseConnection(DemoBackend *backend, DemoJob *job, QString dialect,
                                     QHttpServerResponder &&responder, qint64 lastEventId, QString onlyStage,
                                     QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_job(job)
    , m_dialect(std::move(dialect))
    , m_responder(std::make_unique<QHttpServerResponder>(std::move(responder)))
#ifndef FRAMECAST_HTTPSERVER_68
    , m_socket(m_responder->socket())
#endif
    , m_lastEventId(lastEventId)
    , m_stages(job->id(), onlyStage)
{
    m_keepAlive.setInterval(kKeepAliveMs);
    connect(&m_keepAlive, &QTimer::timeout, this, [this] { send(": keep-alive\n\n", false); });
    m_lifetime.setSingleShot(true);
    connect(&m_lifetime, &QTimer::timeout, this, &DemoSseConnection::close);
    if (m_dialect == QLatin1String("stages-sse")) {
        const DemoConfig &c = m_backend->config();
        m_lifetime.start((onlyStage.isEmpty() ? c.allStagesTimeoutS : c.stageStreamTimeoutS) * 1000);
    }
#ifndef FRAMECAST_HTTPSERVER_68
    // Qt 6.8 tells nobody when a client goes away: such a stream lives until
    // its job ends or its lifetime runs out.
    if (m_socket)
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
#endif
}

bool DemoSseConnection::isOpen() const
{
#ifdef FRAMECAST_HTTPSERVER_68
    return !m_ended;
#else
    return m_socket != nullptr;
#endif
}

void DemoSseConnection::endStream(bool reset)
{
    reportEnd();
#ifdef FRAMECAST_HTTPSERVER_68
    Q_UNUSED(reset); // no socket to reset: the chunked body just ends
    if (!m_ended) {
        m_ended = true;
        http::streamEnd(*m_responder);
    }
    deleteLater();
#else
    if (!m_socket) {
        deleteLater();
        return;
    }
    if (reset)
        m_socket->abort();
    else
        m_socket->disconnectFromHost(); // deleted when it is disconnected
#endif
}

DemoSseConnection::~DemoSseConnection()
{
    reportEnd(); // the client went away first
}

void DemoSseConnection::reportEnd()
{
    if (std::exchange(m_endReported, true))
        return;
    Q_EMIT ended(m_messages + m_flushedMessages, m_complete);
}

void DemoSseConnection::start()
{
    http::Headers headers{{"Content-Type", "text/event-stream; charset=utf-8"},
                          {"Cache-Control", "no-cache"},
                          {"X-Accel-Buffering", "no"},
                          {"Access-Control-Allow-Origin", "*"}};
#ifndef FRAMECAST_HTTPSERVER_68
    headers.append(std::make_pair(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"))); // the body runs until the connection closes
#endif
    http::streamBegin(*m_responder, headers);
    if (m_dialect == QLatin1String("stages-sse")) {
        QString stage = DemoJob::stageOfStep(qMax(1, m_job->step()));
        for (const JobRecord &r : m_job->records()) {
            if (r.seq == m_lastEventId)
                m_stages.resumeAfter(r);
        }
        send(m_stages.connected(stage), false);
    } else {
        send(": connected\n\n", false); // the first body write ends the headers
    }
    // Replay what this client has not seen, then follow the job live.
    const QList<JobRecord> records = m_job->records();
    for (const JobRecord &r : records) {
        if (r.seq > m_lastEventId && !m_closing)
            onRecord(r);
    }
    if (m_closing || !isOpen())
        return;
    connect(m_job, &DemoJob::recordAdded, this, &DemoSseConnection::onRecord);
    m_keepAlive.start();
}

QByteArray DemoSseConnection::format(const JobRecord &r)
{
    if (m_dialect == QLatin1String("videos-sse"))
        return wire::videosSse(*m_job, r);
    if (m_dialect == QLatin1String("tasks-sse"))
        return wire::tasksSse(*m_job, r);
    return m_stages.write(*m_job, r);
}

void DemoSseConnection::onRecord(const JobRecord &r)
{
    if (m_closing || !m_job)
        return;
    const QByteArray bytes = format(r);
    bool written = !m_stalled && isOpen(); // so far nothing is held back
    if (!bytes.isEmpty()) {
        const DemoConfig &c = m_backend->config();
        // One-shot faults, once per job and dialect, before a mid-job step.
        if (r.kind == JobRecord::Kind::Step && r.step >= 2) {
            if (c.garbage && m_backend->takeOneShotFault(m_job->id(), m_dialect, QStringLiteral("garbage")))
                send("data: {\"step\": " + QByteArray::number(r.step) + ", \"message\": \"garbage\n\n", false);
            if (c.oversized && m_backend->takeOneShotFault(m_job->id(), m_dialect, QStringLiteral("oversized"))) {
                send("data: " + QByteArray(kOversizedSse, 'x') + "\n\n", false);
                return; // the client drops the stream here and resumes after the last id
            }
        }
        written = send(bytes, true);
    }
    const bool ended = r.isFinal() || (m_dialect == QLatin1String("stages-sse") && m_stages.finished());
    if (ended) {
        m_complete = written; // a stall's queue is lost when the stream closes
        close();
    }
}

bool DemoSseConnection::send(const QByteArray &bytes, bool countsAsMessage)
{
    if (!isOpen() || m_closing)
        return false;
    if (m_stalled) {
        m_queue.append(bytes);
        m_queuedMessages += countsAsMessage ? 1 : 0;
        return false;
    }
    http::streamWrite(*m_responder, bytes);
    if (!countsAsMessage)
        return true;
    ++m_messages;
    const DemoConfig &c = m_backend->config();
    if (c.dropAfter > 0 && m_messages >= c.dropAfter) {
        // End the stream before the job's end. Not abort(): a reset can make the
        // peer discard the messages just written, and it would resume from the
        // same Last-Event-ID forever. The job keeps running.
        m_closing = true;
        m_keepAlive.stop();
        endStream(false);
        return true;
    }
    if (c.stallMs > 0 && m_messages == 2) {
        m_stalled = true;
        m_keepAlive.stop(); // a stall is silence
        QTimer::singleShot(c.stallMs, this, &DemoSseConnection::flush);
    }
    return true;
}

void DemoSseConnection::flush()
{
    m_stalled = false;
    if (isOpen() && !m_closing) // else send() drops them
        m_flushedMessages += m_queuedMessages;
    m_queuedMessages = 0;
    const QByteArrayList queued = std::exchange(m_queue, {});
    for (const QByteArray &bytes : queued)
        send(bytes, false);
    if (!m_closing)
        m_keepAlive.start();
    if (m_closing && isOpen())
        endStream(false);
}

void DemoSseConnection::close()
{
    if (m_closing)
        return;
    m_keepAlive.stop();
    m_lifetime.stop();
    if (m_stalled) {
        m_closing = true; // flush() closes after the stall
        return;
    }
    m_closing = true;
    endStream(false);
}

void DemoSseConnection::abort()
{
    m_closing = true;
    m_keepAlive.stop();
    endStream(true);
    deleteLater();
}

// --- WebSocket ---------------------------------------------------------------

DemoWebSocketHub::DemoWebSocketHub(DemoBackend *backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
{
    m_uptime.start();
    connect(&m_heartbeat, &QTimer::timeout, this, &DemoWebSocketHub::heartbeat);
    setHeartbeatInterval(backend->config().heartbeatMs);
}

DemoWebSocketHub::~DemoWebSocketHub()
{
    abortAll();
}

void DemoWebSocketHub::setHeartbeatInterval(int ms)
{
    if (ms > 0)
        m_heartbeat.start(ms);
    else
        m_heartbeat.stop();
}

void DemoWebSocketHub::addSocket(QWebSocket *socket)
{
    m_backend->noteSeen(SeenRequest{"GET", socket->requestUrl().path(),
                                    DemoBackend::presentedToken(socket->request().rawHeader("Authorization"), socket->requestUrl())});
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(8 << 20);
    Client client;
    client.authTimer = new QTimer(socket);
    client.authTimer->setSingleShot(true);
    connect(client.authTimer, &QTimer::timeout, socket, [socket] {
        socket->close(QWebSocketProtocol::CloseCode(4001), QStringLiteral("No auth message in time"));
    });
    client.authTimer->start(m_backend->config().authTimeoutMs);
    m_clients.insert(socket, client);
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) { onText(socket, text); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        m_clients.remove(socket);
        socket->deleteLater();
    });
}

void DemoWebSocketHub::watchJob(DemoJob *job)
{
    connect(job, &DemoJob::recordAdded, this, [this, job](const JobRecord &r) { onRecord(job, r); });
}

void DemoWebSocketHub::abortAll()
{
    const auto sockets = m_clients.keys();
    for (QWebSocket *socket : sockets)
        socket->abort();
    m_clients.clear();
}

void DemoWebSocketHub::sendJson(QWebSocket *socket, const QJsonObject &message)
{
    socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

bool DemoWebSocketHub::sendTaskMessage(QWebSocket *socket, Client &client, DemoJob *job, const QJsonObject &message)
{
    const DemoConfig &c = m_backend->config();
    const QString channel = QStringLiteral("websocket:") + client.sessionId;
    if (c.garbage && m_backend->takeOneShotFault(job->id(), channel, QStringLiteral("garbage")))
        socket->sendTextMessage(QStringLiteral("{\"type\": \"taskProgress\", \"payload\": garbage"));
    if (c.oversized && m_backend->takeOneShotFault(job->id(), channel, QStringLiteral("oversized"))) {
        socket->sendTextMessage(QString(kOversizedWs, QLatin1Char('x')));
        return false;
    }
    if (c.dropAfter > 0 && client.messages >= c.dropAfter) {
        // Drop abruptly before message N+1: the N before it left in earlier
        // event-loop turns, so the reset cannot swallow them.
        socket->abort();
        return false;
    }
    sendJson(socket, message);
    ++client.messages;
    return true;
}

void DemoWebSocketHub::onRecord(DemoJob *job, const JobRecord &r)
{
    const QJsonObject message = wire::webSocketMessage(*job, r);
    if (message.isEmpty())
        return;
    int recipients = 0;
    const auto sockets = m_clients.keys();
    for (QWebSocket *socket : sockets) {
        auto it = m_clients.find(socket);
        if (it == m_clients.end() || !it->subscriptions.contains(job->id()))
            continue;
        recipients += sendTaskMessage(socket, *it, job, message) ? 1 : 0;
    }
    Q_EMIT recordPushed(job->id(), r.seq, r.isFinal(), recipients);
}

void DemoWebSocketHub::heartbeat()
{
    const QJsonObject message = wire::envelope(QStringLiteral("heartbeat"),
                                               {{QStringLiteral("connectedClients"), int(m_clients.size())},
                                                {QStringLiteral("uptime"), m_uptime.elapsed() / 1000}});
    for (auto it = m_clients.begin(); it != m_clients.end(); ++it) {
        if (!it->userId.isEmpty())
            sendJson(it.key(), message);
    }
}

void DemoWebSocketHub::onText(QWebSocket *socket, const QString &text)
{
    auto it = m_clients.find(socket);
    if (it == m_clients.end())
        return;
    Client &client = *it;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (!doc.isObject()) {
        sendJson(socket, wire::envelope(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("INVALID_JSON")},
                                                                  {QStringLiteral("message"), QStringLiteral("Messages must be JSON objects")}}));
        return;
    }
    const QJsonObject o = doc.object();
    const QString type = o.value(QStringLiteral("type")).toString();
    const QString requestId = o.value(QStringLiteral("id")).toString();
    const QJsonObject payload = o.value(QStringLiteral("payload")).toObject();

    if (type == QLatin1String("auth")) {
        const QByteArray token = payload.value(QStringLiteral("token")).toString().toUtf8();
        m_backend->noteSeen(SeenRequest{"WS", socket->requestUrl().path(), token});
        DemoAccounts::TokenCheck check{};
        DemoUser *user = m_backend->accounts().userForToken(token, &check);
        if (!user) {
            const bool expired = check == DemoAccounts::TokenCheck::Expired;
            sendJson(socket, wire::envelope(QStringLiteral("authError"),
                                            {{QStringLiteral("code"), expired ? QStringLiteral("TOKEN_EXPIRED") : QStringLiteral("INVALID_TOKEN")},
                                             {QStringLiteral("message"), expired ? QStringLiteral("Token expired") : QStringLiteral("Invalid token")}},
                                            requestId));
            socket->close(QWebSocketProtocol::CloseCode(4001), QStringLiteral("Authentication failed"));
            return;
        }
        client.userId = user->id;
        client.sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        client.authTimer->stop();
        sendJson(socket, wire::envelope(QStringLiteral("authSuccess"),
                                        {{QStringLiteral("userId"), user->id},
                                         {QStringLiteral("username"), user->username},
                                         {QStringLiteral("sessionId"), client.sessionId},
                                         {QStringLiteral("expiresAt"), QDateTime::currentMSecsSinceEpoch() + qint64(m_backend->accounts().tokenTtl()) * 1000}},
                                        requestId));
        return;
    }
    if (type == QLatin1String("ping")) {
        sendJson(socket, wire::envelope(QStringLiteral("pong"), {}, requestId));
        return;
    }
    if (client.userId.isEmpty()) {
        sendJson(socket, wire::envelope(QStringLiteral("error"),
                                        {{QStringLiteral("code"), QStringLiteral("NOT_AUTHENTICATED")},
                                         {QStringLiteral("message"), QStringLiteral("Send auth first")}},
                                        requestId));
        return;
    }
    const QString videoId = payload.value(QStringLiteral("videoId")).toString();
    if (type == QLatin1String("subscribe_task")) {
        DemoJob *job = m_backend->job(videoId);
        if (!job || job->ownerId() != client.userId) {
            sendJson(socket, wire::envelope(QStringLiteral("error"),
                                            {{QStringLiteral("code"), QStringLiteral("NOT_FOUND")},
                                             {QStringLiteral("message"), QStringLiteral("Video not found")},
                                             {QStringLiteral("videoId"), videoId}},
                                            requestId));
            return;
        }
        client.subscriptions.insert(videoId);
        sendJson(socket, wire::envelope(QStringLiteral("subscribeSuccess"),
                                        {{QStringLiteral("videoId"), videoId}, {QStringLiteral("subscribed"), true}},
                                        requestId));
        // The job's history so far, so a (re)subscribing client catches up on
        // every step it missed; the client ignores what it already has.
        for (const JobRecord &r : job->records()) {
            if (r.kind == JobRecord::Kind::Step || r.isFinal())
                sendJson(socket, wire::webSocketMessage(*job, r));
        }
        return;
    }
    if (type == QLatin1String("unsubscribe_task")) {
        client.subscriptions.remove(videoId);
        sendJson(socket, wire::envelope(QStringLiteral("unsubscribeSuccess"),
                                        {{QStringLiteral("videoId"), videoId}, {QStringLiteral("subscribed"), false}},
                                        requestId));
        return;
    }
    sendJson(socket, wire::envelope(QStringLiteral("error"),
                                    {{QStringLiteral("code"), QStringLiteral("UNKNOWN_TYPE")},
                                     {QStringLiteral("message"), QStringLiteral("Unknown message type %1").arg(type)}},
                                    requestId));
}

} // namespace framecast::demo
