// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoAccounts.h"
#include "demo/DemoConfig.h"
#include "demo/DemoJob.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class QTcpServer;
class QWebSocketServer;
class QHttpServerResponder;

namespace framecast::demo {

class DemoOidc;
class DemoSseConnection;
class DemoWebSocketHub;

/// One request the backend received, kept so that a test can check which
/// token reached which server.
struct SeenRequest
{
    QByteArray method; ///< "GET", "POST", …; "WS" for a message on a WebSocket
    QString path;      ///< without the query; the socket's path for WebSocket messages
    /// The token it carried: the Authorization header's (after its scheme),
    /// else `?token=`, else the WebSocket `auth` message's; empty when none.
    QByteArray token;
};

/// The built-in demo backend (PROTOCOL.md §6): the whole wire contract on
/// loopback — login, account, uploads, generation with validation, status,
/// cancel, the videos with Range, and all four progress dialects at once —
/// with real H.264 videos and switches for every fault a client must survive.
///
/// Runs in-process (the app's first-run profile, `--headless --demo`, tests)
/// or as `framecast-demo-server`.
class DemoBackend final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoBackend)

public:
    explicit DemoBackend(DemoConfig config = {}, QObject *parent = nullptr);
    ~DemoBackend() override;

    /// Starts listening; false with `error` set when the port is taken.
    bool start(QString *error = nullptr);
    quint16 port() const { return m_port; }
    QUrl baseUrl() const;
    QUrl webSocketUrl() const;

    DemoConfig &config() { return m_config; }
    DemoAccounts &accounts() { return m_accounts; }
    /// The trusted OpenID provider (§2.1), null when none is configured.
    DemoOidc *oidc() const { return m_oidc; }
    DemoJob *job(const QString &id) const { return m_jobs.value(id); }
    QList<DemoJob *> jobs() const { return m_jobs.values(); }
    QString dataDir() const { return m_dataDir; }
    int openStreams() const;
    int webSocketClients() const;

    /// Registers a job for `username` without running it (benchmarks drive it
    /// with DemoJob::pushSyntheticProgress). Null for an unknown user.
    DemoJob *createIdleJob(const QString &username);

    /// Closes every connection and refuses new ones for `refuseMs`, then
    /// listens again on the same port(s). Jobs keep running, as on a real
    /// server whose workers outlive the web process.
    void simulateRestart(int refuseMs);

    /// What reached this server, oldest first: the newest kMaxSeenRequests
    /// HTTP requests, WebSocket handshakes and WebSocket `auth` messages.
    static constexpr int kMaxSeenRequests = 1000;
    QList<SeenRequest> seenRequests() const { return m_seen; }
    /// How many older ones were forgotten to stay within kMaxSeenRequests.
    qint64 droppedSeenRequests() const { return m_droppedSeen; }
    /// Whether any of seenRequests() carried `token` (never for an empty one).
    bool sawToken(const QByteArray &token) const;
    void noteSeen(SeenRequest request);
    /// The token a request presents: its Authorization header's after the
    /// scheme ("Bearer x" gives x), else its `token` query item.
    static QByteArray presentedToken(const QByteArray &authorization, const QUrl &url);

    /// Fault bookkeeping: true the first time a one-shot fault is asked for
    /// this job and channel, false after.
    bool takeOneShotFault(const QString &jobId, const QString &channel, const QString &fault);

Q_SIGNALS:
    void jobCreated(framecast::demo::DemoJob *job);
    void restarted();
    /// An SSE stream of `jobId` in `dialect` is over after `messages`
    /// progress writes reached the wire; `complete` when it had said
    /// everything (the job or its stage ended), not when it was cut short.
    /// Tests wait for this instead of sleeping to show nothing more came.
    void sseStreamEnded(const QString &jobId, const QString &dialect, int messages, bool complete);
    /// The WebSocket hub sent `jobId`'s record `seq` live to `recipients`
    /// subscribed sockets (0: nobody watching got it); `final` for the job's
    /// last record, after which no socket hears of the job again.
    void webSocketPushed(const QString &jobId, qint64 seq, bool final, int recipients);

protected:
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#endif

private:
    void route(const QHttpServerRequest &request, QHttpServerResponder &responder);
    enum class TokenSource { HeaderOnly, HeaderOrQuery };
    struct Auth
    {
        DemoUser *user = nullptr;
        int status = 0; ///< 0: ok, else the HTTP status to send
        QString detail;
    };
    Auth authenticate(const QHttpServerRequest &request, TokenSource source);
    void noteSeen(const QHttpServerRequest &request);

    void login(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void me(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void authMethods(QHttpServerResponder &responder);
    void oidcToken(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void tokenReply(QHttpServerResponder &responder, const QByteArray &token);
    void upload(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void generate(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void status(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id);
    void cancel(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id);
    void stream(const QHttpServerRequest &request, QHttpServerResponder &&responder, const QString &dialect,
                const QString &id, const QString &stage);
    DemoJob *ownedJob(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id,
                      TokenSource source, DemoUser **user = nullptr);
    void onNewWebSocket();
    void listenAgain();

    DemoConfig m_config;
    DemoAccounts m_accounts;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dataDir;
    QTcpServer *m_tcp = nullptr;
    QWebSocketServer *m_wsServer = nullptr;
    DemoWebSocketHub *m_hub = nullptr;
    DemoOidc *m_oidc = nullptr;
    quint16 m_port = 0;
    QHash<QString, DemoJob *> m_jobs;
    QHash<QString, int> m_reservedCredits; ///< by user id: running jobs' cost
    QSet<QString> m_faultsTaken;
    QList<QPointer<DemoSseConnection>> m_streams;
    QElapsedTimer m_uptime;
    QList<SeenRequest> m_seen;
    qint64 m_droppedSeen = 0;
};

} // namespace framecast::demo
