// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QAbstractSocket>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

#include <optional>

class QNetworkAccessManager;
class QNetworkRequest;
class QWebSocket;

namespace framecast {

class ProxyAuthenticator;

/// How every connection to one server is made: which certificates are
/// trusted besides the system's, and which proxy is used. Made once from a
/// server profile (`caCertificate`, `proxy`) and applied, through the
/// apply() overloads only, to the REST manager and requests, the SSE
/// streams' managers and requests and the WebSocket, so that no connection of
/// a server is made with other rules than the rest. Certificate errors are
/// never ignored: an extra CA is trusted, nothing else is relaxed.
struct NetworkSettings
{
    /// Trusted for this server besides the system's CAs.
    QList<QSslCertificate> extraCaCertificates;
    /// DefaultProxy: the application's (the desktop's settings and
    /// http_proxy/https_proxy/no_proxy, see QNetworkProxyFactory::
    /// setUseSystemConfiguration); NoProxy; or one explicit proxy.
    QNetworkProxy proxy{QNetworkProxy::DefaultProxy};
    /// Answers the proxy's 407 for every manager and socket apply() sees
    /// (one prompt per proxy, not per connection); may be null.
    QPointer<ProxyAuthenticator> proxyAuth;

    /// The system's CAs plus the extra ones (Qt's default when there are none).
    QSslConfiguration sslConfiguration() const;
    void apply(QNetworkRequest &request) const;
    void apply(QNetworkAccessManager &manager) const;
    void apply(QWebSocket &socket) const;
    /// With an explicit proxy, a connection that could not be made is the
    /// proxy's (Qt says "connection refused" as if it were the server's):
    /// the words for it, naming the proxy; empty otherwise.
    QString proxyFailure(QNetworkReply::NetworkError error, const QString &errorString) const;
    /// The words when the proxy wanted credentials or refused them (also
    /// tinyproxy's 401 for refused ones); empty for any other failure.
    QString proxyAuthRefusal(QNetworkReply::NetworkError error) const;
    /// The same for the WebSocket's socket errors.
    QString proxyFailure(QAbstractSocket::SocketError error, const QString &errorString) const;

    /// From a profile's `caCertificate` (a PEM file, may be empty) and `proxy`
    /// ("system", "none" or a URL). `error` says in words what is wrong.
    static std::optional<NetworkSettings> fromProfile(const QString &caFile, const QString &proxy, QString *error);

private:
    QString proxyAuthFailure() const;
    QString unreachableProxy(bool proxyError, bool notConnected, const QString &errorString) const;
};

/// The certificates of a PEM file; nullopt with `error` for a file that
/// cannot be read, is not PEM, or holds no certificate.
std::optional<QList<QSslCertificate>> readPemCertificates(const QString &path, QString *error);

/// "system" (or empty) → DefaultProxy, "none" → NoProxy, http://host:port or
/// socks5://host:port → that proxy (user and password taken from the URL).
std::optional<QNetworkProxy> parseProxySetting(const QString &setting, QString *error);

/// One line for a person: the certificate's subject and SHA-256 fingerprint.
QString describeCertificate(const QSslCertificate &certificate);

} // namespace framecast
