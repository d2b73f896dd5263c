// SPDX-License-Identifier: GPL-3.0-or-later
// The headless mode's live line: what it draws, how wide, how often.
#include "headless/TerminalProgress.h"
#include "jobs/Job.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using framecast::Job;
using framecast::JobStatus;
using framecast::ProgressEvent;
using framecast::headless::TerminalProgress;

namespace {

ProgressEvent step(int n, int total, double percent, const QString &message)
{
    ProgressEvent e;
    e.status = JobStatus::Running;
    e.step = n;
    e.totalSteps = total;
    e.percent = percent;
    e.message = message;
    return e;
}

QByteArray readAll(FILE *f)
{
    std::fflush(f);
    const long size = std::ftell(f);
    QByteArray bytes(size, '\0');
    std::rewind(f);
    const size_t got = std::fread(bytes.data(), 1, size_t(size), f);
    bytes.resize(qsizetype(got));
    std::fseek(f, 0, SEEK_END);
    return bytes;
}

} // namespace

class TestTerminalProgress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void displayWidth_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("width");
        QTest::newRow("ascii") << "Encoding video" << 14;
        QTest::newRow("emoji") << "🤖 API" << 6;
        QTest::newRow("emoji with VS16") << "☁️ up" << 5;
        QTest::newRow("cjk") << "正在渲染" << 8;
        QTest::newRow("bar") << "█░" << 2;
    }
    void displayWidth()
    {
        QFETCH(QString, text);
        QFETCH(int, width);
        QCOMPARE(TerminalProgress::displayWidth(text), width);
    }

    void renderShowsBarStepPercentAndFitsTheWidth_data()
    {
        QTest::addColumn<int>("columns");
        QTest::addColumn<QString>("message");
        QTest::newRow("80, english") << 80 << "🤖 Calling Sora 2 API...";
        QTest::newRow("40, long") << 40 << QString(300, QLatin1Char('x'));
        QTest::newRow("50, chinese") << 50 << "🎬 正在渲染视频帧，这可能需要两到五分钟，请耐心等待";
    }
    void renderShowsBarStepPercentAndFitsTheWidth()
    {
        QFETCH(int, columns);
        QFETCH(QString, message);
        Job job(QStringLiteral("j"));
        job.markQueued();
        QVERIFY(job.applyProgress(step(3, 8, 25, message)));
        const QString line = TerminalProgress::render(job, columns);
        QVERIFY2(TerminalProgress::displayWidth(line) <= columns - 1, qPrintable(line));
        QVERIFY2(line.startsWith(QLatin1Char('[')) && line.contains(QStringLiteral("] ") + QStringLiteral(" 25%")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("3/8 ")), qPrintable(line));
        QVERIFY(line.contains(QChar(0x2588)) && line.contains(QChar(0x2591)));
        if (columns == 80)
            QVERIFY2(line.endsWith(message), qPrintable(line));
        else
            QVERIFY2(line.endsWith(QChar(0x2026)), qPrintable(line));
    }

    void atMostTenRedrawsASecondAndTheLastStateIsDrawn()
    {
        // A file of the test's own (std::tmpfile writes to C:\\ on Windows).
        QTemporaryDir dir;
        FILE *out = std::fopen(QFile::encodeName(dir.filePath(QStringLiteral("terminal.txt"))).constData(), "w+b");
        QVERIFY(out);
        {
            TerminalProgress live(out);
            Job job(QStringLiteral("j"));
            job.markQueued();
            QElapsedTimer clock;
            clock.start();
            int events = 0;
            while (clock.elapsed() < 500) { // an event every millisecond or so
                job.applyProgress(step(1, 2, std::min(76.0, 0.25 * ++events), QStringLiteral("busy")));
                live.update(job);
                QTest::qWait(1);
            }
            const QByteArray drawn = readAll(out);
            const qsizetype draws = drawn.count('\r');
            QVERIFY2(events > 100, qPrintable(QString::number(events)));
            QVERIFY2(draws >= 3 && draws <= 500 / 100 + 2, qPrintable(QStringLiteral("%1 draws for %2 events").arg(draws).arg(events)));

            // The last change is drawn within the interval, without another event.
            job.applyProgress(step(2, 2, 77, QStringLiteral("last step")));
            live.update(job);
            QTRY_VERIFY(QString::fromUtf8(readAll(out)).contains(QStringLiteral("2/2 last step")));

            // The job ends: the line is wiped (spaces, back to the start) for the summary.
            job.markCancelled();
            live.update(job);
            QVERIFY(!live.drawn());
            QVERIFY(readAll(out).endsWith(" \r"));
        }
        std::fclose(out);
    }

    void notWantedForAFile()
    {
        QTemporaryDir dir;
        FILE *file = std::fopen(QFile::encodeName(dir.filePath(QStringLiteral("out.txt"))).constData(), "wb");
        QVERIFY(file);
        QVERIFY(!TerminalProgress::wanted(file)); // a file, like a pipe, is no terminal
        std::fclose(file);
    }
};

QTEST_GUILESS_MAIN(TestTerminalProgress)
#include "tst_terminalprogress.moc"
