// SPDX-License-Identifier: GPL-3.0-or-later
// The empty states of the real window on the demo backend: the first run's
// hint in the job area and over the job list, the empty history (none yet,
// none found, history off), each gone once there is something to show.
#include "MainWindowFixture.h"

#include "Screenshot.h"
#include "compose/ComposePanel.h"
#include "history/HistoryView.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "ledger/Ledger.h"
#include "widgets/EmptyState.h"
#include "widgets/JobProgressView.h"

#include <QLineEdit>
#include <QListView>
#include <QPushButton>

using namespace framecast;
using namespace framecast::test;

class TestEmptyStates : public MainWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void firstRunHintUntilTheFirstJob()
    {
        open();
        ui::EmptyState *hint = m_window->jobAreaEmptyState();
        QVERIFY(hint->isVisible());
        QVERIFY(hint->title().contains(QLatin1String("Generate")));
        QVERIFY(hint->text().contains(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
        QVERIFY(!m_window->progressView()->isVisible()); // no empty progress bar and log before any job
        QVERIFY(m_window->jobList()->emptyState()->isVisible());
        // The history is off in this window (no ledger): it says so.
        m_window->showTab(1);
        QVERIFY(m_window->history()->emptyState()->isVisible());
        QCOMPARE(m_window->history()->emptyState()->title(), QStringLiteral("The job history is off."));
        QVERIFY(!m_window->history()->list()->isVisible());
        m_window->showTab(0);
        screenshot(m_window.get(), QStringLiteral("empty-first-run"));

        QVERIFY(m_window->compose()->generateButton()->isEnabled()); // the demo's example prompt and image
        QTest::mouseClick(m_window->compose()->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob());
        QTRY_VERIFY(m_window->progressView()->isVisible());
        QVERIFY(!hint->isVisible());
        QVERIFY(!m_window->jobList()->emptyState()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobList()->currentJob()->state(), Job::State::Completed, 30000);
        QVERIFY(!hint->isVisible());
    }

    void emptyHistoryUntilAJobIsRecorded()
    {
        Ledger ledger;
        QVERIFY(ledger.open(m_dir.filePath(QStringLiteral("history.sqlite"))));
        makeSession();
        m_session->setLedger(&ledger);
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->startDemo();
        demoBackend()->config().stepDelayMinMs = demoBackend()->config().stepDelayMaxMs = 20;
        demoBackend()->config().tinyVideos = true;
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("1000 credits")), 10000);
        ui::HistoryView *history = m_window->history();
        m_window->showTab(1);
        QVERIFY(history->emptyState()->isVisible());
        QCOMPARE(history->emptyState()->title(), QStringLiteral("No jobs yet"));
        QVERIFY(history->emptyState()->text().contains(QLatin1String("press Generate")));
        QVERIFY(!history->list()->isVisible());
        QVERIFY(!history->searchField()->isVisible()); // nothing to search yet
        QVERIFY(!history->openButton()->isVisible()); // nothing to act on
        screenshot(m_window.get(), QStringLiteral("empty-history"));

        QTest::mouseClick(m_window->compose()->generateButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(history->count(), 1, 10000);
        QVERIFY(!history->emptyState()->isVisible());
        QVERIFY(history->list()->isVisible());
        QVERIFY(history->searchField()->isVisible());
        QVERIFY(history->openButton()->isVisible());

        // A search that finds nothing says so; clearing it brings the list back.
        history->setSearch(QStringLiteral("zeppelin"));
        QCOMPARE(history->count(), 0);
        QVERIFY(history->emptyState()->isVisible());
        QCOMPARE(history->emptyState()->title(), QStringLiteral("Nothing found"));
        QVERIFY(history->emptyState()->text().contains(QLatin1String("zeppelin")));
        QVERIFY(history->searchField()->isVisible()); // to change the search
        history->setSearch(QString());
        QCOMPARE(history->count(), 1);
        QVERIFY(!history->emptyState()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobList()->currentJob()->state(), Job::State::Completed, 30000);
        m_window.reset();
        m_session.reset();
    }
};

QTEST_MAIN(TestEmptyStates)
#include "tst_emptystates.moc"
