// SPDX-License-Identifier: GPL-3.0-or-later
// The real main window against the in-process demo backend: first-run demo
// login, compose with a sample image, Generate, live progress, the player
// loading the downloaded video, credits charged, for every dialect; keyboard
// only, accessible names, screen sizes, Chinese, a dark palette, About.
// The error paths: tst_mainwindow_errors.
// Screenshots go to $FRAMECAST_SCREENSHOT_DIR (default: <build>/tests/screenshots).
#include "MainWindowFixture.h"
#include "Screenshot.h"
#include "compose/ComposePanel.h"
#include "core/Translations.h"
#include "history/HistoryView.h"
#include "login/LoginDialog.h"
#include "media/ImageCheck.h"
#include "session/ProfileStore.h"
#include "jobs/Job.h"
#include "jobs/JobListWidget.h"
#include "player/VideoPlayer.h"
#include "widgets/JobProgressView.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QApplication>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QMimeData>
#include <QProgressBar>
#include <QTranslator>
#include <QCheckBox>
#include <QRegularExpression>
#include <QLineEdit>
#include <QRadioButton>
#include <QGuiApplication>
#include <QScreen>
#include <QStatusBar>
#include <QLabel>
#include <QMediaPlayer>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTextEdit>
#include <QTimer>
#include <QTest>

using namespace framecast;
using namespace framecast::ui;

using namespace framecast::test;

class TestMainWindow final : public MainWindowFixture
{
    Q_OBJECT

private:
    /// The controls of `root`'s own window that are shown and that nothing
    /// names for a screen reader: every focusable widget and every button,
    /// line edit, combo box, check box, spin box, item view and text edit.
    /// A button may be named by its text; everything else needs an
    /// accessibleName.
    static QStringList unnamedControls(QWidget *root, const QString &where)
    {
        QStringList missing;
        int checked = 0;
        const QList<QWidget *> widgets = root->findChildren<QWidget *>();
        for (QWidget *w : widgets) {
            if (w->window() != root || !w->isVisibleTo(root))
                continue; // other windows are checked when they are open
            QWidget *parent = w->parentWidget();
            if (qobject_cast<QAbstractScrollArea *>(parent) || qobject_cast<QAbstractSpinBox *>(parent) || qobject_cast<QComboBox *>(parent))
                continue; // a viewport or an inner edit: named through its owner
            const bool interactive = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w)
                                     || qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QAbstractItemView *>(w)
                                     || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QTextEdit *>(w);
            if (!interactive && w->focusPolicy() == Qt::NoFocus)
                continue;
            ++checked;
            if (!w->accessibleName().isEmpty())
                continue;
            if (auto *b = qobject_cast<QAbstractButton *>(w); b && !b->text().remove(QLatin1Char('&')).trimmed().isEmpty())
                continue;
            missing << QStringLiteral("%1: %2 \"%3\"").arg(where, QString::fromLatin1(w->metaObject()->className()), w->objectName());
        }
        if (checked == 0)
            missing << QStringLiteral("%1: no control found").arg(where);
        return missing;
    }

private Q_SLOTS:
    void generateOneDemoVideo_data()
    {
        QTest::addColumn<Dialect>("dialect");
        QTest::newRow("videos-sse") << Dialect::VideosSse;
        QTest::newRow("tasks-sse") << Dialect::TasksSse;
        QTest::newRow("stages-sse") << Dialect::StagesSse;
        QTest::newRow("websocket") << Dialect::WebSocket;
    }

    void generateOneDemoVideo()
    {
        QFETCH(Dialect, dialect);
        open(20, dialect);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        QVERIFY(m_window->accountText().contains(QLatin1String("Built-in demo server")));
        ComposePanel *compose = m_window->compose();
        auto *prompt = compose->findChild<QPlainTextEdit *>();
        prompt->clear(); // the first-run example, replaced by our own
        QVERIFY(!compose->generateButton()->isEnabled());
        QTest::keyClicks(prompt, QStringLiteral("A paper boat drifting down a rainy street"));
        QTest::mouseClick(compose->sampleButtons().first(), Qt::LeftButton);
        QVERIFY(compose->generateButton()->isEnabled());
        screenshot(m_window.get(), QStringLiteral("compose-") + tag);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);

        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        Job *job = m_window->jobList()->currentJob();
        QTRY_COMPARE_WITH_TIMEOUT(job->connection().state == ConnectionState::Connected || job->isFinal(), true, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(job->percent() >= 20 || job->isFinal(), 10000); // tasks-sse has no steps
        if (!job->isFinal()) {
            auto *bar = m_window->progressView()->findChild<QProgressBar *>();
            QVERIFY(bar->value() > 0); // the bar moves
        }
        screenshot(m_window.get(), QStringLiteral("progress-") + tag);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Completed, 30000);
        // Steps in order, each line with its [step] prefix.
        const QStringList lines = m_window->progressView()->logText().split(QLatin1Char('\n'));
        if (dialect == Dialect::VideosSse || dialect == Dialect::WebSocket) {
            QCOMPARE(lines.size(), 9);
            QCOMPARE(lines.at(2), QStringLiteral("[3] 🤖 Calling Sora 2 API..."));
        } else if (dialect == Dialect::StagesSse) {
            QVERIFY(lines.contains(QStringLiteral("[5] 🎬 Video generation...")));
            // The streamed rewrite is shown as live text.
            QVERIFY(m_window->progressView()->streamedText().contains(QLatin1String("A paper boat drifting down a rainy street")));
            QCOMPARE(m_window->progressView()->pipelineText(),
                     QStringLiteral("rewrite> storyboard> image_generation> camera_movement> video_generation>"));
        }
        if (dialect != Dialect::StagesSse) {
            QVERIFY(m_window->progressView()->streamedText().isEmpty());
            QCOMPARE(m_window->progressView()->pipelineText(), QString());
        }
        QVERIFY(lines.last().contains(QStringLiteral("🎉 Video ready!")));
        // The video is downloaded and loaded by the player, and the credits drop by 100.
        QTRY_VERIFY2_WITH_TIMEOUT(!m_window->player()->file().isEmpty(), qPrintable(m_window->bannerText()), 10000);
        QVERIFY(QFile::exists(m_window->player()->file()));
        QTRY_VERIFY_WITH_TIMEOUT(mediaPlayerOf(m_window->player())->duration() > 0, 15000);
        QCOMPARE(mediaPlayerOf(m_window->player())->duration() / 1000, 4);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("900 credits")), 10000);
        // The first frames are there before the screenshot: playing, or loaded.
        QTRY_VERIFY_WITH_TIMEOUT(mediaPlayerOf(m_window->player())->position() > 0
                                     || mediaPlayerOf(m_window->player())->mediaStatus() == QMediaPlayer::BufferedMedia
                                     || mediaPlayerOf(m_window->player())->mediaStatus() == QMediaPlayer::LoadedMedia,
                                 15000);
        QVERIFY(m_window->bannerText().contains(QLatin1String("ready")));
        QCOMPARE(m_window->lastNotification(), QStringLiteral("Your video is ready"));
        const QList<QLabel *> labels = m_window->progressView()->findChildren<QLabel *>();
        const QString finished = QStringLiteral("Finished (%1)").arg(dialectName(dialect));
        QVERIFY(std::any_of(labels.begin(), labels.end(), [&](QLabel *l) { return l->text().startsWith(finished); }));
        screenshot(m_window.get(), QStringLiteral("completed-") + tag);
    }

    void apiTokenLogin()
    {
        open();
        const QByteArray token = demoBackend()->accounts().login(QStringLiteral("demo"), QStringLiteral("demo"));
        LoginDialog *login = m_window->showLogin(ServerProfile::demo().name);
        login->findChild<QRadioButton *>(QString(), Qt::FindChildrenRecursively);
        const QList<QRadioButton *> radios = login->findChildren<QRadioButton *>();
        QRadioButton *tokenRadio = *std::find_if(radios.begin(), radios.end(),
                                                 [](QRadioButton *r) { return r->text() == QLatin1String("API token"); });
        QTest::mouseClick(tokenRadio, Qt::LeftButton);
        const QList<QLineEdit *> edits = login->findChildren<QLineEdit *>();
        QLineEdit *tokenEdit = *std::find_if(edits.begin(), edits.end(),
                                             [](QLineEdit *e) { return e->accessibleName() == QLatin1String("API token"); });
        QTest::keyClicks(tokenEdit, QString::fromUtf8(token));
        QTest::mouseClick(login->loginButton(), Qt::LeftButton);
        QTRY_VERIFY(!login->isVisible());
        QVERIFY(m_window->accountText().contains(QLatin1String("demo")));
    }

    void timingsOnDemandAndPaste()
    {
        open();
        QImage pasted(200, 120, QImage::Format_RGB32);
        pasted.fill(QColor(200, 40, 90));
        QGuiApplication::clipboard()->setImage(pasted);
        ComposePanel *compose = m_window->compose();
        QVERIFY(compose->pasteImage());
        QVERIFY(compose->imagePath().endsWith(QLatin1String(".png")));
        compose->setPrompt(QStringLiteral("A magenta square becomes a sunrise"));
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobList()->currentJob()->state(), Job::State::Completed, 30000);
        QVERIFY(!m_window->progressView()->logText().contains(QLatin1String(" s)")));
        m_window->progressView()->setShowTimings(true);
        const QStringList lines = m_window->progressView()->logText().split(QLatin1Char('\n'));
        QVERIFY2(lines.first().contains(QRegularExpression(QStringLiteral("\\(\\d+\\.\\d s\\)$"))), qPrintable(lines.first()));
    }

    void fitsCommonScreens_data()
    {
        QTest::addColumn<QSize>("screen");
        QTest::newRow("1280x800") << QSize(1280, 800);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }

    void fitsCommonScreens()
    {
        QFETCH(QSize, screen);
        open();
        const QSize needed = m_window->minimumSizeHint();
        QVERIFY2(needed.width() <= screen.width() && needed.height() <= screen.height() - 60, // leave room for panels
                 qPrintable(QStringLiteral("needs %1x%2").arg(needed.width()).arg(needed.height())));
        const QSize size(screen.width(), screen.height() - 60);
        m_window->resize(size);
        QTRY_COMPARE(m_window->size(), size);
        // Laid out for that size (the layout runs from a posted event): the
        // central widget spans the width, the status bar sits at the bottom.
        QTRY_COMPARE(m_window->centralWidget()->width(), size.width());
        QTRY_COMPARE(m_window->statusBar()->geometry().bottom(), size.height() - 1);
        QVERIFY(m_window->compose()->generateButton()->isVisible());
        QVERIFY(m_window->compose()->generateButton()->geometry().bottom() < m_window->compose()->height());
        screenshot(m_window.get(), QStringLiteral("window-%1x%2").arg(screen.width()).arg(screen.height()));
    }

    void englishPluralsReadWell()
    {
        // "3 prompt(s)" read as written without a catalogue for English.
        // Any language but Chinese gets it, as the program loads it (the tests run in C.UTF-8).
        QTranslator translator;
        QVERIFY(loadCatalogue(&translator));
        QCoreApplication::installTranslator(&translator);
        const auto tr = [](const char *context, const char *text, int n) { return QCoreApplication::translate(context, text, nullptr, n); };
        QCOMPARE(tr("framecast::ui::ComposePanel", "%n prompt(s)", 1), QStringLiteral("1 prompt"));
        QCOMPARE(tr("framecast::ui::ComposePanel", "%n prompt(s)", 3), QStringLiteral("3 prompts"));
        QCOMPARE(tr("framecast::ui::QueueView", "%n job(s) still wait in the queue and will not be started. Quit anyway?", 1),
                 QStringLiteral("1 job still waits in the queue and will not be started. Quit anyway?"));
        QCOMPARE(tr("framecast::sse::SseStream", "Gave up after %n attempt(s): %1", 2), QStringLiteral("Gave up after 2 attempts: %1"));
        // And in the window: one prompt per line, three lines.
        makeSession();
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->compose()->perLineBox()->setChecked(true);
        m_window->compose()->setPrompt(QStringLiteral("A fox in the snow at dawn\nA lighthouse in a storm\nA koi pond in the rain"));
        const auto countShown = [this] {
            for (QLabel *label : m_window->compose()->findChildren<QLabel *>()) {
                if (label->text() == QLatin1String("3 prompts"))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY(countShown());
        QCoreApplication::removeTranslator(&translator);
    }

    void simplifiedChineseIsShipped()
    {
        QTranslator translator;
        QVERIFY(translator.load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("framecast"), QStringLiteral("_"),
                                QStringLiteral(":/i18n")));
        QCoreApplication::installTranslator(&translator);
        makeSession();
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->show();
        m_window->startDemo();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QStringLiteral("1000 积分")), 10000);
        QCOMPARE(m_window->compose()->generateButton()->text(), QStringLiteral("生成"));
        // The job list's states too (they were the ledger's English names).
        QCOMPARE(Job::stateText(Job::State::Running), QStringLiteral("生成中"));
        QCOMPARE(Job::stateText(Job::State::Completed), QStringLiteral("已完成"));
        QCOMPARE(checkPrompt(QStringLiteral("short")), QStringLiteral("提示词至少需要 10 个字符（当前 5 个）"));
        screenshot(m_window.get(), QStringLiteral("window-zh_CN"));
        m_window.reset();
        m_session.reset();
        QCoreApplication::removeTranslator(&translator);
    }

    void darkThemeIsReadable()
    {
        const QPalette original = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(32, 33, 36));
        dark.setColor(QPalette::WindowText, QColor(232, 234, 237));
        dark.setColor(QPalette::Base, QColor(24, 24, 27));
        dark.setColor(QPalette::Text, QColor(232, 234, 237));
        dark.setColor(QPalette::Button, QColor(48, 49, 52));
        dark.setColor(QPalette::ButtonText, QColor(232, 234, 237));
        QApplication::setPalette(dark);
        open();
        m_window->compose()->setPrompt(QStringLiteral("Neon signs in the rain"));
        QTest::mouseClick(m_window->compose()->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->jobList()->currentJob()->step() >= 3 || m_window->jobList()->currentJob()->isFinal(), 10000);
        // Text follows the palette: light on dark in the step label and the log.
        auto *log = m_window->progressView()->findChild<QPlainTextEdit *>();
        const QColor text = log->palette().color(QPalette::Text);
        const QColor base = log->palette().color(QPalette::Base);
        QVERIFY(qAbs(text.lightness() - base.lightness()) > 128);
        screenshot(m_window.get(), QStringLiteral("window-dark"));
        QApplication::setPalette(original);
    }

    void aboutShowsTheVersion()
    {
        // The version as project() declares it, read from the source at test
        // time: not the FRAMECAST_VERSION macro the About text is built from.
        QFile cmake(QStringLiteral(FRAMECAST_SOURCE_DIR "/CMakeLists.txt"));
        QVERIFY2(cmake.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(cmake.fileName()));
        const QRegularExpressionMatch declared = QRegularExpression(QStringLiteral("project\\(Framecast\\s+VERSION\\s+(\\d+\\.\\d+\\.\\d+)\\b"))
                                                     .match(QString::fromUtf8(cmake.readAll()));
        QVERIFY2(declared.hasMatch(), "no project(Framecast VERSION x.y.z) in the top-level CMakeLists.txt");
        const QString version = declared.captured(1);
        const QString about = MainWindow::aboutText();
        QVERIFY2(about.contains(QStringLiteral("Framecast ") + version), qPrintable(about));
        // The Qt it runs on, not the one it was compiled against.
        QVERIFY2(about.contains(QStringLiteral("Qt ") + QString::fromLatin1(qVersion())), qPrintable(about));
        // The built binary says the same.
        QProcess exe;
        exe.start(QStringLiteral(FRAMECAST_EXE), {QStringLiteral("--version")});
        QVERIFY2(exe.waitForFinished(10000), qPrintable(exe.errorString()));
        QCOMPARE(exe.exitStatus(), QProcess::NormalExit);
        QCOMPARE(exe.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(exe.readAllStandardOutput()).trimmed(), QStringLiteral("framecast ") + version);
    }

    void everyControlHasAnAccessibleName()
    {
        open();
        QStringList missing;
        // Both tabs of the main window: each shows its own controls.
        m_window->showTab(0);
        missing << unnamedControls(m_window.get(), QStringLiteral("Jobs tab"));
        m_window->showTab(1);
        QTRY_VERIFY(m_window->history()->isVisible());
        missing << unnamedControls(m_window.get(), QStringLiteral("History tab"));
        m_window->showTab(0);
        // The login dialog, with each way of logging in.
        LoginDialog *login = m_window->showLogin(ServerProfile::demo().name);
        QTRY_VERIFY(login->isVisible());
        const QList<QRadioButton *> radios = login->findChildren<QRadioButton *>();
        QVERIFY(radios.size() >= 2);
        for (QRadioButton *radio : radios) {
            radio->click();
            QVERIFY2(radio->isChecked(), qPrintable(radio->text()));
            missing << unnamedControls(login, QStringLiteral("login (%1)").arg(radio->text()));
        }
        // The profile editor, opened from the login dialog's "Add server…":
        // it runs modally, so it is checked from inside its exec() loop.
        const QList<QPushButton *> buttons = login->findChildren<QPushButton *>();
        const auto add = std::find_if(buttons.begin(), buttons.end(),
                                      [](QPushButton *b) { return b->accessibleName() == QLatin1String("Add a server"); });
        QVERIFY(add != buttons.end());
        bool editorChecked = false;
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *editor = login->findChild<ProfileEditor *>();
            if (!editor || !editor->isVisible())
                return;
            poll.stop();
            missing << unnamedControls(editor, QStringLiteral("profile editor"));
            editorChecked = true;
            editor->reject();
        });
        poll.start();
        QTest::mouseClick(*add, Qt::LeftButton); // returns once the editor is closed
        QTRY_VERIFY(editorChecked);
        login->reject();
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void keyboardOnly()
    {
        open();
        ComposePanel *compose = m_window->compose();
        compose->findChild<QPlainTextEdit *>()->clear();
        compose->findChild<QPlainTextEdit *>()->setFocus();
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Northern lights over a frozen lake"));
        // Tab reaches the sample images; Space picks one; Ctrl+Enter generates.
        QWidget *focus = nullptr;
        for (int i = 0; i < 20 && !compose->sampleButtons().contains(qobject_cast<QPushButton *>(focus)); ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            focus = QApplication::focusWidget();
        }
        QVERIFY2(compose->sampleButtons().contains(qobject_cast<QPushButton *>(focus)), "Tab never reached a sample image");
        QTest::keyClick(focus, Qt::Key_Space);
        QVERIFY(!compose->imagePath().isEmpty());
        QTest::keyClick(focus, Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobList()->currentJob()->state(), Job::State::Completed, 30000);
    }

    void firstRunNeedsOneGenerate()
    {
        open();
        QCOMPARE(m_window->avatarText(), QStringLiteral("D")); // initials of "demo"
        ComposePanel *compose = m_window->compose();
        QVERIFY(!compose->prompt().isEmpty());
        QVERIFY(!compose->imagePath().isEmpty());
        QVERIFY(compose->generateButton()->isEnabled());
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->jobList()->currentJob() != nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobList()->currentJob()->state(), Job::State::Completed, 30000);
        // Qt Multimedia starts with the first video.
        QTRY_VERIFY_WITH_TIMEOUT(mediaPlayerOf(m_window->player()) && mediaPlayerOf(m_window->player())->duration() > 0, 15000);
    }

    void dropAnImageFile()
    {
        open();
        QImage image(160, 90, QImage::Format_RGB32);
        image.fill(Qt::darkCyan);
        const QString file = m_dir.filePath(QStringLiteral("dropped.png"));
        QVERIFY(image.save(file));
        auto *mime = new QMimeData;
        mime->setUrls({QUrl::fromLocalFile(file)});
        ComposePanel *compose = m_window->compose();
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(compose, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(compose, &drop);
        QCOMPARE(compose->imagePath(), file);
        delete mime;
    }

    void severalJobsAtOnce()
    {
        open(60);
        ComposePanel *compose = m_window->compose();
        compose->setPrompt(QStringLiteral("First job: a lantern festival"));
        QTest::mouseClick(compose->sampleButtons().at(2), Qt::LeftButton);
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        compose->setPrompt(QStringLiteral("Second job: a comet over the sea"));
        QTest::mouseClick(compose->generateButton(), Qt::LeftButton);
        QTRY_COMPARE(m_window->jobList()->count(), 2);
        for (int row = 0; row < 2; ++row)
            QTRY_COMPARE_WITH_TIMEOUT(m_window->jobList()->jobAt(row)->state(), Job::State::Completed, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountText().contains(QLatin1String("800 credits")), 10000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
