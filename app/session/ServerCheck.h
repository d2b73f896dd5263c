// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/Session.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <memory>

namespace framecast {

/// "Test connection" for a server profile: does the address answer like a
/// Framecast backend? (`GET /api/v1/users/me` without a token must say 401.)
class ServerCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerCheck)

public:
    explicit ServerCheck(QObject *parent = nullptr);
    ~ServerCheck() override;
    void check(const ServerProfile &profile);

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    QNetworkAccessManager m_network;
    std::unique_ptr<ApiClient> m_api;
};

} // namespace framecast
