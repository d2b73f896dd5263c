// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/ServerProfile.h"

#include <QHostAddress>
#include <QObject>

namespace framecast {

ServerProfile ServerProfile::demo()
{
    ServerProfile p;
    p.name = QObject::tr("Built-in demo server");
    p.builtInDemo = true;
    return p;
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool ServerProfile::isInsecure() const
{
    if (builtInDemo)
        return false;
    const bool plainHttp = baseUrl.scheme() == QLatin1String("http");
    const bool plainWs = dialect == Dialect::WebSocket && wsUrl.scheme() == QLatin1String("ws");
    return (plainHttp && !isLoopbackHost(baseUrl.host())) || (plainWs && !isLoopbackHost(wsUrl.host()));
}

QString ServerProfile::transportError() const
{
    if (!isInsecure() || allowInsecureHttp)
        return {};
    const QString host = baseUrl.scheme() == QLatin1String("http") ? baseUrl.host() : wsUrl.host();
    return QObject::tr("Use https:// (and wss://) for %1: only this computer may be reached over plain http, unless the "
                       "profile explicitly allows insecure connections")
        .arg(host);
}

QString ServerProfile::serverKey() const
{
    return builtInDemo ? QStringLiteral("builtin-demo") : baseUrl.toString();
}

std::optional<NetworkSettings> ServerProfile::networkSettings(QString *error) const
{
    return NetworkSettings::fromProfile(caCertificate, proxy, error);
}

QString authName(ServerProfile::Auth auth)
{
    switch (auth) {
    case ServerProfile::Auth::Token:
        return QStringLiteral("token");
    case ServerProfile::Auth::Browser:
        return QStringLiteral("browser");
    case ServerProfile::Auth::Password:
        break;
    }
    return QStringLiteral("password");
}

ServerProfile::Auth parseAuth(const QString &name)
{
    if (name == QLatin1String("token"))
        return ServerProfile::Auth::Token;
    if (name == QLatin1String("browser"))
        return ServerProfile::Auth::Browser;
    return ServerProfile::Auth::Password;
}

} // namespace framecast
