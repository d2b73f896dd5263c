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
    QString password;
    int credits = 0;
    bool subscriptionActive = true;

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
