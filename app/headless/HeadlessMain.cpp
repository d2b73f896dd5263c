// SPDX-License-Identifier: GPL-3.0-or-later
//
// The process around `framecast --headless`: the application object, the
// options, SIGINT/SIGTERM, and the exit code.
#include "core/Translations.h"
#include "headless/HeadlessRunner.h"
#include "headless/SignalWatcher.h"
#include "security/Redaction.h"

#include <QGuiApplication>
#include <QLocale>
#include <QTranslator>
#include <QLoggingCategory>
#include <QNetworkProxyFactory>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace framecast::headless {

int runHeadless(int argc, char **argv, const EmbeddedServerFactory &demoFactory)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    args.removeAll(QStringLiteral("--headless"));
    // Qt's own start-up messages only when asked for (the redaction point filters them).
    if (args.removeAll(QStringLiteral("--verbose")) > 0)
        redaction::setShowQtChatter(true);
    const bool help = args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"));
    const bool demoRun = args.contains(QStringLiteral("--demo"));
    // The demo backend draws captions into its videos, and fonts need a
    // QGuiApplication: the offscreen platform keeps it free of any display.
    std::unique_ptr<QCoreApplication> app;
    if (demoRun) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
    QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FRAMECAST_VERSION));
    // The terminal speaks the user's language as the window does (Simplified
    // Chinese when the system does; the catalogue is built into the app).
    // JSON keys and event names never change; only the words do.
    QTranslator translator;
    if (framecast::loadCatalogue(&translator))
        QCoreApplication::installTranslator(&translator);
    // A profile's "system" proxy: http_proxy/https_proxy/no_proxy and the
    // desktop's settings (Qt reads none of them otherwise).
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    // The in-process demo backend's own log lines are not for this terminal.
    QLoggingCategory::setFilterRules(QStringLiteral("framecast.demo.info=false\nqt.qpa.*=false"));
    if (help) {
        std::printf("%s", HeadlessOptions::usage().toUtf8().constData());
        return ExitCompleted;
    }
    QString error;
    const auto options = HeadlessOptions::parse(args, &error);
    if (!options) {
        std::fprintf(stderr, "framecast: %s\nRun framecast --headless --help for the usage.\n", redaction::redact(error).toUtf8().constData());
        return ExitUsage;
    }
    HeadlessRunner runner(*options, demoFactory);
    SignalWatcher interrupts;
    QObject::connect(&interrupts, &SignalWatcher::interrupted, &runner, &HeadlessRunner::interrupt);
    int code = ExitConnection;
    QObject::connect(&runner, &HeadlessRunner::finished, app.get(), [&code](int c) {
        code = c;
        QCoreApplication::exit(c);
    });
    QTimer::singleShot(0, &runner, &HeadlessRunner::start);
    QCoreApplication::exec();
    return code;
}

} // namespace framecast::headless
