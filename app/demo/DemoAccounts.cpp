// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoAccounts.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace framecast::demo {

QString DemoUser::emailAddress() const
{
    return email.isEmpty() ? username + QStringLiteral("@demo.framecast.invalid") : email;
}

QJsonObject DemoUser::toJson() const
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("username"), username},
                       {QStringLiteral("email"), emailAddress()},
                       {QStringLiteral("avatar_url"), QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("credits"), credits},
                       {QStringLiteral("subscription_status"),
                        subscriptionActive ? QStringLiteral("active") : QStringLiteral("inactive")}};
}

DemoAccounts::DemoAccounts(const DemoConfig &config)
    : m_ttlS(config.tokenTtlS)
{
    int n = 0;
    for (const DemoUserSpec &spec : config.users) {
        DemoUser user;
        user.id = QStringLiteral("user_%1").arg(++n);
        user.username = spec.username;
        user.password = spec.password;
        user.credits = spec.credits;
        user.subscriptionActive = spec.subscriptionActive;
        // A later spec with the same name replaces the earlier one.
        for (auto it = m_users.begin(); it != m_users.end(); ++it) {
            if (it->username == spec.username) {
                user.id = it->id;
                break;
            }
        }
        m_users.insert(user.id, user);
    }
}

QByteArray DemoAccounts::login(const QString &username, const QString &password)
{
    const DemoUser *user = userByName(username);
    // An account made by an OpenID sign-in has no password: nothing logs into it here.
    if (!user || user->password.isEmpty() || user->password != password)
        return {};
    return issueToken(user->id);
}

QByteArray DemoAccounts::issueToken(const QString &userId)
{
    if (!m_users.contains(userId))
        return {};
    QByteArray raw(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    const QByteArray token = "demo_" + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    m_tokens.insert(token, Token{userId, QDateTime::currentMSecsSinceEpoch() + qint64(m_ttlS) * 1000});
    m_issued.append(token);
    return token;
}

DemoUser *DemoAccounts::userForToken(const QByteArray &token, TokenCheck *check)
{
    if (token.isEmpty()) {
        *check = TokenCheck::Missing;
        return nullptr;
    }
    const auto it = m_tokens.constFind(token);
    if (it == m_tokens.cend()) {
        *check = TokenCheck::Unknown;
        return nullptr;
    }
    if (QDateTime::currentMSecsSinceEpoch() >= it->expiresAtMs) {
        *check = TokenCheck::Expired;
        return nullptr;
    }
    *check = TokenCheck::Valid;
    return user(it->userId);
}

DemoUser *DemoAccounts::user(const QString &id)
{
    const auto it = m_users.find(id);
    return it == m_users.end() ? nullptr : &it.value();
}

DemoUser *DemoAccounts::userByName(const QString &username)
{
    for (DemoUser &user : m_users) {
        if (user.username == username)
            return &user;
    }
    return nullptr;
}

DemoUser *DemoAccounts::userByEmail(const QString &email)
{
    for (DemoUser &user : m_users) {
        if (user.emailAddress().compare(email, Qt::CaseInsensitive) == 0)
            return &user;
    }
    return nullptr;
}

DemoUser *DemoAccounts::createUser(const QString &email, int credits)
{
    DemoUser user;
    user.id = QStringLiteral("user_%1").arg(m_users.size() + 1);
    while (m_users.contains(user.id))
        user.id += QLatin1Char('x');
    user.username = email;
    user.email = email;
    user.credits = credits;
    return &*m_users.insert(user.id, user);
}

void DemoAccounts::revokeAllTokens()
{
    m_tokens.clear();
}

} // namespace framecast::demo
