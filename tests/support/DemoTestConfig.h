// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoConfig.h"

namespace framecast::test {

/// The demo backend as the tests want it: fast steps, tiny videos, and a
/// second user (alice/pw) for isolation tests.
inline demo::DemoConfig fastDemoConfig(int stepDelayMs = 10)
{
    demo::DemoConfig c;
    c.stepDelayMinMs = c.stepDelayMaxMs = stepDelayMs;
    c.tinyVideos = true;
    c.users.append({QStringLiteral("alice"), QStringLiteral("pw"), 1000, true});
    return c;
}

} // namespace framecast::test
