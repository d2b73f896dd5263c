// SPDX-License-Identifier: GPL-3.0-or-later
// The job ledger: schema and migrations, round trips, the queries the
// history and the restart use, and what happens to a database that cannot
// be read or written.
#include "jobs/Job.h"
#include "ledger/JobRecorder.h"
#include "ledger/Ledger.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;

namespace {

LedgerEntry sampleEntry(const QString &serverId, const QString &prompt, Job::State state = Job::State::Running)
{
    LedgerEntry e;
    e.profile = QStringLiteral("Studio");
    e.baseUrl = QStringLiteral("https://api.example.com");
    e.username = QStringLiteral("mei");
    e.serverId = serverId;
    e.params.prompt = prompt;
    e.params.durationSeconds = 8;
    e.params.size = QSize(720, 1280);
    e.params.imagePath = QStringLiteral("/tmp/ref.png");
    e.thumbnail = QByteArray("\x89PNG\r\n\x1a\n-thumb", 14);
    e.state = state;
    e.createdAt = QDateTime::currentDateTimeUtc();
    e.updatedAt = e.createdAt;
    e.step = 3;
    e.totalSteps = 9;
    e.percent = 25;
    e.log = {Job::LogEntry{1, {}, e.createdAt, QStringLiteral("📝 Received request")},
             Job::LogEntry{3, {}, e.createdAt, QStringLiteral("🤖 Calling Sora 2 API...")}};
    return e;
}

/// Runs an SQL script (statements separated by ";\n") on a new SQLite file.
bool runScript(const QString &dbPath, const QString &scriptPath)
{
    QFile f(scriptPath);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QString script = QString::fromUtf8(f.readAll());
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fixture"));
        db.setDatabaseName(dbPath);
        ok = db.open();
        for (const QString &statement : script.split(QStringLiteral(";\n"), Qt::SkipEmptyParts)) {
            QString s = statement;
            while (s.trimmed().startsWith(QLatin1String("--")))
                s = s.mid(s.indexOf(u'\n') + 1);
            if (s.trimmed().isEmpty())
                continue;
            QSqlQuery q(db);
            if (!q.exec(s)) {
                qWarning() << "fixture statement failed:" << s;
                ok = false;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fixture"));
    return ok;
}

} // namespace

class TestLedger final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newDatabaseHasTheCurrentSchema()
    {
        QTemporaryDir dir;
        Ledger ledger;
        QVERIFY(ledger.open(dir.filePath(QStringLiteral("sub/ledger.sqlite"))));
        QVERIFY(ledger.isPersistent());
        QCOMPARE(ledger.schemaVersion(), Ledger::kSchemaVersion);
        QVERIFY(ledger.notice().isEmpty());
        QVERIFY(ledger.entries().isEmpty());
    }

    /// The page cache is bounded below SQLite's 2 MB default: it is what a
    /// long session's history grew into (the soak's RSS drift).
    void pageCacheIsBounded()
    {
        QTemporaryDir dir;
        Ledger ledger;
        QVERIFY(ledger.open(dir.filePath(QStringLiteral("ledger.sqlite"))));
        QSqlQuery q(ledger.database());
        QVERIFY(q.exec(QStringLiteral("PRAGMA cache_size")) && q.next());
        QCOMPARE(q.value(0).toInt(), -Ledger::kPageCacheKiB);
        QVERIFY(Ledger::kPageCacheKiB < 2000);
    }

    /// FRAMECAST_LEDGER names the history file on every platform (the only
    /// way to move it on Windows and macOS); without it, the app data folder.
    void defaultPathFollowsTheEnvironment()
    {
        const QByteArray saved = qgetenv(Ledger::kPathEnvironmentVariable);
        const auto restore = qScopeGuard([saved] { qputenv(Ledger::kPathEnvironmentVariable, saved); });
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("elsewhere/history.sqlite"));
        qputenv(Ledger::kPathEnvironmentVariable, file.toUtf8());
        QCOMPARE(Ledger::defaultPath(), file);
        qunsetenv(Ledger::kPathEnvironmentVariable);
        QCOMPARE(Ledger::defaultPath(), QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                            .filePath(QStringLiteral("ledger.sqlite")));
    }

    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ledger.sqlite"));
        qint64 id = 0;
        LedgerEntry in = sampleEntry(QStringLiteral("vid_1"), QStringLiteral("A paper boat 🚣 drifts"));
        in.stepTimings = QJsonArray{QJsonObject{{QStringLiteral("step"), 1}, {QStringLiteral("label"), QStringLiteral("📝")}, {QStringLiteral("ms"), 120}}};
        in.errorCode = QStringLiteral("X");
        in.errorMessage = QStringLiteral("why");
        in.errorRetryable = true;
        in.params.outputPath = QStringLiteral("/tmp/out/boat.mp4");
        {
            Ledger ledger;
            QVERIFY(ledger.open(path));
            id = ledger.add(in);
            QVERIFY(id > 0);
        }
        Ledger again; // a restart
        QVERIFY(again.open(path));
        const auto out = again.entry(id);
        QVERIFY(out);
        QCOMPARE(out->params.prompt, in.params.prompt);
        QCOMPARE(out->serverId, in.serverId);
        QCOMPARE(out->params.durationSeconds, 8);
        QCOMPARE(out->params.size, QSize(720, 1280));
        QCOMPARE(out->params.imagePath, in.params.imagePath);
        QCOMPARE(out->params, in.params); // the output path too, in the params column
        QCOMPARE(out->thumbnail, in.thumbnail);
        QCOMPARE(out->state, Job::State::Running);
        QCOMPARE(out->step, 3);
        QCOMPARE(out->totalSteps, 9);
        QCOMPARE(out->stepTimings, in.stepTimings);
        QCOMPARE(out->errorRetryable, true);
        QCOMPARE(out->createdAt.toMSecsSinceEpoch(), in.createdAt.toMSecsSinceEpoch());
        QCOMPARE(out->log.size(), 2);
        QCOMPARE(out->log.at(1).text(), QStringLiteral("[3] 🤖 Calling Sora 2 API..."));
    }

    void logWritesFollowTheJob()
    {
        QTemporaryDir dir;
        Ledger ledger;
        QVERIFY(ledger.open(dir.filePath(QStringLiteral("l.sqlite"))));
        LedgerEntry e = sampleEntry(QStringLiteral("vid_2"), QStringLiteral("prompt prompt"));
        e.rowId = ledger.add(e);
        // Appended lines.
        QVERIFY(ledger.update(e, {Job::LogEntry{4, {}, QDateTime::currentDateTimeUtc(), QStringLiteral("⏳ Waiting")}}));
        QCOMPARE(ledger.entry(e.rowId)->log.size(), 3);
        // A late step is appended too, and read back in its step's place.
        QVERIFY(ledger.update(e, {Job::LogEntry{2, {}, QDateTime::currentDateTimeUtc(), QStringLiteral("🔍 Validating")}}));
        const auto out = ledger.entry(e.rowId);
        QStringList texts;
        for (const auto &l : out->log)
            texts << l.prefix();
        QCOMPARE(texts, (QStringList{"[1]", "[2]", "[3]", "[4]"}));
        // Nothing new: nothing changes; the entry's own log is not looked at.
        e.log.clear();
        QVERIFY(ledger.update(e));
        QCOMPARE(ledger.entry(e.rowId)->log.size(), 4);
        // Updates never rewrite (or lose) the thumbnail.
        const QByteArray thumbnail = e.thumbnail;
        e.thumbnail.clear();
        QVERIFY(ledger.update(e));
        QCOMPARE(ledger.entry(e.rowId)->thumbnail, thumbnail);
    }

    void logInStepOrder_data()
    {
        QTest::addColumn<QList<int>>("written"); // the steps, in the order they were stored
        QTest::addColumn<QList<int>>("shown");   // indexes into `written`, as the log reads back
        QTest::newRow("in order") << QList<int>{1, 2, 3} << QList<int>{0, 1, 2};
        QTest::newRow("a late step") << QList<int>{1, 3, 4, 2} << QList<int>{0, 3, 1, 2};
        QTest::newRow("two late steps") << QList<int>{1, 4, 3, 2} << QList<int>{0, 3, 2, 1};
        QTest::newRow("no steps") << QList<int>{-1, -1, -1} << QList<int>{0, 1, 2};
        // A line without a step stays after the step it was written in.
        QTest::newRow("stepless lines") << QList<int>{-1, 1, 3, -1, 2, -1} << QList<int>{0, 1, 4, 2, 3, 5};
        QTest::newRow("lines of one step") << QList<int>{1, 3, 3, 2} << QList<int>{0, 3, 1, 2};
    }
    void logInStepOrder()
    {
        QFETCH(QList<int>, written);
        QFETCH(QList<int>, shown);
        QList<Job::LogEntry> log;
        for (int i = 0; i < written.size(); ++i)
            log.append(Job::LogEntry{written.at(i), {}, {}, QString::number(i)});
        QList<int> order;
        for (const Job::LogEntry &l : Ledger::inStepOrder(log))
            order << l.message.toInt();
        QCOMPARE(order, shown);
        QCOMPARE(Ledger::inStepOrder(Ledger::inStepOrder(log)).size(), log.size());
    }

    void aRecordedJobsLogIsAppendedNeverRewritten()
    {
        // Each write adds the new lines and touches no stored one, a late
        // step included (it used to rewrite the job's whole log).
        QTemporaryDir dir;
        Ledger ledger;
        QVERIFY(ledger.open(dir.filePath(QStringLiteral("append.sqlite"))));
        auto changes = [&ledger] {
            QSqlQuery q(ledger.database());
            return q.exec(QStringLiteral("SELECT total_changes()")) && q.next() ? q.value(0).toLongLong() : -1;
        };
        Job job(QStringLiteral("vid_a"));
        job.markQueued();
        JobRecorder recorder(&ledger, &job, sampleEntry(QStringLiteral("vid_a"), QStringLiteral("append only")));
        const qint64 row = recorder.rowId();
        QVERIFY(row > 0);
        QCOMPARE(ledger.entry(row)->log.size(), 0); // the job had no lines yet
        auto rowIds = [&ledger, row] {
            QMap<qint64, qint64> bySeq; // seq -> SQLite rowid
            QSqlQuery q(ledger.database());
            q.prepare(QStringLiteral("SELECT seq, rowid FROM job_log WHERE job_id = ?"));
            q.addBindValue(row);
            if (q.exec())
                while (q.next())
                    bySeq.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
            return bySeq;
        };
        ProgressEvent e;
        e.status = JobStatus::Running;
        e.totalSteps = 9;
        for (int step : {1, 2, 4, 5, 6}) {
            const auto before = rowIds();
            e.step = step;
            e.message = QStringLiteral("step %1").arg(step);
            QVERIFY(job.applyProgress(e));
            const qint64 changesBefore = changes();
            recorder.flush();
            QCOMPARE(changes() - changesBefore, 2); // the job's row, one new line
            const auto after = rowIds();
            QCOMPARE(after.size(), before.size() + 1);
            for (auto it = before.begin(); it != before.end(); ++it)
                QCOMPARE(after.value(it.key()), it.value()); // never deleted nor rewritten
        }
        // Another job's lines come after these (so that a rewrite could not
        // reuse the same rowids). Step 3 arrives late: the job inserts it in
        // the middle of its log.
        QVERIFY(ledger.add(sampleEntry(QStringLiteral("vid_b"), QStringLiteral("another job"))) > 0);
        const auto before = rowIds();
        QSignalSpy inserted(&job, &Job::logInserted);
        e.step = 3;
        e.message = QStringLiteral("step 3");
        QVERIFY(job.applyProgress(e));
        QCOMPARE(inserted.size(), 1);
        const qint64 changesBefore = changes();
        recorder.flush();
        QCOMPARE(changes() - changesBefore, 2);
        const auto after = rowIds();
        for (auto it = before.begin(); it != before.end(); ++it)
            QCOMPARE(after.value(it.key()), it.value());
        // The full log reads back in step order, as the job shows it.
        QStringList stored;
        const LedgerEntry written = *ledger.entry(row);
        for (const Job::LogEntry &l : written.log)
            stored << l.message;
        QStringList shown;
        for (const Job::LogEntry &l : job.log())
            shown << l.message;
        QCOMPARE(stored, (QStringList{"step 1", "step 2", "step 3", "step 4", "step 5", "step 6"}));
        QCOMPARE(stored, shown);
    }

    void migratesFromVersion1()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v1.sqlite"));
        QVERIFY(runScript(path, QStringLiteral(FRAMECAST_TEST_DATA "/ledger-v1.sql")));
        Ledger ledger;
        QVERIFY(ledger.open(path));
        QVERIFY2(ledger.notice().isEmpty(), qPrintable(ledger.notice()));
        QCOMPARE(ledger.schemaVersion(), Ledger::kSchemaVersion);
        const QList<LedgerEntry> all = ledger.entries();
        QCOMPARE(all.size(), 2);
        const auto done = ledger.findByServerId(QStringLiteral("https://api.example.com"), QStringLiteral("vid_old_1"));
        QVERIFY(done);
        QCOMPARE(done->state, Job::State::Completed);
        QCOMPARE(done->params.durationSeconds, 8);
        QCOMPARE(done->params.size, QSize(720, 1280));
        QCOMPARE(done->videoBytes, 0); // the column version 2 added
        QVERIFY(done->params.outputPath.isEmpty()); // not in a row written before it existed
        QCOMPARE(done->log.last().text(), QStringLiteral("[9] ✅ Video ready"));
        // The running one is what a restart must pick up again.
        const QList<LedgerEntry> pending = ledger.pending(QStringLiteral("https://api.example.com"), QStringLiteral("mei"));
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.first().serverId, QStringLiteral("vid_old_2"));
        QCOMPARE(pending.first().log.size(), 2);
        // New writes use the new columns.
        LedgerEntry e = *done;
        e.videoBytes = 12345;
        QVERIFY(ledger.update(e));
        QCOMPARE(ledger.entry(e.rowId)->videoBytes, 12345);
    }

    void migratesStepByStep()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("steps.sqlite"));
        {
            Ledger v1;
            QVERIFY(v1.open(path, 1));
            QCOMPARE(v1.schemaVersion(), 1);
        }
        Ledger ledger;
        QVERIFY(ledger.open(path));
        QCOMPARE(ledger.schemaVersion(), Ledger::kSchemaVersion);
        QVERIFY(ledger.add(sampleEntry(QStringLiteral("v"), QStringLiteral("prompt text"))) > 0);
    }

    void corruptDatabaseIsMovedAside_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("garbage") << QByteArray(8192, 'x');
        QByteArray header("SQLite format 3\0", 16);
        QTest::newRow("bad pages") << header + QByteArray(4096 * 3, '\xff');
        // A real ledger whose later pages were overwritten (a crash mid-write
        // on a broken disk): the header is fine, the content is not.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("real.sqlite"));
        {
            Ledger ledger;
            QVERIFY(ledger.open(path));
            for (int i = 0; i < 40; ++i)
                ledger.add(sampleEntry(QString::number(i), QString(500, QChar(u'a' + i % 26))));
            QSqlQuery(ledger.database()).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        QVERIFY(bytes.size() > 4096 * 4);
        bytes.replace(4096 + 100, 4096 * 2, QByteArray(4096 * 2, '\x5a'));
        QTest::newRow("damaged pages") << bytes;
    }
    void corruptDatabaseIsMovedAside()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ledger.sqlite"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        Ledger ledger;
        QVERIFY(ledger.open(path));
        QVERIFY(ledger.isPersistent());
        QVERIFY2(ledger.notice().contains(QLatin1String("moved to")), qPrintable(ledger.notice()));
        QVERIFY(!ledger.movedAsideTo().isEmpty());
        QFile aside(ledger.movedAsideTo());
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), content); // never emptied: the bytes are all there
        QVERIFY(ledger.add(sampleEntry(QStringLiteral("n"), QStringLiteral("new prompt"))) > 0);
    }

    void newerSchemaIsLeftAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.sqlite"));
        {
            Ledger ledger;
            QVERIFY(ledger.open(path));
            QVERIFY(ledger.add(sampleEntry(QStringLiteral("f"), QStringLiteral("from the future"))) > 0);
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = 99"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bump"));
        Ledger ledger;
        QVERIFY(ledger.open(path));
        QVERIFY(!ledger.isPersistent());
        QVERIFY2(ledger.notice().contains(QLatin1String("newer")), qPrintable(ledger.notice()));
        QVERIFY(ledger.add(sampleEntry(QStringLiteral("m"), QStringLiteral("in memory"))) > 0);
        Ledger check;
        QVERIFY(check.open(path, 0) == false || !check.isPersistent());
        QVERIFY(QFile::exists(path));
    }

    void fullDiskIsReportedOnce()
    {
        QTemporaryDir dir;
        Ledger ledger;
        QVERIFY(ledger.open(dir.filePath(QStringLiteral("full.sqlite"))));
        QSignalSpy failed(&ledger, &Ledger::writeFailed);
        // SQLite's page limit stands in for a full disk: writes fail with
        // "database or disk is full".
        QSqlQuery limit(ledger.database());
        QVERIFY(limit.exec(QStringLiteral("PRAGMA max_page_count = 1")));
        limit.finish();
        LedgerEntry big = sampleEntry(QStringLiteral("big"), QString(200000, u'p'));
        QCOMPARE(ledger.add(big), 0);
        QCOMPARE(ledger.add(big), 0);
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("full")), qPrintable(failed.first().first().toString()));
        QVERIFY(!ledger.notice().isEmpty());
    }

    void searchAndPending()
    {
        Ledger ledger;
        QVERIFY(ledger.open(QStringLiteral(":memory:")));
        ledger.add(sampleEntry(QStringLiteral("a"), QStringLiteral("Lanterns over a lake"), Job::State::Completed));
        LedgerEntry archived = sampleEntry(QStringLiteral("b"), QStringLiteral("100% lanterns_big"), Job::State::Completed);
        archived.videoPath = QStringLiteral("/v/b.mp4");
        ledger.add(archived);
        ledger.add(sampleEntry(QStringLiteral("c"), QStringLiteral("A fox in snow"), Job::State::Queued));
        ledger.add(sampleEntry(QStringLiteral("d"), QStringLiteral("A cancelled one"), Job::State::Cancelled));
        LedgerEntry other = sampleEntry(QStringLiteral("e"), QStringLiteral("someone else's"), Job::State::Running);
        other.username = QStringLiteral("li");
        ledger.add(other);

        QCOMPARE(ledger.entries().size(), 5);
        QCOMPARE(ledger.entries(QStringLiteral("LANTERNS")).size(), 2);
        QCOMPARE(ledger.entries(QStringLiteral("100%")).size(), 1); // % is literal
        QCOMPARE(ledger.entries(QStringLiteral("s_b")).size(), 1);  // _ is literal
        QCOMPARE(ledger.entries(QStringLiteral("s%b")).size(), 0);
        QStringList ids;
        for (const auto &e : ledger.pending(QStringLiteral("https://api.example.com"), QStringLiteral("mei")))
            ids << e.serverId;
        // a: completed without archive; c: queued. Not b (archived), d (cancelled), e (another user).
        QCOMPARE(ids, (QStringList{"a", "c"}));
        QVERIFY(ledger.remove(ledger.findByServerId(QStringLiteral("https://api.example.com"), QStringLiteral("c"))->rowId));
        QCOMPARE(ledger.entries().size(), 4);
    }

    void captureAndRestoreAJob()
    {
        Ledger ledger;
        QVERIFY(ledger.open(QStringLiteral(":memory:")));
        qint64 row = 0;
        ProgressEvent e;
        e.status = JobStatus::Running;
        e.totalSteps = 9;
        {
            Job job(QStringLiteral("vid_9"));
            job.markQueued();
            JobRecorder recorder(&ledger, &job, sampleEntry(QStringLiteral("vid_9"), QStringLiteral("restored")));
            row = recorder.rowId();
            e.step = 1;
            e.message = QStringLiteral("📝 Received request");
            job.applyProgress(e);
            e.step = 2;
            e.message = QStringLiteral("🔍 Validating");
            job.applyProgress(e);
        } // the recorder writes what is pending as it goes
        LedgerEntry entry = *ledger.entry(row);
        QCOMPARE(entry.state, Job::State::Running);
        QCOMPARE(entry.log.size(), 2);

        // A restart: the job is restored from the ledger and recorded again.
        Job again(QStringLiteral("vid_9"));
        QSignalSpy finished(&again, &Job::finished);
        again.restore(Ledger::snapshot(entry));
        JobRecorder recorder(&ledger, &again, entry);
        QCOMPARE(again.state(), Job::State::Running);
        QCOMPARE(again.step(), 2);
        // The server replays from the start: every step stays in the log once.
        e.step = 1;
        e.message = QStringLiteral("📝 Received request");
        QVERIFY(!again.applyProgress(e));
        e.step = 2;
        e.message = QStringLiteral("🔍 Validating");
        QVERIFY(!again.applyProgress(e));
        e.step = 3;
        e.message = QStringLiteral("🤖 Calling");
        QVERIFY(again.applyProgress(e));
        QCOMPARE(again.log().size(), 3);
        QCOMPARE(finished.size(), 0);
        recorder.flush();
        QList<int> steps;
        const LedgerEntry written = *ledger.entry(row);
        for (const Job::LogEntry &l : written.log)
            steps << l.step;
        QCOMPARE(steps, (QList<int>{1, 2, 3}));
    }
};

QTEST_GUILESS_MAIN(TestLedger)
#include "tst_ledger.moc"
