// SPDX-License-Identifier: GPL-3.0-or-later
#include "style/Appearance.h"

#include "session/ProfileStore.h"

#ifdef FRAMECAST_HAVE_DBUS
#include "desktop/ColorSchemePortal.h"
#endif

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace framecast::ui {

namespace {

/// The look the app started with (platform style and palette), captured
/// before the first change so that light can go back to it.
struct Platform
{
    QString styleName;
    QPalette palette;
};

const Platform &platform()
{
    static const Platform p { QApplication::style()->name(), QGuiApplication::palette() };
    return p;
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

void useStyle(const QString &name)
{
    if (QApplication::style()->name().compare(name, Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(name));
}

} // namespace

Appearance::Appearance(QObject *parent)
    : QObject(parent)
{
    platform();
    const QString env = qEnvironmentVariable(kEnvironmentVariable);
    if (const auto forced = parse(env)) {
        m_choice = *forced;
    } else {
        if (!env.isEmpty())
            qWarning("%s=%s: expected dark, light or system", kEnvironmentVariable, qPrintable(env));
        m_choice
            = parse(ProfileStore().settings()->value(QLatin1String(kSettingsKey)).toString()).value_or(Scheme::System);
    }
#ifdef FRAMECAST_HAVE_DBUS
    m_portal = new desktop::ColorSchemePortal(QDBusConnection::sessionBus(), this);
    connect(m_portal, &desktop::ColorSchemePortal::preferenceChanged, this, &Appearance::apply);
    m_portal->read();
#endif
    apply();
}

Appearance::~Appearance() = default;

void Appearance::setChoice(Scheme scheme)
{
    m_choice = scheme;
    ProfileStore().settings()->setValue(QLatin1String(kSettingsKey), name(scheme));
    apply();
}

bool Appearance::systemPrefersDark() const
{
#ifdef FRAMECAST_HAVE_DBUS
    using Preference = desktop::ColorSchemePortal::Preference;
    if (m_portal && m_portal->preference() && *m_portal->preference() != Preference::NoPreference)
        return *m_portal->preference() == Preference::Dark;
#endif
    return isDarkPalette(platform().palette);
}

void Appearance::apply()
{
    const bool dark = m_choice == Scheme::Dark || (m_choice == Scheme::System && systemPrefersDark());
    static bool replaced = false; // whether the app's look is ours rather than the platform's
    if (dark == isDarkPalette(platform().palette)) {
        // The platform already looks as wanted (a Breeze Dark desktop stays Breeze Dark).
        if (replaced) {
            useStyle(platform().styleName);
            QApplication::setPalette(platform().palette);
            replaced = false;
        }
    } else {
        // Fusion draws with the palette on every platform (the Windows and
        // macOS styles do not), so the palette reaches every widget: the
        // app's dark one, or Fusion's own light one on a dark desktop.
        useStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
        replaced = true;
    }
    if (dark == m_dark && m_applied)
        return;
    m_dark = dark;
    m_applied = true;
    Q_EMIT changed(dark);
}

QPalette Appearance::darkPalette()
{
    const QColor window(0x2a, 0x2a, 0x30);
    const QColor base(0x1e, 0x1e, 0x23);
    const QColor text(0xe8, 0xe8, 0xee);
    const QColor disabled(0x7a, 0x7a, 0x84);
    const QColor accent(0x7c, 0x5c, 0xf0);
    QPalette p(text, window, QColor(0x4a, 0x4a, 0x54), QColor(0x16, 0x16, 0x1a), QColor(0x33, 0x33, 0x3a), text,
               QColor(0xff, 0xff, 0xff), base, window);
    p.setColor(QPalette::Button, QColor(0x36, 0x36, 0x3e));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x3e, 0x46));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9e, 0x9e, 0xaa));
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0xa7, 0x8b, 0xfa));
    p.setColor(QPalette::LinkVisited, QColor(0xc4, 0xb5, 0xfd));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::PlaceholderText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4a, 0x54));
    p.setColor(QPalette::Disabled, QPalette::Button, window);
    return p;
}

std::optional<Appearance::Scheme> Appearance::parse(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("dark"))
        return Scheme::Dark;
    if (t == QLatin1String("light"))
        return Scheme::Light;
    if (t == QLatin1String("system"))
        return Scheme::System;
    return std::nullopt;
}

QString Appearance::name(Scheme scheme)
{
    switch (scheme) {
    case Scheme::Dark:
        return QStringLiteral("dark");
    case Scheme::Light:
        return QStringLiteral("light");
    case Scheme::System:
        break;
    }
    return QStringLiteral("system");
}

} // namespace framecast::ui
