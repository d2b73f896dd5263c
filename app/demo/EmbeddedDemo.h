// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoConfig.h"
#include "session/EmbeddedServer.h"

namespace framecast::demo {

class DemoBackend;

/// The demo backend as the core's EmbeddedServer: either one it owns, made
/// from a config, or one a test made and tunes (borrowed, not owned).
class EmbeddedDemo final : public EmbeddedServer
{
public:
    explicit EmbeddedDemo(DemoConfig config);
    explicit EmbeddedDemo(DemoBackend *borrowed);
    ~EmbeddedDemo() override;
    Q_DISABLE_COPY_MOVE(EmbeddedDemo)

    bool start(QString *error) override;
    QUrl baseUrl() const override;
    QUrl webSocketUrl() const override;
    DemoBackend *backend() const { return m_backend; }

private:
    std::unique_ptr<DemoBackend> m_owned;
    DemoBackend *m_backend = nullptr;
};

/// The config of the in-process demo: the defaults, with the documented
/// test knobs FRAMECAST_DEMO_STEP_DELAY_MS and FRAMECAST_DEMO_TINY_VIDEOS=1.
DemoConfig embeddedConfigFromEnvironment();
/// A factory for the app's and the headless mode's first-run demo.
EmbeddedServerFactory embeddedDemoFactory();

} // namespace framecast::demo
