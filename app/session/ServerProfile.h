// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/NetworkSettings.h"
#include "progress/Dialect.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace framecast {

/// A server profile (PROTOCOL.md §1).
struct ServerProfile
{
    QString name;
    QUrl baseUrl;              ///< empty for the built-in demo server until it runs
    Dialect dialect = Dialect::VideosSse;
    QUrl wsUrl;
    bool tokenInQuery = false;
    bool builtInDemo = false;
    enum class Auth { Password, Token, Browser };
    Auth auth = Auth::Password; ///< how this server's users log in
    /// For Auth::Browser: the id of the provider last signed in with (one of
    /// the server's `/auth/methods` providers), so an expired login shows
    /// the same "Sign in with …" button again.
    QString oidcProvider;
    /// Plain http to a host that is not this computer: only when the user
    /// said so explicitly, and the UI warns for as long as it is used.
    bool allowInsecureHttp = false;
    /// A PEM file of certificates trusted for this server besides the
    /// system's (a self-hosted backend, a company CA); empty: none.
    QString caCertificate;
    /// "system" (the desktop's settings, http_proxy/https_proxy/no_proxy),
    /// "none", or a proxy URL (http://host:port).
    QString proxy = QStringLiteral("system");

    static ServerProfile demo();
    /// True for plain http/ws to a host that is not loopback.
    bool isInsecure() const;
    /// Why this profile must not be used as it is (https required), or empty.
    QString transportError() const;
    /// How the job history names this server: its URL, or "builtin-demo"
    /// (the built-in server gets a new port each launch).
    QString serverKey() const;
    /// The CA file and proxy as every connection to this server uses them;
    /// nullopt with `error` when the file or the proxy is not usable.
    std::optional<NetworkSettings> networkSettings(QString *error) const;
};

/// "password", "token", "browser" (PROTOCOL §1 `auth`).
QString authName(ServerProfile::Auth auth);
/// The Auth of a name; anything unknown is Password (the default).
ServerProfile::Auth parseAuth(const QString &name);

/// localhost, 127.0.0.0/8, ::1.
bool isLoopbackHost(const QString &host);

} // namespace framecast
