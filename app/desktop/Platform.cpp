// SPDX-License-Identifier: GPL-3.0-or-later
//
// Which notifier and which taskbar sink this system gets.
#include "desktop/Platform.h"

#include "desktop/PlatformSinks.h"

#include <QGuiApplication>

#ifdef FRAMECAST_HAVE_DBUS
#include "desktop/FreedesktopNotifier.h"
#include "desktop/UnityLauncherEntry.h"
#endif

namespace framecast::desktop {

Notifier *makePlatformNotifier(Notifier *tray, QObject *parent)
{
#ifdef FRAMECAST_HAVE_DBUS
    // Linux and the BSDs: the notification server, the tray if there is none.
    return new FreedesktopNotifier(QDBusConnection::sessionBus(), QGuiApplication::desktopFileName(), tray, parent);
#else
    Q_UNUSED(parent)
    return tray; // Windows and macOS: the system's notifications through Qt's tray API
#endif
}

std::unique_ptr<LauncherSink> makePlatformLauncherSink(std::function<QWindow *()> window)
{
#if defined(FRAMECAST_HAVE_DBUS)
    Q_UNUSED(window)
    return std::make_unique<UnityLauncherEntry>(QDBusConnection::sessionBus(), QGuiApplication::desktopFileName());
#elif defined(Q_OS_WIN)
    return makeWindowsTaskbarSink(std::move(window));
#elif defined(Q_OS_MACOS)
    Q_UNUSED(window)
    return makeMacDockSink();
#else
    Q_UNUSED(window)
    return nullptr;
#endif
}

} // namespace framecast::desktop
