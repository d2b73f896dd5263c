// SPDX-License-Identifier: GPL-3.0-or-later
// The look: the light/dark choice switches the application palette (and the
// widgets drawing with it), the type scale, and icons and thumbnails that
// are sharp on a 2x screen. Runs at QT_SCALE_FACTOR=2 (see main()), with no
// D-Bus session (the portal itself: tst_colorschemeportal).
#include "compose/ComposePanel.h"
#ifdef FRAMECAST_HAVE_DBUS
#include "desktop/ColorSchemePortal.h"
#endif
#include "mainwindow/MainWindow.h"
#include "session/ProfileStore.h"
#include "session/Session.h"
#include "style/Appearance.h"
#include "style/Style.h"
#include "widgets/EmptyState.h"
#include "widgets/NoticeBanner.h"

#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStyle>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;
using framecast::ui::Appearance;
namespace style = framecast::ui::style;

namespace {

int windowLightness()
{
    return QApplication::palette().color(QPalette::Window).lightness();
}

/// `w`'s text colour as it shows on its window (placeholder colours may be translucent).
int shownLightness(const QWidget *w)
{
    const QColor fg = w->palette().color(w->foregroundRole());
    const QColor bg = w->palette().color(QPalette::Window);
    const qreal a = fg.alphaF();
    return QColor::fromRgbF(float(fg.redF() * a + bg.redF() * (1 - a)), float(fg.greenF() * a + bg.greenF() * (1 - a)),
                            float(fg.blueF() * a + bg.blueF() * (1 - a)))
        .lightness();
}

/// How many pixels of `a` and `b` differ by more than a rounding step.
int differingPixels(const QImage &a, const QImage &b)
{
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QColor p = a.pixelColor(x, y), q = b.pixelColor(x, y);
            if (std::abs(p.red() - q.red()) + std::abs(p.green() - q.green()) + std::abs(p.blue() - q.blue())
                    + std::abs(p.alpha() - q.alpha())
                > 12)
                ++n;
        }
    return n;
}

} // namespace

class TestAppearance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        qunsetenv(Appearance::kEnvironmentVariable);
        ProfileStore().settings()->remove(QLatin1String(Appearance::kSettingsKey));
    }

    void cleanup()
    {
        qunsetenv(Appearance::kEnvironmentVariable);
        Appearance().setChoice(Appearance::Scheme::System); // back to the platform's look
        ProfileStore().settings()->remove(QLatin1String(Appearance::kSettingsKey));
    }

    void systemWithoutPortalKeepsThePlatformPalette()
    {
        const int before = windowLightness();
        Appearance appearance;
#ifdef FRAMECAST_HAVE_DBUS
        QVERIFY(appearance.portal());
        QSignalSpy answered(appearance.portal(), &desktop::ColorSchemePortal::answered);
        if (appearance.portal()->error().isEmpty())
            QVERIFY(answered.wait(5000));
        QVERIFY2(!appearance.portal()->error().isEmpty(), "no session bus here: the read must fail");
#endif
        QVERIFY(!appearance.isDark());
        QCOMPARE(windowLightness(), before);
        QVERIFY(windowLightness() > 200); // the offscreen platform is light
    }

    void choiceSwitchesThePalette()
    {
        Appearance appearance;
        QSignalSpy changed(&appearance, &Appearance::changed);
        appearance.setChoice(Appearance::Scheme::Dark);
        QVERIFY(appearance.isDark());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toBool(), true);
        QVERIFY2(windowLightness() < 64, qPrintable(QString::number(windowLightness())));
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        // Widgets draw with it: text light on dark, a muted label between.
        QWidget window;
        auto *body = new QLabel(QStringLiteral("body"), &window);
        auto *muted = new QLabel(QStringLiteral("muted"), &window);
        style::setMuted(muted);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(style::isMuted(muted));
        // Widgets take the new palette from a posted event.
        QTRY_VERIFY(body->palette().color(body->foregroundRole()).lightness() > 200);
        const int mutedLightness = shownLightness(muted);
        QVERIFY2(mutedLightness > 110 && mutedLightness < 200, qPrintable(QString::number(mutedLightness)));

        appearance.setChoice(Appearance::Scheme::Light);
        QVERIFY(!appearance.isDark());
        QCOMPARE(changed.count(), 2);
        QVERIFY(windowLightness() > 200);
        QTRY_VERIFY(body->palette().color(body->foregroundRole()).lightness() < 60);
        QTRY_VERIFY(shownLightness(muted) > shownLightness(body) + 60); // grey on light
        QVERIFY(shownLightness(muted) < window.palette().color(QPalette::Window).lightness() - 60);
    }

    void choiceIsKeptInTheSettings()
    {
        Appearance(nullptr).setChoice(Appearance::Scheme::Dark);
        QCOMPARE(ProfileStore().settings()->value(QLatin1String(Appearance::kSettingsKey)).toString(),
                 QStringLiteral("dark"));
        QApplication::setPalette(QApplication::style()->standardPalette()); // as a new run starts
        Appearance next;
        QCOMPARE(next.choice(), Appearance::Scheme::Dark);
        QVERIFY(next.isDark());
        QVERIFY(windowLightness() < 64);
    }

    void environmentForcesTheScheme()
    {
        ProfileStore().settings()->setValue(QLatin1String(Appearance::kSettingsKey), QStringLiteral("light"));
        qputenv(Appearance::kEnvironmentVariable, "DARK");
        Appearance forced;
        QCOMPARE(forced.choice(), Appearance::Scheme::Dark);
        QVERIFY(windowLightness() < 64);
        qputenv(Appearance::kEnvironmentVariable, "light");
        Appearance light;
        QVERIFY(windowLightness() > 200);
        QCOMPARE(Appearance::parse(QStringLiteral(" System ")), Appearance::Scheme::System);
        QVERIFY(!Appearance::parse(QStringLiteral("purple")));
    }

    void viewMenuChoosesTheScheme()
    {
        QTemporaryDir dir;
        Session session(dir.filePath(QStringLiteral("videos")));
        ui::MainWindow window(&session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Appearance appearance;
        QVERIFY(window.appearanceMenu()->actions().isEmpty());
        window.setAppearance(&appearance);
        const QList<QAction *> actions = window.appearanceMenu()->actions();
        QCOMPARE(actions.size(), 3);
        QVERIFY(actions.at(0)->isChecked()); // follow the system
        actions.at(2)->trigger();
        QVERIFY(actions.at(2)->isChecked());
        QVERIFY(!actions.at(0)->isChecked());
        QVERIFY(appearance.isDark());
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() < 64);
        actions.at(1)->trigger();
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() > 200);
    }

    void typeScaleFollowsTheSystemFont()
    {
        const QFont body = style::font(style::TextRole::Body);
        QCOMPARE(body.pointSizeF(), QApplication::font().pointSizeF());
        QVERIFY(style::font(style::TextRole::Title).pointSizeF() > style::font(style::TextRole::Heading).pointSizeF());
        QVERIFY(style::font(style::TextRole::Heading).pointSizeF() > style::font(style::TextRole::Prompt).pointSizeF());
        QVERIFY(style::font(style::TextRole::Prompt).pointSizeF() > body.pointSizeF());
        QVERIFY(body.pointSizeF() > style::font(style::TextRole::Caption).pointSizeF());
        QVERIFY(style::font(style::TextRole::Heading).weight() > body.weight());
        // A larger system font moves the whole scale.
        const QFont bigger(QApplication::font().family(), int(QApplication::font().pointSizeF() * 2));
        QVERIFY(style::font(style::TextRole::Title, bigger).pointSizeF()
                > style::font(style::TextRole::Title).pointSizeF() * 1.8);
        QVERIFY(style::spacing(style::Space::Section) > style::spacing(style::Space::Related));

        // The prompt is the compose panel's most prominent input.
        ui::ComposePanel compose;
        auto *prompt = compose.findChild<QPlainTextEdit *>();
        QVERIFY(prompt);
        QVERIFY(prompt->font().pointSizeF() > QApplication::font().pointSizeF());
        QVERIFY(prompt->minimumHeight() >= prompt->fontMetrics().lineSpacing() * 5);
    }

    void iconsAreDrawnAtTheScreensRatio()
    {
        QCOMPARE(qApp->devicePixelRatio(), 2.0);
        for (const QString name : { "empty-jobs", "empty-history", "empty-gallery", "generate" }) {
            const QIcon icon = style::icon(name);
            QVERIFY2(!icon.isNull(), qPrintable(name));
            const QPixmap twice = icon.pixmap(QSize(64, 64), 2.0);
            QCOMPARE(twice.size(), QSize(128, 128));
            QCOMPARE(twice.devicePixelRatio(), 2.0);
            // Rendered from the SVG at 128 px, not a 64 px image scaled up.
            QImage direct(128, 128, QImage::Format_ARGB32_Premultiplied);
            direct.fill(Qt::transparent);
            QPainter painter(&direct);
            QSvgRenderer(QStringLiteral(":/icons/%1.svg").arg(name)).render(&painter);
            painter.end();
            const QImage got = twice.toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
            QVERIFY2(differingPixels(got, direct) < 40, qPrintable(name));
            const QImage upscaled = icon.pixmap(QSize(64, 64), 1.0)
                                        .toImage()
                                        .scaled(128, 128, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            QVERIFY2(differingPixels(upscaled.convertToFormat(QImage::Format_ARGB32_Premultiplied), direct) > 40,
                     "the test tells a scaled-up image from a sharp one");
        }
        // The app icon at every size, beyond the largest PNG.
        const QIcon app = style::appIcon();
        for (const int side : { 16, 32, 48, 256, 512, 1024 })
            QCOMPARE(app.pixmap(QSize(side, side), 1.0).size(), QSize(side, side));
    }

    void thumbnailsHaveThePixelsOfA2xScreen()
    {
        ui::ComposePanel compose;
        compose.show();
        QVERIFY(QTest::qWaitForWindowExposed(&compose));
        QCOMPARE(compose.devicePixelRatioF(), 2.0);
        for (QPushButton *sample : compose.sampleButtons()) {
            const QList<QSize> sizes = sample->icon().availableSizes();
            QVERIFY(!sizes.isEmpty());
            QVERIFY2(sizes.constFirst().width() >= sample->iconSize().width() * 2,
                     "a 2x screen needs twice the pixels");
        }
        QVERIFY(compose.setImage(ui::ComposePanel::sampleImages().constFirst()));
        QLabel *preview = nullptr;
        for (QLabel *label : compose.findChildren<QLabel *>())
            if (label->accessibleName() == QLatin1String("Reference image preview"))
                preview = label;
        QVERIFY(preview);
        const QPixmap shown = preview->pixmap();
        QCOMPARE(shown.devicePixelRatio(), 2.0);
        QCOMPARE(shown.height(), 112 * 2); // the 200x112 box at the format's ratio, in device pixels
        QCOMPARE(shown.deviceIndependentSize().height(), 112.0);
    }

    void emptyStateShowsItsParts()
    {
        ui::EmptyState empty;
        empty.setIcon(style::icon(QStringLiteral("empty-gallery")));
        empty.setTitle(QStringLiteral("No videos yet"));
        empty.setText(QStringLiteral("Generate one."));
        QVERIFY(empty.actionButton()->isHidden());
        empty.setAction(QStringLiteral("Generate"));
        QSignalSpy action(&empty, &ui::EmptyState::actionTriggered);
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QVERIFY(empty.actionButton()->isVisible());
        QTest::mouseClick(empty.actionButton(), Qt::LeftButton);
        QCOMPARE(action.count(), 1);
        QCOMPARE(empty.accessibleName(), QStringLiteral("No videos yet"));
        // The icon is the SVG drawn for this screen's ratio.
        QLabel *icon = nullptr;
        for (QLabel *label : empty.findChildren<QLabel *>())
            if (!label->pixmap().isNull())
                icon = label;
        QVERIFY(icon);
        QCOMPARE(icon->pixmap().devicePixelRatio(), 2.0);
        QCOMPARE(icon->pixmap().size(), QSize(128, 128));
    }

    void noticeBannerFollowsTheScheme()
    {
        // It was a pale card with dark text in a dark window.
        ui::NoticeBanner banner;
        banner.resize(400, banner.height());
        banner.showNotice(QStringLiteral("Your video is ready."), ui::NoticeBanner::Kind::News);
        banner.show();
        QVERIFY(QTest::qWaitForWindowExposed(&banner));
        const auto card = [&banner] {
            const QImage image = banner.grab().toImage();
            return image.pixelColor(8, image.height() / 2);
        };
        QVERIFY2(card().lightness() > 200, qPrintable(card().name()));
        QVERIFY(card().green() > card().red()); // green for news
        const QPalette light = QApplication::palette();
        QApplication::setPalette(ui::Appearance::darkPalette()); // the scheme switched live
        QTRY_VERIFY2(card().lightness() < 100, qPrintable(card().name()));
        QVERIFY(card().green() > card().red());
        QVERIFY(ui::NoticeBanner::textColor(banner.palette(), banner.kind()).lightness() > 180);
        banner.showNotice(QStringLiteral("Login failed"), ui::NoticeBanner::Kind::Error);
        QTRY_VERIFY2(card().red() > card().green(), qPrintable(card().name()));
        QVERIFY(card().lightness() < 100);
        QApplication::setPalette(light);
        QTRY_VERIFY(card().lightness() > 200);
        QVERIFY(ui::NoticeBanner::textColor(banner.palette(), banner.kind()).lightness() < 100);
        // A notice longer than the card: elided on screen, whole in the text and tooltip.
        const QString longNotice = QStringLiteral("The server said something long ").repeated(10);
        banner.showNotice(longNotice, ui::NoticeBanner::Kind::News);
        QCOMPARE(banner.text(), longNotice);
        QCOMPARE(banner.toolTip(), longNotice);
        QCOMPARE(banner.sizePolicy().horizontalPolicy(), QSizePolicy::Ignored); // the window does not grow for it
        banner.clearNotice();
        QVERIFY(banner.text().isEmpty());
        QVERIFY(banner.toolTip().isEmpty());
    }
};

int main(int argc, char *argv[])
{
    // A 2x screen, as a high-DPI laptop has.
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
    QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
    TestAppearance test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_appearance.moc"
