// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "desktop/DesktopNotification.h"

#include <QDBusConnection>
#include <QDBusPendingCall>
#include <QHash>
#include <QPointer>

namespace framecast::desktop {

/// Desktop notifications through the freedesktop notification server
/// (`org.freedesktop.Notifications` on the session bus, Desktop
/// Notifications Specification 1.2): the app's icon and desktop entry, a
/// "Play" action that opens the video, and the default action (a click on
/// the notification) that raises the window. When no server answers
/// (none on the bus, none activatable, an error) the notification goes to
/// the fallback (the tray) instead.
class FreedesktopNotifier final : public Notifier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FreedesktopNotifier)

public:
    static constexpr const char *kService = "org.freedesktop.Notifications";
    static constexpr const char *kPath = "/org/freedesktop/Notifications";
    static constexpr const char *kPlayAction = "play";
    static constexpr const char *kDefaultAction = "default";

    /// `appId` is the desktop entry's name without ".desktop", which is also
    /// the icon's name (io.github.framecast.Framecast).
    FreedesktopNotifier(QDBusConnection bus, QString appId, Notifier *fallback, QObject *parent = nullptr);
    ~FreedesktopNotifier() override;

    void notify(const DesktopNotification &notification) override;

    /// Notifications the server showed and has not closed yet.
    int openNotifications() const { return int(m_open.size()); }

Q_SIGNALS:
    /// The server showed it (its id), or it went to the fallback (`id` 0, and why).
    void delivered(uint id, const QString &fallbackReason);

private Q_SLOTS:
    // QtDBus connects signals of the bus only by slot name.
    void onActionInvoked(uint id, const QString &action);
    void onClosed(uint id, uint reason);

private:
    void answered(const DesktopNotification &notification, const QDBusPendingCall &call);

    QDBusConnection m_bus;
    QString m_appId;
    QPointer<Notifier> m_fallback;
    QHash<uint, DesktopNotification> m_open; ///< by the server's id
    QHash<QString, uint> m_byJob;            ///< a job's newer notification replaces its older one
};

} // namespace framecast::desktop
