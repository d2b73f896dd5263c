// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/EmbeddedServer.h"

namespace framecast::demo {

/// The built-in demo from the framecast-demo module, loaded when the factory
/// is first called (after the window shows): next to the program, else in
/// the install tree's FRAMECAST_DEMO_MODULE_DIR. When the module cannot be
/// loaded the factory returns a server whose start() says why.
EmbeddedServerFactory moduleDemoFactory();

} // namespace framecast::demo
