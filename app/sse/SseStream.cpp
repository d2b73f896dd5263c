// SPDX-License-Identifier: GPL-3.0-or-later
#include "sse/SseStream.h"

#include "api/HttpErrorText.h"
#include "core/Logging.h"
#include "net/StreamConnectionPool.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

namespace framecast::sse {

namespace {
constexpr qsizetype kMaxErrorBody = 64 * 1024;
} // namespace

SseStream::SseStream(StreamConnectionPool *pool, SseStreamConfig config, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_config(std::move(config))
    , m_parser([this](const SseEventView &event) {
        if (m_state != State::Open)
            return; // stopped while this chunk was being parsed
        m_gotEvent = true;
        m_attempt = 0; // a working stream resets the backoff
        Q_EMIT eventReceived(event.toEvent());
    },
               m_config.limits)
{
    m_inactivity.setSingleShot(true);
    m_inactivity.setInterval(m_config.inactivityTimeoutMs);
    connect(&m_inactivity, &QTimer::timeout, this, &SseStream::onInactivity);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SseStream::connectNow);
}

SseStream::~SseStream()
{
    dropReply();
}

QString SseStream::displayUrl() const
{
    return redactedUrl(m_config.url);
}

void SseStream::start()
{
    if (m_state != State::Idle && m_state != State::Closed && m_state != State::Failed)
        return;
    m_attempt = 0;
    m_failure = Failure::None;
    m_errorString.clear();
    setState(State::Connecting);
    connectNow();
}

void SseStream::stop()
{
    m_retryTimer.stop();
    m_inactivity.stop();
    dropReply();
    if (m_state != State::Failed)
        setState(State::Closed);
}

void SseStream::setState(State state)
{
    if (m_state == state && state != State::Reconnecting)
        return;
    m_state = state;
    Q_EMIT stateChanged(state, m_attempt);
}

void SseStream::dropReply()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_manager) {
        if (m_pool)
            m_pool->release(m_manager);
        m_manager = nullptr;
    }
}

void SseStream::connectNow()
{
    dropReply();
    QUrl url = m_config.url;
    if (m_config.tokenInQuery && !m_config.bearerToken.isEmpty()) {
        QUrlQuery query(url);
        query.removeAllQueryItems(QStringLiteral("token"));
        query.addQueryItem(QStringLiteral("token"), QString::fromUtf8(m_config.bearerToken));
        url.setQuery(query);
    }
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    if (!m_config.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.bearerToken);
    const QByteArray lastId = m_parser.lastEventId();
    if (!lastId.isEmpty())
        request.setRawHeader("Last-Event-ID", lastId);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);
    m_config.network.apply(request);

    m_parser.reset();
    m_statusChecked = false;
    m_timedOut = false;
    m_gotEvent = false;
    m_httpStatus = 0;
    m_errorBody.clear();

    m_manager = m_pool->acquire();
    qCDebug(lcSse) << "GET" << displayUrl() << "attempt" << m_attempt
                   << (lastId.isEmpty() ? QByteArray() : QByteArray("Last-Event-ID: ") + lastId);
    m_reply = m_manager->get(request);
    connect(m_reply.data(), &QNetworkReply::metaDataChanged, this, &SseStream::onMetaData);
    connect(m_reply.data(), &QNetworkReply::readyRead, this, &SseStream::onReadyRead);
    connect(m_reply.data(), &QNetworkReply::finished, this, &SseStream::onFinished);
    m_inactivity.start();
}

void SseStream::onMetaData()
{
    if (!m_reply || m_statusChecked)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_statusChecked = true;
    m_httpStatus = status.toInt();
    if (m_httpStatus == 200) {
        const QString type = m_reply->header(QNetworkRequest::ContentTypeHeader).toString();
        if (!type.startsWith(QLatin1String("text/event-stream"), Qt::CaseInsensitive))
            qCWarning(lcSse) << displayUrl() << "answered with content type" << type << "instead of text/event-stream";
        m_inactivity.start();
        setState(State::Open);
    }
}

void SseStream::onReadyRead()
{
    if (!m_reply)
        return;
    onMetaData();
    m_inactivity.start();
    if (m_httpStatus != 200) {
        // Keep a bounded part of an error body for its `detail`.
        const QByteArray chunk = m_reply->readAll();
        m_errorBody.append(chunk.left(kMaxErrorBody - m_errorBody.size()));
        return;
    }
    const QByteArray chunk = m_reply->readAll();
    qCDebug(lcSse).noquote() << "read" << chunk.size() << "bytes";
    if (!m_parser.feed(chunk)) {
        const QString message = m_parser.errorString();
        qCWarning(lcSse).noquote() << displayUrl() << "protocol error:" << message;
        Q_EMIT connectionProblem(message);
        scheduleReconnect(message);
    }
}

QString SseStream::detailFromBody(const QByteArray &body) const
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue detail = doc.object().value(QStringLiteral("detail"));
    if (detail.isString())
        return detail.toString();
    if (detail.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : detail.toArray())
            parts << item.toObject().value(QStringLiteral("msg")).toString();
        return parts.join(QStringLiteral("; "));
    }
    return {};
}

void SseStream::onFinished()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    onMetaData();
    if (m_httpStatus == 200 && reply->bytesAvailable() > 0)
        onReadyRead();
    if (!m_reply)
        return; // the last bytes stopped us (final event or protocol error)
    if (m_httpStatus != 200)
        m_errorBody.append(reply->readAll().left(kMaxErrorBody - m_errorBody.size()));

    const QNetworkReply::NetworkError error = reply->error();
    const QString networkError = reply->errorString();
    const int status = m_httpStatus;
    const QString detail = detailFromBody(m_errorBody);
    m_parser.finish();
    m_inactivity.stop();
    dropReply();

    if (const QString refusal = m_config.network.proxyAuthRefusal(error); !refusal.isEmpty()) {
        fail(Failure::HttpError, refusal); // the proxy's, not the token's; reconnecting would not help
        return;
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
        Failure failure = Failure::HttpError;
        QString message;
        if (status == 401) {
            failure = Failure::Unauthorized;
            message = tr("The server refused the token (401): please log in again");
        } else if (status == 403) {
            failure = Failure::Forbidden;
            message = tr("Access denied (403)");
        } else if (status == 404) {
            failure = Failure::NotFound;
            message = tr("The server does not know this job (404)");
        } else if (detail.isEmpty()) {
            // An HTML page or nothing, from the server stack or a proxy.
            message = HttpErrorText::describe(status, m_errorBody);
        } else {
            message = tr("The server answered HTTP %1").arg(status);
        }
        if (!detail.isEmpty())
            message += QStringLiteral(": ") + detail;
        fail(failure, message);
        return;
    }
    if (status == 204) {
        fail(Failure::HttpError, tr("The server has no stream for this job (204)"));
        return;
    }

    QString why;
    if (m_timedOut)
        why = tr("No data for %1 s: the stream seems dead").arg(m_config.inactivityTimeoutMs / 1000.0);
    else if (status >= 500 || status == 408 || status == 429)
        why = detail.isEmpty() ? HttpErrorText::describe(status, m_errorBody)
                               : tr("The server answered HTTP %1").arg(status) + QStringLiteral(": ") + detail;
    else if (const QString proxy = m_config.network.proxyFailure(error, networkError); !proxy.isEmpty())
        why = proxy;
    else if (error != QNetworkReply::NoError)
        why = tr("Connection lost: %1").arg(networkError);
    else if (status == 200)
        why = tr("The server ended the stream before the job finished");
    else
        why = tr("Unexpected answer (HTTP %1)").arg(status);
    qCInfo(lcSse).noquote() << displayUrl() << why;
    Q_EMIT connectionProblem(why);
    scheduleReconnect(why);
}

void SseStream::onInactivity()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows and reconnects
}

void SseStream::scheduleReconnect(const QString &why)
{
    m_inactivity.stop();
    dropReply();
    m_errorString = why;
    ++m_attempt;
    if (m_config.reconnect.exhausted(m_attempt)) {
        fail(Failure::GaveUp, tr("Gave up after %n attempt(s): %1", nullptr, m_attempt - 1).arg(why));
        return;
    }
    const qint64 delay = m_config.reconnect.delayMs(m_attempt, m_parser.retryMs());
    qCInfo(lcSse).noquote() << displayUrl() << "reconnecting in" << delay << "ms, attempt" << m_attempt;
    setState(State::Reconnecting);
    m_retryTimer.start(int(qBound<qint64>(0, delay, qint64(24) * 3600 * 1000)));
}

void SseStream::fail(Failure failure, const QString &message)
{
    m_retryTimer.stop();
    m_inactivity.stop();
    dropReply();
    m_failure = failure;
    m_errorString = message;
    qCWarning(lcSse).noquote() << displayUrl() << "failed:" << message;
    setState(State::Failed);
    Q_EMIT failed(failure, m_httpStatus, message);
}

} // namespace framecast::sse
