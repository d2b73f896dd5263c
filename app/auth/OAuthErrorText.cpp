// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/OAuthErrorText.h"

#include <QCoreApplication>

namespace framecast::auth {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(OAuthErrorText)
};

QString meaning(const QString &error)
{
    if (error == QLatin1String("access_denied"))
        return Tr::tr("The sign-in was declined in the browser");
    if (error == QLatin1String("invalid_grant"))
        return Tr::tr("The provider no longer accepts this sign-in (the code expired, was used already, or PKCE did not match)");
    if (error == QLatin1String("invalid_client") || error == QLatin1String("unauthorized_client"))
        return Tr::tr("The provider does not know this app's client id, or does not let it sign in this way");
    if (error == QLatin1String("invalid_request"))
        return Tr::tr("The provider refused the sign-in request");
    if (error == QLatin1String("invalid_scope"))
        return Tr::tr("The provider refused the requested scopes");
    if (error == QLatin1String("unsupported_response_type") || error == QLatin1String("unsupported_grant_type"))
        return Tr::tr("The provider does not support this kind of sign-in");
    if (error == QLatin1String("login_required") || error == QLatin1String("interaction_required")
        || error == QLatin1String("consent_required") || error == QLatin1String("account_selection_required"))
        return Tr::tr("The provider needs you to sign in or consent in the browser");
    if (error == QLatin1String("server_error"))
        return Tr::tr("The provider had an internal error");
    if (error == QLatin1String("temporarily_unavailable"))
        return Tr::tr("The provider is temporarily unavailable; try again later");
    return Tr::tr("The provider refused the sign-in");
}

} // namespace

QString describeOAuthError(const QString &error, const QString &description)
{
    const QString code = error.isEmpty() ? QStringLiteral("unknown_error") : error.left(100);
    QString text = meaning(code);
    const QString detail = description.simplified().left(300);
    if (!detail.isEmpty())
        text += QStringLiteral(": ") + detail;
    return text + QStringLiteral(" (%1)").arg(code);
}

} // namespace framecast::auth
