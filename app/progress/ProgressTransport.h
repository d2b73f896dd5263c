// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/NetworkSettings.h"
#include "progress/Dialect.h"
#include "progress/ProgressEvent.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace framecast {

class ApiClient;
class Job;
class SseProgressChannel;
class StreamConnectionPool;
class WebSocketChannel;

/// Where one server sends progress: the parts of its profile the channels need.
struct TransportConfig
{
    QUrl baseUrl;
    QUrl wsUrl;
    Dialect dialect = Dialect::VideosSse;
    bool tokenInQuery = false;
    /// One policy for the window and the terminal: give up after this many
    /// failed reconnects in a row (then the job's status is asked for).
    int maxReconnects = 10;
    int inactivityTimeoutMs = 45000;
    NetworkSettings network; ///< CAs and proxy of every stream and of the socket
};

/// The progress channels of one server: an SSE stream per watched job
/// (through its own connection pool) or the one WebSocket that carries every
/// job. Owned by that server's ServerConnection; nothing here ever talks to
/// another origin.
class ProgressTransport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressTransport)

public:
    ProgressTransport(TransportConfig config, ApiClient *api, QObject *parent = nullptr);
    ~ProgressTransport() override;

    const TransportConfig &config() const { return m_config; }
    /// SSE streams share `rest`'s connection once it is seen speaking HTTP/2.
    void shareHttp2With(QNetworkAccessManager *rest);
    /// New SSE streams go through the REST manager's HTTP/2 connection.
    bool sharesHttp2() const;
    /// The token of a new login; an open WebSocket reconnects with it.
    void setToken(const QByteArray &token);
    /// Follows `job` (again): a fresh SSE stream, or a subscription on the socket.
    void watch(Job *job);
    /// Stops following one job; nothing more reaches it from here.
    void unwatch(const QString &jobId);
    /// Closes every stream and the socket (logout, shutdown).
    void stopAll();
    bool isWatching(const QString &jobId) const;
    int watchedCount() const;

Q_SIGNALS:
    /// Every normalized event, after it was applied to its job.
    void progressEvent(framecast::Job *job, const framecast::ProgressEvent &event);
    void protocolWarning(const QString &message);
    /// Following `job` stopped before it ended: the stream gave up, or the
    /// server ended it early. The owner asks for the job's status.
    void gaveUp(framecast::Job *job, const QString &message);
    /// The token was refused (401, `authError`): log in again.
    void unauthorized(const QString &message);

private:
    void watchSse(Job *job);
    WebSocketChannel *socket();

    TransportConfig m_config;
    ApiClient *m_api;
    QByteArray m_token;
    std::unique_ptr<StreamConnectionPool> m_pool;
    std::unique_ptr<WebSocketChannel> m_ws;
    QHash<QString, SseProgressChannel *> m_channels;
    QHash<QString, Job *> m_socketJobs; ///< every job the socket's events may name
    QSet<QString> m_socketWatched;      ///< those still followed
};

} // namespace framecast
