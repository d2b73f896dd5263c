// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "desktop/LauncherProgress.h"

#include <QDBusConnection>
#include <QString>

namespace framecast::desktop {

/// The taskbar progress of Linux docks and panels (KDE Plasma's task
/// manager, GNOME's Dash to Dock and Ubuntu Dock, Latte, Plank): the
/// `com.canonical.Unity.LauncherEntry` signal `Update(app_uri, properties)`
/// on the session bus, with `progress`, `progress-visible`, `count` and
/// `count-visible`.
class UnityLauncherEntry final : public LauncherSink
{
public:
    static constexpr const char *kInterface = "com.canonical.Unity.LauncherEntry";
    static constexpr const char *kPath = "/io/github/framecast/Framecast/LauncherEntry";

    /// `appId`: the desktop entry's name without ".desktop".
    UnityLauncherEntry(QDBusConnection bus, const QString &appId);
    void publish(const LauncherState &state) override;
    /// "application://io.github.framecast.Framecast.desktop"
    QString appUri() const { return m_appUri; }

private:
    QDBusConnection m_bus;
    QString m_appUri;
};

} // namespace framecast::desktop
