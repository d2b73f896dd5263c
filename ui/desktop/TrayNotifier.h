// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "desktop/DesktopNotification.h"

class QSystemTrayIcon;

namespace framecast::ui {

/// Notifications through Qt's tray API: the system's own on Windows (a
/// toast) and macOS (Notification Center), and on Linux the fallback when
/// no notification server is on the bus. A click on the message raises the
/// window on its job. Where there is no tray at all only the window's
/// banner tells.
class TrayNotifier final : public desktop::Notifier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)

public:
    explicit TrayNotifier(QObject *parent = nullptr);
    ~TrayNotifier() override;

    void notify(const desktop::DesktopNotification &notification) override;
    /// The last notification handed to the tray, shown or not.
    const desktop::DesktopNotification &last() const { return m_last; }
    /// Whether the last one could be shown (a tray that supports messages).
    bool shown() const { return m_shown; }

private:
    QSystemTrayIcon *m_tray = nullptr;
    desktop::DesktopNotification m_last;
    bool m_shown = false;
};

} // namespace framecast::ui
