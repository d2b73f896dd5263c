// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/Job.h"

#include <QSignalSpy>
#include <QTest>

using namespace framecast;

namespace {

ProgressEvent step(int n, const QString &message, JobStatus status = JobStatus::Running)
{
    ProgressEvent e;
    e.jobId = QStringLiteral("v1");
    e.status = status;
    e.step = n;
    e.totalSteps = 8;
    e.message = message;
    return e;
}

const QStringList kSteps = {
    QStringLiteral("🔍 Validating request parameters..."),
    QStringLiteral("📸 Processing reference image..."),
    QStringLiteral("🤖 Calling Sora 2 API..."),
    QStringLiteral("⏳ Waiting for AI processing (this may take 2-5 minutes)..."),
    QStringLiteral("🎬 Rendering video frames..."),
    QStringLiteral("🎞️ Encoding video..."),
    QStringLiteral("☁️ Uploading video..."),
    QStringLiteral("✅ Finalizing..."),
};

} // namespace

class TestJob final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullRunOfTheSeed()
    {
        ManualClock clock;
        Job job(QStringLiteral("v1"), &clock);
        QSignalSpy finished(&job, &Job::finished);
        QCOMPARE(job.state(), Job::State::Submitting);
        for (int i = 0; i < 8; ++i) {
            QVERIFY(job.applyProgress(step(i + 1, kSteps.at(i))));
            QCOMPARE(job.state(), Job::State::Running);
            QCOMPARE(job.step(), i + 1);
            QCOMPARE(job.currentMessage(), kSteps.at(i));
            clock.advance(2500);
        }
        ProgressEvent done = step(9, QStringLiteral("🎉 Video ready!"), JobStatus::Completed);
        done.videoUrl = QStringLiteral("/uploads/videos/123.mp4");
        QVERIFY(job.applyProgress(done));
        QCOMPARE(job.state(), Job::State::Completed);
        QCOMPARE(job.percent(), 100.0);
        QCOMPARE(job.videoUrl(), QStringLiteral("/uploads/videos/123.mp4"));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(job.log().size(), 9);
        QCOMPARE(job.log().at(2).text(), QStringLiteral("[3] 🤖 Calling Sora 2 API..."));
        QCOMPARE(job.etaSeconds(), std::nullopt);
    }

    void completionMayOvertakeMissedSteps()
    {
        // After a reconnect the REST status (completed) can arrive before the
        // replay of the steps missed meanwhile: they still fill the log, once.
        Job job(QStringLiteral("v1"));
        job.applyProgress(step(1, kSteps.at(0)));
        job.applyProgress(step(2, kSteps.at(1)));
        ProgressEvent done = step(9, QStringLiteral("🎉 Video ready!"), JobStatus::Completed);
        job.applyProgress(done);
        QVERIFY(job.applyProgress(step(3, kSteps.at(2))));
        QVERIFY(!job.applyProgress(step(3, kSteps.at(2))));
        QCOMPARE(job.state(), Job::State::Completed);
        QCOMPARE(job.log().size(), 4);
        QCOMPARE(job.log().at(2).step, 3);
        QCOMPARE(job.log().last().step, 9);
    }

    void aStreamStartingAgainRepeatsNoLineOfTheStep()
    {
        // stages-sse after a reconnect: "connected" and the stage's progress
        // line come again, after other lines of the same step (the soak saw it).
        Job job(QStringLiteral("v1"));
        job.applyProgress(step(1, QStringLiteral("Connected to project v1")));
        job.applyProgress(step(1, QStringLiteral("✍️ Rewriting the prompt...")));
        job.applyProgress(step(1, QStringLiteral("Connected to project v1")));
        job.applyProgress(step(1, QStringLiteral("✍️ Rewriting the prompt...")));
        QCOMPARE(job.log().size(), 2);
        // The same words in a later step are a line of that step.
        job.applyProgress(step(2, QStringLiteral("Connected to project v1")));
        QCOMPARE(job.log().size(), 3);
        QCOMPARE(job.log().last().step, 2);
    }

    void lastFiveLinesNewestLast()
    {
        Job job(QStringLiteral("v1"));
        for (int i = 0; i < 8; ++i)
            job.applyProgress(step(i + 1, kSteps.at(i)));
        const auto last = job.lastLines();
        QCOMPARE(last.size(), 5);
        QCOMPARE(last.first().text(), QStringLiteral("[4] ") + kSteps.at(3));
        QCOMPARE(last.last().text(), QStringLiteral("[8] ") + kSteps.at(7));
        QCOMPARE(job.log().size(), 8); // older lines are kept, a scroll away
        QCOMPARE(job.lastLines(20).size(), 8);
    }

    void duplicatesAndStaleEventsChangeNothing()
    {
        Job job(QStringLiteral("v1"));
        QSignalSpy logged(&job, &Job::logAppended);
        job.applyProgress(step(1, kSteps.at(0)));
        job.applyProgress(step(2, kSteps.at(1)));
        job.applyProgress(step(3, kSteps.at(2)));
        // A replay after a reconnect, and a duplicate push.
        QVERIFY(!job.applyProgress(step(1, kSteps.at(0))));
        QVERIFY(!job.applyProgress(step(2, kSteps.at(1))));
        QVERIFY(!job.applyProgress(step(3, kSteps.at(2))));
        QCOMPARE(logged.count(), 3);
        QCOMPARE(job.step(), 3);
        // Out of order: 5 arrives before 4; 4 then fills its gap in the log,
        // once, without moving the job back.
        QSignalSpy inserted(&job, &Job::logInserted);
        job.applyProgress(step(5, kSteps.at(4)));
        QVERIFY(job.applyProgress(step(4, kSteps.at(3))));
        QVERIFY(!job.applyProgress(step(4, kSteps.at(3))));
        QCOMPARE(job.step(), 5);
        QCOMPARE(job.currentMessage(), kSteps.at(4));
        QCOMPARE(logged.count(), 4);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().first().toInt(), 3);
        QList<int> steps;
        for (const auto &e : job.log())
            steps << e.step;
        QCOMPARE(steps, QList<int>({1, 2, 3, 4, 5}));
    }

    void nothingAfterTheEnd_data()
    {
        QTest::addColumn<int>("how");
        QTest::newRow("cancelled by user") << 0;
        QTest::newRow("cancelled by server") << 1;
        QTest::newRow("failed") << 2;
        QTest::newRow("lost") << 3;
    }

    void nothingAfterTheEnd()
    {
        QFETCH(int, how);
        Job job(QStringLiteral("v1"));
        job.applyProgress(step(3, kSteps.at(2)));
        switch (how) {
        case 0:
            job.markCancelled();
            QCOMPARE(job.state(), Job::State::Cancelled);
            break;
        case 1:
            job.applyProgress(step(3, QStringLiteral("Cancelled"), JobStatus::Cancelled));
            QCOMPARE(job.state(), Job::State::Cancelled);
            break;
        case 2: {
            ProgressEvent e = step(3, QStringLiteral("❌"), JobStatus::Failed);
            e.error = ProgressError{QStringLiteral("GENERATION_FAILED"), QStringLiteral("overloaded"), true};
            job.applyProgress(e);
            QCOMPARE(job.state(), Job::State::Failed);
            QCOMPARE(job.error()->retryable, true);
            break;
        }
        case 3:
            job.markLost(QStringLiteral("404"));
            QCOMPARE(job.state(), Job::State::Lost);
            break;
        }
        QVERIFY(job.isFinal());
        const auto logSize = job.log().size();
        QSignalSpy changed(&job, &Job::changed);
        QVERIFY(!job.applyProgress(step(4, kSteps.at(3))));
        if (how != 2) // after a cancel or a loss even an older step shows nothing
            QVERIFY(!job.applyProgress(step(2, kSteps.at(1))));
        ProgressEvent done = step(9, QStringLiteral("🎉 Video ready!"), JobStatus::Completed);
        done.videoUrl = QStringLiteral("/v.mp4");
        QVERIFY(!job.applyProgress(done));
        QCOMPARE(job.log().size(), logSize);
        QCOMPARE(job.videoUrl(), QString());
        QCOMPARE(changed.count(), 0);
    }

    void percentFromStepsWhenServerSendsNone()
    {
        Job job(QStringLiteral("v1"));
        job.applyProgress(step(1, kSteps.at(0)));
        QCOMPARE(job.percent(), 0.0);
        job.applyProgress(step(5, kSteps.at(4)));
        QCOMPARE(job.percent(), 50.0);
        ProgressEvent e = step(6, kSteps.at(5));
        e.percent = 70;
        job.applyProgress(e);
        QCOMPARE(job.percent(), 70.0);
    }

    void etaFromServerCountsDown()
    {
        ManualClock clock;
        Job job(QStringLiteral("v1"), &clock);
        ProgressEvent e;
        e.status = JobStatus::Running;
        e.percent = 40;
        e.etaSeconds = 12;
        job.applyProgress(e);
        QCOMPARE(job.etaSeconds().value_or(-1), 12.0);
        QVERIFY(job.etaFromServer());
        clock.advance(5000);
        QCOMPARE(job.etaSeconds().value_or(-1), 7.0);
        clock.advance(60000);
        QCOMPARE(job.etaSeconds().value_or(-1), 0.0);
    }

    void etaEstimatedFromStepTiming()
    {
        ManualClock clock;
        Job job(QStringLiteral("v1"), &clock);
        job.applyProgress(step(1, kSteps.at(0)));
        QCOMPARE(job.etaSeconds(), std::nullopt); // nothing measured yet
        clock.advance(2000);
        job.applyProgress(step(2, kSteps.at(1)));
        clock.advance(2000);
        job.applyProgress(step(3, kSteps.at(2)));
        // Two steps took 2 s each; steps 3..8 are left (6 x 2 s).
        QCOMPARE(job.etaSeconds().value_or(-1), 12.0);
        clock.advance(1000);
        QCOMPARE(job.etaSeconds().value_or(-1), 11.0);
        QVERIFY(!job.etaFromServer());
    }

    void perStepDurations()
    {
        ManualClock clock;
        Job job(QStringLiteral("v1"), &clock);
        job.applyProgress(step(1, kSteps.at(0)));
        clock.advance(2100);
        job.applyProgress(step(2, kSteps.at(1)));
        clock.advance(2900);
        job.applyProgress(step(3, kSteps.at(2)));
        const auto &t = job.stepTimings();
        QCOMPARE(t.size(), 3);
        QCOMPARE(t.at(0).durationMs, 2100);
        QCOMPARE(t.at(1).durationMs, 2900);
        QCOMPARE(t.at(2).durationMs, -1); // still running
        QCOMPARE(t.at(1).label, kSteps.at(1));
        clock.advance(1000);
        job.markCancelled();
        QCOMPARE(job.stepTimings().at(2).durationMs, 1000);
    }

    void fullTextIsKeptOnce()
    {
        Job job(QStringLiteral("p1"));
        QSignalSpy text(&job, &Job::textChanged);
        QString full;
        for (int i = 0; i < 1000; ++i) {
            const QString token = QStringLiteral("tok%1 ").arg(i);
            full += token;
            ProgressEvent e;
            e.textDelta = token;
            e.text = full;
            job.applyProgress(e);
        }
        QCOMPARE(job.streamedText(), full);
        QCOMPARE(text.count(), 1000);
        // Shares the event's string instead of copying or appending per event.
        QVERIFY(job.streamedText().constData() == full.constData());
        QCOMPARE(job.log().size(), 0); // tokens are not log lines
    }

    void deltasWithoutFullTextAppend()
    {
        Job job(QStringLiteral("p1"));
        for (const char *t : {"A ", "cat ", "sails"}) {
            ProgressEvent e;
            e.textDelta = QString::fromLatin1(t);
            job.applyProgress(e);
        }
        QCOMPARE(job.streamedText(), QStringLiteral("A cat sails"));
    }

    void connectionStatus()
    {
        ManualClock clock;
        Job job(QStringLiteral("v1"), &clock);
        QSignalSpy spy(&job, &Job::connectionChanged);
        job.setConnectionDialect(QStringLiteral("videos-sse"));
        job.setConnectionState(ConnectionState::Connecting);
        job.setConnectionState(ConnectionState::Connected);
        clock.advance(5000);
        QCOMPARE(job.connection().connectedForMs(clock.monotonicMs()), 5000);
        job.setConnectionState(ConnectionState::Reconnecting, 1, QStringLiteral("dropped"));
        job.setConnectionState(ConnectionState::Reconnecting, 2, QStringLiteral("dropped"));
        QCOMPARE(job.connection().reconnectCount, 1);
        QCOMPARE(job.connection().attempt, 2);
        QCOMPARE(job.connection().connectedForMs(clock.monotonicMs()), 0);
        job.setConnectionState(ConnectionState::Connected);
        job.setConnectionState(ConnectionState::Reconnecting, 1);
        QCOMPARE(job.connection().reconnectCount, 2);
        job.setConnectionState(ConnectionState::Failed, 0, QStringLiteral("401"));
        QCOMPARE(job.connection().state, ConnectionState::Failed);
        QCOMPARE(job.connection().dialect, QStringLiteral("videos-sse"));
        QVERIFY(spy.count() >= 7);
    }

    void stateOnlyMovesForward()
    {
        Job job(QStringLiteral("t1"));
        ProgressEvent running;
        running.status = JobStatus::Running;
        running.percent = 10;
        job.applyProgress(running);
        ProgressEvent queued;
        queued.status = JobStatus::Queued;
        job.applyProgress(queued);
        QCOMPARE(job.state(), Job::State::Running);
        ProgressEvent lower;
        lower.status = JobStatus::Running;
        lower.percent = 5;
        job.applyProgress(lower);
        QCOMPARE(job.percent(), 10.0); // never goes backwards
    }

    void warningsAreBounded()
    {
        Job job(QStringLiteral("v1"));
        QSignalSpy spy(&job, &Job::warningRaised);
        for (int i = 0; i < 500; ++i)
            job.addWarning(QStringLiteral("bad json %1").arg(i));
        QCOMPARE(spy.count(), 500);
        QCOMPARE(job.warnings().size(), Job::kMaxWarnings);
        QCOMPARE(job.droppedWarnings(), 500 - Job::kMaxWarnings);
        QCOMPARE(job.warnings().first(), QStringLiteral("bad json %1").arg(500 - Job::kMaxWarnings));
        QCOMPARE(job.warnings().last(), QStringLiteral("bad json 499"));
    }

    void logAndTimingsAreBoundedKeepingTheNewest()
    {
        // A server that never stops sending steps must not grow the job
        // without bound; every line still reaches the listeners (the ledger).
        constexpr int kLines = 100000;
        Job job(QStringLiteral("v1"));
        int appended = 0;
        int lastAppendedStep = 0;
        connect(&job, &Job::logAppended, this, [&](const Job::LogEntry &e) {
            ++appended;
            lastAppendedStep = e.step;
        });
        for (int i = 1; i <= kLines; ++i)
            QVERIFY(job.applyProgress(step(i, QStringLiteral("line %1").arg(i))));
        QCOMPARE(appended, kLines);
        QCOMPARE(lastAppendedStep, kLines);
        QCOMPARE(job.log().size(), Job::kMaxLogLines);
        QCOMPARE(job.droppedLogLines(), kLines - Job::kMaxLogLines);
        QCOMPARE(job.log().first().step, kLines - Job::kMaxLogLines + 1);
        QCOMPARE(job.log().last().text(), QStringLiteral("[%1] line %1").arg(kLines));
        const auto last = job.lastLines();
        QCOMPARE(last.size(), Job::kVisibleLogLines);
        QCOMPARE(last.first().step, kLines - Job::kVisibleLogLines + 1);
        QCOMPARE(last.last().step, kLines);
        QCOMPARE(job.stepTimings().size(), Job::kMaxStepTimings);
        QCOMPARE(job.droppedStepTimings(), kLines - Job::kMaxStepTimings);
        QCOMPARE(job.stepTimings().last().step, kLines);
        QCOMPARE(job.stepTimings().last().durationMs, -1); // the newest still runs
    }

    void replaysAfterTheBoundAreStillIgnored()
    {
        // A reconnect replays the whole history: steps whose lines were
        // dropped from memory must not come back as "late" steps.
        constexpr int kSteps = 3 * Job::kMaxLogLines;
        constexpr int kMissed = kSteps - 10; // never arrived the first time
        Job job(QStringLiteral("v1"));
        for (int i = 1; i <= kSteps; ++i) {
            if (i != kMissed)
                job.applyProgress(step(i, QStringLiteral("line %1").arg(i)));
        }
        const qint64 dropped = job.droppedLogLines();
        const int firstKept = job.log().first().step;
        QVERIFY(firstKept > 1);
        QSignalSpy appended(&job, &Job::logAppended);
        QSignalSpy inserted(&job, &Job::logInserted);
        QSignalSpy changed(&job, &Job::changed);
        for (int i = 1; i <= kSteps; ++i) {
            if (i != kMissed)
                QVERIFY2(!job.applyProgress(step(i, QStringLiteral("line %1").arg(i))), qPrintable(QString::number(i)));
        }
        QCOMPARE(appended.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(job.droppedLogLines(), dropped);
        QCOMPARE(job.log().first().step, firstKept);
        // The step that was missed fills its gap in what is kept, once; the
        // index it is announced at is its place in log().
        QVERIFY(job.applyProgress(step(kMissed, QStringLiteral("line %1").arg(kMissed))));
        QVERIFY(!job.applyProgress(step(kMissed, QStringLiteral("line %1").arg(kMissed))));
        QCOMPARE(inserted.count(), 1);
        const int at = inserted.first().first().toInt();
        QCOMPARE(job.log().at(at).step, kMissed);
        QCOMPARE(job.log().size(), Job::kMaxLogLines);
        QCOMPARE(job.droppedLogLines(), dropped + 1);
        QCOMPARE(job.step(), kSteps);
    }

    void aNewLineAtTheBoundIsAChange()
    {
        // At the bound the log's size stays put: a line that changes nothing
        // else (here the current message again, after a late step) must still
        // count as a change.
        Job job(QStringLiteral("v1"));
        for (int i = 1; i <= Job::kMaxLogLines; ++i)
            job.applyProgress(step(i, QStringLiteral("line %1").arg(i)));
        job.applyProgress(step(Job::kMaxLogLines + 2, QString())); // a step without a message
        QVERIFY(job.applyProgress(step(Job::kMaxLogLines + 1, QStringLiteral("late"))));
        QSignalSpy changed(&job, &Job::changed);
        QVERIFY(job.applyProgress(step(Job::kMaxLogLines + 2, job.currentMessage())));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(job.log().size(), Job::kMaxLogLines);
        QCOMPARE(job.log().last().step, Job::kMaxLogLines + 2);
    }

    void restoreKeepsTheBound()
    {
        constexpr int kLines = 5000;
        Job::Snapshot s;
        s.state = Job::State::Running;
        s.step = kLines;
        s.totalSteps = 8;
        for (int i = 1; i <= kLines; ++i) {
            s.log.append(Job::LogEntry{i, QString(), QDateTime::currentDateTimeUtc(), QStringLiteral("line %1").arg(i)});
            s.timings.append(Job::StepTiming{i, QStringLiteral("line %1").arg(i), 0, i == kLines ? -1 : 10});
        }
        Job job(QStringLiteral("v1"));
        job.restore(s);
        QCOMPARE(job.log().size(), Job::kMaxLogLines);
        QCOMPARE(job.droppedLogLines(), kLines - Job::kMaxLogLines);
        QCOMPARE(job.log().first().step, kLines - Job::kMaxLogLines + 1);
        QCOMPARE(job.log().last().step, kLines);
        QCOMPARE(job.stepTimings().size(), Job::kMaxStepTimings);
        QCOMPARE(job.droppedStepTimings(), kLines - Job::kMaxStepTimings);
        QCOMPARE(job.stepTimings().last().step, kLines);
        // The replay after the restart shows nothing twice, dropped or kept.
        QSignalSpy inserted(&job, &Job::logInserted);
        QVERIFY(!job.applyProgress(step(10, QStringLiteral("line 10"))));
        QVERIFY(!job.applyProgress(step(kLines - 10, QStringLiteral("line %1").arg(kLines - 10))));
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(job.log().size(), Job::kMaxLogLines);
    }
};

QTEST_GUILESS_MAIN(TestJob)
#include "tst_job.moc"
