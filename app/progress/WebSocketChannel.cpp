// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/WebSocketChannel.h"

#include "progress/StatusCatchUp.h"

#include "progress/EventChecks.h"

#include "api/ApiClient.h"
#include "core/Logging.h"
#include "jobs/Job.h"
#include "progress/ProgressDecoder.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace framecast {

namespace {
constexpr int kCloseAuthFailed = 4001;
/// Connections that subscribe an ended job again for a replay it is owed.
constexpr int kReplayTries = 3;
} // namespace

WebSocketChannel::WebSocketChannel(QUrl url, QByteArray token, ApiClient *api, Options options, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_token(std::move(token))
    , m_api(api)
    , m_options(std::move(options))
{
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(2 * m_options.heartbeatIntervalMs);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        qCWarning(lcProgress) << "websocket silent for" << m_watchdog.interval() << "ms: reconnecting";
        scheduleReconnect(tr("No message for %1 s: the connection seems dead").arg(m_watchdog.interval() / 1000.0));
    });
    m_authTimer.setSingleShot(true);
    connect(&m_authTimer, &QTimer::timeout, this, [this] {
        scheduleReconnect(tr("The server did not answer the authentication within %1 s").arg(m_options.authTimeoutMs / 1000.0));
    });
    // Pings at the heartbeat rate: a server that answers them proves liveness
    // even between heartbeats; one that does not costs us nothing.
    m_pingTimer.setInterval(std::max(50, m_options.heartbeatIntervalMs / 2));
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->ping();
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &WebSocketChannel::openSocket);
}

WebSocketChannel::~WebSocketChannel()
{
    stop();
}

QString WebSocketChannel::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Authenticating:
        return QStringLiteral("authenticating");
    case State::Connected:
        return QStringLiteral("connected");
    case State::Reconnecting:
        return QStringLiteral("reconnecting");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

void WebSocketChannel::setState(State state)
{
    if (m_state == state && state != State::Reconnecting)
        return;
    m_state = state;
    Q_EMIT stateChanged(state, m_attempt);
    mirrorConnection();
}

ConnectionState WebSocketChannel::jobConnectionState() const
{
    switch (m_state) {
    case State::Idle:
        return ConnectionState::Idle;
    case State::Connecting:
    case State::Authenticating:
        return m_everConnected ? ConnectionState::Reconnecting : ConnectionState::Connecting;
    case State::Connected:
        return ConnectionState::Connected;
    case State::Reconnecting:
        return ConnectionState::Reconnecting;
    case State::Failed:
        return ConnectionState::Failed;
    case State::Closed:
        return ConnectionState::Closed;
    }
    return ConnectionState::Idle;
}

void WebSocketChannel::mirrorConnection()
{
    const ConnectionState s = jobConnectionState();
    for (const auto &job : std::as_const(m_jobs)) {
        if (job && !job->isFinal())
            job->setConnectionState(s, m_attempt, m_lastError);
    }
}

void WebSocketChannel::start()
{
    if (m_state != State::Idle && m_state != State::Closed && m_state != State::Failed)
        return;
    m_attempt = 0;
    m_authRefused = false;
    openSocket();
}

void WebSocketChannel::stop()
{
    m_retryTimer.stop();
    m_watchdog.stop();
    m_authTimer.stop();
    m_pingTimer.stop();
    discardSocket();
    if (m_state != State::Failed && m_state != State::Idle)
        setState(State::Closed);
}

void WebSocketChannel::setToken(const QByteArray &token)
{
    m_token = token;
    if (m_state == State::Failed || m_state == State::Closed || m_state == State::Idle)
        return;
    stop();
    start();
}

QString WebSocketChannel::nextRequestId(const char *prefix)
{
    return QStringLiteral("%1-%2").arg(QString::fromLatin1(prefix)).arg(++m_requestCounter);
}

void WebSocketChannel::discardSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this); // no signals from a socket we gave up on
    socket->abort();
    socket->deleteLater();
}

void WebSocketChannel::openSocket()
{
    discardSocket();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxMessageBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxMessageBytes));
    m_options.network.apply(*m_socket);
    connect(m_socket, &QWebSocket::connected, this, &WebSocketChannel::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &WebSocketChannel::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WebSocketChannel::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        touch();
        warn(tr("ignored a binary WebSocket message"));
    });
    connect(m_socket, &QWebSocket::pong, this, [this] { touch(); });
    // A refused or failed handshake never reaches `disconnected`.
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    constexpr auto errorSignal = &QWebSocket::errorOccurred;
#else
    constexpr auto errorSignal = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    connect(m_socket, errorSignal, this, [this](QAbstractSocket::SocketError error) {
        if (!m_socket || m_state != State::Connecting || m_socket->state() == QAbstractSocket::ConnectedState)
            return;
        // An explicit proxy that cannot be reached is named, as for REST and SSE.
        const QString proxy = m_options.network.proxyFailure(error, m_socket->errorString());
        scheduleReconnect(proxy.isEmpty() ? tr("Cannot connect: %1").arg(m_socket->errorString()) : proxy);
    });
    if (m_state != State::Reconnecting)
        setState(State::Connecting);
    qCDebug(lcProgress).noquote() << "websocket: opening" << redactedUrl(m_url) << "attempt" << m_attempt;
    m_watchdog.start(); // also bounds the TCP and WebSocket handshakes
    m_socket->open(m_url);
}

void WebSocketChannel::warn(QString message)
{
    repairText(&message); // server text: a lone surrogate, or a pair cut at the excerpt's end
    Q_EMIT protocolWarning(message);
}

void WebSocketChannel::touch()
{
    if (m_state == State::Connected || m_state == State::Authenticating)
        m_watchdog.start();
}

void WebSocketChannel::onConnected()
{
    setState(State::Authenticating);
    m_authRequestId = nextRequestId("auth");
    send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_token)}}, m_authRequestId);
    m_authTimer.start(m_options.authTimeoutMs);
    m_watchdog.start();
    m_pingTimer.start();
}

void WebSocketChannel::send(const QString &type, const QJsonObject &payload, const QString &requestId)
{
    if (!m_socket)
        return;
    QJsonObject message{{QStringLiteral("type"), type},
                        {QStringLiteral("timestamp"), QDateTime::currentMSecsSinceEpoch()},
                        {QStringLiteral("payload"), payload}};
    if (!requestId.isEmpty())
        message.insert(QStringLiteral("id"), requestId);
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void WebSocketChannel::onDisconnected()
{
    if (!m_socket)
        return;
    const int code = int(m_socket->closeCode());
    QString reason = m_socket->closeReason();
    repairText(&reason);
    const QString socketError = m_socket->errorString();
    m_pingTimer.stop();
    m_authTimer.stop();
    if (code == kCloseAuthFailed || m_authRefused) {
        m_watchdog.stop();
        m_lastError = reason.isEmpty() ? tr("The server refused the token") : reason;
        setState(State::Failed);
        Q_EMIT authenticationFailed(m_lastError);
        return;
    }
    QString why;
    if (code == QWebSocketProtocol::CloseCodeTooMuchData)
        why = tr("A message was larger than %1 MiB; the connection was closed").arg(m_options.maxMessageBytes >> 20);
    else if (!reason.isEmpty())
        why = tr("The server closed the connection: %1").arg(reason);
    else if (const QString proxy = m_options.network.proxyFailure(m_socket->error(), socketError); !proxy.isEmpty())
        why = proxy; // the proxy's failure, named as REST and SSE name it
    else
        why = tr("Connection lost: %1").arg(socketError);
    scheduleReconnect(why);
}

void WebSocketChannel::scheduleReconnect(const QString &why)
{
    m_watchdog.stop();
    m_authTimer.stop();
    m_pingTimer.stop();
    m_lastError = why;
    discardSocket();
    ++m_attempt;
    if (m_options.reconnect.exhausted(m_attempt)) {
        m_lastError = tr("Gave up after %n attempt(s): %1", nullptr, m_attempt - 1).arg(why);
        setState(State::Failed);
        Q_EMIT failed(m_lastError);
        return;
    }
    const qint64 delay = m_options.reconnect.delayMs(m_attempt);
    qCInfo(lcProgress).noquote() << "websocket:" << why << "- reconnecting in" << delay << "ms, attempt" << m_attempt;
    setState(State::Reconnecting);
    m_retryTimer.start(int(qBound<qint64>(0, delay, qint64(24) * 3600 * 1000)));
}

void WebSocketChannel::watch(Job *job)
{
    if (!job || job->isFinal())
        return;
    m_jobs.insert(job->id(), job);
    job->setConnectionDialect(QStringLiteral("websocket"));
    // However the job ends (the socket, a REST catch-up, the user's cancel),
    // its subscription ends with it.
    const QString id = job->id();
    connect(job, &Job::finished, this, [this, id] { unwatch(id); });
    // This job only: the others already show the socket's state (with a
    // thousand jobs, mirroring all on each watch was a million updates).
    job->setConnectionState(jobConnectionState(), m_attempt, m_lastError);
    if (m_state == State::Connected)
        subscribe(job->id());
}

void WebSocketChannel::unwatch(const QString &jobId)
{
    const QPointer<Job> job = m_jobs.take(jobId);
    if (!job)
        return;
    m_ended.insert(jobId, job);
    if (job->state() == Job::State::Completed || job->state() == Job::State::Failed)
        m_owedReplay.insert(jobId, kReplayTries); // cleared when its final comes over the socket
    job->setConnectionState(ConnectionState::Closed);
    if (m_state == State::Connected)
        send(QStringLiteral("unsubscribe_task"), {{QStringLiteral("videoId"), jobId}}, nextRequestId("unsub"));
}

void WebSocketChannel::subscribe(const QString &jobId)
{
    send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), jobId}}, nextRequestId("sub"));
}

void WebSocketChannel::catchUp(const QString &jobId)
{
    if (!m_api)
        return;
    m_api->status(jobId, [this, jobId](const ApiResponse &response) {
        QPointer<Job> job = m_jobs.value(jobId);
        if (!job || job->isFinal())
            return;
        // A lost job is not followed any more; anything else the socket
        // (or the next reconnect) brings up to date.
        if (applyStatusAnswer(*job, response) == StatusAnswer::Lost)
            m_jobs.remove(jobId);
    });
}

void WebSocketChannel::onText(const QString &text)
{
    touch();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject()) {
        warn(tr("ignored a WebSocket message that is not a JSON object (%1): %2")
                                   .arg(error.error == QJsonParseError::NoError ? tr("not an object") : error.errorString(),
                                        text.left(80)));
        return;
    }
    const QJsonObject message = doc.object();
    const QString type = message.value(QStringLiteral("type")).toString();
    const QJsonObject payload = message.value(QStringLiteral("payload")).toObject();
    const QString requestId = message.value(QStringLiteral("id")).toString();

    if (type == QLatin1String("authSuccess")) {
        if (m_state != State::Authenticating || requestId != m_authRequestId) {
            warn(tr("ignored an authSuccess for another request"));
            return;
        }
        m_authTimer.stop();
        m_attempt = 0;
        const bool reconnected = m_everConnected;
        m_everConnected = true;
        m_lastError.clear();
        forgetEndedJobs();
        setState(State::Connected);
        // Subscribe to every job still watched, then catch up over REST so a
        // step or a completion missed while away is applied (exactly once:
        // the job ignores what it already has).
        const QStringList ids = m_jobs.keys();
        for (const QString &id : ids) {
            subscribe(id);
            if (reconnected)
                catchUp(id);
        }
        // A job whose end a status check brought while the socket was away
        // (or while its replay was cut off) gets the replay of what it missed.
        for (auto it = m_ended.cbegin(); it != m_ended.cend(); ++it)
            subscribe(it.key());
        return;
    }
    if (type == QLatin1String("authError")) {
        m_authRefused = true;
        QString msg = payload.value(QStringLiteral("message")).toString(tr("The server refused the token"));
        repairText(&msg);
        m_lastError = msg;
        if (m_socket)
            m_socket->close(QWebSocketProtocol::CloseCode(kCloseAuthFailed), msg);
        return;
    }
    if (type == QLatin1String("heartbeat") || type == QLatin1String("pong") || type == QLatin1String("subscribeSuccess")
        || type == QLatin1String("unsubscribeSuccess")) {
        return; // liveness, already counted
    }
    if (type == QLatin1String("taskProgress") || type == QLatin1String("taskCompleted") || type == QLatin1String("taskFailed")) {
        onTaskMessage(type, payload);
        return;
    }
    if (type == QLatin1String("error")) {
        const QString code = payload.value(QStringLiteral("code")).toString();
        const QString videoId = payload.value(QStringLiteral("videoId")).toString();
        if (code == QLatin1String("NOT_FOUND") && m_ended.contains(videoId)) {
            // An ended job subscribed again for its replay, which the server
            // no longer has (a restart): nothing more will come for it.
            m_owedReplay.remove(videoId);
            m_ended.remove(videoId);
            return;
        }
        if (code == QLatin1String("NOT_FOUND") && m_jobs.contains(videoId)) {
            QString why = payload.value(QStringLiteral("message")).toString(tr("The server no longer knows this job"));
            repairText(&why);
            if (QPointer<Job> job = m_jobs.value(videoId))
                job->markLost(why);
            m_jobs.remove(videoId);
            return;
        }
        warn(tr("the server reported an error: %1 %2")
                                   .arg(code, payload.value(QStringLiteral("message")).toString()));
        return;
    }
    warn(tr("ignored a WebSocket message of unknown type \"%1\"").arg(type));
}

void WebSocketChannel::onTaskMessage(const QString &type, const QJsonObject &payload)
{
    const DecodeResult decoded = decodeWebSocketTaskMessage(type, payload);
    if (!decoded.event) {
        for (const QString &w : decoded.warnings)
            warn(w);
        return;
    }
    const QString &id = decoded.event->jobId;
    QPointer<Job> job = m_jobs.value(id);
    const bool ended = !job;
    if (ended)
        job = m_ended.value(id); // a late replay may still fill its log
    if (!job) {
        qCDebug(lcProgress) << "websocket: message for a job not watched:" << decoded.event->jobId;
        return;
    }
    for (const QString &w : decoded.warnings)
        job->addWarning(w);
    job->applyProgress(*decoded.event); // a final event unwatches through Job::finished
    // The final message comes last in a replay: every step before it has
    // been seen on this socket, nothing more is owed.
    if (decoded.event->isFinal() && m_owedReplay.remove(id) && ended && m_state == State::Connected)
        send(QStringLiteral("unsubscribe_task"), {{QStringLiteral("videoId"), id}}, nextRequestId("unsub"));
    Q_EMIT progressEvent(*decoded.event);
}

void WebSocketChannel::forgetEndedJobs()
{
    for (auto it = m_ended.begin(); it != m_ended.end();) {
        const auto owed = m_owedReplay.find(it.key());
        if (it.value() && owed != m_owedReplay.end() && owed.value()-- > 0) {
            ++it;
            continue;
        }
        m_owedReplay.remove(it.key());
        it = m_ended.erase(it);
    }
}

} // namespace framecast
