// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScriptedWsServer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QtEndian>

namespace framecast::test {

ScriptedWsServer::ScriptedWsServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            const int number = ++m_connections;
            m_sockets.append(socket);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, number] { onReadyRead(socket, number); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            // A later connection may get this socket's address: forget its state.
            connect(socket, &QObject::destroyed, this, [this, socket] {
                m_buffers.remove(socket);
                m_upgraded.remove(socket);
            });
        }
    });
}

ScriptedWsServer::~ScriptedWsServer()
{
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
        if (socket)
            socket->disconnect(this); // they outlive the members their handlers touch
    }
}

bool ScriptedWsServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl ScriptedWsServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort()));
}

QJsonObject ScriptedWsServer::envelope(const QString &type, const QJsonObject &payload, const QString &id)
{
    QJsonObject o{{QStringLiteral("type"), type},
                  {QStringLiteral("timestamp"), QDateTime::currentMSecsSinceEpoch()},
                  {QStringLiteral("payload"), payload}};
    if (!id.isEmpty())
        o.insert(QStringLiteral("id"), id);
    return o;
}

void ScriptedWsServer::sendFrame(QTcpSocket *socket, quint8 opcode, const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    if (payload.size() < 126) {
        frame.append(char(payload.size()));
    } else if (payload.size() < 65536) {
        frame.append(char(126));
        frame.append(char((payload.size() >> 8) & 0xFF));
        frame.append(char(payload.size() & 0xFF));
    } else {
        frame.append(char(127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((quint64(payload.size()) >> (8 * i)) & 0xFF));
    }
    frame.append(payload);
    socket->write(frame);
}

void ScriptedWsServer::dropAll()
{
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
        if (socket)
            socket->abort();
    }
}

void ScriptedWsServer::broadcast(const QJsonObject &message)
{
    broadcastText(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

void ScriptedWsServer::broadcastText(const QByteArray &bytes)
{
    for (const auto &socket : std::as_const(m_sockets)) {
        if (socket && m_upgraded.value(socket))
            sendFrame(socket, 0x1, bytes);
    }
}

void ScriptedWsServer::onReadyRead(QTcpSocket *socket, int number)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (!m_upgraded.value(socket)) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        QByteArray key;
        for (const QByteArray &line : buffer.left(end).split('\n')) {
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        }
        buffer.remove(0, end + 4);
        const QByteArray accept = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                                           QCryptographicHash::Sha1)
                                      .toBase64();
        socket->write(QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Accept: " + accept + "\r\n\r\n"));
        m_upgraded[socket] = true;
    }
    // Client frames are masked; parse as many whole frames as arrived.
    while (buffer.size() >= 2) {
        const quint8 b0 = quint8(buffer.at(0));
        const quint8 b1 = quint8(buffer.at(1));
        quint64 length = b1 & 0x7F;
        qsizetype offset = 2;
        if (length == 126) {
            if (buffer.size() < 4)
                return;
            length = qFromBigEndian<quint16>(buffer.constData() + 2);
            offset = 4;
        } else if (length == 127) {
            if (buffer.size() < 10)
                return;
            length = qFromBigEndian<quint64>(buffer.constData() + 2);
            offset = 10;
        }
        const bool masked = b1 & 0x80;
        if (buffer.size() < offset + (masked ? 4 : 0) + qsizetype(length))
            return;
        QByteArray mask = masked ? buffer.mid(offset, 4) : QByteArray(4, '\0');
        offset += masked ? 4 : 0;
        QByteArray payload = buffer.mid(offset, qsizetype(length));
        for (qsizetype i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ mask[i % 4]);
        buffer.remove(0, offset + qsizetype(length));
        const quint8 opcode = b0 & 0x0F;
        if (m_silent)
            continue; // a dead peer: no pong, no answers
        if (opcode == 0x9) {
            sendFrame(socket, 0xA, payload); // pong
            ++m_pongsSent;
        } else if (opcode == 0x8) {
            sendFrame(socket, 0x8, payload.left(2));
            socket->disconnectFromHost();
            return;
        } else if (opcode == 0x1) {
            const QJsonObject message = QJsonDocument::fromJson(payload).object();
            m_received.append(message);
            if (m_handler) {
                for (const QJsonObject &reply : m_handler(number, message))
                    sendFrame(socket, 0x1, QJsonDocument(reply).toJson(QJsonDocument::Compact));
            }
        }
    }
}

} // namespace framecast::test
