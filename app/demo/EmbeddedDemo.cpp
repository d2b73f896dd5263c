// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/EmbeddedDemo.h"

#include "demo/DemoBackend.h"

namespace framecast::demo {

EmbeddedDemo::EmbeddedDemo(DemoConfig config)
    : m_owned(std::make_unique<DemoBackend>(std::move(config)))
    , m_backend(m_owned.get())
{
}

EmbeddedDemo::EmbeddedDemo(DemoBackend *borrowed)
    : m_backend(borrowed)
{
}

EmbeddedDemo::~EmbeddedDemo() = default;

bool EmbeddedDemo::start(QString *error)
{
    // A borrowed backend may already listen (a test started it to tune it).
    if (m_backend->port() != 0)
        return true;
    return m_backend->start(error);
}

QUrl EmbeddedDemo::baseUrl() const
{
    return m_backend->baseUrl();
}

QUrl EmbeddedDemo::webSocketUrl() const
{
    return m_backend->webSocketUrl();
}

DemoConfig embeddedConfigFromEnvironment()
{
    DemoConfig config;
    if (qEnvironmentVariableIsSet("FRAMECAST_DEMO_STEP_DELAY_MS"))
        config.stepDelayMinMs = config.stepDelayMaxMs = qEnvironmentVariableIntValue("FRAMECAST_DEMO_STEP_DELAY_MS");
    config.tinyVideos = qEnvironmentVariableIntValue("FRAMECAST_DEMO_TINY_VIDEOS") == 1;
    return config;
}

EmbeddedServerFactory embeddedDemoFactory()
{
    return [] { return std::make_unique<EmbeddedDemo>(embeddedConfigFromEnvironment()); };
}

} // namespace framecast::demo
