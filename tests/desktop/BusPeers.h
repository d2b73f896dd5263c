// SPDX-License-Identifier: GPL-3.0-or-later
// The other peers on a test's private session bus: a notification server
// (what dunst or GNOME Shell exposes, enough for a client) and a dock that
// hears the Unity launcher entry's Update signal; and a catcher for the
// file URLs QDesktopServices would open.
#pragma once

#include <QDBusConnection>
#include <QDBusMessage>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

namespace framecast::test {

struct Received
{
    QString appName;
    uint replacesId = 0;
    QString icon;
    QString summary;
    QString body;
    QStringList actions;
    QVariantMap hints;
};

/// The notification server: Notify records what arrives; the test sends
/// ActionInvoked and NotificationClosed from its connection.
class NotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    QList<Received> received;
    uint nextId = 40;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &icon, const QString &summary, const QString &body,
                const QStringList &actions, const QVariantMap &hints, int)
    {
        received << Received{appName, replacesId, icon, summary, body, actions, hints};
        return replacesId ? replacesId : ++nextId;
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
    void CloseNotification(uint) {}
};

struct Update
{
    QString uri;
    QVariantMap properties;
    double progress() const { return properties.value(QStringLiteral("progress")).toDouble(); }
    qlonglong count() const { return properties.value(QStringLiteral("count")).toLongLong(); }
    bool visible() const
    {
        return properties.value(QStringLiteral("progress-visible")).toBool() && properties.value(QStringLiteral("count-visible")).toBool();
    }
};

/// A dock: hears every Update on the bus.
class Dock : public QObject
{
    Q_OBJECT
public:
    QList<Update> updates;
Q_SIGNALS:
    void heard();
public Q_SLOTS:
    void update(const QString &uri, const QVariantMap &properties)
    {
        updates << Update{uri, properties};
        Q_EMIT heard();
    }
};

/// Where QDesktopServices::openUrl sends file URLs during the test.
class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened << url; }
};

/// Serves `server` as org.freedesktop.Notifications on `c` (the names of the
/// specification, written out here rather than taken from the code tested).
inline bool serveNotifications(QDBusConnection &c, NotificationServer *server)
{
    return c.registerObject(QStringLiteral("/org/freedesktop/Notifications"), server, QDBusConnection::ExportAllSlots)
           && c.registerService(QStringLiteral("org.freedesktop.Notifications"));
}

/// What a server sends when the user clicks or closes: ActionInvoked, NotificationClosed.
inline bool sendNotificationSignal(QDBusConnection &c, const QString &member, const QVariantList &args)
{
    QDBusMessage signal = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                                                     QStringLiteral("org.freedesktop.Notifications"), member);
    signal.setArguments(args);
    return c.send(signal);
}

/// `dock` hears every launcher entry Update on `c`, from any sender and path.
inline bool listenForLauncherUpdates(QDBusConnection &c, Dock *dock)
{
    return c.connect(QString(), QString(), QStringLiteral("com.canonical.Unity.LauncherEntry"), QStringLiteral("Update"), dock,
                     SLOT(update(QString,QVariantMap)));
}

} // namespace framecast::test
