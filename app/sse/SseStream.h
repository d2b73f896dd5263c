// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/NetworkSettings.h"
#include "net/ReconnectPolicy.h"
#include "sse/SseParser.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace framecast {

class StreamConnectionPool;

namespace sse {

struct SseStreamConfig
{
    QUrl url;
    QByteArray bearerToken;          ///< sent as `Authorization: Bearer …`; never logged
    bool tokenInQuery = false;       ///< also send it as `?token=` (profile option)
    ReconnectPolicy reconnect = ReconnectPolicy::standard();
    int inactivityTimeoutMs = 45000; ///< no byte for this long (keep-alives count) = dead stream
    SseLimits limits;
    NetworkSettings network;         ///< the server's trusted CAs (its proxy is the pool's)
};

/// A `text/event-stream` over HTTP(S), read incrementally from a
/// QNetworkReply, that reconnects by itself.
///
/// - Reconnects after a network error, a timeout, a 5xx, a protocol error (a
///   line or event past the limits) or an end of stream that the owner did not
///   expect, sending `Last-Event-ID` and honouring `retry:`, with the policy's
///   backoff. 401, 403, 404 and other 4xx (but 408 and 429) are final.
/// - An inactivity timer, reset by every byte, detects a stalled stream.
/// - stop() and close() take effect at once: no event is delivered after
///   them, even from the rest of a chunk being parsed.
class SseStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SseStream)

public:
    enum class State {
        Idle,
        Connecting,   ///< first connection under way
        Open,         ///< 200 received, reading events
        Reconnecting, ///< waiting for, or making, another attempt
        Closed,       ///< stopped by its owner
        Failed,       ///< gave up or refused: see failure()
    };
    Q_ENUM(State)

    enum class Failure {
        None,
        Unauthorized, ///< 401: the token expired or was revoked
        Forbidden,    ///< 403
        NotFound,     ///< 404: no such job
        HttpError,    ///< another final HTTP status
        GaveUp,       ///< the reconnect policy ran out of attempts
    };
    Q_ENUM(Failure)

    SseStream(StreamConnectionPool *pool, SseStreamConfig config, QObject *parent = nullptr);
    ~SseStream() override;

    void start();
    /// Stops for good: aborts the request, no reconnect, no further events.
    void stop();

    State state() const { return m_state; }
    Failure failure() const { return m_failure; }
    int httpStatus() const { return m_httpStatus; }
    QString errorString() const { return m_errorString; }
    int attempt() const { return m_attempt; }
    /// Whether another attempt is waiting for its backoff delay. Never after
    /// stop() or a final failure: then nothing will make another request.
    bool reconnectScheduled() const { return m_retryTimer.isActive(); }
    QByteArray lastEventId() const { return m_parser.lastEventId(); }
    std::optional<qint64> serverRetryMs() const { return m_parser.retryMs(); }
    const SseStreamConfig &config() const { return m_config; }

    /// The URL as it may be shown or logged (token redacted).
    QString displayUrl() const;

Q_SIGNALS:
    void stateChanged(framecast::sse::SseStream::State state, int attempt);
    void eventReceived(const framecast::sse::SseEvent &event);
    /// A recoverable problem (protocol error, dropped connection): the stream
    /// reconnects by itself. For the log and the user's information.
    void connectionProblem(const QString &message);
    /// The stream ended for good (Failed). Not emitted for stop().
    void failed(framecast::sse::SseStream::Failure failure, int httpStatus, const QString &message);

private:
    void connectNow();
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onInactivity();
    void scheduleReconnect(const QString &why);
    void fail(Failure failure, const QString &message);
    void setState(State state);
    void dropReply();
    QString detailFromBody(const QByteArray &body) const;

    StreamConnectionPool *m_pool;
    SseStreamConfig m_config;
    SseParser m_parser;
    QPointer<QNetworkReply> m_reply;
    QNetworkAccessManager *m_manager = nullptr;
    QTimer m_inactivity;
    QTimer m_retryTimer;
    State m_state = State::Idle;
    Failure m_failure = Failure::None;
    int m_attempt = 0;       ///< consecutive failed attempts
    int m_httpStatus = 0;
    bool m_statusChecked = false;
    bool m_timedOut = false;
    bool m_gotEvent = false;
    QByteArray m_errorBody;
    QString m_errorString;
};

} // namespace sse
} // namespace framecast
