// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

class QCommandLineParser;

namespace framecast::demo {

struct DemoUserSpec
{
    QString username;
    QString password;
    int credits = 1000;
    bool subscriptionActive = true;
};

/// An OpenID provider whose users may sign in (PROTOCOL.md §2.1, §6).
struct DemoOidcSpec
{
    QString id;            ///< the `provider` of /auth/oidc/token, e.g. "google"
    QString displayName;   ///< "Sign in with <displayName>"
    QUrl issuer;           ///< exactly the id_tokens' `iss`
    QStringList clientIds; ///< allowed audiences; the first is the one /auth/methods offers
    QStringList scopes{QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("profile")};
};

/// Everything the built-in demo backend can be told. Fault switches are all
/// off by default (PROTOCOL.md §6).
struct DemoConfig
{
    QHostAddress bind = QHostAddress::LocalHost;
    quint16 port = 0;               ///< 0: a free port
    std::optional<quint16> wsPort;  ///< also serve the WebSocket here (the seed's 3001)
    QString dataDir;                ///< uploads and videos; empty: a temporary folder
    QList<DemoUserSpec> users{{QStringLiteral("demo"), QStringLiteral("demo"), 1000, true}};

    int stepDelayMinMs = 2000;      ///< the seed: steps 2-3 s apart
    int stepDelayMaxMs = 3000;
    bool tinyVideos = false;        ///< tests: 160x90 at 8 fps instead of the requested size
    int tokenTtlS = 3600;
    int heartbeatMs = 30000;        ///< WebSocket heartbeat; 0: none
    int authTimeoutMs = 10000;      ///< WebSocket: close when no auth arrives in time
    int stageStreamTimeoutS = 600;  ///< stages-sse single stage stream lifetime
    int allStagesTimeoutS = 1800;   ///< stages-sse all-stages stream lifetime
    int costPerVideo = 100;
    std::optional<DemoOidcSpec> oidc; ///< none: passwords only
    int oidcClockSkewS = 60;          ///< leeway on the id_token's exp and iat
    int oidcFetchTimeoutMs = 10000;   ///< discovery and JWKS requests to the provider
    int oidcStartingCredits = 1000;   ///< a new account's credits, as demo/demo's
    bool wsStepNames = false;       ///< WebSocket: `currentStep` as a name ("rendering"), as the seed's server sends it

    // Fault switches.
    int dropAfter = 0;              ///< close each progress stream/socket after N messages
    int stallMs = 0;                ///< pause each progress stream for T ms after its second message
    bool garbage = false;           ///< one invalid-JSON message per job and dialect
    bool oversized = false;         ///< one message past the 1 MiB line limit per job and dialect
    int failAtStep = 0;             ///< fail every job at step N
    bool failRetryable = false;     ///< ... with error.retryable = true
    bool failCancel = false;        ///< answer every cancel with 503 (the job goes on)
    int busyGenerates = 0;          ///< answer the next N generate requests with 429 (counts down)
    int refuseMs = 0;               ///< with restartAfterMs: how long a "restart" refuses connections
    int restartAfterMs = 0;         ///< simulate a restart this long after start
    int restartEveryMs = 0;         ///< ... and again every T ms after that (soak runs); 0: once

    /// Adds the standalone server's options (and the fault switches) to `cli`.
    static void addOptions(QCommandLineParser &cli);
    /// Reads them back; returns an error message for bad values.
    static std::optional<DemoConfig> fromOptions(const QCommandLineParser &cli, QString *error);
};

} // namespace framecast::demo
