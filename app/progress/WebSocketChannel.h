// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/ConnectionStatus.h"
#include "net/NetworkSettings.h"
#include "net/ReconnectPolicy.h"
#include "progress/ProgressEvent.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace framecast {

class ApiClient;
class Job;

/// The `websocket` progress dialect (PROTOCOL.md §4.4): one socket per user
/// carries every watched job.
///
/// - Authenticates first and waits for `authSuccess` (matched by request id)
///   before any `subscribe_task`; `authError` or close code 4001 is an
///   authentication failure, never a reconnect loop.
/// - Subscribes when a job is watched, unsubscribes when it ends; routes
///   messages by `videoId` into the same normalized events as the SSE dialects.
/// - A watchdog reset by any traffic declares the socket dead after two
///   heartbeat intervals of silence; WebSocket pings keep it honest.
/// - Reconnects with capped backoff and jitter, then authenticates again,
///   subscribes again to every watched job and fetches each job's status over
///   REST, so nothing that happened while disconnected is lost or doubled.
class WebSocketChannel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketChannel)

public:
    enum class State {
        Idle,
        Connecting,     ///< opening the socket
        Authenticating, ///< `auth` sent, waiting for `authSuccess`
        Connected,
        Reconnecting,
        Failed,         ///< authentication refused, or the policy gave up
        Closed,         ///< stopped by its owner
    };
    Q_ENUM(State)

    struct Options
    {
        int heartbeatIntervalMs = 30000; ///< the server's WS_HEARTBEAT_INTERVAL
        int authTimeoutMs = 10000;
        qint64 maxMessageBytes = qint64(8) << 20;
        ReconnectPolicy reconnect = ReconnectPolicy::standard();
        NetworkSettings network; ///< the server's trusted CAs and proxy
    };

    WebSocketChannel(QUrl url, QByteArray token, ApiClient *api, Options options, QObject *parent = nullptr);
    ~WebSocketChannel() override;

    void start();
    void stop();
    /// Starts following `job` (subscribes once authenticated).
    void watch(Job *job);
    /// Stops following a job (e.g. after the user cancelled it).
    void unwatch(const QString &jobId);
    /// A new token after a new login: reconnects with it.
    void setToken(const QByteArray &token);

    State state() const { return m_state; }
    int attempt() const { return m_attempt; }
    /// Whether another connection attempt is waiting for its backoff delay.
    /// Never after stop() or a refused token (Failed).
    bool reconnectScheduled() const { return m_retryTimer.isActive(); }
    int watchedCount() const { return int(m_jobs.size()); }
    QString lastError() const { return m_lastError; }
    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(framecast::WebSocketChannel::State state, int attempt);
    /// The server refused the token (authError or close 4001): log in again.
    void authenticationFailed(const QString &message);
    /// A message the channel could not use (not JSON, unknown type...).
    void protocolWarning(const QString &message);
    /// The channel gave up for good (not emitted for authentication failures).
    void failed(const QString &message);
    /// Every normalized event, right after it was applied to its job.
    void progressEvent(const framecast::ProgressEvent &event);

private:
    void openSocket();
    void discardSocket();
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void onTaskMessage(const QString &type, const QJsonObject &payload);
    void subscribe(const QString &jobId);
    void send(const QString &type, const QJsonObject &payload, const QString &requestId = {});
    void catchUp(const QString &jobId);
    void scheduleReconnect(const QString &why);
    void setState(State state);
    void touch();
    /// protocolWarning() with the server's text made valid (repairText).
    void warn(QString message);
    void mirrorConnection();
    /// What the socket's state means for each job it carries.
    ConnectionState jobConnectionState() const;
    QString nextRequestId(const char *prefix);
    /// At authentication: lets go of ended jobs, except those still owed a replay.
    void forgetEndedJobs();

    QUrl m_url;
    QByteArray m_token;
    QPointer<ApiClient> m_api;
    Options m_options;
    QWebSocket *m_socket = nullptr;
    QHash<QString, QPointer<Job>> m_jobs;
    /// Jobs that ended: late messages (a replay still in flight) may fill
    /// their log; forgotten at the next authentication unless still owed a replay.
    QHash<QString, QPointer<Job>> m_ended;
    /// Ended jobs (completed or failed) whose final message has not come over
    /// the socket: their end was learnt another way (a status check), so a
    /// step missed while away may be missing too. The next connections (at
    /// most this many) subscribe them again for the server's replay, which
    /// ends with the final message.
    QHash<QString, int> m_owedReplay;
    QString m_authRequestId;
    State m_state = State::Idle;
    int m_attempt = 0;
    int m_requestCounter = 0;
    bool m_everConnected = false;
    bool m_authRefused = false;
    QString m_lastError;
    QTimer m_watchdog;
    QTimer m_authTimer;
    QTimer m_pingTimer;
    QTimer m_retryTimer;
};

} // namespace framecast
