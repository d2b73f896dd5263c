// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/Session.h"

#include <QList>
#include <QSettings>
#include <QString>

#include <memory>

namespace framecast {

/// Server profiles saved in Framecast's settings (`profiles/<name>/…`), the
/// same keys `framecast --headless --profile NAME` reads. Never a token or a
/// password: those belong in the keychain. The built-in demo server is always
/// there and is not stored.
///
/// Where the settings live is decided here, once, for the app, the headless
/// mode and the tests alike: the platform's usual place for organization and
/// application "Framecast" (Linux ~/.config/Framecast/Framecast.conf, Windows
/// the registry, macOS a plist), unless the environment variable
/// FRAMECAST_SETTINGS names an INI file, which is then used on every platform
/// (the tests point it into their own folder; a portable install can too).
class ProfileStore final
{
public:
    static constexpr const char *kSettingsEnvironmentVariable = "FRAMECAST_SETTINGS";

    /// The location from the environment (FRAMECAST_SETTINGS) or the platform's default.
    ProfileStore();
    /// Settings in this INI file, whatever the platform; empty: the platform's default.
    explicit ProfileStore(QString iniFile);

    /// The INI file in use, empty when the platform's default store is.
    QString iniFile() const { return m_iniFile; }
    /// A QSettings on this store's location, for the keys this class does not wrap.
    std::unique_ptr<QSettings> settings() const;

    QList<ServerProfile> profiles() const; ///< the demo server first, then the saved ones by name
    std::optional<ServerProfile> find(const QString &name) const;
    /// Saves (or replaces) a profile; returns an error message for a bad one.
    QString save(const ServerProfile &profile);
    void remove(const QString &name);

    /// Which profile and user the app was last logged in with (names only:
    /// the token is in the keychain).
    struct LastLogin
    {
        QString profile;
        QString user;
    };
    std::optional<LastLogin> lastLogin() const;
    void setLastLogin(const QString &profile, const QString &user);

    /// Checks a profile's fields: a name, an http(s) base URL (https for any
    /// host that is not loopback unless the profile allows plain http), a ws(s) WebSocket URL when given.
    static QString validate(const ServerProfile &profile);

private:
    QString m_iniFile;
};

} // namespace framecast
