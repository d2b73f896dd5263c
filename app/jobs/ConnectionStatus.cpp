// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/ConnectionStatus.h"

namespace framecast {

QString connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Idle:
        return QStringLiteral("idle");
    case ConnectionState::Connecting:
        return QStringLiteral("connecting");
    case ConnectionState::Connected:
        return QStringLiteral("connected");
    case ConnectionState::Reconnecting:
        return QStringLiteral("reconnecting");
    case ConnectionState::Failed:
        return QStringLiteral("failed");
    case ConnectionState::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

} // namespace framecast
