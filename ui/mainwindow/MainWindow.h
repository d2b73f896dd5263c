// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

namespace framecast::ui {

class JobProgressView;

/// The application window. For now it hosts the live progress view; the
/// login, compose and job list arrive with the desktop-app issue.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);

    JobProgressView *progressView() const { return m_progress; }

private:
    JobProgressView *m_progress;
};

} // namespace framecast::ui
