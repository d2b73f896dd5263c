// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/AuthMethods.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>

namespace framecast::auth {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(AuthMethods)
};
} // namespace

bool OidcProviderInfo::isGoogle() const
{
    return issuer.host() == QLatin1String("accounts.google.com") || id == QLatin1String("google");
}

const OidcProviderInfo *AuthMethods::provider(const QString &id) const
{
    for (const OidcProviderInfo &p : oidc) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

std::optional<AuthMethods> AuthMethods::fromJson(const QJsonObject &json, QString *error)
{
    AuthMethods m;
    m.password = json.value(QStringLiteral("password")).toBool(true);
    const QJsonValue list = json.value(QStringLiteral("oidc"));
    if (!list.isUndefined() && !list.isNull() && !list.isArray()) {
        *error = Tr::tr("The server's sign-in methods are malformed: \"oidc\" is not a list");
        return std::nullopt;
    }
    for (const QJsonValue &item : list.toArray()) {
        const QJsonObject o = item.toObject();
        OidcProviderInfo p;
        p.id = o.value(QStringLiteral("id")).toString();
        p.displayName = o.value(QStringLiteral("display_name")).toString(p.id);
        p.issuer = QUrl(o.value(QStringLiteral("issuer")).toString(), QUrl::StrictMode);
        p.clientId = o.value(QStringLiteral("client_id")).toString();
        p.clientSecret = o.value(QStringLiteral("client_secret")).toString();
        if (o.value(QStringLiteral("scopes")).isArray()) {
            p.scopes.clear();
            for (const QJsonValue &s : o.value(QStringLiteral("scopes")).toArray())
                p.scopes << s.toString();
            if (!p.scopes.contains(QLatin1String("openid")))
                p.scopes.prepend(QStringLiteral("openid"));
        }
        p.loopbackHost = o.value(QStringLiteral("loopback_host")).toString(QStringLiteral("127.0.0.1"));
        if (p.id.isEmpty() || p.clientId.isEmpty() || !p.issuer.isValid() || p.issuer.host().isEmpty()
            || (p.issuer.scheme() != QLatin1String("https") && p.issuer.scheme() != QLatin1String("http"))) {
            *error = Tr::tr("The server lists a sign-in provider without id, client_id or a valid issuer URL");
            return std::nullopt;
        }
        // Only a loopback address: the redirect must never be reachable from
        // the network (RFC 8252 §8.3), whatever the server says.
        if (!QHostAddress(p.loopbackHost).isLoopback()) {
            *error = Tr::tr("The server asks to listen on %1 for the browser's answer; only a loopback address (127.0.0.1) is used")
                         .arg(p.loopbackHost);
            return std::nullopt;
        }
        m.oidc << p;
    }
    return m;
}

} // namespace framecast::auth
