// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoBackend.h"

#include "demo/HttpCompat.h"

#include "demo/DemoStreams.h"
#include "demo/DemoWire.h"
#include "demo/HttpCompat.h"
#include "demo/Multipart.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include "core/Logging.h"
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>
#ifdef FRAMECAST_HTTPSERVER_68
#include <QHttpServerWebSocketUpgradeResponse>
#endif

namespace framecast::demo {

namespace {

using Status = http::Status;
using Method = QHttpServerRequest::Method;

constexpr qint64 kMaxUploadBytes = 20 * 1024 * 1024; // PROTOCOL §5: 20 MB
constexpr int kMaxImageSide = 8192;

void respond(QHttpServerResponder &responder, Status status, const QByteArray &body,
             const QByteArray &contentType = "application/json", const http::Headers &headers = {})
{
    http::Headers all{{"Content-Type", contentType}, {"Access-Control-Allow-Origin", "*"}};
    all += headers;
    http::respond(responder, status, all, body);
}

void respondJson(QHttpServerResponder &responder, Status status, const QJsonObject &object)
{
    respond(responder, status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void respondDetail(QHttpServerResponder &responder, Status status, const QString &message)
{
    respond(responder, status, wire::detail(message));
}

QString randomId(const char *prefix)
{
    const quint64 n = QRandomGenerator::system()->generate64();
    return QString::fromLatin1(prefix) + QString::number(n, 36).rightJustified(12, QLatin1Char('0')).right(12);
}

/// `bytes=a-b`, `bytes=a-`, `bytes=-n` against a file of `size` bytes.
bool parseRange(const QByteArray &header, qint64 size, qint64 *from, qint64 *to)
{
    static const QRegularExpression re(QStringLiteral("^bytes=(\\d*)-(\\d*)$"));
    const auto m = re.match(QString::fromLatin1(header.trimmed()));
    if (!m.hasMatch() || (m.captured(1).isEmpty() && m.captured(2).isEmpty()) || size <= 0)
        return false;
    if (m.captured(1).isEmpty()) {
        const qint64 suffix = m.captured(2).toLongLong();
        if (suffix <= 0)
            return false;
        *from = std::max<qint64>(0, size - suffix);
        *to = size - 1;
    } else {
        *from = m.captured(1).toLongLong();
        *to = m.captured(2).isEmpty() ? size - 1 : std::min(m.captured(2).toLongLong(), size - 1);
    }
    return *from <= *to && *from < size;
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
    m_hub = new DemoWebSocketHub(this, this);
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
    if (m_config.restartAfterMs > 0)
        QTimer::singleShot(m_config.restartAfterMs, this, [this] { simulateRestart(m_config.refuseMs); });
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
    if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
        return request.url().path() == QLatin1String("/ws");
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
        const bool video = m.captured(1) == QLatin1String("videos");
        const QString name = m.captured(2);
        const QString file = QDir(m_dataDir).filePath(m.captured(1) + QLatin1Char('/') + name);
        QByteArray type = "video/mp4";
        if (!video)
            type = name.endsWith(QLatin1String(".png")) ? "image/png"
                   : name.endsWith(QLatin1String(".webp")) ? "image/webp"
                                                          : "image/jpeg";
        serveFile(request, responder, file, type);
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

void DemoBackend::login(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const QJsonDocument doc = QJsonDocument::fromJson(request.body());
    if (!doc.isObject()) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QStringLiteral("body"), QStringLiteral("Expected a JSON object")));
        return;
    }
    const QJsonObject o = doc.object();
    const QByteArray token = m_accounts.login(o.value(QStringLiteral("username")).toString(),
                                              o.value(QStringLiteral("password")).toString());
    if (token.isEmpty()) {
        respondDetail(responder, Status::Unauthorized, QStringLiteral("Invalid credentials"));
        return;
    }
    respondJson(responder, Status::Ok,
                {{QStringLiteral("access_token"), QString::fromUtf8(token)},
                 {QStringLiteral("token_type"), QStringLiteral("bearer")},
                 {QStringLiteral("expires_in"), m_accounts.tokenTtl()}});
}

void DemoBackend::me(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Auth auth = authenticate(request, TokenSource::HeaderOnly);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return;
    }
    respondJson(responder, Status::Ok, auth.user->toJson());
}

void DemoBackend::upload(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Auth auth = authenticate(request, TokenSource::HeaderOnly);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return;
    }
    const QByteArray body = request.body();
    if (body.size() > kMaxUploadBytes + 64 * 1024) {
        respondDetail(responder, Status::PayloadTooLarge, QStringLiteral("The image is larger than 20 MB"));
        return;
    }
    const auto parts = parseMultipart(request.value("Content-Type"), body);
    if (!parts) {
        respond(responder, Status::UnprocessableEntity,
                wire::validationDetail(QStringLiteral("file"), QStringLiteral("Expected multipart/form-data with a part named file")));
        return;
    }
    const MultipartPart *file = nullptr;
    for (const MultipartPart &part : *parts) {
        if (part.name == "file")
            file = &part;
    }
    if (!file) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QStringLiteral("file"), QStringLiteral("Field required"), QStringLiteral("missing")));
        return;
    }
    if (file->body.size() > kMaxUploadBytes) {
        respondDetail(responder, Status::PayloadTooLarge, QStringLiteral("The image is larger than 20 MB"));
        return;
    }
    const QByteArray format = sniffImageFormat(file->body);
    if (format.isEmpty()) {
        respondDetail(responder, Status::UnsupportedMediaType, QStringLiteral("Only PNG, JPEG and WebP images are accepted"));
        return;
    }
    QBuffer buffer;
    buffer.setData(file->body);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, format);
    const QSize size = reader.size();
    if (!size.isValid()) {
        respondDetail(responder, Status::UnprocessableEntity, QStringLiteral("The image cannot be read: %1").arg(reader.errorString()));
        return;
    }
    if (size.width() > kMaxImageSide || size.height() > kMaxImageSide) {
        respondDetail(responder, Status::UnprocessableEntity,
                      QStringLiteral("The image is %1x%2 pixels; at most %3 pixels a side are accepted")
                          .arg(size.width()).arg(size.height()).arg(kMaxImageSide));
        return;
    }
    if (reader.read().isNull()) {
        respondDetail(responder, Status::UnprocessableEntity, QStringLiteral("The image is damaged: %1").arg(reader.errorString()));
        return;
    }
    // The server makes the name; the client's file name is never used as a path.
    const QString name = randomId("img_") + QLatin1Char('.') + QString::fromLatin1(format == "jpeg" ? "jpg" : format);
    QFile out(QDir(m_dataDir).filePath(QStringLiteral("images/") + name));
    if (!out.open(QIODevice::WriteOnly) || out.write(file->body) != file->body.size()) {
        respondDetail(responder, Status::InsufficientStorage, QStringLiteral("Could not store the image: %1").arg(out.errorString()));
        out.remove();
        return;
    }
    respondJson(responder, Status::Created,
                {{QStringLiteral("url"), QString(QStringLiteral("/uploads/images/") + name)},
                 {QStringLiteral("width"), size.width()},
                 {QStringLiteral("height"), size.height()}});
}

void DemoBackend::generate(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Auth auth = authenticate(request, TokenSource::HeaderOnly);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(request.body());
    if (!doc.isObject()) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QStringLiteral("body"), QStringLiteral("Expected a JSON object"), QStringLiteral("json_invalid")));
        return;
    }
    const QJsonObject o = doc.object();
    auto invalid = [&](const char *field, const QString &message) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QString::fromLatin1(field), message));
    };
    JobParams params;
    const QJsonValue prompt = o.value(QStringLiteral("prompt"));
    if (!prompt.isString()) {
        invalid("prompt", QStringLiteral("Field required"));
        return;
    }
    params.prompt = prompt.toString().trimmed();
    if (params.prompt.size() < 10) {
        invalid("prompt", QStringLiteral("String should have at least 10 characters"));
        return;
    }
    if (params.prompt.size() > 2000) {
        invalid("prompt", QStringLiteral("String should have at most 2000 characters"));
        return;
    }
    params.model = o.value(QStringLiteral("model")).toString(QStringLiteral("sora-2"));
    if (params.model != QLatin1String("sora-2") && params.model != QLatin1String("sora-2-pro")) {
        invalid("model", QStringLiteral("Unknown model %1; use sora-2 or sora-2-pro").arg(params.model));
        return;
    }
    const QJsonValue duration = o.value(QStringLiteral("duration"));
    if (!duration.isUndefined() && !duration.isNull()) {
        const int d = duration.isString() ? duration.toString().toInt() : duration.toInt(-1);
        if (d != 4 && d != 8 && d != 12) {
            invalid("duration", QStringLiteral("Duration must be 4, 8 or 12 seconds"));
            return;
        }
        params.durationSeconds = d;
    }
    const QString size = o.value(QStringLiteral("size")).toString(QStringLiteral("1280x720"));
    if (size == QLatin1String("1280x720"))
        params.size = QSize(1280, 720);
    else if (size == QLatin1String("720x1280"))
        params.size = QSize(720, 1280);
    else {
        invalid("size", QStringLiteral("Size must be 1280x720 or 720x1280"));
        return;
    }
    params.referenceImageUrl = o.value(QStringLiteral("reference_image_url")).toString();
    static const QRegularExpression localImage(QStringLiteral("(?:^|//[^/]+)/uploads/images/([A-Za-z0-9_.-]+)$"));
    const auto local = localImage.match(params.referenceImageUrl);
    if (local.hasMatch()) {
        const QString file = QDir(m_dataDir).filePath(QStringLiteral("images/") + local.captured(1));
        if (QFileInfo::exists(file))
            params.referenceImagePath = file;
    }
    // Any other URL (the seed's curl uses https://example.com/image.jpg) is
    // accepted; with no network here the video uses a generated image.

    if (!auth.user->subscriptionActive) {
        respondDetail(responder, Status::Forbidden, QStringLiteral("Subscription inactive"));
        return;
    }
    const int reserved = m_reservedCredits.value(auth.user->id);
    if (auth.user->credits - reserved < m_config.costPerVideo) {
        respondDetail(responder, Status::PaymentRequired, QStringLiteral("Insufficient credits"));
        return;
    }

    const QString id = randomId("vid_");
    auto *job = new DemoJob(id, auth.user->id, params, m_config, QDir(m_dataDir).filePath(QStringLiteral("videos")), this);
    m_jobs.insert(id, job);
    m_reservedCredits[auth.user->id] += m_config.costPerVideo;
    connect(job, &DemoJob::recordAdded, this, [this, job](const JobRecord &r) {
        if (!r.isFinal())
            return;
        m_reservedCredits[job->ownerId()] -= m_config.costPerVideo;
        if (r.kind == JobRecord::Kind::Completed) {
            if (DemoUser *owner = m_accounts.user(job->ownerId()))
                owner->credits -= m_config.costPerVideo;
        }
    });
    m_hub->watchJob(job);
    Q_EMIT jobCreated(job);
    QTimer::singleShot(0, job, &DemoJob::start);
    qCInfo(lcDemo) << "video generation task created for video_id:" << id;
    respondJson(responder, Status::Created, {{QStringLiteral("id"), id}, {QStringLiteral("status"), QStringLiteral("queued")}});
}

DemoJob *DemoBackend::createIdleJob(const QString &username)
{
    const DemoUser *user = m_accounts.userByName(username);
    if (!user)
        return nullptr;
    const QString userId = user->id;
    JobParams params;
    params.prompt = QStringLiteral("benchmark job");
    const QString id = randomId("vid_");
    auto *job = new DemoJob(id, userId, params, m_config, QDir(m_dataDir).filePath(QStringLiteral("videos")), this);
    m_jobs.insert(id, job);
    m_hub->watchJob(job);
    return job;
}

DemoJob *DemoBackend::ownedJob(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id,
                               TokenSource source, DemoUser **userOut)
{
    const Auth auth = authenticate(request, source);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return nullptr;
    }
    DemoJob *job = m_jobs.value(id);
    if (!job || job->ownerId() != auth.user->id) {
        // Another user's job is indistinguishable from no job at all.
        respondDetail(responder, Status::NotFound, QStringLiteral("Video not found"));
        return nullptr;
    }
    if (userOut)
        *userOut = auth.user;
    return job;
}

void DemoBackend::status(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id)
{
    if (DemoJob *job = ownedJob(request, responder, id, TokenSource::HeaderOnly))
        respondJson(responder, Status::Ok, job->statusJson());
}

void DemoBackend::cancel(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id)
{
    DemoJob *job = ownedJob(request, responder, id, TokenSource::HeaderOnly);
    if (!job)
        return;
    if (!job->cancel() && job->status() != DemoJob::Status::Cancelled) {
        respondDetail(responder, Status::Conflict,
                      QStringLiteral("The video is already %1").arg(DemoJob::statusName(job->status())));
        return;
    }
    respondJson(responder, Status::Ok, {{QStringLiteral("id"), id}, {QStringLiteral("status"), QStringLiteral("cancelled")}});
}

void DemoBackend::serveFile(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &path,
                            const QByteArray &contentType)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        respondDetail(responder, Status::NotFound, QStringLiteral("Not Found"));
        return;
    }
    const qint64 size = file.size();
    const QByteArray range = request.value("Range");
    const bool head = request.method() == Method::Head;
    if (range.isEmpty()) {
        const QByteArray body = head ? QByteArray() : file.readAll();
        respond(responder, Status::Ok, body, contentType,
                {{"Content-Length", QByteArray::number(size)}, {"Accept-Ranges", "bytes"}});
        return;
    }
    qint64 from = 0;
    qint64 to = 0;
    if (!parseRange(range, size, &from, &to)) {
        respond(responder, Status::RequestRangeNotSatisfiable, wire::detail(QStringLiteral("Range not satisfiable")),
                "application/json", {{"Content-Range", "bytes */" + QByteArray::number(size)}});
        return;
    }
    file.seek(from);
    const QByteArray body = head ? QByteArray() : file.read(to - from + 1);
    respond(responder, Status::PartialContent, body, contentType,
            {{"Content-Length", QByteArray::number(to - from + 1)},
             {"Content-Range", "bytes " + QByteArray::number(from) + '-' + QByteArray::number(to) + '/' + QByteArray::number(size)},
             {"Accept-Ranges", "bytes"}});
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
    m_streams.removeAll(nullptr);
    m_streams.append(connection);
    connection->start();
}

} // namespace framecast::demo
