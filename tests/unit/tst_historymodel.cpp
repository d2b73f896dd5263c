// SPDX-License-Identifier: GPL-3.0-or-later
// The history as a list model: it follows the ledger row by row (a write
// changes one row, a new job adds one, a delete removes one, never a reset),
// filters by prompt and decodes each thumbnail once.
#include "ledger/HistoryModel.h"
#include "ledger/JobRecorder.h"
#include "ledger/Ledger.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

using namespace framecast;

namespace {

QByteArray png(const QColor &color)
{
    QImage image(32, 18, QImage::Format_RGB32);
    image.fill(color);
    return JobRecorder::thumbnailOf([&image] {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        return bytes;
    }());
}

LedgerEntry entry(const QString &prompt, qint64 createdMs)
{
    LedgerEntry e;
    e.profile = QStringLiteral("Studio");
    e.baseUrl = QStringLiteral("https://api.example.com");
    e.username = QStringLiteral("mei");
    e.serverId = prompt.left(8);
    e.params.prompt = prompt;
    e.thumbnail = png(Qt::darkCyan);
    e.state = Job::State::Running;
    e.createdAt = QDateTime::fromMSecsSinceEpoch(createdMs, QTimeZone::utc());
    return e;
}

/// Every structural signal of a model, to assert which ones came.
struct ModelSpy
{
    explicit ModelSpy(QAbstractItemModel *m)
        : dataChanged(m, &QAbstractItemModel::dataChanged)
        , inserted(m, &QAbstractItemModel::rowsInserted)
        , removed(m, &QAbstractItemModel::rowsRemoved)
        , reset(m, &QAbstractItemModel::modelReset)
        , layout(m, &QAbstractItemModel::layoutChanged)
    {
    }
    void clear()
    {
        for (QSignalSpy *s : {&dataChanged, &inserted, &removed, &reset, &layout})
            s->clear();
    }
    QSignalSpy dataChanged, inserted, removed, reset, layout;
};

} // namespace

class TestHistoryModel final : public QObject
{
    Q_OBJECT

    Ledger m_ledger;
    QList<qint64> m_rows; ///< oldest first

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_ledger.open(QStringLiteral(":memory:")));
        m_rows.clear();
        int i = 0;
        for (const char *prompt : {"Lanterns over a lake", "A fox in snow", "Paper LANTERNS on a river"})
            m_rows << m_ledger.add(entry(QString::fromUtf8(prompt), 1'000'000 + 1000 * i++));
    }

    void newestFirst()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLedger(&m_ledger);
        QCOMPARE(model.rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QCOMPARE(model.index(row).data(HistoryModel::RowIdRole).toLongLong(), m_rows.at(2 - row));
        QCOMPARE(model.index(1).data(HistoryModel::PromptRole).toString(), QStringLiteral("A fox in snow"));
        QCOMPARE(model.index(1).data(HistoryModel::StateRole).value<Job::State>(), Job::State::Running);
    }

    void anUpdateChangesExactlyItsRow()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLedger(&m_ledger);
        ModelSpy spy(&model);
        // A burst of progress writes to the middle job.
        LedgerEntry e = *m_ledger.entry(m_rows.at(1));
        for (int step = 1; step <= 5; ++step) {
            e.step = step;
            e.state = step == 5 ? Job::State::Completed : Job::State::Running;
            QVERIFY(m_ledger.update(e, {Job::LogEntry{step, {}, {}, QStringLiteral("step")}}));
        }
        QCOMPARE(spy.dataChanged.size(), 5);
        for (const QList<QVariant> &args : spy.dataChanged) {
            QCOMPARE(args.at(0).toModelIndex().row(), 1);
            QCOMPARE(args.at(1).toModelIndex().row(), 1);
        }
        QCOMPARE(spy.reset.size(), 0);
        QCOMPARE(spy.layout.size(), 0);
        QCOMPARE(spy.inserted.size(), 0);
        QCOMPARE(spy.removed.size(), 0);
        QCOMPARE(model.index(1).data(HistoryModel::StateRole).value<Job::State>(), Job::State::Completed);
        QVERIFY(model.index(1).data(HistoryModel::FinalRole).toBool());
    }

    void aNewJobIsOneRowAtTheTop()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLedger(&m_ledger);
        ModelSpy spy(&model);
        const qint64 row = m_ledger.add(entry(QStringLiteral("A glass city under the sea"), 2'000'000));
        QCOMPARE(spy.inserted.size(), 1);
        QCOMPARE(spy.inserted.first().at(1).toInt(), 0);
        QCOMPARE(spy.inserted.first().at(2).toInt(), 0);
        QCOMPARE(spy.reset.size(), 0);
        QCOMPARE(spy.dataChanged.size(), 0);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0).data(HistoryModel::RowIdRole).toLongLong(), row);
    }

    void aDeletedJobIsOneRowLess()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLedger(&m_ledger);
        ModelSpy spy(&model);
        QVERIFY(m_ledger.remove(m_rows.at(1)));
        QCOMPARE(spy.removed.size(), 1);
        QCOMPARE(spy.removed.first().at(1).toInt(), 1);
        QCOMPARE(spy.removed.first().at(2).toInt(), 1);
        QCOMPARE(spy.reset.size(), 0);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(m_rows.at(1)), -1);
    }

    void searchFilters()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLedger(&m_ledger);
        model.setSearch(QStringLiteral("lanterns"));
        QCOMPARE(model.rowCount(), 2); // case-insensitive
        QCOMPARE(model.rowOf(m_rows.at(1)), -1);
        // New jobs and writes respect the filter.
        ModelSpy spy(&model);
        m_ledger.add(entry(QStringLiteral("A volcano at dawn"), 3'000'000));
        QCOMPARE(spy.inserted.size(), 0);
        const qint64 match = m_ledger.add(entry(QStringLiteral("Lanterns, again"), 3'000'001));
        QCOMPARE(spy.inserted.size(), 1);
        QCOMPARE(model.rowOf(match), 0);
        LedgerEntry fox = *m_ledger.entry(m_rows.at(1));
        fox.step = 2;
        m_ledger.update(fox);
        QCOMPARE(spy.dataChanged.size(), 0); // not shown, nothing to change
        model.setSearch(QStringLiteral("VOLCANO"));
        QCOMPARE(model.rowCount(), 1);
        model.setSearch({});
        QCOMPARE(model.rowCount(), 5);
    }

    void thumbnailsAreDecodedOncePerRow()
    {
        HistoryModel model;
        model.setLedger(&m_ledger);
        const QModelIndex top = model.index(0);
        const QImage first = top.data(HistoryModel::ThumbnailRole).value<QImage>();
        QVERIFY(!first.isNull());
        QCOMPARE(first.pixelColor(0, 0), QColor(Qt::darkCyan));
        // Asked again, or after progress writes to the job: the same image,
        // not a new decode (a decode makes a new QImage with its own key).
        QCOMPARE(top.data(HistoryModel::ThumbnailRole).value<QImage>().cacheKey(), first.cacheKey());
        LedgerEntry e = *m_ledger.entry(m_rows.at(2));
        e.thumbnail.clear(); // updates keep the stored image
        for (int step = 1; step <= 3; ++step) {
            e.step = step;
            m_ledger.update(e);
        }
        QCOMPARE(model.index(0).data(HistoryModel::ThumbnailRole).value<QImage>().cacheKey(), first.cacheKey());
        // Each row has its own image; a row without one gives a null image.
        QVERIFY(model.index(1).data(HistoryModel::ThumbnailRole).value<QImage>().cacheKey() != first.cacheKey());
        LedgerEntry bare = entry(QStringLiteral("No reference image"), 4'000'000);
        bare.thumbnail.clear();
        m_ledger.add(bare);
        QVERIFY(model.index(0).data(HistoryModel::ThumbnailRole).value<QImage>().isNull());
    }

    void noLedgerIsEmpty()
    {
        HistoryModel model;
        QCOMPARE(model.rowCount(), 0);
        Ledger closed;
        model.setLedger(&closed);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_historymodel.moc"
