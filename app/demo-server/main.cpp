// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-demo-server: the built-in demo backend on its own, for the seeds'
// curl walkthroughs, browsers and other clients.
#include "demo/DemoBackend.h"
#include "headless/SignalWatcher.h"
#include "security/Redaction.h"

#include <QCommandLineParser>
#include <QGuiApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    // The server's own log lines (Qt's HTTP server can log request headers)
    // pass the same redaction point as the app's.
    framecast::redaction::installLogRedaction();
    // Captions in the videos need fonts, and fonts need a QGuiApplication; the
    // offscreen platform keeps the server free of any display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("framecast-demo-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FRAMECAST_VERSION));
    // SIGINT and SIGTERM end the server cleanly (exit status 0, the backend's
    // destructor run). The handler only writes a byte that the event loop
    // reads: nothing of Qt may be called inside a signal handler. Installed
    // before the URL is printed, so a signal sent as soon as a caller has
    // read it is never lost.
    framecast::headless::SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &framecast::headless::SignalWatcher::interrupted, &app, &QCoreApplication::quit);

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral(
        "The Framecast demo backend: the whole wire contract (PROTOCOL.md) on one port, with the\n"
        "account demo/demo (1000 credits), real H.264 videos made from the reference image, all four\n"
        "progress dialects (videos-sse, tasks-sse, stages-sse, websocket at /ws) and fault switches.\n"
        "With --oidc-issuer and --oidc-client-id it also signs in that OpenID provider's users\n"
        "(/api/v1/auth/methods, /api/v1/auth/oidc/token; PROTOCOL.md §2.1).\n"
        "Log in:  curl -s -X POST http://127.0.0.1:8000/api/v1/auth/login \\\n"
        "           -H 'Content-Type: application/json' -d '{\"username\":\"demo\",\"password\":\"demo\"}'"));
    cli.addHelpOption();
    cli.addVersionOption();
    framecast::demo::DemoConfig::addOptions(cli);
    cli.process(app);

    QString error;
    const auto config = framecast::demo::DemoConfig::fromOptions(cli, &error);
    if (!config) {
        std::fprintf(stderr, "framecast-demo-server: %s\n", qPrintable(error));
        return 2;
    }
    framecast::demo::DemoBackend backend(*config);
    if (!backend.start(&error)) {
        std::fprintf(stderr, "framecast-demo-server: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("%s\n", qPrintable(backend.baseUrl().toString()));
    std::printf("WebSocket: %s\n", qPrintable(backend.webSocketUrl().toString()));
    std::printf("Data: %s\n", qPrintable(backend.dataDir()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
