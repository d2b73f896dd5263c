// SPDX-License-Identifier: GPL-3.0-or-later
// `framecast --headless` as a subprocess: every exit code (usage 2, login 3,
// failed job 1, unreachable server 4, --timeout 5, SIGINT 130, which cancels
// the job on the server), dropped streams survived, and every fault switch of
// the demo backend on both dialect families.
#include "HeadlessFixture.h"

#include <QJsonObject>
#include <QSet>
#include <QTest>

#ifdef Q_OS_UNIX
#include <csignal>
#endif

using namespace framecast;
using namespace framecast::test;

class TestHeadlessExitCodes final : public HeadlessFixture
{
    Q_OBJECT

private Q_SLOTS:
    void usageErrorsSendNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("short prompt") << QStringList{QStringLiteral("--prompt"), QStringLiteral("too short")} << QStringLiteral("at least 10");
        QTest::newRow("missing image") << QStringList{QStringLiteral("--image"), QStringLiteral("/nonexistent.png")} << QStringLiteral("does not exist");
        QTest::newRow("not an image") << QStringList{QStringLiteral("--image"), m_dir.filePath(QStringLiteral("notes.txt"))}
                                      << QStringLiteral("not a PNG");
        QTest::newRow("bad duration") << QStringList{QStringLiteral("--duration"), QStringLiteral("5")} << QStringLiteral("--duration");
        QTest::newRow("bad flag") << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("password on the command line") << QStringList{QStringLiteral("--password"), QStringLiteral("demo")}
                                                       << QStringLiteral("show in ps");
        QTest::newRow("empty password variable") << QStringList{QStringLiteral("--password-env"), QStringLiteral("FC_UNSET_VARIABLE")}
                                                 << QStringLiteral("empty or not set");
        QTest::newRow("ca file that is not PEM") << QStringList{QStringLiteral("--ca-file"), m_dir.filePath(QStringLiteral("notes.txt"))}
                                                 << QStringLiteral("is not a PEM certificate file");
        QTest::newRow("missing ca file") << QStringList{QStringLiteral("--ca-file"), QStringLiteral("/nonexistent/ca.pem")}
                                         << QStringLiteral("Cannot read the certificate file");
        QTest::newRow("bad proxy") << QStringList{QStringLiteral("--proxy"), QStringLiteral("proxy:3128")}
                                   << QStringLiteral("The proxy must be");
        // The setting is quoted back, its password never (the redaction point).
        QTest::newRow("bad proxy with a password") << QStringList{QStringLiteral("--proxy"), QStringLiteral("ftp://alice:pw-secret-1@127.0.0.1:1")}
                                                   << QStringLiteral("ftp://alice:REDACTED@127.0.0.1:1");
    }

    void usageErrorsSendNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        startBackend();
        // Later options override the defaults given first.
        QStringList all = serverArgs();
        QStringList job = jobArgs();
        for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
            const qsizetype at = all.indexOf(args.at(i));
            if (at >= 0)
                all[at + 1] = args.at(i + 1);
            const qsizetype jat = job.indexOf(args.at(i));
            if (jat >= 0)
                job[jat + 1] = args.at(i + 1);
            if (at < 0 && jat < 0)
                all << args.at(i) << args.at(i + 1);
        }
        if (args.size() % 2)
            all << args.last();
        const Run r = run(all + job);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY2(!r.err.contains("pw-secret-1"), r.err.constData());
        QCOMPARE(m_backend->jobs().size(), 0); // nothing was sent
    }

    void wrongPasswordIs3()
    {
        startBackend();
        const Run r = run(serverArgs() + jobArgs(), {{QStringLiteral("FC_TEST_PASSWORD"), QStringLiteral("wrong")}});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("Invalid credentials"));
    }

    void badTokenIs3()
    {
        startBackend();
        const Run r = run(QStringList{QStringLiteral("--headless"), QStringLiteral("--server"), m_backend->baseUrl().toString(),
                                      QStringLiteral("--progress"), QStringLiteral("websocket"), QStringLiteral("--token-env"),
                                      QStringLiteral("FC_TOKEN")}
                              + jobArgs(),
                          {{QStringLiteral("FC_TOKEN"), QStringLiteral("forged")}});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!r.err.contains("forged"));
    }

    void failedJobIs1()
    {
        DemoConfig c;
        c.failAtStep = 3;
        c.failRetryable = true;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject failed = r.events(QStringLiteral("failed")).first();
        QVERIFY(failed.value(QStringLiteral("message")).toString().contains(QLatin1String("step 3")));
        QVERIFY(failed.value(QStringLiteral("retryable")).isBool());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("out.mp4"))));
    }

    void serverGoneIs4()
    {
        startBackend();
        const QString url = m_backend->baseUrl().toString();
        m_backend.reset(); // nobody listens there any more
        QStringList args = {QStringLiteral("--headless"), QStringLiteral("--server"), url, QStringLiteral("--progress"),
                            QStringLiteral("videos-sse"), QStringLiteral("--user"), QStringLiteral("demo"),
                            QStringLiteral("--password-env"), QStringLiteral("FC_TEST_PASSWORD")};
        const Run r = run(args + jobArgs());
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("Cannot reach the server"));
    }

    void timeoutIs5()
    {
        DemoConfig c;
        c.stepDelayMinMs = c.stepDelayMaxMs = 5000;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--timeout"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("--timeout"));
    }

    void interruptCancelsOnTheServer()
    {
#ifndef Q_OS_UNIX
        // Ctrl+C reaches a Windows program only through a console it shares;
        // framecast.exe is a GUI-subsystem program started here without one.
        QSKIP("needs POSIX signals (SIGINT)");
#else
        DemoConfig c;
        c.stepDelayMinMs = c.stepDelayMaxMs = 3000;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")}, {}, 60000, [this](QProcess &p) {
            // Once the job is running, Ctrl+C.
            QTRY_VERIFY_WITH_TIMEOUT(!m_backend->jobs().isEmpty() && m_backend->jobs().first()->step() >= 1, 20000);
            // The CLI watches the job's progress stream: it knows the job, so
            // its interrupt can cancel it on the server.
            QTRY_VERIFY_WITH_TIMEOUT(m_backend->openStreams() >= 1, 20000);
            ::kill(pid_t(p.processId()), SIGINT);
        });
        QCOMPARE(r.exitCode, 130);
        QCOMPARE(m_backend->jobs().size(), 1);
        QCOMPARE(m_backend->jobs().first()->status(), demo::DemoJob::Status::Cancelled);
        QVERIFY(r.err.contains("cancelled on the server"));
#endif
    }

    void dropsAreSurvived()
    {
        DemoConfig c;
        c.dropAfter = 3;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        bool reconnected = false;
        for (const QJsonObject &o : r.events(QStringLiteral("connection")))
            reconnected |= o.value(QStringLiteral("state")).toString() == QLatin1String("reconnecting");
        QVERIFY(reconnected);
        QSet<int> steps;
        for (const QJsonObject &o : r.events(QStringLiteral("progress")))
            steps.insert(o.value(QStringLiteral("step")).toInt());
        for (int s = 1; s <= 9; ++s)
            QVERIFY2(steps.contains(s), qPrintable(QString::number(s)));
    }

    void everyFaultSwitch_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<int>("exitCode");
        // --stall-ms stalls SSE streams (a WebSocket stall is a heartbeat stop,
        // tested in tst_websocketchannel).
        QTest::addRow("stall videos-sse") << "stall" << "videos-sse" << 0;
        for (const char *d : {"videos-sse", "websocket"}) {
            QTest::addRow("garbage %s", d) << "garbage" << d << 0;
            QTest::addRow("oversized %s", d) << "oversized" << d << 0;
            QTest::addRow("restart %s", d) << "restart" << d << 0;
            QTest::addRow("token expires %s", d) << "ttl" << d << 3;
        }
    }

    void everyFaultSwitch()
    {
        QFETCH(QString, fault);
        QFETCH(QString, dialect);
        QFETCH(int, exitCode);
        DemoConfig c;
        c.stepDelayMinMs = c.stepDelayMaxMs = 100;
        if (fault == QLatin1String("stall"))
            c.stallMs = 1500; // longer than nothing, shorter than the client's patience
        else if (fault == QLatin1String("garbage"))
            c.garbage = true;
        else if (fault == QLatin1String("oversized"))
            c.oversized = true;
        else if (fault == QLatin1String("restart")) {
            c.restartAfterMs = 500;
            c.refuseMs = 700;
        } else if (fault == QLatin1String("ttl")) {
            c.tokenTtlS = 1;
            c.stepDelayMinMs = c.stepDelayMaxMs = 400;
            c.dropAfter = 3; // a reconnect after the token expired meets a 401
        }
        startBackend(c);
        const Run r = run(serverArgs(dialect) + jobArgs() + QStringList{QStringLiteral("--json")});
        QVERIFY2(r.exitCode == exitCode, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
        if (exitCode == 0) {
            QCOMPARE(r.events(QStringLiteral("completed")).size(), 1);
            QSet<int> steps;
            for (const QJsonObject &o : r.events(QStringLiteral("progress")))
                steps.insert(o.value(QStringLiteral("step")).toInt());
            // SSE resumes exactly (Last-Event-ID): every step is there. A
            // WebSocket reconnect races the socket's replay against the REST
            // catch-up; when the catch-up finds the job completed, the video
            // is saved and the run may end before the replayed steps are read.
            const bool exact = dialect != QLatin1String("websocket") || (fault != QLatin1String("restart") && fault != QLatin1String("oversized"));
            for (int s = 1; s <= 8; ++s) {
                if (exact || s == 1)
                    QVERIFY2(steps.contains(s), qPrintable(QStringLiteral("step %1 missing").arg(s)));
            }
        }
        if (fault == QLatin1String("garbage"))
            QVERIFY(!r.events(QStringLiteral("warning")).isEmpty());
        if (fault == QLatin1String("restart") || fault == QLatin1String("oversized")) {
            bool reconnected = false;
            for (const QJsonObject &o : r.events(QStringLiteral("connection")))
                reconnected |= o.value(QStringLiteral("state")).toString() == QLatin1String("reconnecting");
            QVERIFY(reconnected);
        }
    }
};

QTEST_MAIN(TestHeadlessExitCodes)
#include "tst_headless_exitcodes.moc"
