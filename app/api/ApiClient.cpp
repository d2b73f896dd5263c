// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/ApiClient.h"

#include "api/HttpErrorText.h"
#include "api/MultipartBody.h"

#include "core/Logging.h"
#include "security/Redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <utility>

namespace framecast {

ApiClient::ApiClient(QUrl baseUrl, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_baseUrl(std::move(baseUrl))
    , m_network(network)
{
}

ApiClient::~ApiClient()
{
    // A reply must not outlive the client that would read it: abort it (Qt
    // closes its connection) without running its callback.
    const QSet<QNetworkReply *> replies = std::exchange(m_inFlight, {});
    for (QNetworkReply *reply : replies) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
}

void ApiClient::setToken(const QByteArray &token)
{
    redaction::registerSecret(token);
    m_token = token;
}

QUrl ApiClient::resolve(const QString &pathOrUrl) const
{
    const QUrl url(pathOrUrl);
    if (url.isRelative())
        return m_baseUrl.resolved(url);
    return url;
}

QNetworkRequest ApiClient::request(const QString &path) const
{
    QNetworkRequest r(resolve(path));
    if (!m_token.isEmpty())
        r.setRawHeader("Authorization", "Bearer " + m_token);
    r.setRawHeader("Accept", "application/json");
    r.setTransferTimeout(m_timeoutMs);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    r.setMaximumRedirectsAllowed(5);
    m_settings.apply(r);
    return r;
}

QString ApiClient::detailOf(const QByteArray &body)
{
    const QJsonValue detail = QJsonDocument::fromJson(body).object().value(QStringLiteral("detail"));
    if (detail.isString())
        return detail.toString();
    if (detail.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : detail.toArray()) {
            const QJsonObject o = item.toObject();
            const QJsonArray loc = o.value(QStringLiteral("loc")).toArray();
            const QString field = loc.isEmpty() ? QString() : loc.last().toVariant().toString();
            const QString msg = o.value(QStringLiteral("msg")).toString();
            parts << (field.isEmpty() || field == QLatin1String("body") ? msg : field + QStringLiteral(": ") + msg);
        }
        return parts.join(QStringLiteral("; "));
    }
    return {};
}

ApiError ApiClient::errorFor(int status, const QByteArray &body)
{
    ApiError e;
    e.httpStatus = status;
    if (status >= 200 && status < 300)
        return e;
    e.message = detailOf(body);
    if (status == 401)
        e.kind = ApiError::Kind::Unauthorized;
    else if (status == 402)
        e.kind = ApiError::Kind::PaymentRequired;
    else if (status == 403)
        e.kind = ApiError::Kind::Forbidden;
    else if (status == 404)
        e.kind = ApiError::Kind::NotFound;
    else if (status == 409)
        e.kind = ApiError::Kind::Conflict;
    else if (status == 400 || status == 413 || status == 415 || status == 422)
        e.kind = ApiError::Kind::Validation;
    else if (status >= 500)
        e.kind = ApiError::Kind::Server;
    else
        e.kind = ApiError::Kind::Protocol;
    // Not the protocol's JSON: an HTML page, plain text or nothing, from the
    // server stack or a proxy in front of it. Said in words, never a bare number.
    if (e.message.isEmpty())
        e.message = HttpErrorText::describe(status, body);
    return e;
}

void ApiClient::capSize(QNetworkReply *reply)
{
    const auto abortIfTooLarge = [reply](qint64 bytes) {
        if (bytes > kMaxAnswerBytes && !reply->property("framecastTooLarge").toBool()) {
            reply->setProperty("framecastTooLarge", true);
            reply->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, [reply, abortIfTooLarge] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid())
            abortIfTooLarge(length.toLongLong());
    });
    connect(reply, &QNetworkReply::downloadProgress, this,
            [abortIfTooLarge](qint64 received, qint64) { abortIfTooLarge(received); });
}

void ApiClient::track(QNetworkReply *reply, Callback callback, bool expectJson, bool sessionCall)
{
    m_inFlight.insert(reply);
    connect(reply, &QObject::destroyed, this, [this, reply] { m_inFlight.remove(reply); });
    capSize(reply);
    // An https reply whose handshake never completed failed at the TLS level,
    // whatever the socket error says (a peer that hangs up mid-handshake
    // shows as "connection closed").
    connect(reply, &QNetworkReply::encrypted, reply, [reply] { reply->setProperty("framecastEncrypted", true); });
    connect(reply, &QNetworkReply::finished, this, [this, reply, callback = std::move(callback), expectJson, sessionCall] {
        m_inFlight.remove(reply);
        reply->deleteLater();
        ApiResponse response;
        response.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QNetworkReply::NetworkError netError = reply->error();
        const bool tooLarge = reply->property("framecastTooLarge").toBool();
        if (!tooLarge)
            response.body = reply->readAll();
        if (tooLarge) {
            response.error.kind = ApiError::Kind::Protocol;
            response.error.httpStatus = response.httpStatus;
            response.error.message = tr("The server's answer is larger than %1 MiB").arg(kMaxAnswerBytes >> 20);
        } else if (const QString proxy = m_settings.proxyFailure(netError, reply->errorString());
                   (response.httpStatus == 0 || !m_settings.proxyAuthRefusal(netError).isEmpty()) && !proxy.isEmpty()) {
            response.error.kind = ApiError::Kind::Network;
            response.error.message = proxy;
        } else if (response.httpStatus == 0 && netError != QNetworkReply::NoError) {
            ApiError &e = response.error;
            switch (netError) {
            case QNetworkReply::OperationCanceledError:
            case QNetworkReply::TimeoutError:
                e.kind = ApiError::Kind::Timeout;
                e.message = tr("The server did not answer in time");
                break;
            case QNetworkReply::SslHandshakeFailedError:
                e.kind = ApiError::Kind::Tls;
                e.message = tr("Secure connection failed: %1").arg(reply->errorString());
                break;
            default:
                if (reply->url().scheme() == QLatin1String("https") && !reply->property("framecastEncrypted").toBool()
                    && netError != QNetworkReply::ConnectionRefusedError && netError != QNetworkReply::HostNotFoundError) {
                    e.kind = ApiError::Kind::Tls;
                    e.message = tr("Secure connection failed: %1").arg(reply->errorString());
                } else {
                    e.kind = ApiError::Kind::Network;
                    e.message = tr("Cannot reach the server: %1").arg(reply->errorString());
                }
                break;
            }
        } else {
            response.error = errorFor(response.httpStatus, response.body);
            if (!response.error.isError() && expectJson && !response.body.isEmpty()) {
                QJsonParseError parseError{};
                const QJsonDocument doc = QJsonDocument::fromJson(response.body, &parseError);
                if (!doc.isObject()) {
                    response.error.kind = ApiError::Kind::Protocol;
                    response.error.message = tr("The server's answer is not a JSON object: %1").arg(parseError.errorString());
                } else {
                    response.json = doc.object();
                }
            }
        }
        qCDebug(lcNet).noquote() << reply->operation() << redactedUrl(reply->url()) << response.httpStatus
                                 << response.error.message;
        if (response.error.kind == ApiError::Kind::Unauthorized && sessionCall)
            Q_EMIT unauthorized(response.error.message);
        if (callback)
            callback(response);
    });
}

void ApiClient::login(const QString &username, const QString &password, Callback callback)
{
    redaction::registerSecret(password);
    postLogin(QStringLiteral("/api/v1/auth/login"),
              QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}}, std::move(callback));
}

void ApiClient::oidcLogin(const QString &provider, const QByteArray &idToken, const QByteArray &nonce, Callback callback)
{
    redaction::registerSecret(idToken);
    redaction::registerSecret(nonce);
    postLogin(QStringLiteral("/api/v1/auth/oidc/token"),
              QJsonObject{{QStringLiteral("provider"), provider},
                          {QStringLiteral("id_token"), QString::fromUtf8(idToken)},
                          {QStringLiteral("nonce"), QString::fromUtf8(nonce)}},
              std::move(callback));
}

void ApiClient::postLogin(const QString &path, const QJsonObject &body, Callback callback)
{
    QNetworkRequest r = request(path);
    r.setRawHeader("Authorization", QByteArray()); // no stale token on a login
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    track(m_network->post(r, QJsonDocument(body).toJson(QJsonDocument::Compact)), [this, callback](const ApiResponse &response) {
        ApiResponse out = response;
        if (out.ok()) {
            const QString token = out.json.value(QStringLiteral("access_token")).toString();
            if (token.isEmpty()) {
                out.error.kind = ApiError::Kind::Protocol;
                out.error.message = tr("The login answer has no access_token");
            } else {
                setToken(token.toUtf8());
            }
        }
        callback(out);
    }, true, false);
}

void ApiClient::authMethods(Callback callback)
{
    QNetworkRequest r = request(QStringLiteral("/api/v1/auth/methods"));
    r.setRawHeader("Authorization", QByteArray()); // asked before any login
    track(m_network->get(r), std::move(callback), true, false);
}

void ApiClient::me(Callback callback, bool checkingLogin)
{
    track(m_network->get(request(QStringLiteral("/api/v1/users/me"))), std::move(callback), true, !checkingLogin);
}

void ApiClient::upload(const QByteArray &data, const QString &fileName, const QByteArray &mimeType, Callback callback)
{
    // Written by hand rather than with QHttpMultiPart, whose quoted base64
    // boundary ('+', '/') and part layout some server stacks refuse; see
    // MultipartBody. One buffer, so Qt sends an exact Content-Length.
    const MultipartBody multipart = MultipartBody::forFile("file", fileName, mimeType, data);
    QNetworkRequest r = request(QStringLiteral("/api/v1/uploads"));
    r.setHeader(QNetworkRequest::ContentTypeHeader, multipart.contentType);
    track(m_network->post(r, multipart.body), std::move(callback));
}

void ApiClient::generate(const GenerateRequest &g, Callback callback)
{
    QNetworkRequest r = request(QStringLiteral("/api/v1/videos/generate"));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QJsonObject body{{QStringLiteral("prompt"), g.prompt},
                     {QStringLiteral("model"), g.model},
                     {QStringLiteral("duration"), g.durationSeconds},
                     {QStringLiteral("size"), QStringLiteral("%1x%2").arg(g.size.width()).arg(g.size.height())}};
    if (!g.referenceImageUrl.isEmpty())
        body.insert(QStringLiteral("reference_image_url"), g.referenceImageUrl);
    track(m_network->post(r, QJsonDocument(body).toJson(QJsonDocument::Compact)), std::move(callback));
}

void ApiClient::status(const QString &jobId, Callback callback)
{
    const QString id = QString::fromLatin1(QUrl::toPercentEncoding(jobId));
    track(m_network->get(request(QStringLiteral("/api/v1/videos/") + id)), std::move(callback));
}

void ApiClient::cancel(const QString &jobId, Callback callback)
{
    const QString id = QString::fromLatin1(QUrl::toPercentEncoding(jobId));
    QNetworkRequest r = request(QStringLiteral("/api/v1/videos/%1/cancel").arg(id));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    track(m_network->post(r, QByteArray("{}")), std::move(callback));
}

bool ApiClient::isSameOrigin(const QUrl &url) const
{
    return url.scheme() == m_baseUrl.scheme() && url.host().compare(m_baseUrl.host(), Qt::CaseInsensitive) == 0
           && url.port(url.scheme() == QLatin1String("https") ? 443 : 80)
                  == m_baseUrl.port(m_baseUrl.scheme() == QLatin1String("https") ? 443 : 80);
}

QNetworkReply *ApiClient::getFile(const QUrl &url, qint64 offset, int timeoutMs)
{
    QNetworkRequest r(url);
    // The token only goes to our own server, never to another origin (a CDN
    // the video is redirected to gets no Authorization header).
    if (!m_token.isEmpty() && isSameOrigin(url))
        r.setRawHeader("Authorization", "Bearer " + m_token);
    r.setRawHeader("Accept", "video/*");
    if (offset > 0)
        r.setRawHeader("Range", "bytes=" + QByteArray::number(offset) + '-');
    r.setTransferTimeout(timeoutMs);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    m_settings.apply(r);
    qCDebug(lcNet).noquote() << "GET" << redactedUrl(url) << (offset > 0 ? "from byte" : "") << (offset > 0 ? offset : 0);
    return m_network->get(r);
}

} // namespace framecast
