// SPDX-License-Identifier: GPL-3.0-or-later
// Desktop notifications against a notification server on a private session
// bus: a real dbus-daemon started here, and on it a minimal
// org.freedesktop.Notifications server object of this test's own (its
// Notify records what arrives; it sends ActionInvoked and
// NotificationClosed as a server does when the user clicks). No headless
// Debian notification daemon can invoke a non-default action on its own
// (dunst needs an X display and dmenu for that), so the test is the server.
#include "BusPeers.h"
#include "PrivateBus.h"
#include "desktop/FreedesktopNotifier.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using framecast::desktop::DesktopNotification;
using framecast::desktop::FreedesktopNotifier;
using framecast::desktop::Notifier;
using framecast::test::NotificationServer;
using framecast::test::Received;

namespace {

const QString kAppId = QStringLiteral("io.github.framecast.Framecast");

/// The tray in the test: records what it is handed.
class RecordingNotifier final : public Notifier
{
public:
    QList<DesktopNotification> shown;
    void notify(const DesktopNotification &n) override { shown << n; }
};

DesktopNotification readyNotification()
{
    return {DesktopNotification::Kind::VideoReady, QStringLiteral("Your video is ready"),
            QStringLiteral("A paper boat on a rainy street"), QStringLiteral("job-7"), QStringLiteral("/tmp/videos/job-7.mp4")};
}

} // namespace

class TestNotifications : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<framecast::test::PrivateBus> m_bus;
    NotificationServer m_server;
    int m_connections = 0;

    QDBusConnection serverConnection()
    {
        QDBusConnection c = m_bus->connect(QStringLiteral("server%1").arg(++m_connections));
        if (!framecast::test::serveNotifications(c, &m_server))
            qWarning() << "could not register the server:" << c.lastError().message();
        return c;
    }
    static void emitFrom(QDBusConnection &c, const QString &member, const QVariantList &args)
    {
        QVERIFY(framecast::test::sendNotificationSignal(c, member, args));
    }

private Q_SLOTS:
    void init()
    {
        m_bus = std::make_unique<framecast::test::PrivateBus>();
        QString error;
        QVERIFY2(m_bus->start(&error), qPrintable(error));
        m_server.received.clear();
    }
    void cleanup()
    {
        m_bus.reset();
    }

    void summaryBodyIconAndActionsArrive()
    {
        QDBusConnection server = serverConnection();
        RecordingNotifier tray;
        FreedesktopNotifier notifier(m_bus->connect(QStringLiteral("app")), kAppId, &tray);
        QSignalSpy delivered(&notifier, &FreedesktopNotifier::delivered);
        notifier.notify(readyNotification());
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 5000); // counted: the answer may be in before notify() returns
        QCOMPARE(delivered.at(0).at(0).toUInt(), 41u);
        QCOMPARE(m_server.received.size(), 1);
        const Received &r = m_server.received.constFirst();
        QCOMPARE(r.summary, QStringLiteral("Your video is ready"));
        QCOMPARE(r.body, QStringLiteral("A paper boat on a rainy street"));
        QCOMPARE(r.icon, kAppId);
        QCOMPARE(r.replacesId, 0u);
        QCOMPARE(r.hints.value(QStringLiteral("desktop-entry")).toString(), kAppId);
        QCOMPARE(r.hints.value(QStringLiteral("category")).toString(), QStringLiteral("transfer.complete"));
        QCOMPARE(r.actions, (QStringList{"default", "Show", "play", "Play"}));
        QVERIFY(tray.shown.isEmpty());

        // A failed job: no Play, the error category, and the job's earlier
        // notification is replaced rather than stacked.
        DesktopNotification failed{DesktopNotification::Kind::JobFailed, QStringLiteral("The video failed"),
                                   QStringLiteral("Insufficient credits"), QStringLiteral("job-7"), {}};
        notifier.notify(failed);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 5000);
        const Received &f = m_server.received.at(1);
        QCOMPARE(f.replacesId, 41u);
        QCOMPARE(f.actions, (QStringList{"default", "Show"}));
        QCOMPARE(f.hints.value(QStringLiteral("category")).toString(), QStringLiteral("transfer.error"));
    }

    void playOpensTheVideoAndDefaultRaisesTheWindow()
    {
        QDBusConnection server = serverConnection();
        framecast::test::UrlCatcher catcher;
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &catcher, "open");
        const auto unset = qScopeGuard([] { QDesktopServices::unsetUrlHandler(QStringLiteral("file")); });
        FreedesktopNotifier notifier(m_bus->connect(QStringLiteral("app")), kAppId, nullptr);
        QSignalSpy delivered(&notifier, &FreedesktopNotifier::delivered);
        QSignalSpy activated(&notifier, &Notifier::activated);
        notifier.notify(readyNotification());
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 5000);
        const uint id = delivered.at(0).at(0).toUInt();

        // Another program's notification: not ours to act on.
        emitFrom(server, QStringLiteral("ActionInvoked"), {id + 100, QStringLiteral("play")});
        // An impostor (not the owner of org.freedesktop.Notifications) is
        // ignored. A call to the bus after its signal: the daemon has routed
        // the signal before it answers, so it reaches the app before the
        // server's below.
        QDBusConnection impostor = m_bus->connect(QStringLiteral("impostor"));
        emitFrom(impostor, QStringLiteral("ActionInvoked"), {id, QStringLiteral("play")});
        QVERIFY(impostor.interface()->isServiceRegistered(QLatin1String(FreedesktopNotifier::kService)).value());
        emitFrom(server, QStringLiteral("ActionInvoked"), {id, QStringLiteral("play")});
        QTRY_COMPARE(catcher.opened.size(), 1);
        QCOMPARE(catcher.opened.constFirst(), QUrl::fromLocalFile(QStringLiteral("/tmp/videos/job-7.mp4")));

        emitFrom(server, QStringLiteral("ActionInvoked"), {id, QStringLiteral("default")});
        QVERIFY(activated.wait(5000));
        QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("job-7"));
        QCOMPARE(catcher.opened.size(), 1); // the foreign one and the impostor's did nothing

        // Closed by the server: forgotten, a later action on it does nothing.
        DesktopNotification other = readyNotification();
        other.jobId = QStringLiteral("job-8");
        notifier.notify(other);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 5000);
        const uint otherId = delivered.at(1).at(0).toUInt();
        QCOMPARE(notifier.openNotifications(), 2);
        emitFrom(server, QStringLiteral("NotificationClosed"), {id, 2u});
        emitFrom(server, QStringLiteral("ActionInvoked"), {id, QStringLiteral("play")});
        emitFrom(server, QStringLiteral("ActionInvoked"), {otherId, QStringLiteral("default")});
        QVERIFY(activated.wait(5000)); // the server's signals arrive in order: the two before it are handled
        QCOMPARE(activated.at(1).at(0).toString(), QStringLiteral("job-8"));
        QCOMPARE(notifier.openNotifications(), 1);
        QCOMPARE(catcher.opened.size(), 1);
    }

    void withoutAServerTheTrayShowsIt()
    {
        // Nothing owns org.freedesktop.Notifications on this bus, and the
        // bus activates nothing.
        QDBusConnection app = m_bus->connect(QStringLiteral("app"));
        QVERIFY(!app.interface()->isServiceRegistered(QLatin1String(FreedesktopNotifier::kService)).value());
        RecordingNotifier tray;
        FreedesktopNotifier notifier(app, kAppId, &tray);
        QSignalSpy delivered(&notifier, &FreedesktopNotifier::delivered);
        QSignalSpy activated(&notifier, &Notifier::activated);
        notifier.notify(readyNotification());
        // The bus's error may already be in when notify() returns (seen under
        // ASan): count the signal rather than wait for a new one.
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 5000);
        QCOMPARE(delivered.at(0).at(0).toUInt(), 0u);
        QVERIFY(!delivered.at(0).at(1).toString().isEmpty());
        QCOMPARE(tray.shown.size(), 1);
        QCOMPARE(tray.shown.constFirst().summary, QStringLiteral("Your video is ready"));
        QCOMPARE(tray.shown.constFirst().videoFile, QStringLiteral("/tmp/videos/job-7.mp4"));
        // A click on the tray's message raises the window on the job too.
        Q_EMIT tray.activated(QStringLiteral("job-7"));
        QCOMPARE(activated.size(), 1);
    }

    void noSessionBusAtAllFallsBackToo()
    {
        // A desktop without D-Bus (a bare X session, a container).
        RecordingNotifier tray;
        FreedesktopNotifier notifier(QDBusConnection::connectToBus(QStringLiteral("unix:path=/nonexistent/bus"), QStringLiteral("none")),
                                     kAppId, &tray);
        QSignalSpy delivered(&notifier, &FreedesktopNotifier::delivered);
        notifier.notify(readyNotification());
        QTRY_COMPARE(delivered.size(), 1); // at once: there is no bus to ask
        QCOMPARE(delivered.at(0).at(0).toUInt(), 0u);
        QCOMPARE(tray.shown.size(), 1);
        QDBusConnection::disconnectFromBus(QStringLiteral("none"));
    }
};

QTEST_MAIN(TestNotifications)
#include "tst_notifications.moc"
