// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScriptedHttpServer.h"

#include <QTimer>

namespace framecast::test {

ScriptedHttpServer::ScriptedHttpServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ScriptedHttpServer::onNewConnection);
}

ScriptedHttpServer::~ScriptedHttpServer()
{
    dropAll();
}

bool ScriptedHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl ScriptedHttpServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_server.serverPort());
    return url;
}

void ScriptedHttpServer::dropAll()
{
    const auto sockets = m_sockets;
    for (const auto &socket : sockets) {
        if (socket)
            socket->abort();
    }
}

QByteArray ScriptedHttpServer::sseHead()
{
    return QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                             "Connection: close\r\n\r\n");
}

QByteArray ScriptedHttpServer::response(int status, const QByteArray &body, const QByteArray &contentType)
{
    return "HTTP/1.1 " + QByteArray::number(status) + " Status\r\nContent-Type: " + contentType
           + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

QByteArray ScriptedHttpServer::event(const QByteArray &data, const QByteArray &type, const QByteArray &id)
{
    QByteArray out;
    if (!id.isEmpty())
        out += "id: " + id + "\n";
    if (!type.isEmpty())
        out += "event: " + type + "\n";
    out += "data: " + data + "\n\n";
    return out;
}

void ScriptedHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_sockets.append(socket);
        m_maxConcurrent = qMax(m_maxConcurrent, int(m_sockets.size()));
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_sockets.removeAll(socket);
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void ScriptedHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    buffer.clear();
    Request request;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    request.method = first.value(0);
    request.target = first.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    m_requests.append(request);
    const int number = ++m_connectionCount;
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    play(socket, m_handler ? m_handler(request, number) : Script{{{0, response(404, "{}")}}, End::Close});
}

void ScriptedHttpServer::play(QTcpSocket *socket, Script script)
{
    QPointer<QTcpSocket> guard(socket);
    if (script.steps.isEmpty()) {
        ++m_scriptsSent;
        if (script.end == End::Close)
            socket->disconnectFromHost();
        else if (script.end == End::Abort)
            socket->abort();
        return;
    }
    const Step step = script.steps.takeFirst();
    QTimer::singleShot(step.delayMs, this, [this, guard, step, script] {
        if (!guard)
            return;
        guard->write(step.bytes);
        guard->flush();
        play(guard, script);
    });
}

} // namespace framecast::test
