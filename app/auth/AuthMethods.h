// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace framecast::auth {

/// One OpenID Connect provider a server lets its users sign in with
/// (PROTOCOL §2.1 step 1).
struct OidcProviderInfo
{
    QString id;          ///< e.g. "google", sent back in /auth/oidc/token
    QString displayName; ///< "Google"
    QUrl issuer;
    QString clientId;
    QString clientSecret; ///< optional; a desktop client's secret is not confidential
    QStringList scopes{QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("profile")};
    QString loopbackHost = QStringLiteral("127.0.0.1");

    /// Google's button follows Google's branding rules (its G, its wording).
    bool isGoogle() const;
};

/// `GET /api/v1/auth/methods`; a server without it (404) knows passwords only.
struct AuthMethods
{
    bool password = true;
    QList<OidcProviderInfo> oidc;

    const OidcProviderInfo *provider(const QString &id) const;
    /// Parses the answer; a provider without id, issuer or client_id, or
    /// with a loopback host that is not a loopback address, is an error.
    static std::optional<AuthMethods> fromJson(const QJsonObject &json, QString *error);
};

} // namespace framecast::auth
