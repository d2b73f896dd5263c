// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>

namespace framecast::test {

/// A tiny HTTP/1.1 server on loopback whose every answer is a script, so a
/// test can make a stream drop, stall, send a 1 MiB line or answer 401 at an
/// exact byte. Requests are recorded with their headers.
class ScriptedHttpServer final : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray target; ///< path and query as sent
        QHash<QByteArray, QByteArray> headers; ///< names lower-cased
        QByteArray path() const { return target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?')); }
    };

    /// One step of an answer: wait `delayMs`, then write `bytes`.
    struct Step
    {
        int delayMs = 0;
        QByteArray bytes;
    };
    enum class End {
        Close, ///< close the connection after the last step (clean end of stream)
        Hold,  ///< keep it open and silent (a stall)
        Abort, ///< reset the connection
    };
    struct Script
    {
        QList<Step> steps;
        End end = End::Close;
    };
    using Handler = std::function<Script(const Request &request, int connectionNumber)>;

    explicit ScriptedHttpServer(QObject *parent = nullptr);
    ~ScriptedHttpServer() override;

    bool listen();
    QUrl baseUrl() const;
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    const QList<Request> &requests() const { return m_requests; }
    int openConnections() const { return int(m_sockets.size()); }
    int maxConcurrentConnections() const { return m_maxConcurrent; }
    /// Closes every open connection now.
    void dropAll();

    /// Connections whose script has handed every step to the socket (counted
    /// before the script's end: close, hold or abort): whatever a client gets
    /// on them from then on has been sent.
    int scriptsSent() const { return m_scriptsSent; }

    // Script helpers.
    static QByteArray sseHead();
    static QByteArray response(int status, const QByteArray &body,
                               const QByteArray &contentType = QByteArrayLiteral("application/json"));
    static QByteArray event(const QByteArray &data, const QByteArray &type = {}, const QByteArray &id = {});

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void play(QTcpSocket *socket, Script script);

    QTcpServer m_server;
    Handler m_handler;
    QList<Request> m_requests;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_connectionCount = 0;
    int m_maxConcurrent = 0;
    int m_scriptsSent = 0;
};

} // namespace framecast::test
