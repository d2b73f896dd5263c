// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoJob.h"
#include "demo/DemoWire.h"

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QHash>
#include <QHttpServerResponder>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

class QWebSocket;

namespace framecast::demo {

class DemoBackend;
struct DemoUser;

/// One SSE progress stream of one job in one dialect. Replays the job's
/// records after `Last-Event-ID`, then follows it live; applies the fault
/// switches (drop after N, stall, garbage, oversized) per connection.
class DemoSseConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoSseConnection)

public:
    DemoSseConnection(DemoBackend *backend, DemoJob *job, QString dialect, QHttpServerResponder &&responder,
                      qint64 lastEventId, QString onlyStage, QObject *parent = nullptr);
    ~DemoSseConnection() override;

    void start();
    /// Ends the stream abruptly (restart simulation).
    void abort();

Q_SIGNALS:
    /// The stream is over after `messages` progress writes reached the wire;
    /// `complete` when it had said everything (the job, or its stage, ended)
    /// rather than being cut (a fault, its lifetime, a restart, the client).
    void ended(int messages, bool complete);

private:
    void reportEnd();
    void onRecord(const JobRecord &record);
    /// False when it did not reach the wire (held back by a stall, or closed).
    bool send(const QByteArray &bytes, bool countsAsMessage);
    void flush();
    void close();
    QByteArray format(const JobRecord &record);

    DemoBackend *m_backend;
    QPointer<DemoJob> m_job;
    QString m_dialect;
    /// Whether the response can still be written to.
    bool isOpen() const;
    /// Ends the response: a clean end of stream, or (`reset`, Qt 6.4) a reset.
    void endStream(bool reset);

    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket; ///< Qt 6.4 only: 6.8 gives no access to it
    bool m_ended = false;          ///< Qt 6.8: the chunked body has ended
    qint64 m_lastEventId;
    wire::StagesWriter m_stages;
    int m_messages = 0;
    int m_flushedMessages = 0; ///< held back by a stall, written after it
    int m_queuedMessages = 0;
    bool m_complete = false;
    bool m_endReported = false;
    bool m_stalled = false;
    bool m_closing = false;
    QByteArrayList m_queue; ///< held back during a stall
    QTimer m_keepAlive;
    QTimer m_lifetime;
};

/// The `/ws` endpoint (and the optional separate port): authentication,
/// subscriptions, pushes, heartbeats, auth timeout, and the faults.
class DemoWebSocketHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoWebSocketHub)

public:
    explicit DemoWebSocketHub(DemoBackend *backend, QObject *parent = nullptr);
    ~DemoWebSocketHub() override;

    void addSocket(QWebSocket *socket); ///< takes ownership
    void watchJob(DemoJob *job);
    int clientCount() const { return int(m_clients.size()); }
    void abortAll();
    void setHeartbeatInterval(int ms);

Q_SIGNALS:
    /// One of a job's records went out live to `recipients` subscribed sockets.
    void recordPushed(const QString &jobId, qint64 seq, bool final, int recipients);

private:
    struct Client
    {
        QString userId;
        QString sessionId;
        QSet<QString> subscriptions;
        QTimer *authTimer = nullptr;
        int messages = 0;
    };
    void onText(QWebSocket *socket, const QString &text);
    void onRecord(DemoJob *job, const JobRecord &record);
    void sendJson(QWebSocket *socket, const QJsonObject &message);
    /// False when a fault kept the message back.
    bool sendTaskMessage(QWebSocket *socket, Client &client, DemoJob *job, const QJsonObject &message);
    void heartbeat();

    DemoBackend *m_backend;
    QHash<QWebSocket *, Client> m_clients;
    QTimer m_heartbeat;
    QElapsedTimer m_uptime;
};

} // namespace framecast::demo
