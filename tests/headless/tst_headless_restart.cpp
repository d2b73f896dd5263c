// SPDX-License-Identifier: GPL-3.0-or-later
// The headless restart: a run killed with SIGKILL mid-job, then `--resume`
// (the job completes, its video is archived, every step is logged once), a
// job that completed while nothing ran, one the restarted server forgot
// (lost), and the job ledger that --resume reads (default path, --no-ledger).
#include "HeadlessFixture.h"
#include "HttpTestClient.h"

#include "ledger/Ledger.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>
#include <QTest>

using namespace framecast;
using namespace framecast::test;

class TestHeadlessRestart final : public HeadlessFixture
{
    Q_OBJECT

private:
    QString ledgerPath() const { return m_dir.filePath(QStringLiteral("history.sqlite")); }

    /// Starts a job with the CLI and kills the process (SIGKILL: no clean-up
    /// of any kind) once it has printed step `killAt`. Returns the job id.
    QString startAndKill(int killAt)
    {
        QString jobId;
        const QByteArray marker = "[" + QByteArray::number(killAt) + "/";
        const Run r = run(serverArgs() + QStringList{QStringLiteral("--prompt"), QStringLiteral("A lighthouse in a storm"),
                                                     QStringLiteral("--image"), m_image, QStringLiteral("--ledger"), ledgerPath()},
                          {}, 60000, [&](QProcess &p) {
                              QByteArray seen;
                              QElapsedTimer t;
                              t.start();
                              while (t.elapsed() < 30000 && p.state() != QProcess::NotRunning) {
                                  p.waitForReadyRead(50);
                                  QCoreApplication::processEvents(); // the backend lives in this process
                                  seen += p.readAllStandardOutput();
                                  if (seen.contains(marker)) {
                                      p.kill();
                                      p.waitForFinished(5000);
                                      break;
                                  }
                              }
                              const int at = seen.indexOf("Job ");
                              if (at >= 0)
                                  jobId = QString::fromUtf8(seen.mid(at + 4, seen.indexOf('\n', at) - at - 4)).trimmed();
                          });
        if (r.exitCode != -1)
            qWarning() << "the first run was not killed:" << r.exitCode << r.err;
        return jobId;
    }

    LedgerEntry ledgerEntry(const QString &jobId) const
    {
        Ledger ledger;
        if (!ledger.open(ledgerPath()))
            return {};
        return ledger.findByServerId(m_backend->baseUrl().toString(), jobId).value_or(LedgerEntry());
    }

private Q_SLOTS:
    void restartResumesAKilledJob()
    {
        DemoConfig config;
        config.stepDelayMinMs = config.stepDelayMaxMs = 150;
        startBackend(config);
        const QString jobId = startAndKill(3);
        QVERIFY(!jobId.isEmpty());
        LedgerEntry before = ledgerEntry(jobId);
        QCOMPARE(before.serverId, jobId);
        // Recorded as it happened; killed mid-job (the events being handled
        // at the kill may be missing: the resume replays them).
        QVERIFY2(!before.isFinal(), qPrintable(Job::stateName(before.state)));
        QVERIFY(before.step < 9);
        QCOMPARE(before.params.prompt, QStringLiteral("A lighthouse in a storm"));
        QVERIFY(!before.thumbnail.isEmpty());

        // Started again: the job resumes, completes and its video is archived.
        const Run r = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath(),
                                                     QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.events(QStringLiteral("resume")).first().value(QStringLiteral("jobs")).toInt(), 1);
        const QJsonObject done = r.events(QStringLiteral("completed")).value(0);
        QCOMPARE(done.value(QStringLiteral("job")).toString(), jobId);
        const LedgerEntry after = ledgerEntry(jobId);
        QCOMPARE(after.state, Job::State::Completed);
        QCOMPARE(after.videoPath, done.value(QStringLiteral("file")).toString());
        QVERIFY(QFileInfo(after.videoPath).size() > 0);
        QCOMPARE(after.videoBytes, QFileInfo(after.videoPath).size());
        // Every step in the log once, in order.
        QList<int> steps;
        for (const Job::LogEntry &l : after.log)
            steps << l.step;
        QCOMPARE(steps, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
        // Nothing left to resume.
        const Run again = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath()});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains("Nothing to resume"), again.out.constData());
    }

    void resumeAJobThatCompletedMeanwhile()
    {
        DemoConfig config;
        config.stepDelayMinMs = config.stepDelayMaxMs = 100;
        startBackend(config);
        const QString jobId = startAndKill(2);
        QVERIFY(!jobId.isEmpty());
        // The app is closed; the server finishes the job.
        HttpTestClient client(m_backend->baseUrl());
        client.setToken(client.login(QStringLiteral("demo"), QStringLiteral("demo")).json().value(QStringLiteral("access_token")).toString().toUtf8());
        QTRY_COMPARE_WITH_TIMEOUT(client.get(QStringLiteral("/api/v1/videos/") + jobId).json().value(QStringLiteral("status")).toString(),
                                  QStringLiteral("completed"), 30000);
        QVERIFY(!ledgerEntry(jobId).isFinal()); // the ledger does not know yet

        const Run r = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath(),
                                                     QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.events(QStringLiteral("connection")).isEmpty()); // nothing to watch: straight to the video
        const LedgerEntry after = ledgerEntry(jobId);
        QCOMPARE(after.state, Job::State::Completed);
        QVERIFY(QFileInfo::exists(after.videoPath));
    }

    void resumeAJobTheServerForgot()
    {
        DemoConfig config;
        config.stepDelayMinMs = config.stepDelayMaxMs = 150;
        startBackend(config);
        const QString jobId = startAndKill(2);
        QVERIFY(!jobId.isEmpty());
        // The server restarts on the same address and has no trace of the job.
        const quint16 port = quint16(m_backend->baseUrl().port());
        m_backend.reset();
        config.port = port;
        startBackend(config);
        QCOMPARE(m_backend->baseUrl().port(), int(port));

        const Run r = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath(),
                                                     QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject failed = r.events(QStringLiteral("failed")).value(0);
        QCOMPARE(failed.value(QStringLiteral("code")).toString(), QStringLiteral("LOST"));
        QVERIFY(r.events(QStringLiteral("completed")).isEmpty()); // never shown as done
        QCOMPARE(ledgerEntry(jobId).state, Job::State::Lost);
    }

    void ledgerByDefaultAndNoLedger()
    {
        startBackend();
        const QString defaultLedger = m_dir.filePath(QStringLiteral("xdg-data/Framecast/Framecast/ledger.sqlite"));
        QFile::remove(defaultLedger);
        const Run off = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--no-ledger")});
        QCOMPARE(off.exitCode, 0);
        QVERIFY(!QFileInfo::exists(defaultLedger));
        const Run on = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")});
        QCOMPARE(on.exitCode, 0);
        QVERIFY(QFileInfo::exists(defaultLedger));
        Ledger ledger;
        QVERIFY(ledger.open(defaultLedger));
        const QList<LedgerEntry> all = ledger.entries();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().state, Job::State::Completed);
        QCOMPARE(all.first().videoPath, m_dir.filePath(QStringLiteral("out.mp4")));
        QCOMPARE(all.first().username, QStringLiteral("demo"));
    }
};

QTEST_MAIN(TestHeadlessRestart)
#include "tst_headless_restart.moc"
