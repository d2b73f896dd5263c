// SPDX-License-Identifier: GPL-3.0-or-later
// The live progress view and the connection dot, driven by a real Job.
// Saves screenshots of the key states to <build>/tests/screenshots/.
#include "jobs/Job.h"
#include "widgets/ConnectionDot.h"
#include "widgets/JobProgressView.h"

#include <QDir>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace framecast;
using framecast::ui::ConnectionDot;
using framecast::ui::JobProgressView;

namespace {

ProgressEvent step(int n, const QString &message)
{
    ProgressEvent e;
    e.status = JobStatus::Running;
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
};

void saveScreenshot(QWidget *w, const QString &name)
{
    const QString dir = QStringLiteral(QT_TESTCASE_BUILDDIR "/screenshots");
    QDir().mkpath(dir);
    w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestJobProgressView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsStepPercentEtaAndLog()
    {
        ManualClock clock;
        Job job(QStringLiteral("v1"), &clock);
        JobProgressView view;
        view.resize(640, 360);
        view.setJob(&job);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        job.setConnectionDialect(QStringLiteral("videos-sse"));
        job.setConnectionState(ConnectionState::Connected);
        for (int i = 0; i < 7; ++i) {
            job.applyProgress(step(i + 1, kSteps.at(i)));
            clock.advance(2000);
        }
        QCOMPARE(view.stepText(), kSteps.at(6));
        auto *bar = view.findChild<QProgressBar *>();
        QVERIFY(bar);
        QCOMPARE(bar->text(), QStringLiteral("75%")); // step 7 of 8 started
        // Six steps of 2 s measured, steps 7 and 8 left, 2 s into step 7.
        QCOMPARE(job.etaSeconds().value_or(-1), 2.0);

        const QStringList lines = view.logText().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines.first(), QStringLiteral("[1] ") + kSteps.at(0));
        QCOMPARE(lines.last(), QStringLiteral("[7] ") + kSteps.at(6));
        // The label was last refreshed when step 7 began: two steps of 2 s left.
        QCOMPARE(view.etaText(), QStringLiteral("ETA 4 s"));
        auto *log = view.findChild<QPlainTextEdit *>();
        QVERIFY(log->isReadOnly());
        const int lineHeight = log->fontMetrics().lineSpacing();
        QVERIFY2(log->viewport()->height() >= 5 * lineHeight, "five log lines must be visible");
        QVERIFY2(log->viewport()->height() < 6 * lineHeight, "and not six");
        // Five lines fit; the older ones are a scroll away and the newest shows.
        QVERIFY(log->verticalScrollBar()->maximum() > 0);
        QCOMPARE(log->verticalScrollBar()->value(), log->verticalScrollBar()->maximum());
        saveScreenshot(&view, QStringLiteral("progress-running"));
    }

    void cancelEmitsIntentAndDisablesWhenDone()
    {
        Job job(QStringLiteral("v42"));
        JobProgressView view;
        view.setJob(&job);
        view.show();
        job.applyProgress(step(2, kSteps.at(1)));
        auto *cancel = view.findChild<QPushButton *>();
        QVERIFY(cancel->isEnabled());
        QSignalSpy spy(&view, &JobProgressView::cancelRequested);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toString(), QStringLiteral("v42"));
        job.markCancelled();
        QVERIFY(!cancel->isEnabled());
        QVERIFY(view.logText().endsWith(QStringLiteral("🛑 Cancelled")));
    }

    void dotColoursAndPulse()
    {
        ConnectionDot dot;
        dot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dot));
        ConnectionStatus s;
        s.dialect = QStringLiteral("tasks-sse");
        s.state = ConnectionState::Connecting;
        dot.setStatus(s);
        QCOMPARE(dot.color().name(), QStringLiteral("#9ca3af"));
        QVERIFY(!dot.isPulsing());
        s.state = ConnectionState::Connected;
        s.connectedSinceMs = Clock::system()->monotonicMs();
        dot.setStatus(s);
        QCOMPARE(dot.color().name(), QStringLiteral("#22c55e"));
        QVERIFY(dot.isPulsing());
        dot.hide(); // no repaint timer for a dot nobody sees
        QVERIFY(!dot.isPulsing());
        dot.show();
        QVERIFY(dot.isPulsing());
        s.state = ConnectionState::Reconnecting;
        s.attempt = 3;
        s.reconnectCount = 2;
        dot.setStatus(s);
        QCOMPARE(dot.color().name(), QStringLiteral("#f59e0b"));
        QVERIFY(!dot.isPulsing());
        QVERIFY(dot.describe().contains(QStringLiteral("attempt 3")));
        QVERIFY(dot.describe().contains(QStringLiteral("2 reconnect")));
        QVERIFY(dot.describe().contains(QStringLiteral("tasks-sse")));
        s.state = ConnectionState::Failed;
        dot.setStatus(s);
        QCOMPARE(dot.color().name(), QStringLiteral("#ef4444"));
    }
};

QTEST_MAIN(TestJobProgressView)
#include "tst_jobprogressview.moc"
