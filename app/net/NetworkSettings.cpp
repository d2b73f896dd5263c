// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/NetworkSettings.h"

#include "net/ProxyAuthenticator.h"

#include <QCoreApplication>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QUrl>
#include <QWebSocket>

namespace framecast {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("framecast::NetworkSettings", text);
}

/// A PEM file of a few certificates is a few KiB; a CA bundle a few hundred.
constexpr qint64 kMaxPemBytes = qint64(4) << 20;

} // namespace

QSslConfiguration NetworkSettings::sslConfiguration() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (extraCaCertificates.isEmpty())
        return config; // keeps Qt's on-demand loading of the system's CAs
    // Setting CAs turns on-demand loading off: list the system's explicitly.
    config.setCaCertificates(QSslConfiguration::systemCaCertificates() + extraCaCertificates);
    return config;
}

void NetworkSettings::apply(QNetworkRequest &request) const
{
    if (!extraCaCertificates.isEmpty())
        request.setSslConfiguration(sslConfiguration());
}

void NetworkSettings::apply(QNetworkAccessManager &manager) const
{
    manager.setProxy(proxy);
    if (proxyAuth)
        proxyAuth->watch(&manager);
}

void NetworkSettings::apply(QWebSocket &socket) const
{
    socket.setProxy(proxy);
    if (proxyAuth)
        proxyAuth->watch(&socket);
    if (!extraCaCertificates.isEmpty())
        socket.setSslConfiguration(sslConfiguration());
}

QString NetworkSettings::proxyFailure(QNetworkReply::NetworkError error, const QString &errorString) const
{
    if (const QString refusal = proxyAuthRefusal(error); !refusal.isEmpty())
        return refusal;
    const bool proxyError = error >= QNetworkReply::ProxyConnectionRefusedError && error <= QNetworkReply::ProxyTimeoutError;
    const bool notConnected = error == QNetworkReply::ConnectionRefusedError || error == QNetworkReply::HostNotFoundError;
    return unreachableProxy(proxyError, notConnected, errorString);
}

QString NetworkSettings::proxyFailure(QAbstractSocket::SocketError error, const QString &errorString) const
{
    if (error == QAbstractSocket::ProxyAuthenticationRequiredError)
        return proxyAuthFailure();
    const bool proxyError = error >= QAbstractSocket::ProxyConnectionRefusedError && error <= QAbstractSocket::ProxyProtocolError;
    const bool notConnected = error == QAbstractSocket::ConnectionRefusedError || error == QAbstractSocket::HostNotFoundError;
    return unreachableProxy(proxyError, notConnected, errorString);
}

QString NetworkSettings::proxyAuthRefusal(QNetworkReply::NetworkError error) const
{
    if (error == QNetworkReply::ProxyAuthenticationRequiredError
        || (error == QNetworkReply::AuthenticationRequiredError && proxyAuth && proxyAuth->lastRefused()))
        return proxyAuthFailure();
    return {};
}

QString NetworkSettings::proxyAuthFailure() const
{
    return proxyAuth ? proxyAuth->failureText() : tr("The proxy asks for a user name and password");
}

QString NetworkSettings::unreachableProxy(bool proxyError, bool notConnected, const QString &errorString) const
{
    const bool explicitProxy = proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::Socks5Proxy;
    if (!proxyError && !(explicitProxy && notConnected))
        return {};
    const QString where = explicitProxy ? QStringLiteral("%1:%2").arg(proxy.hostName()).arg(proxy.port()) : tr("(system)");
    return tr("Cannot reach the proxy %1: %2").arg(where, errorString);
}

std::optional<NetworkSettings> NetworkSettings::fromProfile(const QString &caFile, const QString &proxy, QString *error)
{
    NetworkSettings s;
    if (!caFile.isEmpty()) {
        const auto certificates = readPemCertificates(caFile, error);
        if (!certificates)
            return std::nullopt;
        s.extraCaCertificates = *certificates;
    }
    const auto parsed = parseProxySetting(proxy, error);
    if (!parsed)
        return std::nullopt;
    s.proxy = *parsed;
    return s;
}

std::optional<QList<QSslCertificate>> readPemCertificates(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read the certificate file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxPemBytes) {
        *error = tr("%1 is too large for a certificate file").arg(path);
        return std::nullopt;
    }
    const QByteArray data = file.readAll();
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (certificates.isEmpty() || !data.contains("-----BEGIN CERTIFICATE-----")) {
        *error = tr("%1 is not a PEM certificate file (it should hold one or more \"-----BEGIN CERTIFICATE-----\" "
                    "blocks)")
                     .arg(path);
        return std::nullopt;
    }
    for (const QSslCertificate &c : certificates) {
        if (c.isNull()) {
            *error = tr("%1 holds a certificate that cannot be read").arg(path);
            return std::nullopt;
        }
    }
    return certificates;
}

std::optional<QNetworkProxy> parseProxySetting(const QString &setting, QString *error)
{
    const QString s = setting.trimmed();
    if (s.isEmpty() || s.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0)
        return QNetworkProxy(QNetworkProxy::DefaultProxy);
    if (s.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const QUrl url(s, QUrl::StrictMode);
    QNetworkProxy::ProxyType type = QNetworkProxy::DefaultProxy;
    if (url.scheme() == QLatin1String("http"))
        type = QNetworkProxy::HttpProxy;
    else if (url.scheme() == QLatin1String("socks5"))
        type = QNetworkProxy::Socks5Proxy;
    if (!url.isValid() || url.host().isEmpty() || type == QNetworkProxy::DefaultProxy) {
        *error = tr("The proxy must be \"system\", \"none\" or a URL such as http://proxy.example.com:3128, not \"%1\"")
                     .arg(s);
        return std::nullopt;
    }
    const int defaultPort = type == QNetworkProxy::HttpProxy ? 8080 : 1080;
    return QNetworkProxy(type, url.host(), quint16(url.port(defaultPort)), url.userName(), url.password());
}

QString describeCertificate(const QSslCertificate &certificate)
{
    QString subject = certificate.subjectDisplayName();
    if (subject.isEmpty())
        subject = certificate.subjectInfo(QSslCertificate::CommonName).join(QLatin1Char(' '));
    const QByteArray digest = certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper();
    return tr("%1 — SHA-256 %2").arg(subject, QString::fromLatin1(digest));
}

} // namespace framecast
