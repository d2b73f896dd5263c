// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/LoopbackReceiver.h"

#include "auth/OAuthErrorText.h"
#include "core/Logging.h"
#include "security/Redaction.h"

#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace framecast::auth {

namespace {

constexpr qsizetype kMaxRequestBytes = 16 * 1024; ///< a browser's GET with its headers
constexpr int kIdleSocketMs = 10000;

/// Compares in time independent of where the strings differ.
bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QString queryValue(const QUrlQuery &query, const QString &name)
{
    // application/x-www-form-urlencoded: '+' is a space (error_description).
    QString raw = query.queryItemValue(name, QUrl::PrettyDecoded);
    raw.replace(QLatin1Char('+'), QLatin1Char(' '));
    return QUrl::fromPercentEncoding(raw.toUtf8());
}

} // namespace

LoopbackReceiver::LoopbackReceiver(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &LoopbackReceiver::onNewConnection);
}

LoopbackReceiver::~LoopbackReceiver()
{
    close();
    // The answered connections go with the server; they must not call back.
    for (QTcpSocket *s : std::as_const(m_sockets))
        disconnect(s, nullptr, this, nullptr);
}

bool LoopbackReceiver::listen(const QHostAddress &host, QString *error)
{
    if (!host.isLoopback()) {
        *error = tr("Only a loopback address can receive the browser's answer, not %1").arg(host.toString());
        return false;
    }
    // Port 0: the system picks a free one (RFC 8252 §7.3); one address, never Any.
    if (!m_server.listen(host, 0)) {
        *error = tr("Cannot listen on %1 for the browser's answer: %2").arg(host.toString(), m_server.errorString());
        return false;
    }
    QUrl uri;
    uri.setScheme(QStringLiteral("http"));
    uri.setHost(host.toString());
    uri.setPort(m_server.serverPort());
    uri.setPath(QStringLiteral("/callback"));
    m_redirectUri = uri;
    m_done = false;
    qCDebug(lcAuth).noquote() << "waiting for the browser on" << m_redirectUri.toString();
    return true;
}

void LoopbackReceiver::expect(const QByteArray &state, const QString &issuer, bool issRequired)
{
    m_state = state;
    m_issuer = issuer;
    m_issRequired = issRequired;
}

void LoopbackReceiver::close()
{
    m_server.close();
    // Connections still waiting are dropped; the one answered finishes
    // sending its page (disconnectFromHost flushes it first).
    const QSet<QTcpSocket *> sockets = m_sockets;
    for (QTcpSocket *s : sockets) {
        if (s->property("framecastAnswered").toBool())
            continue;
        m_sockets.remove(s);
        disconnect(s, nullptr, this, nullptr);
        s->abort();
        s->deleteLater();
    }
}

void LoopbackReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        if (m_done) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_sockets.insert(socket);
        auto *idle = new QTimer(socket);
        idle->setSingleShot(true);
        idle->start(kIdleSocketMs);
        connect(idle, &QTimer::timeout, socket, &QTcpSocket::abort);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_sockets.remove(socket);
            socket->deleteLater();
        });
    }
}

void LoopbackReceiver::onReadyRead(QTcpSocket *socket)
{
    if (socket->property("framecastAnswered").toBool()) {
        socket->readAll();
        return;
    }
    QByteArray buffer = socket->property("framecastBuffer").toByteArray() + socket->readAll();
    if (buffer.size() > kMaxRequestBytes) {
        answer(socket, 431, tr("Request too large"), tr("This address only takes the sign-in answer."));
        return;
    }
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        socket->setProperty("framecastBuffer", buffer);
        return;
    }
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        answer(socket, 400, tr("Bad request"), tr("This address only takes the sign-in answer."));
        return;
    }
    if (requestLine.at(0) != "GET") {
        answer(socket, 405, tr("Method not allowed"), tr("This address only takes the sign-in answer."));
        return;
    }
    handle(socket, requestLine.at(1));
}

void LoopbackReceiver::handle(QTcpSocket *socket, const QByteArray &target)
{
    const qsizetype q = target.indexOf('?');
    const QByteArray path = q < 0 ? target : target.left(q);
    if (path != "/callback") {
        // A favicon, a stray request: not the answer; keep waiting for it.
        answer(socket, 404, tr("Not found"), tr("This address only takes the sign-in answer."));
        return;
    }
    const QUrlQuery query(QString::fromLatin1(q < 0 ? QByteArray() : target.mid(q + 1)));
    const QByteArray state = queryValue(query, QStringLiteral("state")).toUtf8();
    const QString iss = queryValue(query, QStringLiteral("iss"));
    const QString error = queryValue(query, QStringLiteral("error"));
    const QByteArray code = queryValue(query, QStringLiteral("code")).toUtf8();
    redaction::registerSecret(code); // never in a log line, whatever happens next

    QString refusal;
    QString providerError;
    if (!sameSecret(state, m_state)) {
        refusal = tr("The browser's answer does not belong to this sign-in (its state does not match), so it was refused");
    } else if ((!iss.isEmpty() || m_issRequired) && iss != m_issuer) {
        refusal = iss.isEmpty() ? tr("The browser's answer does not say which provider sent it (no iss), so it was refused")
                                : tr("The browser's answer comes from another provider (%1, not %2), so it was refused")
                                      .arg(iss.left(200), m_issuer);
    } else if (!error.isEmpty()) {
        providerError = error.left(100);
        refusal = describeOAuthError(error, queryValue(query, QStringLiteral("error_description")));
    } else if (code.isEmpty()) {
        refusal = tr("The browser's answer has no authorization code");
    }
    m_done = true;
    if (refusal.isEmpty()) {
        answer(socket, 200, tr("Signed in"), tr("You can close this tab and go back to Framecast."));
    } else {
        answer(socket, 400, tr("Sign-in failed"),
               tr("%1. Go back to Framecast to try again.").arg(refusal.toHtmlEscaped()));
    }
    // One callback only: nothing else reaches this port from now on.
    m_server.close();
    qCDebug(lcAuth).noquote() << (refusal.isEmpty() ? QStringLiteral("the browser's answer arrived")
                                                   : QStringLiteral("the browser's answer was refused: ") + refusal);
    if (refusal.isEmpty())
        Q_EMIT codeReceived(code);
    else
        Q_EMIT refused(refusal, providerError);
}

void LoopbackReceiver::answer(QTcpSocket *socket, int status, const QString &title, const QString &text)
{
    socket->setProperty("framecastAnswered", true);
    const QByteArray reason = status == 200 ? "OK" : status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed"
                                               : status == 431 ? "Request Header Fields Too Large" : "Bad Request";
    const QByteArray body = QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%1 — Framecast</title></head>"
                                           "<body style=\"font-family:sans-serif;margin:3em\"><h1>%1</h1><p>%2</p></body></html>\n")
                                .arg(title.toHtmlEscaped(), text)
                                .toUtf8();
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
                  + "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer"
                    "\r\nConnection: close\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->disconnectFromHost();
}

} // namespace framecast::auth
