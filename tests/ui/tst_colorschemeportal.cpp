// SPDX-License-Identifier: GPL-3.0-or-later
// The light/dark preference from a real XDG desktop portal: Debian's
// xdg-desktop-portal with its GTK backend, which serves
// org.freedesktop.appearance color-scheme from GSettings
// (org.gnome.desktop.interface color-scheme), on a private session bus
// started by support/with-portal.sh. The test changes the preference with
// gsettings, as GNOME's settings do, and the app follows it live.
#include "desktop/ColorSchemePortal.h"
#include "session/ProfileStore.h"
#include "style/Appearance.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusVariant>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace framecast;
using framecast::desktop::ColorSchemePortal;
using framecast::ui::Appearance;
using Preference = framecast::desktop::ColorSchemePortal::Preference;

Q_DECLARE_METATYPE(std::optional<framecast::desktop::ColorSchemePortal::Preference>)

namespace {

bool gsettingsSet(const QString &value)
{
    return QProcess::execute(QStringLiteral("gsettings"),
                             { QStringLiteral("set"), QStringLiteral("org.gnome.desktop.interface"),
                               QStringLiteral("color-scheme"), value })
        == 0;
}

/// What a fresh Read of the portal answers now.
std::optional<Preference> readNow()
{
    ColorSchemePortal portal(QDBusConnection::sessionBus());
    QSignalSpy answered(&portal, &ColorSchemePortal::answered);
    portal.read();
    if (answered.isEmpty() && !answered.wait(5000))
        return std::nullopt;
    return portal.preference();
}

int windowLightness()
{
    return QApplication::palette().color(QPalette::Window).lightness();
}

} // namespace

class TestColorSchemePortal : public QObject
{
    Q_OBJECT

private:
    /// Sets the desktop's preference and waits until the portal serves it.
    void setDesktopScheme(const QString &value, Preference expected)
    {
        QVERIFY2(gsettingsSet(value), "gsettings failed (package libglib2.0-bin)");
        QTRY_VERIFY_WITH_TIMEOUT(readNow() == expected, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QDBusConnection::sessionBus().isConnected(), "run through tests/support/with-portal.sh");
        ProfileStore().settings()->remove(QLatin1String(Appearance::kSettingsKey));
        Appearance(); // captures the platform palette before any change
    }

    void init()
    {
        setDesktopScheme(QStringLiteral("default"), Preference::NoPreference);
        qunsetenv(Appearance::kEnvironmentVariable);
    }

    void cleanup()
    {
        ProfileStore().settings()->remove(QLatin1String(Appearance::kSettingsKey));
        Appearance().setChoice(Appearance::Scheme::System);
    }

    void parse_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<std::optional<Preference>>("expected");
        QTest::newRow("u 1") << QVariant::fromValue(1u) << std::optional(Preference::Dark);
        QTest::newRow("u 2") << QVariant::fromValue(2u) << std::optional(Preference::Light);
        QTest::newRow("u 0") << QVariant::fromValue(0u) << std::optional(Preference::NoPreference);
        QTest::newRow("v u (SettingChanged)")
            << QVariant::fromValue(QDBusVariant(1u)) << std::optional(Preference::Dark);
        QTest::newRow("v v u (Read)") << QVariant::fromValue(QDBusVariant(QVariant::fromValue(QDBusVariant(2u))))
                                      << std::optional(Preference::Light);
        QTest::newRow("newer value") << QVariant::fromValue(7u) << std::optional(Preference::NoPreference);
        QTest::newRow("string") << QVariant(QStringLiteral("dark")) << std::optional<Preference>();
        QTest::newRow("nothing") << QVariant() << std::optional<Preference>();
    }

    void parse()
    {
        QFETCH(QVariant, value);
        QFETCH(std::optional<Preference>, expected);
        QCOMPARE(ColorSchemePortal::parse(value), expected);
    }

    void readsTheDesktopsPreference()
    {
        setDesktopScheme(QStringLiteral("prefer-dark"), Preference::Dark);
        ColorSchemePortal portal(QDBusConnection::sessionBus());
        QSignalSpy answered(&portal, &ColorSchemePortal::answered);
        portal.read();
        QVERIFY(answered.wait(5000));
        QVERIFY2(portal.error().isEmpty(), qPrintable(portal.error()));
        QCOMPARE(portal.preference(), Preference::Dark);
        setDesktopScheme(QStringLiteral("prefer-light"), Preference::Light);
    }

    void followsChangesLive()
    {
        ColorSchemePortal portal(QDBusConnection::sessionBus());
        QSignalSpy changed(&portal, &ColorSchemePortal::preferenceChanged);
        QVERIFY(gsettingsSet(QStringLiteral("prefer-dark")));
        // No read: the SettingChanged signal alone brings it.
        QVERIFY(changed.wait(10000));
        QCOMPARE(changed.last().at(0).value<Preference>(), Preference::Dark);
        QVERIFY(gsettingsSet(QStringLiteral("prefer-light")));
        QTRY_COMPARE_WITH_TIMEOUT(portal.preference(), Preference::Light, 10000);
    }

    void windowFollowsTheDesktop()
    {
        QWidget window;
        window.show();
        Appearance appearance;
        QCOMPARE(appearance.choice(), Appearance::Scheme::System);
        QTRY_VERIFY(appearance.portal()->preference() == Preference::NoPreference);
        QVERIFY(!appearance.isDark()); // no preference: the platform palette, light here
        QVERIFY(gsettingsSet(QStringLiteral("prefer-dark")));
        QTRY_VERIFY_WITH_TIMEOUT(appearance.isDark(), 10000);
        QVERIFY(windowLightness() < 64);
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() < 64); // a posted event
        QVERIFY(gsettingsSet(QStringLiteral("prefer-light")));
        QTRY_VERIFY_WITH_TIMEOUT(!appearance.isDark(), 10000);
        QVERIFY(windowLightness() > 200);

        // The user's choice wins over the desktop's, and keeps winning.
        appearance.setChoice(Appearance::Scheme::Dark);
        QVERIFY(appearance.isDark());
        QVERIFY(gsettingsSet(QStringLiteral("prefer-dark")));
        QTRY_COMPARE_WITH_TIMEOUT(appearance.portal()->preference(), Preference::Dark, 10000);
        QVERIFY(gsettingsSet(QStringLiteral("prefer-light")));
        QTRY_COMPARE_WITH_TIMEOUT(appearance.portal()->preference(), Preference::Light, 10000);
        QVERIFY(appearance.isDark());
        // Back to following: light, as the desktop is now.
        appearance.setChoice(Appearance::Scheme::System);
        QVERIFY(!appearance.isDark());
    }

    void startsDarkWhenTheDesktopIs()
    {
        setDesktopScheme(QStringLiteral("prefer-dark"), Preference::Dark);
        Appearance appearance;
        QTRY_VERIFY_WITH_TIMEOUT(appearance.isDark(), 5000);
        QVERIFY(windowLightness() < 64);
    }
};

QTEST_MAIN(TestColorSchemePortal)
#include "tst_colorschemeportal.moc"
