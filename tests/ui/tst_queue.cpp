// SPDX-License-Identifier: GPL-3.0-or-later
// Several jobs at once in the real main window on the demo backend: one
// prompt per line makes a job of each line, Variations N makes N jobs of
// one prompt; the queue shows what waits for credits and why (screenshots
// at 1280x800 and 1920x1080); Retry now from the queue sends a refused
// item again; Retry and Generate again from the job list queue a job's
// params again.
#include "MainWindowFixture.h"
#include "Screenshot.h"
#include "compose/ComposePanel.h"
#include "demo/DemoAccounts.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "jobs/JobQueue.h"
#include "queue/QueueView.h"

#include <QAbstractScrollArea>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

using namespace framecast;
using namespace framecast::ui;
using namespace framecast::test;

class TestQueue final : public MainWindowFixture
{
    Q_OBJECT

private:
    ComposePanel *compose() const { return m_window->compose(); }

    void typePrompt(const QString &text)
    {
        auto *edit = compose()->findChild<QPlainTextEdit *>();
        edit->clear();
        QTest::keyClicks(edit, text);
    }

    QStringList promptsInList() const
    {
        QStringList out;
        for (int row = m_window->jobList()->count() - 1; row >= 0; --row) // oldest first
            out << m_window->jobList()->jobAt(row)->params().prompt;
        return out;
    }

    bool allCompleted(int count) const
    {
        JobListWidget *list = m_window->jobList();
        if (list->count() != count)
            return false;
        for (int row = 0; row < count; ++row) {
            if (list->jobAt(row)->state() != Job::State::Completed)
                return false;
        }
        return true;
    }

    demo::DemoUser *demoUser() const { return demoBackend()->accounts().userByName(QStringLiteral("demo")); }

private Q_SLOTS:
    void threePromptsAreThreeJobs()
    {
        open();
        QTest::mouseClick(compose()->perLineBox(), Qt::LeftButton, {},
                          QPoint(8, compose()->perLineBox()->height() / 2));
        QVERIFY(compose()->perLineBox()->isChecked());
        auto *edit = compose()->findChild<QPlainTextEdit *>();
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("A red kite over green hills"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, QStringLiteral("short"));
        QVERIFY(!compose()->generateButton()->isEnabled()); // line 2 is too short
        QTest::keyClicks(edit, QStringLiteral(" waves at a pier"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClick(edit, Qt::Key_Return); // an empty line is no job
        QTest::keyClicks(edit, QStringLiteral("Fireflies in a dark forest"));
        QCOMPARE(compose()->generateButton()->text(), QStringLiteral("Generate 3 videos"));
        QTest::mouseClick(compose()->sampleButtons().at(1), Qt::LeftButton);
        QTest::mouseClick(compose()->generateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(3), 60000);
        QCOMPARE(promptsInList(),
                 (QStringList { QStringLiteral("A red kite over green hills"), QStringLiteral("short waves at a pier"),
                                QStringLiteral("Fireflies in a dark forest") }));
        QCOMPARE(m_window->jobList()->currentJob()->params().prompt, QStringLiteral("A red kite over green hills"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("700 credits")), 10000);
        QTRY_VERIFY(!m_window->queueView()->isVisible()); // nothing left to wait
    }

    void variationsAreJobsOfOnePrompt()
    {
        open();
        typePrompt(QStringLiteral("A glass of water on a sunny windowsill"));
        QSpinBox *variations = compose()->variationsBox();
        variations->setFocus();
        QTest::keyClick(variations, Qt::Key_Up);
        QTest::keyClick(variations, Qt::Key_Up);
        QCOMPARE(variations->value(), 3);
        QCOMPARE(compose()->generateButton()->text(), QStringLiteral("Generate 3 videos"));
        QTest::keyClick(variations, Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(3), 60000);
        QCOMPARE(promptsInList(), QStringList(3, QStringLiteral("A glass of water on a sunny windowsill")));
        QSet<QString> ids;
        for (int row = 0; row < 3; ++row)
            ids << m_window->jobList()->jobAt(row)->id();
        QCOMPARE(ids.size(), 3);
    }

    void queueShowsWhatWaitsForCredits_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x800") << QSize(1280, 800 - 60);
        QTest::newRow("1920x1080") << QSize(1920, 1080 - 60);
    }

    void queueShowsWhatWaitsForCredits()
    {
        QFETCH(QSize, size);
        open(400); // slow enough to look at
        m_window->resize(size);
        demoUser()->credits = 200;
        m_session->refreshAccount();
        QTRY_VERIFY(m_window->accountText().contains(QLatin1String("200 credits")));
        typePrompt(QStringLiteral("A kite festival on a windy beach"));
        compose()->setVariations(4);
        QTest::mouseClick(compose()->generateButton(), Qt::LeftButton);
        // Two are paid for and run; two wait, and say for what.
        QueueView *queue = m_window->queueView();
        QTRY_COMPARE(m_window->jobList()->count(), 2);
        QTRY_VERIFY(queue->isVisible());
        QCOMPARE(queue->list()->count(), 2);
        QVERIFY2(queue->statusText().startsWith(QLatin1String("Waiting for credits: 200 left, a video costs 100")),
                 qPrintable(queue->statusText()));
        QVERIFY2(queue->list()->item(0)->text().endsWith(QStringLiteral("#1 · Waiting for credits")),
                 qPrintable(queue->list()->item(0)->text()));
        QVERIFY2(queue->list()->item(1)->text().endsWith(QStringLiteral("#2 · Waiting for credits")),
                 qPrintable(queue->list()->item(1)->text()));
        QTRY_VERIFY(m_window->jobList()->jobAt(0)->state() == Job::State::Running);
        // Every control of the queue is named for a screen reader.
        QStringList unnamed;
        for (QWidget *w : queue->findChildren<QWidget *>()) {
            if (w->isVisibleTo(queue) && w->focusPolicy() != Qt::NoFocus && w->accessibleName().isEmpty()
                && !qobject_cast<QAbstractScrollArea *>(w->parentWidget()))
                unnamed << QString::fromLatin1(w->metaObject()->className());
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
        screenshot(m_window.get(), QStringLiteral("queue-credits-%1x%2").arg(size.width()).arg(size.height() + 60));
        // The two that ran were charged; the other two still wait, none refused.
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(2), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("0 credits")), 10000);
        QCOMPARE(queue->list()->count(), 2);
        QCOMPARE(m_window->jobList()->count(), 2);
        // Removing one (Delete) and clearing the rest empties the queue.
        queue->list()->setCurrentRow(1);
        queue->list()->setFocus();
        QTest::keyClick(queue->list(), Qt::Key_Delete);
        QCOMPARE(queue->list()->count(), 1);
        QTest::mouseClick(queue->clearButton(), Qt::LeftButton);
        QTRY_VERIFY(!queue->isVisible());
    }

    void retryNowFromTheQueueSendsItAgain()
    {
        open();
        demoUser()->credits = 50; // spent elsewhere: the window still says 1000
        typePrompt(QStringLiteral("A hot air balloon over the dunes"));
        QTest::mouseClick(compose()->generateButton(), Qt::LeftButton);
        // Refused with 402: back in the queue, not a failed job.
        QueueView *queue = m_window->queueView();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("50 credits")), 10000);
        QTRY_COMPARE(queue->list()->count(), 1);
        QTRY_VERIFY(queue->list()->item(0)->toolTip().contains(QLatin1String("Insufficient credits")));
        QVERIFY2(queue->statusText().startsWith(QLatin1String("Waiting for credits")), qPrintable(queue->statusText()));
        QCOMPARE(m_window->jobList()->count(), 0);
        screenshot(m_window.get(), QStringLiteral("queue-refused-402"));
        demoUser()->credits = 1000; // bought more
        QVERIFY(queue->retryButton()->isEnabled());
        QTest::mouseClick(queue->retryButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(1), 30000);
        QCOMPARE(m_window->jobList()->jobAt(0)->params().prompt, QStringLiteral("A hot air balloon over the dunes"));
        QTRY_VERIFY(!queue->isVisible());
    }

    void closingWithJobsWaitingAsksFirst()
    {
        open();
        m_session->queue()->setPaused(true);
        typePrompt(QStringLiteral("A snowy owl on a fence post"));
        compose()->setVariations(2);
        QTest::mouseClick(compose()->generateButton(), Qt::LeftButton);
        QTRY_COMPARE(m_window->queueView()->list()->count(), 2);
        QString asked;
        const auto answerWith = [&](QMessageBox::StandardButton button) {
            QTimer::singleShot(50, this, [&, button] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                if (!box)
                    return;
                asked = box->text();
                box->button(button)->click();
            });
        };
        answerWith(QMessageBox::No);
        QVERIFY(!m_window->close()); // kept open, and the queue with it
        QCOMPARE(asked, QStringLiteral("2 job(s) still wait in the queue and will not be started. Quit anyway?"));
        QVERIFY(m_window->isVisible());
        QCOMPARE(m_session->queue()->waitingCount(), 2);
        answerWith(QMessageBox::Yes);
        QVERIFY(m_window->close());
        // Nothing waits: no question.
        m_window->show();
        m_session->queue()->clear();
        asked.clear();
        answerWith(QMessageBox::Yes);
        QVERIFY(m_window->close());
        QTest::qWait(100);
        QVERIFY(asked.isEmpty());
    }

    void retryAndGenerateAgainFromTheJobList()
    {
        open();
        demoBackend()->config().failAtStep = 2;
        typePrompt(QStringLiteral("Koi fish circling in a pond"));
        QTest::mouseClick(compose()->generateButton(), Qt::LeftButton);
        JobListWidget *list = m_window->jobList();
        QTRY_COMPARE(list->count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(list->jobAt(0)->state(), Job::State::Failed, 10000);
        Job *failed = list->jobAt(0);
        list->setCurrentRow(0);
        QTRY_VERIFY(list->retryAction()->isEnabled());
        QVERIFY(!list->againAction()->isEnabled());
        demoBackend()->config().failAtStep = 0;
        list->setFocus();
        QTest::keyClick(list, Qt::Key_R, Qt::ControlModifier); // Retry
        QTRY_COMPARE(list->count(), 2);
        QTRY_VERIFY(list->currentJob() != failed);
        Job *retried = list->currentJob();
        QCOMPARE(retried->params(), failed->params());
        QTRY_COMPARE_WITH_TIMEOUT(retried->state(), Job::State::Completed, 30000);
        QTRY_VERIFY(list->againAction()->isEnabled());
        list->setFocus(); // the player took it when the video loaded
        QTest::keyClick(list, Qt::Key_G, Qt::ControlModifier | Qt::ShiftModifier); // Generate again
        QTRY_VERIFY2(list->count() == 3, qPrintable(m_window->queueView()->statusText()));
        QTRY_VERIFY(list->currentJob() != retried && list->currentJob() != failed);
        QCOMPARE(list->currentJob()->params(), failed->params());
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(3) || list->jobAt(0)->state() == Job::State::Completed, 30000);
    }
};

QTEST_MAIN(TestQueue)
#include "tst_queue.moc"
