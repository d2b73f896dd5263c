// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>

namespace framecast::test {

/// A WebSocket server written against raw TCP, for what a well-behaved
/// server never does: go completely silent (not even answering pings), never
/// answer `auth`, or push duplicates and out-of-order messages on cue.
class ScriptedWsServer final : public QObject
{
    Q_OBJECT

public:
    /// Called for each text message a client sends; return the messages to send back.
    using Handler = std::function<QList<QJsonObject>(int connection, const QJsonObject &message)>;

    explicit ScriptedWsServer(QObject *parent = nullptr);
    ~ScriptedWsServer() override;
    bool listen();
    QUrl url() const;
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    /// Sends a text message to every open connection.
    void broadcast(const QJsonObject &message);
    /// Sends these bytes as a text frame, as they are (invalid UTF-8 included).
    void broadcastText(const QByteArray &bytes);
    /// From now on: read and ignore everything, send nothing (pings unanswered).
    void goSilent() { m_silent = true; }
    /// Drops every open connection at once (a reset, no close frame).
    void dropAll();
    int connections() const { return m_connections; }
    /// Pings answered so far (a client's keep-alive that got through).
    int pongsSent() const { return m_pongsSent; }
    QList<QJsonObject> received() const { return m_received; }

    static QJsonObject envelope(const QString &type, const QJsonObject &payload, const QString &id = {});

private:
    void onReadyRead(QTcpSocket *socket, int number);
    void sendFrame(QTcpSocket *socket, quint8 opcode, const QByteArray &payload);

    QTcpServer m_server;
    Handler m_handler;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, bool> m_upgraded;
    QList<QJsonObject> m_received;
    int m_connections = 0;
    int m_pongsSent = 0;
    bool m_silent = false;
};

} // namespace framecast::test
