// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/ServerCheck.h"

#include "api/ApiClient.h"
#include "session/ProfileStore.h"

namespace framecast {

ServerCheck::ServerCheck(QObject *parent)
    : QObject(parent)
{
}

ServerCheck::~ServerCheck() = default;

void ServerCheck::check(const ServerProfile &profile)
{
    const QString invalid = ProfileStore::validate(profile);
    if (!invalid.isEmpty()) {
        Q_EMIT finished(false, invalid);
        return;
    }
    QString networkError;
    const NetworkSettings network = profile.networkSettings(&networkError).value_or(NetworkSettings{});
    network.apply(m_network);
    m_api = std::make_unique<ApiClient>(profile.baseUrl, &m_network);
    m_api->setNetworkSettings(network);
    m_api->setTimeoutMs(10000);
    m_api->me([this](const ApiResponse &r) {
        if (r.error.kind == ApiError::Kind::Unauthorized)
            Q_EMIT finished(true, tr("The server answered and asks for a login: it works."));
        else if (r.ok())
            Q_EMIT finished(false, tr("The server answered without asking for a login; is this the API address?"));
        else
            Q_EMIT finished(false, r.error.message);
    });
}

} // namespace framecast
