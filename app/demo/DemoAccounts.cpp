// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoAccounts.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace framecast::demo {

QJsonObject DemoUser::toJson() const
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("username"), username},
                       {QStringLiteral("email"), QString(username + QStringLiteral("@demo.framecast.invalid"))},
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
    if (!user || user->password != password)
        return {};
    QByteArray raw(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    const QByteArray token = "demo_" + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    m_tokens.insert(token, Token{user->id, QDateTime::currentMSecsSinceEpoch() + qint64(m_ttlS) * 1000});
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

void DemoAccounts::revokeAllTokens()
{
    m_tokens.clear();
}

} // namespace framecast::demo
