// SPDX-License-Identifier: GPL-3.0-or-later
// The taskbar and dock sinks of one system each (compiled only there).
#pragma once

#include "desktop/LauncherProgress.h"

#include <functional>

class QWindow;

namespace framecast::desktop {

#ifdef Q_OS_WIN
std::unique_ptr<LauncherSink> makeWindowsTaskbarSink(std::function<QWindow *()> window);
#endif
#ifdef Q_OS_MACOS
std::unique_ptr<LauncherSink> makeMacDockSink();
#endif

} // namespace framecast::desktop
