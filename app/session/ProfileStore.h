// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/Session.h"

#include <QList>
#include <QString>

namespace framecast {

/// Server profiles saved in Framecast's settings (`profiles/<name>/…`), the
/// same keys `framecast --headless --profile NAME` reads. Never a token or a
/// password: those belong in the keychain. The built-in demo server is always
/// there and is not stored.
class ProfileStore final
{
public:
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
};

} // namespace framecast
