// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QString>

#include <optional>

class QDBusVariant;
class QVariant;

namespace framecast::desktop {

/// The desktop's light or dark preference, as the XDG desktop portal tells
/// every app (`org.freedesktop.appearance` `color-scheme` through
/// `org.freedesktop.portal.Settings` on the session bus): read once, then
/// followed live through its SettingChanged signal. GNOME, KDE and the
/// others that ship a portal backend answer it; where no portal answers,
/// preference() stays empty and the window keeps its platform palette.
class ColorSchemePortal final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ColorSchemePortal)

public:
    static constexpr const char *kService = "org.freedesktop.portal.Desktop";
    static constexpr const char *kPath = "/org/freedesktop/portal/desktop";
    static constexpr const char *kInterface = "org.freedesktop.portal.Settings";

    /// The values of the setting (the portal's documentation).
    enum class Preference { NoPreference = 0, Dark = 1, Light = 2 };
    Q_ENUM(Preference)

    explicit ColorSchemePortal(QDBusConnection bus, QObject *parent = nullptr);

    /// Asks the portal (asynchronously, `timeoutMs` at most); answered() follows.
    void read(int timeoutMs = 2000);
    /// What the portal said last; empty while none answered.
    std::optional<Preference> preference() const { return m_preference; }
    /// Why the last read got no answer (no portal on the bus, an old one...).
    QString error() const { return m_error; }

    /// The setting's value as the bus carries it (Read wraps it in one more
    /// variant than SettingChanged does); empty for anything else.
    static std::optional<Preference> parse(const QVariant &value);

Q_SIGNALS:
    /// A read finished: with preference() set, or with error().
    void answered();
    /// The preference differs from what it was (the first answer counts).
    void preferenceChanged(framecast::desktop::ColorSchemePortal::Preference preference);

private Q_SLOTS:
    // QtDBus connects signals of the bus only by slot name.
    void onSettingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    void update(Preference preference);

    QDBusConnection m_bus;
    std::optional<Preference> m_preference;
    QString m_error;
};

} // namespace framecast::desktop
