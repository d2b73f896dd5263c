// SPDX-License-Identifier: GPL-3.0-or-later
// The window as main() opens it (MainWindow::showThenRestore): on screen
// before the demo backend, the login and Qt Multimedia start; usable once
// they have: logged in on the demo, one Generate runs to a video, and the
// player (created then) plays it.
#include "MainWindowFixture.h"
#include "compose/ComposePanel.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "history/HistoryView.h"
#include "ledger/Ledger.h"
#include "player/VideoPlayer.h"
#include "widgets/FirstPaint.h"

#include <QMediaPlayer>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QLibrary>
#include <QProcess>
#include <QSettings>
#include <QPushButton>

using namespace framecast;
using namespace framecast::ui;
using namespace framecast::test;

class TestMainWindowStartup final : public MainWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void theWindowShowsFirstAndIsReadyAfter()
    {
        // A first launch: settings of our own, no last login (the other
        // window tests leave theirs in the shared test folder).
        QCoreApplication::setOrganizationName(QStringLiteral("Framecast-startup-test"));
        QSettings().clear();
        makeSession();
        m_demo->config().stepDelayMinMs = m_demo->config().stepDelayMaxMs = 20;
        m_demo->config().tinyVideos = true;
        bool demoStartedBeforeShown = false;
        Ledger ledger;
        bool ledgerOpened = false;
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->showThenRestore([&] { // as main() opens the job history
            ledgerOpened = ledger.open(m_dir.filePath(QStringLiteral("startup-ledger.sqlite")));
            m_session->setLedger(&ledger);
            m_window->attachLedger();
        });
        // Nothing of the session has started yet: the first frame comes first.
        QCOMPARE(m_demo->port(), quint16(0));
        QVERIFY(!m_session->isLoggedIn());
        QVERIFY(mediaPlayerOf(m_window->player()) == nullptr); // no Qt Multimedia yet
        QVERIFY(!ledgerOpened);
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        demoStartedBeforeShown = m_demo->port() != 0 && m_session->isLoggedIn();
        QVERIFY(!demoStartedBeforeShown);

        // Then: the demo, logged in, the first-run example ready for one Generate.
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("1000 credits")),
                                  qPrintable(m_window->accountText() + QLatin1Char('|') + m_window->bannerText()), 10000);
        QVERIFY(m_demo->port() != 0);
        QPushButton *generate = m_window->compose()->generateButton();
        QTRY_VERIFY(generate->isEnabled());
        QTest::mouseClick(generate, Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *job = m_window->jobList()->currentJob();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 30000);
        // The player appears with the video.
        QTRY_VERIFY_WITH_TIMEOUT(mediaPlayerOf(m_window->player()) != nullptr, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(mediaPlayerOf(m_window->player())->duration() > 0, 15000);
        QCOMPARE(m_window->player()->file(), m_session->videoFile(job->id()));
        // Recorded in the history opened after the first paint, and shown there.
        QVERIFY(ledgerOpened);
        QTRY_COMPARE(m_window->history()->model()->rowCount(), 1);
        m_window.reset(); // before the ledger goes
        m_session.reset();
    }

    void aHistoryThatCannotBeSavedIsShownOnce()
    {
        makeSession();
        m_window = std::make_unique<MainWindow>(m_session.get());
        Ledger ledger;
        QVERIFY(ledger.open(m_dir.filePath(QStringLiteral("full-ledger.sqlite"))));
        m_session->setLedger(&ledger);
        m_window->attachLedger();
        m_window->attachLedger(); // as after a restore: still one connection
        QSignalSpy failed(&ledger, &Ledger::writeFailed);
        // SQLite's page limit stands in for a full disk.
        QSqlQuery limit(ledger.database());
        QVERIFY(limit.exec(QStringLiteral("PRAGMA max_page_count = 1")));
        limit.finish();
        LedgerEntry big;
        big.profile = QStringLiteral("demo");
        big.serverId = QStringLiteral("full");
        big.params.prompt = QString(200000, u'p');
        QCOMPARE(ledger.add(big), 0);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(m_window->bannerText().contains(QLatin1String("could not be saved")), qPrintable(m_window->bannerText()));
        m_window.reset(); // before the ledger goes
        m_session.reset();
    }

    void thePlayerModulePlaysAVideo()
    {
#ifndef FRAMECAST_PLAYER_MODULE
        QSKIP("the player is linked in on this platform");
#else
        // What the program loads with its first video (tests link the engine).
        const QString video = m_dir.filePath(QStringLiteral("module-test.mp4"));
        QProcess ffmpeg;
        ffmpeg.start(QStringLiteral("ffmpeg"), {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y"),
                                                QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                                                QStringLiteral("testsrc=size=320x180:rate=25"), QStringLiteral("-t"),
                                                QStringLiteral("2"), QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), video});
        QVERIFY(ffmpeg.waitForFinished(30000));
        QCOMPARE(ffmpeg.exitCode(), 0);
        QLibrary module(QStringLiteral(FRAMECAST_PLAYER_MODULE));
        const auto create = reinterpret_cast<FramecastPlayerCreate>(module.resolve(kFramecastPlayerCreateSymbol));
        QVERIFY2(create, qPrintable(module.errorString()));
        QWidget host;
        qint64 duration = 0;
        MediaEngine::Events events;
        events.durationChanged = [&duration](qint64 d) { duration = d; };
        std::unique_ptr<MediaEngine> engine(create(&host, &events));
        QVERIFY(engine);
        QCOMPARE(engine->screen()->parentWidget(), &host);
        QVERIFY(qobject_cast<QMediaPlayer *>(engine->mediaObject()));
        engine->setFile(video);
        engine->play();
        QTRY_VERIFY_WITH_TIMEOUT(duration > 0, 15000);
        QCOMPARE(engine->duration(), duration);
        QVERIFY(qAbs(duration - 2000) < 200);
#endif
    }

    void aWindowThatIsNeverPaintedStillStarts()
    {
        // Started minimized, or a platform that paints elsewhere: the session
        // must not wait for a frame that never comes.
        QWidget hidden;
        bool ran = false;
        new FirstPaint(&hidden, [&] { ran = true; }, 100);
        QVERIFY(!ran);
        QTRY_VERIFY_WITH_TIMEOUT(ran, 5000);
    }
};

QTEST_MAIN(TestMainWindowStartup)
#include "tst_mainwindow_startup.moc"
