// SPDX-License-Identifier: GPL-3.0-or-later
// What the tst_mainwindow* tests share: the real main window with a session
// as main() wires it, logged in to the in-process demo backend (open()).
#pragma once

#include "demo/DemoBackend.h"
#include "demo/EmbeddedDemo.h"
#include "mainwindow/MainWindow.h"
#include "player/VideoPlayer.h"
#include "progress/Dialect.h"
#include "session/Session.h"

#include <QCoreApplication>
#include <QMediaPlayer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

Q_DECLARE_METATYPE(framecast::Dialect)

namespace framecast::test {

/// The window's QMediaPlayer (null before the first video).
inline QMediaPlayer *mediaPlayerOf(const ui::VideoPlayer *player)
{
    return qobject_cast<QMediaPlayer *>(player->mediaObject());
}

using framecast::ui::MainWindow;

/// The fixture: derived test classes inherit initTestCase() and cleanup().
class MainWindowFixture : public QObject
{
    Q_OBJECT

protected:
    QTemporaryDir m_dir;
    std::unique_ptr<demo::DemoBackend> m_demo;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;

    demo::DemoBackend *demoBackend() const { return m_demo.get(); }

    /// A session as main() wires it, with a demo backend this test tunes.
    void makeSession()
    {
        m_demo = std::make_unique<demo::DemoBackend>();
        m_session = std::make_unique<Session>(m_dir.filePath(QStringLiteral("videos")));
        m_session->setEmbeddedServerFactory([this] { return std::make_unique<demo::EmbeddedDemo>(m_demo.get()); });
    }

    void open(int stepDelayMs = 20, Dialect dialect = Dialect::VideosSse)
    {
        makeSession();
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->startDemo(dialect);
        demo::DemoConfig &c = demoBackend()->config();
        c.stepDelayMinMs = c.stepDelayMaxMs = stepDelayMs;
        c.tinyVideos = true;
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("1000 credits")), 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // As main() does; settings go to a test folder, not the user's.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
        QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
    }

    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        m_demo.reset();
    }
};

} // namespace framecast::test
