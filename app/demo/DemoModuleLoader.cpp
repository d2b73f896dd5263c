// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoModuleLoader.h"

#include "demo/DemoModuleEntry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>

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

QStringList candidates()
{
    const QString dir = QCoreApplication::applicationDirPath();
    const QString file = QStringLiteral(FRAMECAST_DEMO_MODULE_FILE);
    return {QDir(dir).filePath(file), QDir::cleanPath(dir + QLatin1Char('/') + QStringLiteral(FRAMECAST_DEMO_MODULE_DIR)
                                                      + QLatin1Char('/') + file)};
}

} // namespace

EmbeddedServerFactory moduleDemoFactory()
{
    return []() -> std::unique_ptr<EmbeddedServer> {
        QString why;
        for (const QString &path : candidates()) {
            if (!QFileInfo::exists(path))
                continue;
            auto *library = new QLibrary(path); // never unloaded: the demo's code and FFmpeg stay mapped
            const auto create = reinterpret_cast<FramecastDemoCreate>(library->resolve(kFramecastDemoCreateSymbol));
            if (create)
                return std::unique_ptr<EmbeddedServer>(create());
            why = library->errorString();
            delete library;
        }
        if (why.isEmpty())
            why = QCoreApplication::translate("DemoModuleLoader", "the file %1 is missing").arg(candidates().constLast());
        return std::make_unique<MissingDemo>(
            QCoreApplication::translate("DemoModuleLoader", "The built-in demo server cannot be loaded: %1").arg(why));
    };
}

} // namespace framecast::demo
