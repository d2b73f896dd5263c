// SPDX-License-Identifier: GPL-3.0-or-later
// The Gallery tab of the real window on the built-in demo backend: empty, it
// says what to do; after a Generate the video is there with a frame of its
// own (FFmpeg, made only once the tab is shown); the one search field
// filters History and Gallery alike; double-click plays the video in the
// window's player; a drag carries its file URL; the buttons open it in the
// system's player, show its folder and copy its prompt. A damaged video file
// gets a placeholder. Screenshots at 1280x800 and 1920x1080 go to
// $FRAMECAST_SCREENSHOT_DIR (default: <build>/tests/screenshots).
#include "MainWindowFixture.h"
#include "thumbnailer/FfmpegFrameGrabber.h"
#include "Screenshot.h"
#include "compose/ComposePanel.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "gallery/ThumbnailCache.h"
#include "history/HistoryView.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "ledger/Ledger.h"
#include "player/VideoPlayer.h"
#include "style/Appearance.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>

using namespace framecast;
using namespace framecast::ui;
using namespace framecast::test;

/// Stands in for the system's file opener (QDesktopServices::setUrlHandler).
class FileOpener final : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> opened;
    Q_INVOKABLE void open(const QUrl &url) { opened << url; }
};

class TestGallery final : public MainWindowFixture
{
    Q_OBJECT

    std::unique_ptr<Ledger> m_ledger;
    FileOpener m_opener;

    GalleryView *gallery() const { return m_window->gallery(); }

    /// The window as main() wires it, with a job history.
    void openWithLedger()
    {
        m_window.reset();
        m_session.reset();
        m_ledger = std::make_unique<Ledger>();
        QVERIFY(m_ledger->open(QStringLiteral(":memory:")));
        makeSession();
        m_session->setLedger(m_ledger.get());
        m_window = std::make_unique<MainWindow>(m_session.get());
        QDir(m_dir.filePath(QStringLiteral("thumbnails"))).removeRecursively();
        gallery()->setGrabberFactory(thumbnailer::makeFfmpegFrameGrabber, m_dir.filePath(QStringLiteral("thumbnails"))); // FFmpeg, cache in the test's folder
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->startDemo();
        demo::DemoConfig &c = demoBackend()->config();
        c.stepDelayMinMs = c.stepDelayMaxMs = 10;
        c.tinyVideos = true;
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("1000 credits")), 10000);
    }

    Job *generate(const QString &prompt, int sample, bool portrait = false)
    {
        m_window->showTab(0);
        ComposePanel *compose = m_window->compose();
        compose->setPrompt(prompt);
        QTest::mouseClick(compose->sampleButtons().at(sample), Qt::LeftButton);
        for (QComboBox *box : compose->findChildren<QComboBox *>()) {
            if (box->accessibleName() == QLatin1String("Format"))
                box->setCurrentIndex(box->findData(portrait ? QSize(720, 1280) : QSize(1280, 720)));
        }
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        Job *job = nullptr;
        [&] { QTRY_VERIFY(job = m_window->jobList()->currentJob()); }();
        if (job)
            [&] { QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 30000); }();
        // Archived: the file is in the ledger.
        [&] { QTRY_VERIFY_WITH_TIMEOUT(job && !m_session->videoFile(job->id()).isEmpty(), 15000); }();
        return job;
    }

    QModelIndex tile(int row) const { return gallery()->model()->index(row, 0); }

    bool thumbnailsDone() const
    {
        for (int row = 0; row < gallery()->count(); ++row) {
            if (tile(row).data(GalleryModel::ThumbnailStateRole).value<GalleryModel::ThumbnailState>()
                == GalleryModel::ThumbnailState::Loading)
                return false;
        }
        return true;
    }

    static QStringList unnamedControls(QWidget *root)
    {
        QStringList missing;
        for (QWidget *w : root->findChildren<QWidget *>()) {
            if (!w->isVisibleTo(root))
                continue;
            const bool interactive = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
                                     || qobject_cast<QAbstractItemView *>(w);
            if (!interactive || !w->accessibleName().isEmpty())
                continue;
            if (auto *b = qobject_cast<QAbstractButton *>(w); b && !b->text().remove(QLatin1Char('&')).trimmed().isEmpty())
                continue;
            missing << QString::fromLatin1(w->metaObject()->className());
        }
        return missing;
    }

    void screenshots(const QString &name)
    {
        for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
            m_window->resize(size);
            QTRY_COMPARE(m_window->size(), size);
            QApplication::processEvents();
            screenshot(m_window.get(), QStringLiteral("%1-%2x%3").arg(name).arg(size.width()).arg(size.height()));
        }
        m_window->resize(1280, 800);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &m_opener, "open");
    }
    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
    }

    void emptyGallerySaysWhatToDo()
    {
        openWithLedger();
        QVERIFY(!gallery()->thumbnails()); // nothing of FFmpeg before the tab is shown
        m_window->showTab(2);
        QTRY_VERIFY(gallery()->isVisible());
        QVERIFY(gallery()->thumbnails());
        QCOMPARE(gallery()->count(), 0);
        QVERIFY2(gallery()->emptyText().contains(QLatin1String("No videos yet")), qPrintable(gallery()->emptyText()));
        QVERIFY(gallery()->composeButton()->isVisible());
        QVERIFY(!gallery()->list()->isVisible());
        // The one search field is on this tab (hidden: nothing to search yet), the compose panel made room.
        QCOMPARE(m_window->history()->searchField()->parentWidget(), gallery());
        QVERIFY(!m_window->history()->searchField()->isVisible());
        QVERIFY(!m_window->compose()->isVisible());
        const QStringList missing = unnamedControls(gallery());
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
        screenshots(QStringLiteral("gallery-empty"));
        // "Write a prompt" goes to the compose panel.
        QTest::mouseClick(gallery()->composeButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->compose()->isVisible());
        QVERIFY(!gallery()->isVisible());
        // The window's focus (hasFocus() also needs an active window, which Xvfb without a window manager never gives).
        QTRY_COMPARE(m_window->focusWidget(), m_window->compose()->findChild<QPlainTextEdit *>());
    }

    void aFinishedVideoWithAFrameOfItsOwn()
    {
        openWithLedger();
        // Portrait video from a landscape reference: the tile's picture can only come from the video.
        Job *job = generate(QStringLiteral("A lighthouse in a storm, waves crashing"), 1, true);
        QVERIFY(job);
        const QString file = m_session->videoFile(job->id());
        QVERIFY(!gallery()->thumbnails()); // not shown yet: not made yet
        m_window->showTab(2);
        QTRY_COMPARE(gallery()->count(), 1);
        QVERIFY(gallery()->emptyText().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(thumbnailsDone(), 15000);
        const QModelIndex first = tile(0);
        QCOMPARE(first.data(GalleryModel::VideoPathRole).toString(), file);
        QCOMPARE(first.data(GalleryModel::ThumbnailStateRole).value<GalleryModel::ThumbnailState>(),
                 GalleryModel::ThumbnailState::Ready);
        const QImage frame = first.data(GalleryModel::ThumbnailRole).value<QImage>();
        QVERIFY(!frame.isNull());
        QImage reference;
        QVERIFY(reference.loadFromData(m_ledger->findByServerId(QStringLiteral("builtin-demo"), job->id())->thumbnail));
        QVERIFY2(reference.width() > reference.height(), "the reference image is landscape");
        QVERIFY2(frame.height() > frame.width(), qPrintable(QStringLiteral("%1x%2").arg(frame.width()).arg(frame.height())));
        // Not blank: more than one colour.
        QSet<QRgb> colours;
        for (int y = 0; y < frame.height(); y += 4)
            for (int x = 0; x < frame.width(); x += 4)
                colours.insert(frame.pixel(x, y) & 0xf0f0f0);
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        // The duration the file itself says.
        QVERIFY(std::abs(first.data(GalleryModel::DurationMsRole).toLongLong() - 4000) < 300);
        const QStringList missing = unnamedControls(gallery());
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void oneSearchForHistoryAndGallery()
    {
        openWithLedger();
        generate(QStringLiteral("A lighthouse in a storm"), 0);
        generate(QStringLiteral("Cherry blossoms in the rain"), 2);
        m_window->showTab(2);
        QTRY_COMPARE(gallery()->count(), 2);
        QLineEdit *search = m_window->history()->searchField();
        QTRY_VERIFY(search->isVisible());
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("LIGHTHOUSE"));
        QTRY_COMPARE(gallery()->count(), 1);
        QCOMPARE(tile(0).data(GalleryModel::PromptRole).toString(), QStringLiteral("A lighthouse in a storm"));
        QCOMPARE(m_window->history()->count(), 1); // the same search
        // On History it is the same field, with the same text.
        m_window->showTab(1);
        QTRY_VERIFY(search->isVisible());
        QCOMPARE(search->parentWidget(), m_window->history());
        QCOMPARE(search->text(), QStringLiteral("LIGHTHOUSE"));
        QVERIFY(m_window->compose()->isVisible()); // back beside the other tabs
        m_window->history()->setSearch(QStringLiteral("volcano"));
        QCOMPARE(gallery()->count(), 0);
        m_window->showTab(2);
        QTRY_VERIFY(gallery()->emptyText().contains(QLatin1String("volcano")));
        QVERIFY(!gallery()->composeButton()->isVisible());
        m_window->history()->setSearch({});
        QCOMPARE(gallery()->count(), 2);
        QCOMPARE(m_window->history()->count(), 2);
        // Not on the Jobs tab, where it would filter nothing.
        m_window->showTab(0);
        QTRY_VERIFY(!search->isVisible());
    }

    void playDragOpenCopy()
    {
        openWithLedger();
        const QString prompt = QStringLiteral("Paper lanterns over a harbour at night");
        Job *job = generate(prompt, 3);
        QVERIFY(job);
        const QString file = m_session->videoFile(job->id());
        m_window->player()->clear();
        m_window->showTab(2);
        QTRY_COMPARE(gallery()->count(), 1);
        QListView *list = gallery()->list();
        // Select: the preview shows the still and the details.
        QTRY_VERIFY(list->visualRect(tile(0)).isValid());
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(tile(0)).center());
        QCOMPARE(gallery()->selectedRow(), tile(0).data(GalleryModel::RowIdRole).toLongLong());
        QTRY_VERIFY(gallery()->previewText().contains(prompt));
        QTRY_VERIFY_WITH_TIMEOUT(!gallery()->preview()->pixmap().isNull(), 15000);
        QVERIFY(m_window->player()->file().isEmpty()); // selecting does not play
        // Double-click plays it in the window's player.
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(tile(0)).center());
        QTRY_COMPARE(m_window->player()->file(), file);
        // A drag carries the file URL, for a file manager or an editor.
        QVERIFY(list->dragEnabled());
        std::unique_ptr<QMimeData> mime(list->model()->mimeData({tile(0)}));
        QVERIFY(mime);
        QCOMPARE(mime->urls(), QList<QUrl>{QUrl::fromLocalFile(file)});
        // The system's player, the folder.
        m_opener.opened.clear();
        QTest::mouseClick(gallery()->openButton(), Qt::LeftButton);
        QTest::mouseClick(gallery()->folderButton(), Qt::LeftButton);
        QCOMPARE(m_opener.opened,
                 (QList<QUrl>{QUrl::fromLocalFile(file), QUrl::fromLocalFile(QFileInfo(file).absolutePath())}));
        // Copy prompt: the button, and Ctrl+C on the grid.
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(gallery()->copyButton(), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), prompt);
        QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
        list->setFocus();
        QTest::keyClick(list, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), prompt);
        // The context menu offers the same.
        QStringList actions;
        for (QAction *a : gallery()->contextMenu()->actions())
            if (!a->isSeparator())
                actions << a->text();
        QCOMPARE(actions, (QStringList{QStringLiteral("Play"), QStringLiteral("Open in system player"),
                                       QStringLiteral("Show in folder"), QStringLiteral("Copy prompt")}));
        m_window->player()->clear();
        gallery()->contextMenu()->actions().constFirst()->trigger();
        QTRY_COMPARE(m_window->player()->file(), file);
    }

    void damagedVideoGetsAPlaceholderAndScreenshots()
    {
        openWithLedger();
        const QStringList prompts{QStringLiteral("A paper boat drifting down a rainy street at dusk, neon reflections"),
                                  QStringLiteral("Northern lights over a frozen lake"),
                                  QStringLiteral("A fox running through fresh snow in a pine forest, early morning light"),
                                  QStringLiteral("Coral reef with slow-moving fish"),
                                  QStringLiteral("Cherry blossoms falling in the rain")};
        QString damaged;
        for (int i = 0; i < prompts.size(); ++i) {
            Job *job = generate(prompts.at(i), i % 4, i == 3);
            QVERIFY(job);
            if (i == 1)
                damaged = m_session->videoFile(job->id());
        }
        // One video file damaged on disk (a copy cut short, a bad sector).
        QFile f(damaged);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray(4096, '\x5a'));
        f.close();
        m_window->showTab(2);
        QTRY_COMPARE(gallery()->count(), prompts.size());
        QTRY_VERIFY_WITH_TIMEOUT(thumbnailsDone(), 20000);
        int failed = 0;
        for (int row = 0; row < gallery()->count(); ++row) {
            const auto state = tile(row).data(GalleryModel::ThumbnailStateRole).value<GalleryModel::ThumbnailState>();
            if (state == GalleryModel::ThumbnailState::Failed) {
                ++failed;
                QCOMPARE(tile(row).data(GalleryModel::VideoPathRole).toString(), damaged);
                QVERIFY(!tile(row).data(GalleryModel::ThumbnailErrorRole).toString().isEmpty());
            }
        }
        QCOMPARE(failed, 1);
        gallery()->selectRow(tile(0).data(GalleryModel::RowIdRole).toLongLong());
        QTRY_VERIFY(!gallery()->preview()->pixmap().isNull());
        screenshots(QStringLiteral("gallery"));
        // The dark scheme: the tiles draw with the palette's roles.
        Appearance appearance;
        appearance.setChoice(Appearance::Scheme::Dark);
        QTRY_VERIFY(appearance.isDark());
        QApplication::processEvents();
        screenshot(m_window.get(), QStringLiteral("gallery-dark-1280x800"));
        appearance.setChoice(Appearance::Scheme::Light);
    }
};

QTEST_MAIN(TestGallery)
#include "tst_gallery.moc"
