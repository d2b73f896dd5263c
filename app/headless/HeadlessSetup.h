// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "headless/HeadlessOptions.h"
#include "session/EmbeddedServer.h"
#include "session/ServerProfile.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace framecast::headless {

/// The server a headless run talks to, resolved from its options.
struct ResolvedServer
{
    ServerProfile profile;                   ///< URLs resolved (the demo already running)
    std::unique_ptr<EmbeddedServer> embedded; ///< the --demo server, kept alive for the run
    QString warning;                         ///< plain http to another machine, when allowed
};

/// --demo (started with `demoFactory`), --profile NAME (the desktop app's
/// profiles) or --server URL. `exitCode` and `error` say why not.
std::optional<ResolvedServer> resolveServer(const HeadlessOptions &options, const EmbeddedServerFactory &demoFactory,
                                            int *exitCode, QString *error);

/// The secret of a run, read from the environment or standard input only.
struct Secrets
{
    QString password;
    QByteArray token;
};
std::optional<Secrets> readSecrets(const HeadlessOptions &options, QString *error);

} // namespace framecast::headless
