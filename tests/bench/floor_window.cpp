// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-bench-floor: the floor Framecast's start-up is measured against
// (tests/bench/startup.sh): a bare Qt Widgets main window with a menu, a text
// box, a list and a button, nothing else. Prints the same first-paint marker
// as the app (FRAMECAST_STARTUP_MARKER=1).
#include "widgets/FirstPaint.h"

#include <QApplication>
#include <QListWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QPushButton>
#include <QTextEdit>
#include <QVBoxLayout>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.menuBar()->addMenu(QStringLiteral("&File"))->addAction(QStringLiteral("&Quit"), &app, &QApplication::quit);
    auto *central = new QWidget(&window);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(new QTextEdit(central));
    auto *list = new QListWidget(central);
    list->addItems({QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")});
    layout->addWidget(list);
    layout->addWidget(new QPushButton(QStringLiteral("Generate"), central));
    window.setCentralWidget(central);
    window.resize(1280, 800);
    new framecast::ui::FirstPaint(&window, nullptr);
    window.show();
    return QApplication::exec();
}
