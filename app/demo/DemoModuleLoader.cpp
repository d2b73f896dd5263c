// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoModuleLoader.h"

#include "demo/DemoModuleEntry.h"
#include "demo/RuntimeModule.h"

#include <QCoreApplication>

namespace framecast::demo {

namespace {

/// Stands in for the demo when its module is missing or broken: the session
/// shows start()'s error as for a port that is taken.
class MissingDemo final : public EmbeddedServer
{
public:
    explicit MissingDemo(QString why)
        : m_why(std::move(why))
    {
    }
    bool start(QString *error) override
    {
        if (error)
            *error = m_why;
        return false;
    }
    QUrl baseUrl() const override { return {}; }
    QUrl webSocketUrl() const override { return {}; }

private:
    QString m_why;
};

} // namespace

EmbeddedServerFactory moduleDemoFactory()
{
    return []() -> std::unique_ptr<EmbeddedServer> {
        QString why;
        const auto create = reinterpret_cast<FramecastDemoCreate>(
            resolveModuleSymbol(QStringLiteral(FRAMECAST_DEMO_MODULE_FILE), kFramecastDemoCreateSymbol, &why));
        if (create)
            return std::unique_ptr<EmbeddedServer>(create());
        return std::make_unique<MissingDemo>(
            QCoreApplication::translate("DemoModuleLoader", "The built-in demo server cannot be loaded: %1").arg(why));
    };
}

} // namespace framecast::demo
