// SPDX-License-Identifier: GPL-3.0-or-later
// The window as main() wires it, on a private session bus with a
// notification server and a dock of the test's own: a job's progress goes
// to the launcher entry, its end to a notification whose Play opens the
// archived video and whose click brings the window up on the job.
#include "BusPeers.h"
#include "MainWindowFixture.h"
#include "PrivateBus.h"
#include "compose/ComposePanel.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"

#include <QDesktopServices>
#include <QGuiApplication>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTabWidget>

using framecast::Job;

class TestDesktopIntegration : public framecast::test::MainWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void aJobOnTheTaskbarAndItsVideoInANotification()
    {
        framecast::test::PrivateBus bus;
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        // The window's first D-Bus connection is made below: it is this bus.
        qputenv("DBUS_SESSION_BUS_ADDRESS", bus.address().toUtf8());
        QGuiApplication::setDesktopFileName(QStringLiteral("io.github.framecast.Framecast"));
        framecast::test::NotificationServer server;
        QDBusConnection serverBus = bus.connect(QStringLiteral("server"));
        QVERIFY(framecast::test::serveNotifications(serverBus, &server));
        framecast::test::Dock dock;
        QDBusConnection dockBus = bus.connect(QStringLiteral("dock"));
        QVERIFY(framecast::test::listenForLauncherUpdates(dockBus, &dock));

        open(120);
        const QString prompt = QStringLiteral("A lighthouse keeper feeding gulls at dawn");
        auto *edit = m_window->compose()->findChild<QPlainTextEdit *>();
        edit->clear();
        QTest::keyClicks(edit, prompt);
        QTest::mouseClick(m_window->compose()->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *job = m_window->jobList()->currentJob();

        // On the taskbar while it runs: one job, its progress.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(dock.updates.cbegin(), dock.updates.cend(),
                                             [](const framecast::test::Update &u) { return u.count() == 1 && u.visible() && u.progress() > 0; }),
                                 15000);
        QCOMPARE(dock.updates.constFirst().uri, QStringLiteral("application://io.github.framecast.Framecast.desktop"));

        // Done: the notification arrives, the taskbar is cleared.
        QTRY_VERIFY_WITH_TIMEOUT(!server.received.isEmpty(), 20000);
        const framecast::test::Received &n = server.received.constFirst();
        QCOMPARE(n.summary, QStringLiteral("Your video is ready"));
        QCOMPARE(n.body, prompt);
        QCOMPARE(n.icon, QStringLiteral("io.github.framecast.Framecast"));
        QVERIFY(n.actions.contains(QStringLiteral("play")));
        QTRY_VERIFY(!dock.updates.isEmpty() && dock.updates.constLast().count() == 0 && !dock.updates.constLast().visible());
        const QString video = m_session->videoFile(job->id());
        QVERIFY(QFile::exists(video));

        // Play opens the archived video with the system's player.
        framecast::test::UrlCatcher catcher;
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &catcher, "open");
        const auto unset = qScopeGuard([] { QDesktopServices::unsetUrlHandler(QStringLiteral("file")); });
        QVERIFY(framecast::test::sendNotificationSignal(serverBus, QStringLiteral("ActionInvoked"), {server.nextId, QStringLiteral("play")}));
        QTRY_COMPARE(catcher.opened.size(), 1);
        QCOMPARE(catcher.opened.constFirst(), QUrl::fromLocalFile(video));

        // A click on it: the window comes back on that job, from the History tab.
        auto *tabs = m_window->findChild<QTabWidget *>();
        m_window->showTab(1);
        m_window->showMinimized();
        QVERIFY(framecast::test::sendNotificationSignal(serverBus, QStringLiteral("ActionInvoked"), {server.nextId, QStringLiteral("default")}));
        QTRY_COMPARE(tabs->currentIndex(), 0);
        QVERIFY(!m_window->isMinimized());
        QCOMPARE(m_window->jobList()->currentJob(), job);
        m_window.reset(); // before the bus goes
    }
};

QTEST_MAIN(TestDesktopIntegration)
#include "tst_desktopintegration.moc"
