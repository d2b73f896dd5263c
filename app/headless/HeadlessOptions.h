// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "progress/Dialect.h"

#include <QSize>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace framecast::headless {

/// Exit codes of `framecast --headless` (a contract scripts rely on).
enum ExitCode : int {
    ExitCompleted = 0,   ///< completed and saved
    ExitJobFailed = 1,   ///< the job failed or was cancelled (or the video could not be saved)
    ExitUsage = 2,       ///< usage or invalid input, detected before anything is sent
    ExitAuth = 3,        ///< authentication failed
    ExitConnection = 4,  ///< the connection or protocol gave up
    ExitTimeout = 5,     ///< --timeout elapsed
    ExitInterrupted = 130, ///< SIGINT/SIGTERM: the job was cancelled on the server
};

struct HeadlessOptions
{
    // CONNECTION
    bool demo = false;
    QUrl server;
    std::optional<Dialect> dialect;
    QUrl wsUrl;
    bool tokenInQuery = false;
    bool allowInsecureHttp = false;
    QString profile;
    QString caFile;  ///< --ca-file: extra trusted certificates (PEM)
    QString proxy;   ///< --proxy: a URL or "none"; empty: the profile's (default "system")
    // AUTH (secrets are read later, from the environment or stdin only)
    QString user;
    QString passwordEnv;
    bool passwordStdin = false;
    QString tokenEnv;
    QString signIn;            ///< --sign-in PROVIDER_ID: through the browser (PROTOCOL §2.1)
    bool noBrowser = false;    ///< --no-browser: only print the sign-in address
    // JOB
    QString prompt;       ///< the first --prompt
    QStringList prompts;  ///< every --prompt, in order: one job each
    int variations = 1;   ///< --variations N: N jobs of each prompt
    QString image;
    int durationSeconds = 4;
    QSize size{1280, 720};
    QString model = QStringLiteral("sora-2");
    QString watchId;
    bool resume = false;       ///< finish the ledger's unfinished jobs of this server and user
    // LEDGER
    bool noLedger = false;     ///< record nothing (CI)
    QString ledgerPath;        ///< another ledger file than the app's
    // OUTPUT
    QString output;
    bool json = false;
    int timeoutSeconds = 0;
    bool quiet = false;

    /// Parses the arguments after `--headless`. Returns an error message for
    /// anything a script got wrong; nothing is sent in that case.
    static std::optional<HeadlessOptions> parse(const QStringList &arguments, QString *error);
    /// The usage text shown by `--headless --help`.
    static QString usage();
};

} // namespace framecast::headless
