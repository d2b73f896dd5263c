// SPDX-License-Identifier: GPL-3.0-or-later
#ifdef FRAMECAST_DEMO_MODULE
#include "demo/DemoModuleLoader.h"
#include "thumbnailer/ThumbnailerModuleLoader.h"
#include "player/PlayerModuleLoader.h"
#else
#include "player/QtMediaEngine.h"
#include "demo/EmbeddedDemo.h"
#include "thumbnailer/FfmpegFrameGrabber.h"
#endif
#include "core/Translations.h"
#include "gallery/GalleryView.h"
#include "headless/HeadlessRunner.h"
#include "mainwindow/MainWindow.h"
#include "player/VideoPlayer.h"
#include "ledger/Ledger.h"
#include "security/Redaction.h"
#include "security/SecretStore.h"
#include "session/Session.h"
#include "style/Appearance.h"
#include "style/Style.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLocale>
#include <QNetworkProxyFactory>
#include <QTranslator>
#include <QStandardPaths>

#include <cstdio>
#include <cstring>

#ifdef Q_OS_WIN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <io.h>
#endif

namespace {

/// The built-in demo: from its module on Linux (loaded on first use, after
/// the window shows: FFmpeg and Qt HttpServer are not mapped before), linked
/// in elsewhere.
framecast::EmbeddedServerFactory demoFactory()
{
#ifdef FRAMECAST_DEMO_MODULE
    return framecast::demo::moduleDemoFactory();
#else
    return framecast::demo::embeddedDemoFactory();
#endif
}

/// The gallery's thumbnails: FFmpeg from its module on Linux (loaded when the
/// gallery is first shown), linked in elsewhere.
std::shared_ptr<const framecast::FrameGrabber> frameGrabber()
{
#ifdef FRAMECAST_DEMO_MODULE
    return framecast::thumbnailer::moduleFrameGrabber();
#else
    return framecast::thumbnailer::makeFfmpegFrameGrabber();
#endif
}

/// The video player's engine: Qt Multimedia from its module on Linux (loaded
/// with the first video), linked in elsewhere.
framecast::ui::MediaEngineFactory mediaEngineFactory()
{
#ifdef FRAMECAST_DEMO_MODULE
    return framecast::ui::modulePlayerFactory();
#else
    return framecast::ui::qtMediaEngineFactory();
#endif
}

} // namespace

namespace {

/// framecast.exe is a GUI program (no console window opens when it starts
/// from the Start menu). Started from a terminal for --headless, --help or
/// --version, it writes to that terminal and gets its Ctrl+C; output that
/// goes to a pipe or a file stays there.
void attachParentConsole()
{
#ifdef Q_OS_WIN
    if (!AttachConsole(ATTACH_PARENT_PROCESS))
        return; // not started from a console
    // The descriptor number itself, not _fileno(stream): without a stream
    // _fileno gives -2, and _get_osfhandle(-2) calls the CRT's invalid
    // parameter handler, which ends the program; for 0, 1 and 2 it returns -2.
    const auto redirected = [](int fd) { return _get_osfhandle(fd) >= 0; };
    if (!redirected(1))
        std::freopen("CONOUT$", "w", stdout);
    if (!redirected(2))
        std::freopen("CONOUT$", "w", stderr);
    if (!redirected(0))
        std::freopen("CONIN$", "r", stdin);
#endif
}

const char *const kUsage = "Usage: framecast [--headless ...] [--verbose] [--version] [--help]\n"
                           "\n"
                           "Framecast: generate AI videos and watch them being made.\n"
                           "Without options it opens the desktop app on the built-in demo server.\n"
                           "\n"
                           "  --headless   run without a window, from a terminal (see framecast --headless --help)\n"
                           "  --verbose    also show Qt's own messages (start-up, multimedia) on stderr\n"
                           "  --version    print the version\n"
                           "  --help       print this help\n";

} // namespace

int main(int argc, char *argv[])
{
    // Every log line of the app and the headless mode passes the one
    // redaction point (no token or password reaches a log).
    framecast::redaction::installLogRedaction();
    // Qt's start-up chatter (XDG_RUNTIME_DIR, PulseAudio...) only when asked for.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--verbose") == 0)
            framecast::redaction::setShowQtChatter(true);
    }
    // Decide before any QApplication exists: the headless mode, --version and
    // --help must work on machines without a display (servers, CI, packages).
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--headless") == 0) {
            attachParentConsole();
            return framecast::headless::runHeadless(argc, argv, demoFactory());
        }
    }
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            attachParentConsole();
            std::printf("framecast %s\n", FRAMECAST_VERSION);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            attachParentConsole();
            std::printf("%s", kUsage);
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Framecast"));
    QApplication::setOrganizationName(QStringLiteral("Framecast"));
    QApplication::setApplicationVersion(QStringLiteral(FRAMECAST_VERSION));
    // A profile's "system" proxy: the desktop's settings and
    // http_proxy/https_proxy/no_proxy (Qt reads none of them otherwise).
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QApplication::setDesktopFileName(QStringLiteral(FRAMECAST_APP_ID));
    // Simplified Chinese when the system speaks it; English (its plurals) otherwise.
    QTranslator translator;
    if (framecast::loadCatalogue(&translator))
        QApplication::installTranslator(&translator);

    QCommandLineParser cli; // rejects unknown options with a clear message
    cli.setApplicationDescription(QStringLiteral("Framecast: generate AI videos and watch them being made."));
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addOption(QCommandLineOption(QStringLiteral("verbose"), QStringLiteral("Also show Qt's own messages on stderr.")));
    cli.process(app);

    // Finished videos are kept in the app's data folder (servers expire theirs).
    const QString videos = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("videos"));
    framecast::Ledger ledger;
    // Tokens in the system keychain; in memory (and said so) where there is none.
    framecast::KeychainSecretStore secrets;
    framecast::Session session(videos);
    session.setEmbeddedServerFactory(demoFactory());
    session.setSecretStore(&secrets);
    // Light or dark as the desktop prefers (the portal, followed live), or as chosen.
    framecast::ui::Appearance appearance;
    framecast::ui::GalleryView::setDefaultGrabberFactory(frameGrabber);
    framecast::ui::VideoPlayer::setDefaultEngineFactory(mediaEngineFactory());
    framecast::ui::MainWindow window(&session);
    window.setAppearance(&appearance);
    // What the first frame does not need starts once it is on screen: the
    // job history (its integrity check), then the last login from the
    // keychain, or on first run the built-in demo as demo/demo (then the
    // window is ready for one Generate); Qt Multimedia with the first video
    // (VideoPlayer, from the framecast-player module on Linux).
    window.showThenRestore([&] {
        // The window's icon too: the SVG and seven PNGs decoded were a sixth
        // of the work before the first frame (the desktop file names it for
        // the launcher meanwhile).
        QApplication::setWindowIcon(framecast::ui::style::appIcon());
        // Every job is recorded (and picked up again after a restart or a crash).
        ledger.open(framecast::Ledger::defaultPath());
        session.setLedger(&ledger);
        window.attachLedger();
    });
    return QApplication::exec();
}
