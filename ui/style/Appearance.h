// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPalette>
#include <QString>

#include <optional>

namespace framecast::desktop {
class ColorSchemePortal;
}

namespace framecast::ui {

/// Light or dark: follows the desktop's preference (the XDG portal's
/// `color-scheme` on Linux, live; else the platform palette's lightness)
/// unless the user chose one (View ▸ Appearance, kept in the settings, or
/// FRAMECAST_COLOR_SCHEME=dark|light|system for a run: screenshots, tests).
/// Dark is Qt's Fusion style with the app's dark palette, so every widget
/// that draws with palette roles follows; light is the platform's own look.
class Appearance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Appearance)

public:
    enum class Scheme { System, Light, Dark };
    Q_ENUM(Scheme)

    static constexpr const char *kEnvironmentVariable = "FRAMECAST_COLOR_SCHEME";
    static constexpr const char *kSettingsKey = "appearance/colorScheme";

    /// Reads the choice (the environment, else the settings), applies it, and
    /// where there is a session bus asks the portal and follows it.
    explicit Appearance(QObject *parent = nullptr);
    ~Appearance() override;

    Scheme choice() const { return m_choice; }
    /// The user's choice from the menu: applied now and kept in the settings.
    void setChoice(Scheme scheme);
    /// Whether the window is dark now.
    bool isDark() const { return m_dark; }
    /// What the desktop prefers: the portal's answer, else the platform palette.
    bool systemPrefersDark() const;
    /// The portal reader (Linux); null where there is no D-Bus.
    desktop::ColorSchemePortal *portal() const { return m_portal; }

    static QPalette darkPalette();
    /// "dark", "light", "system" (any case); empty for anything else.
    static std::optional<Scheme> parse(const QString &text);
    static QString name(Scheme scheme);

Q_SIGNALS:
    /// The window turned dark (true) or light; also for the first application.
    void changed(bool dark);

private:
    void apply();

    Scheme m_choice = Scheme::System;
    bool m_dark = false;
    bool m_applied = false;
    desktop::ColorSchemePortal *m_portal = nullptr;
};

} // namespace framecast::ui
