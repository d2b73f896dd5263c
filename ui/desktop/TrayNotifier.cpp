// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop/TrayNotifier.h"

#include <QApplication>
#include <QSystemTrayIcon>

namespace framecast::ui {

TrayNotifier::TrayNotifier(QObject *parent)
    : Notifier(parent)
{
}

TrayNotifier::~TrayNotifier() = default;

void TrayNotifier::notify(const desktop::DesktopNotification &n)
{
    m_last = n;
    m_shown = QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages();
    if (!m_shown)
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("Framecast"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { Q_EMIT activated(m_last.jobId); });
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger)
                Q_EMIT activated(m_last.jobId);
        });
    }
    m_tray->show();
    m_tray->showMessage(n.summary, n.body, QApplication::windowIcon());
}

} // namespace framecast::ui
