// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "desktop/DesktopNotification.h"
#include "desktop/LauncherProgress.h"

#include <functional>
#include <memory>

class QWindow;

namespace framecast::desktop {

/// The notifier of this system: on Linux the freedesktop notification server
/// with `tray` as its fallback (owned by `parent`), elsewhere `tray` itself.
Notifier *makePlatformNotifier(Notifier *tray, QObject *parent);

/// This system's taskbar or dock sink, or null where there is none. `window`
/// gives the main window once it exists (Windows draws the progress on its
/// taskbar button).
std::unique_ptr<LauncherSink> makePlatformLauncherSink(std::function<QWindow *()> window);

} // namespace framecast::desktop
