// SPDX-License-Identifier: GPL-3.0-or-later
// `framecast --headless` in a real terminal: a pseudo-terminal from
// script(1) (util-linux, Debian's bsdutils), 60 columns wide (stty), versus
// a pipe and CI, where the output stays one line per step.
#include "HeadlessFixture.h"
#include "headless/TerminalProgress.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QStandardPaths>

using framecast::headless::TerminalProgress;

namespace {

QString shellQuote(const QString &arg)
{
    QString quoted = arg;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

struct TerminalRun
{
    int exitCode = -1;
    QString screen; ///< everything the terminal received, stdout and stderr
    qint64 elapsedMs = 0;
    /// What lies between carriage returns and newlines: each drawing of the live line.
    QStringList segments() const { return screen.split(QRegularExpression(QStringLiteral("[\r\n]")), Qt::SkipEmptyParts); }
    QStringList barDraws() const
    {
        QStringList draws;
        for (const QString &s : segments()) {
            if (s.startsWith(QLatin1Char('[')) && s.size() > 1 && (s.at(1) == QChar(0x2588) || s.at(1) == QChar(0x2591)))
                draws << s;
        }
        return draws;
    }
};

} // namespace

class TestHeadlessTerminal : public framecast::test::HeadlessFixture
{
    Q_OBJECT

    QStringList demoArgs() const
    {
        return {QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--prompt"), QStringLiteral("A lighthouse in a storm, slow pan"),
                QStringLiteral("--image"), m_image, QStringLiteral("--output"), m_dir.filePath(QStringLiteral("out.mp4")),
                QStringLiteral("--no-ledger")};
    }

    static QProcessEnvironment environment()
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("FRAMECAST_DEMO_STEP_DELAY_MS"), QStringLiteral("150"));
        e.insert(QStringLiteral("FRAMECAST_DEMO_TINY_VIDEOS"), QStringLiteral("1"));
        e.insert(QStringLiteral("TERM"), QStringLiteral("xterm-256color"));
        // A user's terminal: not CI, no logging rules, no runtime folder (a `su` shell).
        e.remove(QStringLiteral("CI"));
        e.remove(QStringLiteral("QT_LOGGING_RULES"));
        e.remove(QStringLiteral("XDG_RUNTIME_DIR"));
        e.remove(QStringLiteral("COLUMNS"));
        return e;
    }

    TerminalRun inTerminal(const QStringList &args, QProcessEnvironment env = environment())
    {
        TerminalRun r;
        const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
        if (script.isEmpty()) {
            noteRunFailure(QStringLiteral("script(1) is missing (Debian package bsdutils)"));
            return r;
        }
        QStringList command{QStringLiteral(FRAMECAST_EXE)};
        command << args;
        for (QString &a : command)
            a = shellQuote(a);
        QProcess p;
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_dir.path());
        QElapsedTimer clock;
        clock.start();
        p.start(script, {QStringLiteral("-qfec"), QStringLiteral("stty cols 60 rows 24; exec ") + command.join(QLatin1Char(' ')),
                         QStringLiteral("/dev/null")});
        if (!p.waitForFinished(60000)) {
            p.kill();
            noteRunFailure(QStringLiteral("script did not finish: %1").arg(QString::fromUtf8(p.readAll())));
            return r;
        }
        r.elapsedMs = clock.elapsed();
        r.exitCode = p.exitCode();
        r.screen = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void oneLiveLineInATerminal()
    {
        const TerminalRun r = inTerminal(demoArgs());
        QCOMPARE(r.exitCode, 0);
        const QStringList draws = r.barDraws();
        QVERIFY2(draws.size() >= 3, qPrintable(r.screen));
        for (const QString &draw : draws) // cut to the terminal's 60 columns, so it never wraps
            QVERIFY2(TerminalProgress::displayWidth(draw) <= 59, qPrintable(draw));
        QVERIFY2(r.screen.contains(QRegularExpression(QStringLiteral("\\] +\\d+%  (ETA \\S+  )?\\d/8 "))), qPrintable(r.screen));
        // No more than ten redraws a second (and a little for the first).
        QVERIFY2(draws.size() <= r.elapsedMs / 100 + 3, qPrintable(QStringLiteral("%1 draws in %2 ms").arg(draws.size()).arg(r.elapsedMs)));
        // No step lines: they are the live line now. It ends as the summary.
        QVERIFY2(!r.screen.contains(QRegularExpression(QStringLiteral("(^|\n)\\[\\d/8\\] "))), qPrintable(r.screen));
        QStringList visible = r.segments();
        visible.removeIf([](const QString &s) { return s.trimmed().isEmpty(); });
        QVERIFY2(visible.constLast().startsWith(QStringLiteral("✔ Saved ")), qPrintable(visible.constLast()));
        // Qt's own start-up warning stays out of the user's terminal.
        QVERIFY2(!r.screen.contains(QStringLiteral("XDG_RUNTIME_DIR")), qPrintable(r.screen));
    }

    void verboseShowsQtsOwnMessages()
    {
        QStringList args = demoArgs();
        args << QStringLiteral("--verbose");
        const TerminalRun r = inTerminal(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.screen.contains(QStringLiteral("QStandardPaths: XDG_RUNTIME_DIR not set")), qPrintable(r.screen));
    }

    void inCiOneLinePerStepAsBefore()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("CI"), QStringLiteral("true"));
        const TerminalRun r = inTerminal(demoArgs(), env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.barDraws().isEmpty(), qPrintable(r.screen));
        for (int step = 1; step <= 8; ++step)
            QVERIFY2(r.screen.contains(QStringLiteral("[%1/8] ").arg(step)), qPrintable(r.screen));
    }

    void jsonInATerminalIsUnchanged()
    {
        QStringList args = demoArgs();
        args << QStringLiteral("--json");
        const TerminalRun r = inTerminal(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.barDraws().isEmpty());
        for (const QString &line : r.screen.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts))
            QVERIFY2(line.startsWith(QLatin1Char('{')) && line.endsWith(QLatin1Char('}')), qPrintable(line));
    }

    void pipedOneLinePerStep()
    {
        QHash<QString, QString> env{{QStringLiteral("FRAMECAST_DEMO_STEP_DELAY_MS"), QStringLiteral("20")},
                                    {QStringLiteral("FRAMECAST_DEMO_TINY_VIDEOS"), QStringLiteral("1")}};
        const framecast::test::Run r = run(demoArgs(), env);
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(!out.contains(QLatin1Char('\r')));
        QVERIFY(!out.contains(QChar(0x2588)));
        for (int step = 1; step <= 8; ++step)
            QVERIFY2(out.contains(QStringLiteral("\n[%1/8] ").arg(step)), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("✔ Saved ")));
    }
};

QTEST_MAIN(TestHeadlessTerminal)
#include "tst_headless_terminal.moc"
