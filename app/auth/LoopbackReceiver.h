// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

namespace framecast::auth {

/// The loopback redirect of RFC 8252 §7.3, written on QTcpServer rather than
/// QtNetworkAuth's QOAuthHttpServerReplyHandler. Qt 6.4's handler listens on
/// every interface (QHostAddress::Any), builds a redirect URI without its
/// path, reports port 0 once it has closed (the token request then sends a
/// redirect_uri that no longer matches), has no PKCE, and only logs
/// token-endpoint errors: each would need a workaround, and this class is
/// smaller than the workarounds.
///
/// It listens on one loopback address only (127.0.0.1 by default) on a free
/// port, and takes exactly one answer on `/callback`: other paths get 404
/// and it keeps waiting; the one callback is checked (`state`, and `iss`
/// per RFC 9207), the browser gets a short page saying to go back to the
/// app, and the port is closed at once.
class LoopbackReceiver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoopbackReceiver)

public:
    explicit LoopbackReceiver(QObject *parent = nullptr);
    ~LoopbackReceiver() override;

    /// Listens on `host` (a loopback address; anything else is refused).
    bool listen(const QHostAddress &host, QString *error);
    bool isListening() const { return m_server.isListening(); }
    QHostAddress serverAddress() const { return m_server.serverAddress(); }
    /// http://127.0.0.1:{port}/callback; kept after the port closed.
    QUrl redirectUri() const { return m_redirectUri; }

    /// What the callback must carry: the `state` sent, and the issuer when
    /// the callback has `iss` (or `issRequired`: the provider announced
    /// `authorization_response_iss_parameter_supported`).
    void expect(const QByteArray &state, const QString &issuer, bool issRequired);
    /// Closes the port (cancel, timeout); nothing is emitted.
    void close();

Q_SIGNALS:
    /// The one callback, with its code; the port is closed.
    void codeReceived(const QByteArray &code);
    /// The one callback refused (wrong state or iss, the provider's error);
    /// `providerError` is the callback's `error` (e.g. "access_denied"), or
    /// empty when Framecast refused it. The port is closed.
    void refused(const QString &message, const QString &providerError);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, const QByteArray &target);
    void answer(QTcpSocket *socket, int status, const QString &title, const QString &text);

    QTcpServer m_server;
    QUrl m_redirectUri;
    QByteArray m_state;
    QString m_issuer;
    bool m_issRequired = false;
    bool m_done = false;
    QSet<QTcpSocket *> m_sockets;
};

} // namespace framecast::auth
