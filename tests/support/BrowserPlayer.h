// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>

namespace framecast::test {

/// Plays the system browser for sign-in tests, with plain HTTP: follows an
/// authorization URL through the provider's redirects (keeping its cookies,
/// as a browser does) until a redirect leaves the provider's origin, which is
/// the redirect to the app's loopback redirect_uri. The automatic login of
/// tests/servers/oidc/provider.js needs no forms, so no page is ever parsed.
/// Calls block in a local event loop (the app under test keeps running).
class BrowserPlayer final
{
public:
    struct Result
    {
        QUrl redirect;     ///< where the provider sent the browser (code/state/iss or error), empty on failure
        int hops = 0;      ///< redirects followed on the provider
        int status = 0;    ///< the last HTTP status seen (the loopback's, after open())
        QByteArray body;   ///< the last page's body (the provider's error page, or the loopback's answer)
        QString error;     ///< why it stopped short, in words
        bool ok() const { return error.isEmpty(); }
    };

    explicit BrowserPlayer(int timeoutMs = 15000);

    /// Follows `authorizationUrl` up to the redirect off the provider; does not visit it.
    Result follow(const QUrl &authorizationUrl);
    /// follow(), then GETs the redirect target as the browser would (the app's
    /// loopback listener answers it); status and body are that answer's.
    Result open(const QUrl &authorizationUrl);
    /// One GET without following anything (the loopback callback of a test).
    Result get(const QUrl &url);

    QNetworkAccessManager *network() { return &m_nam; }

private:
    QNetworkAccessManager m_nam; ///< owns the cookie jar, so one player is one browser profile
    int m_timeoutMs;
};

} // namespace framecast::test
