// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop/UnityLauncherEntry.h"

#include "core/Logging.h"

#include <QDBusMessage>
#include <QVariantMap>

namespace framecast::desktop {

UnityLauncherEntry::UnityLauncherEntry(QDBusConnection bus, const QString &appId)
    : m_bus(std::move(bus))
    , m_appUri(QStringLiteral("application://") + appId + QStringLiteral(".desktop"))
{
}

void UnityLauncherEntry::publish(const LauncherState &state)
{
    const bool running = state.count > 0;
    const QVariantMap properties{
        {QStringLiteral("progress"), state.progress},
        {QStringLiteral("progress-visible"), running},
        {QStringLiteral("count"), qint64(state.count)},
        {QStringLiteral("count-visible"), running},
    };
    QDBusMessage signal = QDBusMessage::createSignal(QLatin1String(kPath), QLatin1String(kInterface), QStringLiteral("Update"));
    signal << m_appUri << properties;
    if (!m_bus.send(signal))
        qCInfo(lcDesktop) << "launcher progress not sent:" << m_bus.lastError().message();
}

} // namespace framecast::desktop
