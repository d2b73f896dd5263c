// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/MainWindow.h"

#include "widgets/JobProgressView.h"

#include <QLabel>
#include <QVBoxLayout>

namespace framecast::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_progress(new JobProgressView(this))
{
    setWindowTitle(tr("Framecast"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *intro = new QLabel(tr("<h2>Framecast</h2><p>Log in, compose and the built-in demo server arrive with the "
                                "next milestones. The live progress view below is the one every job will use.</p>"),
                             central);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addWidget(m_progress);
    layout->addStretch(1);
    setCentralWidget(central);
    resize(720, 420);
}

} // namespace framecast::ui
