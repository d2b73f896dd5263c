// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpTestClient.h"

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace framecast::test {

/// An authorization code flow with PKCE done by hand, as an app does it:
/// what the app keeps between the authorization request and the token request.
struct ManualSignIn
{
    QString clientId;
    QUrl authorizationUrl;
    QString redirectUri; ///< http://127.0.0.1:{port}/callback
    QByteArray verifier; ///< PKCE code_verifier
    QByteArray state;
    QByteArray nonce; ///< raw; the request carries base64url(SHA-256(nonce))
};

/// A real OpenID provider for tests: panva's oidc-provider from npm, run by
/// node from tests/servers/oidc (see its README.md for the interface). The
/// ctest fixture `oidc_npm_ci` installs it into the build tree; start() fails
/// with a clear message when node or that install is missing.
class OidcProvider final
{
public:
    struct Options
    {
        QStringList clientIds { QStringLiteral("framecast-test") }; ///< native clients, id_tokens signed RS256
        QStringList es256ClientIds; ///< native clients, id_tokens signed ES256
        int idTokenTtlSeconds = 3600;
    };

    OidcProvider() = default;
    ~OidcProvider();
    OidcProvider(const OidcProvider &) = delete;
    OidcProvider &operator=(const OidcProvider &) = delete;

    /// Starts the provider on a free port of 127.0.0.1 and waits for its issuer line.
    bool start(const Options &options, QString *error);
    void stop();
    bool isRunning() const;
    /// e.g. http://127.0.0.1:41567 (no trailing slash), empty before start().
    QUrl issuer() const { return m_issuer; }
    /// What the provider wrote on stderr so far.
    QString log();

    // The control endpoints (README.md). Each returns false (with the reason in
    // `error` when given) when the provider refuses or does not answer.
    /// Every login from now on signs in `email` with that email_verified claim.
    bool setLogin(const QString &email, bool emailVerified, QString *error = nullptr);
    /// Every login from now on is declined: the redirect carries error=access_denied.
    bool denyLogins(QString *error = nullptr);
    /// id_tokens issued from now on live `seconds`.
    bool setIdTokenTtl(int seconds, QString *error = nullptr);
    /// New signing keys (RS256 and ES256, new kids) sign from now on; the old
    /// ones stay in the JWKS. Returns the new kids, empty on failure.
    QStringList rotateKeys(QString *error = nullptr);
    /// Counters: jwks_requests, token_requests, logins, denied (-1 on failure).
    int stat(const QString &name);

    /// The discovery document (empty when the provider does not answer).
    QJsonObject discovery();
    /// An authorization request for `clientId` redirecting to loopback `port`
    /// (no listener needed: the test browser stops before it); without PKCE
    /// when `pkce` is false.
    ManualSignIn prepareSignIn(const QString &clientId, quint16 port, bool pkce = true);
    /// The token request for `code` with `verifier` (the sign-in's own, or another).
    HttpTestClient::Reply redeem(const ManualSignIn &signIn, const QString &code, const QByteArray &verifier);
    /// A whole sign-in through a fresh test browser: the id_token (and the raw
    /// nonce it was asked with), or empty with the reason in `error`.
    QString signIn(const QString &clientId, QByteArray *nonce, QString *error);

    /// The directory holding provider.js and its node_modules.
    static QString serverDir();

private:
    enum class Start { Listening, Failed, Stuck };
    Start startOnce(const QString &node, const QStringList &arguments, const QString &dir, QString *error);
    /// POSTs `body` as JSON, or GETs when `body` is null.
    bool control(const QString &path, const QJsonObject *body, QJsonObject *reply, QString *error);

    std::unique_ptr<QProcess> m_process;
    QUrl m_issuer;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

} // namespace framecast::test
