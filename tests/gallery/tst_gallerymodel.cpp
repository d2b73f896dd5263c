// SPDX-License-Identifier: GPL-3.0-or-later
// The gallery's list model: only the completed jobs of this server and user
// whose video file exists, newest first; it follows the ledger row by row (a
// job that completes appears, a deleted one goes), filters by prompt, shows
// no reference image, and drags as the video's file URL.
#include "gallery/GalleryModel.h"
#include "ledger/Ledger.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>

using namespace framecast;

namespace {

const QString kServer = QStringLiteral("https://api.example.com");
const QString kUser = QStringLiteral("mei");

} // namespace

class TestGalleryModel final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Ledger m_ledger;
    int m_next = 0;

    QString video(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write("not decoded by the model");
        return path;
    }

    qint64 add(const QString &prompt, Job::State state, const QString &videoPath, const QString &server = kServer,
               const QString &user = kUser)
    {
        LedgerEntry e;
        e.profile = QStringLiteral("Studio");
        e.baseUrl = server;
        e.username = user;
        e.serverId = QStringLiteral("job-%1").arg(++m_next);
        e.params.prompt = prompt;
        e.params.durationSeconds = 8;
        e.thumbnail = QByteArray("reference image PNG");
        e.state = state;
        e.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + m_next * 60'000, QTimeZone::utc());
        e.finishedAt = state == Job::State::Completed ? e.createdAt.addSecs(30) : QDateTime();
        e.videoPath = videoPath;
        return m_ledger.add(e);
    }

    static QStringList prompts(const GalleryModel &model)
    {
        QStringList out;
        for (int i = 0; i < model.rowCount(); ++i)
            out << model.index(i, 0).data(GalleryModel::PromptRole).toString();
        return out;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_ledger.open(QStringLiteral(":memory:")));
        add(QStringLiteral("Lanterns over a lake"), Job::State::Completed, video(QStringLiteral("a.mp4")));
        add(QStringLiteral("A fox in snow"), Job::State::Completed, video(QStringLiteral("b.mp4")));
        add(QStringLiteral("Still running"), Job::State::Running, QString());
        add(QStringLiteral("Failed lanterns"), Job::State::Failed, QString());
        add(QStringLiteral("Deleted file"), Job::State::Completed, m_dir.filePath(QStringLiteral("gone.mp4")));
        add(QStringLiteral("Completed, not archived"), Job::State::Completed, QString());
        add(QStringLiteral("Another server's lanterns"), Job::State::Completed, video(QStringLiteral("c.mp4")),
            QStringLiteral("https://other.example.com"));
        add(QStringLiteral("Another user's lanterns"), Job::State::Completed, video(QStringLiteral("d.mp4")), kServer,
            QStringLiteral("ren"));
        add(QStringLiteral("Paper LANTERNS on a river"), Job::State::Completed, video(QStringLiteral("e.mp4")));
    }

    void onlyThisOwnersExistingVideos()
    {
        GalleryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLedger(&m_ledger);
        QCOMPARE(model.rowCount(), 0); // nobody logged in yet
        model.setOwner(kServer, kUser);
        QCOMPARE(prompts(model), (QStringList{QStringLiteral("Paper LANTERNS on a river"), QStringLiteral("A fox in snow"),
                                              QStringLiteral("Lanterns over a lake")}));
        const QModelIndex first = model.index(0, 0);
        QCOMPARE(first.data(GalleryModel::VideoPathRole).toString(), m_dir.filePath(QStringLiteral("e.mp4")));
        QCOMPARE(first.data(GalleryModel::DurationMsRole).toLongLong(), 8000); // asked for; no thumbnailer to say better
        QVERIFY(first.data(GalleryModel::FinishedRole).toDateTime().isValid());
        // Without a thumbnailer: loading, and never the reference image.
        QVERIFY(first.data(GalleryModel::ThumbnailRole).value<QImage>().isNull());
        QCOMPARE(first.data(GalleryModel::ThumbnailStateRole).value<GalleryModel::ThumbnailState>(),
                 GalleryModel::ThumbnailState::Loading);
        QVERIFY(model.entryAt(0)->thumbnail.isEmpty());

        model.setOwner(QStringLiteral("https://other.example.com"), kUser);
        QCOMPARE(prompts(model), QStringList{QStringLiteral("Another server's lanterns")});
        model.setOwner(kServer, QString()); // logged out
        QCOMPARE(model.rowCount(), 0);
        model.setLedger(nullptr);
        model.setOwner(kServer, kUser);
        QCOMPARE(model.rowCount(), 0);
    }

    void searchFiltersByPrompt()
    {
        GalleryModel model;
        model.setLedger(&m_ledger);
        model.setOwner(kServer, kUser);
        model.setSearch(QStringLiteral("  lanterns "));
        QCOMPARE(prompts(model), (QStringList{QStringLiteral("Paper LANTERNS on a river"), QStringLiteral("Lanterns over a lake")}));
        model.setSearch(QStringLiteral("volcano"));
        QCOMPARE(model.rowCount(), 0);
        model.setSearch({});
        QCOMPARE(model.rowCount(), 3);
    }

    void followsTheLedgerRowByRow()
    {
        GalleryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLedger(&m_ledger);
        model.setOwner(kServer, kUser);
        model.setSearch(QStringLiteral("harbour"));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        // A job runs (not shown), then completes and is archived (shown, at the top).
        const qint64 row = add(QStringLiteral("A harbour at dawn"), Job::State::Running, QString());
        QCOMPARE(model.rowCount(), 0);
        LedgerEntry e = *m_ledger.entry(row);
        e.state = Job::State::Completed;
        e.finishedAt = e.createdAt.addSecs(30);
        QVERIFY(m_ledger.update(e));
        QCOMPARE(model.rowCount(), 0); // completed, but its video is not there yet
        e.videoPath = video(QStringLiteral("harbour.mp4"));
        QVERIFY(m_ledger.update(e));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(prompts(model), QStringList{QStringLiteral("A harbour at dawn")});
        // Another matching one finished later goes before it.
        const qint64 later = add(QStringLiteral("A harbour at night"), Job::State::Completed, video(QStringLiteral("night.mp4")));
        QCOMPARE(prompts(model), (QStringList{QStringLiteral("A harbour at night"), QStringLiteral("A harbour at dawn")}));
        QVERIFY(m_ledger.remove(later));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(prompts(model), QStringList{QStringLiteral("A harbour at dawn")});
        QCOMPARE(reset.count(), 0);
    }

    void dragsAsFileUrls()
    {
        GalleryModel model;
        model.setLedger(&m_ledger);
        model.setOwner(kServer, kUser);
        const QModelIndex first = model.index(0, 0);
        QVERIFY(model.flags(first) & Qt::ItemIsDragEnabled);
        QVERIFY(model.mimeTypes().contains(QStringLiteral("text/uri-list")));
        std::unique_ptr<QMimeData> mime(model.mimeData({first}));
        QVERIFY(mime);
        QCOMPARE(mime->urls(), QList<QUrl>{QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("e.mp4")))});
        QVERIFY(mime->urls().constFirst().isLocalFile());
    }
};

QTEST_GUILESS_MAIN(TestGalleryModel)
#include "tst_gallerymodel.moc"
