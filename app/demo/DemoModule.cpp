// SPDX-License-Identifier: GPL-3.0-or-later
// The entry point of the framecast-demo module (FRAMECAST_DEMO_MODULE): the
// app resolves this one C function with QLibrary when the built-in demo is
// first needed (app/demo/DemoModuleLoader.cpp).
#include "demo/DemoModuleEntry.h"
#include "demo/EmbeddedDemo.h"

extern "C" Q_DECL_EXPORT framecast::EmbeddedServer *framecast_demo_create()
{
    return new framecast::demo::EmbeddedDemo(framecast::demo::embeddedConfigFromEnvironment());
}
