// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/SecretStore.h"

#include <QTest>

#include <optional>

namespace framecast::test {

// A secret store answers asynchronously, as keychains do; tests wait for it.

inline std::optional<Credentials> readBack(SecretStore &store, const QString &profile, const QString &user, QString *error = nullptr,
                                           int timeoutMs = 20000)
{
    std::optional<Credentials> out;
    bool done = false;
    store.read(profile, user, [&](std::optional<Credentials> c, const QString &e) {
        out = c;
        if (error)
            *error = e;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
        qWarning("timed out waiting for the secret store");
    return out;
}

inline bool writeSync(SecretStore &store, const QString &profile, const QString &user, const Credentials &c, QString *error = nullptr,
                      int timeoutMs = 20000)
{
    bool done = false;
    bool ok = false;
    store.write(profile, user, c, [&](bool success, const QString &e) {
        ok = success;
        if (error)
            *error = e;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
        qWarning("timed out waiting for the secret store");
    return ok;
}

inline bool removeSync(SecretStore &store, const QString &profile, const QString &user, int timeoutMs = 20000)
{
    bool done = false;
    bool ok = false;
    store.remove(profile, user, [&](bool success, const QString &) {
        ok = success;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
        qWarning("timed out waiting for the secret store");
    return ok;
}


} // namespace framecast::test
