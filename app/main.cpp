// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Framecast"));
    QApplication::setOrganizationName(QStringLiteral("Framecast"));
    QApplication::setApplicationVersion(QStringLiteral(FRAMECAST_VERSION));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Framecast: generate AI videos and watch them being made."));
    cli.addHelpOption();
    cli.addVersionOption();
    cli.process(app);

    framecast::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
