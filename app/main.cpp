// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/HeadlessRunner.h"
#include "mainwindow/MainWindow.h"
#include "session/Session.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>

#include <cstring>

int main(int argc, char *argv[])
{
    // The headless mode needs no display: decide before any QApplication exists.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--headless") == 0)
            return framecast::headless::runHeadless(argc, argv);
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Framecast"));
    QApplication::setOrganizationName(QStringLiteral("Framecast"));
    QApplication::setApplicationVersion(QStringLiteral(FRAMECAST_VERSION));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Framecast: generate AI videos and watch them being made."));
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addOption(QCommandLineOption(QStringLiteral("headless"),
                                     QStringLiteral("Run without a window, from a terminal (see framecast --headless --help).")));
    cli.process(app);

    // Finished videos are kept in the app's data folder (servers expire theirs).
    const QString videos = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("videos"));
    framecast::Session session(videos);
    framecast::ui::MainWindow window(&session);
    window.show();
    window.startDemo(); // first run: the built-in demo server, as demo/demo
    return QApplication::exec();
}
