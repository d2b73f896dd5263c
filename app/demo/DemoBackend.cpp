// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoBackend.h"

#include "core/Logging.h"
#include "demo/DemoFiles.h"
#include "demo/DemoOidc.h"
#include "demo/DemoReplies.h"
#include "demo/DemoStreams.h"
#include "demo/HttpCompat.h"

#include <QDir>

#include <algorithm>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMetaEnum>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>
#ifdef FRAMECAST_HTTPSERVER_68
#include <QHttpServerWebSocketUpgradeResponse>
#endif

namespace framecast::demo {

namespace {

using Status = http::Status;
using Method = QHttpServerRequest::Method;

QByteArray methodName(Method method)
{
    const char *key = QMetaEnum::fromType<Method>().valueToKey(int(method)); // "Get"
    return key ? QByteArray(key).toUpper() : QByteArrayLiteral("?");
}

} // namespace

DemoBackend::DemoBackend(DemoConfig config, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_config(std::move(config))
    , m_accounts(m_config)
{
    m_uptime.start();
    if (m_config.dataDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tempDir->path();
    } else {
        m_dataDir = m_config.dataDir;
    }
    QDir().mkpath(m_dataDir + QStringLiteral("/images"));
    QDir().mkpath(m_dataDir + QStringLiteral("/videos"));
    if (m_config.oidc)
        m_oidc = new DemoOidc(*m_config.oidc, m_config.oidcClockSkewS, m_config.oidcFetchTimeoutMs, this);
    m_hub = new DemoWebSocketHub(this, this);
    connect(m_hub, &DemoWebSocketHub::recordPushed, this, &DemoBackend::webSocketPushed);
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &DemoBackend::onNewWebSocket);
#ifdef FRAMECAST_HTTPSERVER_68
    // Qt 6.8 upgrades only what a verifier accepts.
    addWebSocketUpgradeVerifier(this, [](const QHttpServerRequest &request) {
        return request.url().path() == QLatin1String("/ws") ? QHttpServerWebSocketUpgradeResponse::accept()
                                                            : QHttpServerWebSocketUpgradeResponse::deny();
    });
#endif
}

DemoBackend::~DemoBackend()
{
    for (const auto &stream : std::as_const(m_streams)) {
        if (stream)
            stream->abort();
    }
    delete m_hub;
    m_hub = nullptr;
    qDeleteAll(m_jobs); // waits for running encoders
    m_jobs.clear();
}

bool DemoBackend::start(QString *error)
{
    m_tcp = new QTcpServer(this);
    if (!m_tcp->listen(m_config.bind, m_config.port)) {
        if (error)
            *error = tr("Cannot listen on %1:%2: %3").arg(m_config.bind.toString()).arg(m_config.port).arg(m_tcp->errorString());
        return false;
    }
    m_port = m_tcp->serverPort();
    bind(m_tcp);
    if (m_config.wsPort) {
        m_wsServer = new QWebSocketServer(QStringLiteral("framecast-demo"), QWebSocketServer::NonSecureMode, this);
        if (!m_wsServer->listen(m_config.bind, *m_config.wsPort)) {
            if (error)
                *error = tr("Cannot listen for WebSockets on port %1: %2").arg(*m_config.wsPort).arg(m_wsServer->errorString());
            return false;
        }
        connect(m_wsServer, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_wsServer->nextPendingConnection())
                m_hub->addSocket(socket);
        });
    }
    if (m_config.restartAfterMs > 0) {
        QTimer::singleShot(m_config.restartAfterMs, this, [this] {
            simulateRestart(m_config.refuseMs);
            if (m_config.restartEveryMs > 0) {
                auto *again = new QTimer(this);
                connect(again, &QTimer::timeout, this, [this] { simulateRestart(m_config.refuseMs); });
                again->start(m_config.restartEveryMs);
            }
        });
    }
    return true;
}

QUrl DemoBackend::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_config.bind == QHostAddress::Any || m_config.bind == QHostAddress::AnyIPv4
                    ? QStringLiteral("127.0.0.1")
                    : m_config.bind.toString());
    url.setPort(m_port);
    return url;
}

QUrl DemoBackend::webSocketUrl() const
{
    QUrl url = baseUrl();
    url.setScheme(QStringLiteral("ws"));
    if (m_config.wsPort)
        url.setPort(*m_config.wsPort);
    url.setPath(QStringLiteral("/ws"));
    return url;
}

int DemoBackend::openStreams() const
{
    int n = 0;
    for (const auto &s : m_streams)
        n += s ? 1 : 0;
    return n;
}

int DemoBackend::webSocketClients() const
{
    return m_hub ? m_hub->clientCount() : 0;
}

bool DemoBackend::takeOneShotFault(const QString &jobId, const QString &channel, const QString &fault)
{
    const QString key = jobId + QLatin1Char('|') + channel + QLatin1Char('|') + fault;
    if (m_faultsTaken.contains(key))
        return false;
    m_faultsTaken.insert(key);
    return true;
}

void DemoBackend::simulateRestart(int refuseMs)
{
    qCInfo(lcDemo) << "simulating a restart: refusing connections for" << refuseMs << "ms";
    if (m_tcp)
        m_tcp->close();
    if (m_wsServer)
        m_wsServer->close();
    for (const auto &stream : std::as_const(m_streams)) {
        if (stream)
            stream->abort();
    }
    m_streams.clear();
    m_hub->abortAll();
    QTimer::singleShot(refuseMs, this, &DemoBackend::listenAgain);
}

void DemoBackend::listenAgain()
{
    if (m_tcp && !m_tcp->listen(m_config.bind, m_port))
        qCWarning(lcDemo) << "could not listen again on port" << m_port << m_tcp->errorString();
    if (m_wsServer && m_config.wsPort && !m_wsServer->listen(m_config.bind, *m_config.wsPort))
        qCWarning(lcDemo) << "could not listen again on port" << *m_config.wsPort;
    Q_EMIT restarted();
}

void DemoBackend::onNewWebSocket()
{
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
        if (socket->requestUrl().path() != QLatin1String("/ws")) {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("WebSocket lives at /ws"));
            socket.release()->deleteLater();
            continue;
        }
        m_hub->addSocket(socket.release());
    }
}

void DemoBackend::noteSeen(SeenRequest request)
{
    if (m_seen.size() >= kMaxSeenRequests) {
        m_seen.removeFirst();
        ++m_droppedSeen;
    }
    m_seen.append(std::move(request));
}

bool DemoBackend::sawToken(const QByteArray &token) const
{
    return !token.isEmpty()
           && std::any_of(m_seen.cbegin(), m_seen.cend(), [&token](const SeenRequest &r) { return r.token == token; });
}

QByteArray DemoBackend::presentedToken(const QByteArray &authorization, const QUrl &url)
{
    const qsizetype space = authorization.indexOf(' ');
    const QByteArray token = space < 0 ? authorization.trimmed() : authorization.mid(space + 1).trimmed();
    if (!token.isEmpty())
        return token;
    return QUrlQuery(url).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
}

void DemoBackend::noteSeen(const QHttpServerRequest &request)
{
    noteSeen(SeenRequest{methodName(request.method()), request.url().path(),
                         presentedToken(request.value("Authorization"), request.url())});
}

DemoBackend::Auth DemoBackend::authenticate(const QHttpServerRequest &request, TokenSource source)
{
    QByteArray token;
    const QByteArray header = request.value("Authorization");
    if (header.startsWith("Bearer ") || header.startsWith("bearer "))
        token = header.mid(7).trimmed();
    if (token.isEmpty() && source == TokenSource::HeaderOrQuery)
        token = request.query().queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
    DemoAccounts::TokenCheck check{};
    Auth auth;
    auth.user = m_accounts.userForToken(token, &check);
    switch (check) {
    case DemoAccounts::TokenCheck::Valid:
        break;
    case DemoAccounts::TokenCheck::Missing:
        auth.status = 401;
        auth.detail = QStringLiteral("Not authenticated");
        break;
    case DemoAccounts::TokenCheck::Unknown:
        auth.status = 401;
        auth.detail = QStringLiteral("Invalid token");
        break;
    case DemoAccounts::TokenCheck::Expired:
        auth.status = 401;
        auth.detail = QStringLiteral("Token expired");
        break;
    }
    return auth;
}

#ifdef FRAMECAST_HTTPSERVER_68
bool DemoBackend::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    noteSeen(request);
    route(request, responder);
    return true;
}

void DemoBackend::missingHandler(const QHttpServerRequest &, QHttpServerResponder &responder)
{
    respondDetail(responder, Status::NotFound, QStringLiteral("Not Found"));
}
#else
bool DemoBackend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Qt 6.4 offers an upgrade request here first and hands the socket to its
    // WebSocket server only if we return true *and write nothing*: writing a
    // reply would reach the client before the handshake.
    if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        if (request.url().path() == QLatin1String("/ws"))
            return true; // noted when the hub takes the socket
        noteSeen(request);
        return false;
    }
    noteSeen(request);
    QHttpServerResponder responder = makeResponder(request, socket);
    route(request, responder);
    return true;
}

void DemoBackend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    respondDetail(responder, Status::NotFound, QStringLiteral("Not Found"));
}
#endif

void DemoBackend::route(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const QString path = request.url().path();
    const Method method = request.method();
    static const QRegularExpression videoRe(QStringLiteral("^/api/v1/videos/([^/]+)$"));
    static const QRegularExpression cancelRe(QStringLiteral("^/api/v1/videos/([^/]+)/cancel$"));
    static const QRegularExpression streamRe(QStringLiteral("^/api/v1/videos/([^/]+)/stream$"));
    static const QRegularExpression taskRe(QStringLiteral("^/api/v1/sse/tasks/([^/]+)/progress/?$"));
    static const QRegularExpression projectRe(QStringLiteral("^/api/v1/sse/projects/([^/]+)/?$"));
    static const QRegularExpression stageRe(QStringLiteral("^/api/v1/sse/projects/([^/]+)/stages/([^/]+)/?$"));
    static const QRegularExpression fileRe(QStringLiteral("^/uploads/(images|videos)/([A-Za-z0-9_.-]+)$"));
    QRegularExpressionMatch m;

    if (method == Method::Options) {
        respond(responder, Status::NoContent, {}, "text/plain",
                {{"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                 {"Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID"}});
    } else if (path == QLatin1String("/api/v1/auth/login") && method == Method::Post) {
        login(request, responder);
    } else if (path == QLatin1String("/api/v1/auth/methods") && method == Method::Get) {
        authMethods(responder);
    } else if (path == QLatin1String("/api/v1/auth/oidc/token") && method == Method::Post) {
        oidcToken(request, std::move(responder));
    } else if (path == QLatin1String("/api/v1/users/me") && method == Method::Get) {
        me(request, responder);
    } else if (path == QLatin1String("/api/v1/uploads") && method == Method::Post) {
        upload(request, responder);
    } else if (path == QLatin1String("/api/v1/videos/generate") && method == Method::Post) {
        generate(request, responder);
    } else if ((m = cancelRe.match(path)).hasMatch() && method == Method::Post) {
        cancel(request, responder, m.captured(1));
    } else if ((m = streamRe.match(path)).hasMatch() && method == Method::Get) {
        stream(request, std::move(responder), QStringLiteral("videos-sse"), m.captured(1), {});
    } else if ((m = videoRe.match(path)).hasMatch() && method == Method::Get) {
        status(request, responder, m.captured(1));
    } else if ((m = taskRe.match(path)).hasMatch() && method == Method::Get) {
        stream(request, std::move(responder), QStringLiteral("tasks-sse"), m.captured(1), {});
    } else if ((m = stageRe.match(path)).hasMatch() && method == Method::Get) {
        stream(request, std::move(responder), QStringLiteral("stages-sse"), m.captured(1), m.captured(2));
    } else if ((m = projectRe.match(path)).hasMatch() && method == Method::Get) {
        stream(request, std::move(responder), QStringLiteral("stages-sse"), m.captured(1), {});
    } else if ((m = fileRe.match(path)).hasMatch() && (method == Method::Get || method == Method::Head)) {
        serveUpload(request, responder, m_dataDir, m.captured(1), m.captured(2));
    } else if (path == QLatin1String("/") || path == QLatin1String("/health")) {
        respondJson(responder, Status::Ok,
                    {{QStringLiteral("name"), QStringLiteral("Framecast demo backend")},
                     {QStringLiteral("status"), QStringLiteral("ok")},
                     {QStringLiteral("uptime_s"), m_uptime.elapsed() / 1000},
                     {QStringLiteral("dialects"), QStringLiteral("videos-sse tasks-sse stages-sse websocket")},
                     {QStringLiteral("websocket"), webSocketUrl().toString()}});
    } else {
        respondDetail(responder, Status::NotFound, QStringLiteral("Not Found"));
    }
}

void DemoBackend::stream(const QHttpServerRequest &request, QHttpServerResponder &&responder, const QString &dialect,
                         const QString &id, const QString &stage)
{
    // tasks-sse reads the token from the header only (its seed's server does);
    // the others also take ?token= for browsers' EventSource.
    const TokenSource source = dialect == QLatin1String("tasks-sse") ? TokenSource::HeaderOnly : TokenSource::HeaderOrQuery;
    DemoJob *job = ownedJob(request, responder, id, source);
    if (!job)
        return;
    if (!stage.isEmpty() && !QStringList({QStringLiteral("rewrite"), QStringLiteral("storyboard"), QStringLiteral("image_generation"),
                                          QStringLiteral("camera_movement"), QStringLiteral("video_generation")})
                                 .contains(stage)) {
        respondDetail(responder, Status::NotFound, QStringLiteral("Unknown stage %1").arg(stage));
        return;
    }
    const qint64 lastEventId = request.value("Last-Event-ID").trimmed().toLongLong();
    auto *connection = new DemoSseConnection(this, job, dialect, std::move(responder), lastEventId, stage, this);
    connect(connection, &DemoSseConnection::ended, this, [this, id, dialect](int messages, bool complete) {
        Q_EMIT sseStreamEnded(id, dialect, messages, complete);
    });
    m_streams.removeAll(nullptr);
    m_streams.append(connection);
    connection->start();
}

} // namespace framecast::demo