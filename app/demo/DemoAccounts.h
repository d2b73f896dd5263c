// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoConfig.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

namespace framecast::demo {

struct DemoUser
{
    QString id;
    QString username;
    QString password; ///< empty: signs in through an OpenID provider only
    QString email;    ///< empty: <username>@demo.framecast.invalid
    int credits = 0;
    bool subscriptionActive = true;

    QString emailAddress() const;
    QJsonObject toJson() const;
};

/// Users and bearer tokens of the demo backend. Tokens are random, expire
/// after the configured TTL and can be revoked (a 401 on demand).
class DemoAccounts final
{
public:
    enum class TokenCheck { Valid, Missing, Unknown, Expired };

    explicit DemoAccounts(const DemoConfig &config);

    /// A new token for valid credentials, else empty.
    QByteArray login(const QString &username, const QString &password);
    /// A new token for the user with id `userId` (after a verified sign-in).
    QByteArray issueToken(const QString &userId);
    /// The user whose email is `email` (compared case-insensitively), or null.
    DemoUser *userByEmail(const QString &email);
    /// A new password-less account for a verified `email`, with `credits`.
    DemoUser *createUser(const QString &email, int credits);
    /// The user a token belongs to, or null with the reason in `check`.
    DemoUser *userForToken(const QByteArray &token, TokenCheck *check);
    DemoUser *user(const QString &id);
    DemoUser *userByName(const QString &username);
    void revokeAllTokens();
    /// Every token handed out so far (tests look for them in logs).
    QList<QByteArray> issuedTokens() const { return m_issued; }
    void setTokenTtl(int seconds) { m_ttlS = seconds; }
    int tokenTtl() const { return m_ttlS; }

private:
    struct Token
    {
        QString userId;
        qint64 expiresAtMs = 0;
    };
    QHash<QString, DemoUser> m_users; ///< by id
    QHash<QByteArray, Token> m_tokens;
    QList<QByteArray> m_issued;
    int m_ttlS;
};

} // namespace framecast::demo
