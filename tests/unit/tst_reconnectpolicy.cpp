// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ReconnectPolicy.h"
#include "progress/Dialect.h"

#include <QRandomGenerator>
#include <QTest>

using framecast::ReconnectPolicy;

class TestReconnectPolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exponentialIsCapped()
    {
        ReconnectPolicy p;
        p.jitter = 0;
        p.initialDelayMs = 500;
        p.maxDelayMs = 4000;
        QCOMPARE(p.delayMs(1), 500);
        QCOMPARE(p.delayMs(2), 1000);
        QCOMPARE(p.delayMs(3), 2000);
        QCOMPARE(p.delayMs(4), 4000);
        QCOMPARE(p.delayMs(20), 4000);
        QVERIFY(!p.exhausted(1000)); // unlimited by default
    }

    void serverRetryReplacesInitialDelay()
    {
        ReconnectPolicy p;
        p.jitter = 0;
        QCOMPARE(p.delayMs(1, 250), 250);
        QCOMPARE(p.delayMs(2, 250), 500);
    }

    void jitterStaysWithinBounds()
    {
        ReconnectPolicy p;
        p.initialDelayMs = 1000;
        p.jitter = 0.2;
        QRandomGenerator rng(7);
        qint64 lo = 1 << 30, hi = 0;
        for (int i = 0; i < 1000; ++i) {
            const qint64 d = p.delayMs(1, std::nullopt, &rng);
            lo = qMin(lo, d);
            hi = qMax(hi, d);
        }
        QVERIFY(lo >= 800);
        QVERIFY(hi <= 1200);
        QVERIFY(hi - lo > 200); // it does spread
    }

    void stagesSseFollowsTheSeedClient()
    {
        const ReconnectPolicy p = framecast::defaultReconnectPolicy(framecast::Dialect::StagesSse);
        QCOMPARE(p.delayMs(1), 1000);
        QCOMPARE(p.delayMs(2), 2000);
        QCOMPARE(p.delayMs(3), 3000);
        QVERIFY(!p.exhausted(3));
        QVERIFY(p.exhausted(4));
        QCOMPARE(framecast::defaultReconnectPolicy(framecast::Dialect::VideosSse).maxAttempts, -1);
    }
};

QTEST_GUILESS_MAIN(TestReconnectPolicy)
#include "tst_reconnectpolicy.moc"
