// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoConfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace framecast::demo {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(DemoConfig)
};

QCommandLineOption option(const char *name, const QString &help, const char *valueName = nullptr,
                          const QString &defaultValue = {})
{
    if (!valueName)
        return QCommandLineOption(QString::fromLatin1(name), help);
    return QCommandLineOption(QString::fromLatin1(name), help, QString::fromLatin1(valueName), defaultValue);
}

bool readInt(const QCommandLineParser &cli, const char *name, int min, int max, int *out, QString *error)
{
    const QString key = QString::fromLatin1(name);
    if (!cli.isSet(key))
        return true;
    bool ok = false;
    const int v = cli.value(key).toInt(&ok);
    if (!ok || v < min || v > max) {
        *error = Tr::tr("--%1 takes a whole number from %2 to %3").arg(key).arg(min).arg(max);
        return false;
    }
    *out = v;
    return true;
}

std::optional<DemoUserSpec> parseUser(const QString &text)
{
    // NAME:PASSWORD[:CREDITS[:inactive]]
    const QStringList parts = text.split(QLatin1Char(':'));
    if (parts.size() < 2 || parts.size() > 4 || parts.at(0).isEmpty())
        return std::nullopt;
    DemoUserSpec user{parts.at(0), parts.at(1), 1000, true};
    if (parts.size() >= 3) {
        bool ok = false;
        user.credits = parts.at(2).toInt(&ok);
        if (!ok || user.credits < 0)
            return std::nullopt;
    }
    if (parts.size() == 4) {
        if (parts.at(3) != QLatin1String("inactive") && parts.at(3) != QLatin1String("active"))
            return std::nullopt;
        user.subscriptionActive = parts.at(3) == QLatin1String("active");
    }
    return user;
}

bool readOidc(const QCommandLineParser &cli, DemoConfig *c, QString *error)
{
    const QStringList clientIds = cli.values(QStringLiteral("oidc-client-id"));
    const bool named = cli.isSet(QStringLiteral("oidc-provider-id")) || cli.isSet(QStringLiteral("oidc-name"));
    if (!cli.isSet(QStringLiteral("oidc-issuer"))) {
        if (!clientIds.isEmpty() || named) {
            *error = Tr::tr("--oidc-client-id, --oidc-provider-id and --oidc-name need --oidc-issuer");
            return false;
        }
        return true;
    }
    const QUrl issuer(cli.value(QStringLiteral("oidc-issuer")), QUrl::StrictMode);
    const bool loopback = issuer.host() == QLatin1String("127.0.0.1") || issuer.host() == QLatin1String("localhost")
                          || issuer.host() == QLatin1String("::1");
    // OpenID Connect Discovery: an https issuer; plain http only on loopback (tests, a local provider).
    if (!issuer.isValid() || issuer.host().isEmpty() || issuer.hasQuery() || issuer.hasFragment()
        || !(issuer.scheme() == QLatin1String("https") || (issuer.scheme() == QLatin1String("http") && loopback))) {
        *error = Tr::tr("--oidc-issuer takes an https URL (http only on 127.0.0.1 or localhost), not \"%1\"")
                     .arg(cli.value(QStringLiteral("oidc-issuer")));
        return false;
    }
    if (clientIds.isEmpty() || clientIds.contains(QString())) {
        *error = Tr::tr("--oidc-issuer needs at least one --oidc-client-id");
        return false;
    }
    const bool google = issuer.host() == QLatin1String("accounts.google.com");
    DemoOidcSpec spec;
    spec.issuer = issuer;
    spec.clientIds = clientIds;
    spec.id = cli.isSet(QStringLiteral("oidc-provider-id")) ? cli.value(QStringLiteral("oidc-provider-id"))
              : google                                       ? QStringLiteral("google")
                                                             : QStringLiteral("oidc");
    spec.displayName = cli.isSet(QStringLiteral("oidc-name")) ? cli.value(QStringLiteral("oidc-name"))
                       : google                                ? QStringLiteral("Google")
                                                               : issuer.host();
    if (spec.id.isEmpty() || spec.displayName.isEmpty()) {
        *error = Tr::tr("--oidc-provider-id and --oidc-name may not be empty");
        return false;
    }
    c->oidc = spec;
    return true;
}

} // namespace

void DemoConfig::addOptions(QCommandLineParser &cli)
{
    cli.addOption(option("port", Tr::tr("Port to listen on (default 8000; 0 picks a free one)."), "N", QStringLiteral("8000")));
    cli.addOption(option("bind", Tr::tr("Address to bind (default 127.0.0.1)."), "ADDRESS", QStringLiteral("127.0.0.1")));
    cli.addOption(option("ws-port", Tr::tr("Also serve the WebSocket on this port, as the seed's 3001."), "N"));
    cli.addOption(option("data-dir", Tr::tr("Folder for uploads and videos (default: a temporary folder)."), "DIR"));
    cli.addOption(option("user", Tr::tr("Add a user NAME:PASSWORD[:CREDITS[:inactive]] (repeatable)."), "SPEC"));
    cli.addOption(option("users-file", Tr::tr("Add users from a JSON array of {username, password, credits, active}."),
                         "FILE"));
    cli.addOption(option("step-delay-ms", Tr::tr("Fixed delay between steps (default 2000-3000 at random)."), "MS"));
    cli.addOption(option("tiny-videos", Tr::tr("Render small 160x90 videos quickly (for tests).")));
    cli.addOption(option("token-ttl-s", Tr::tr("Token lifetime in seconds (default 3600); then 401."), "T"));
    cli.addOption(option("heartbeat-ms", Tr::tr("WebSocket heartbeat interval (default 30000; 0: none)."), "T"));
    cli.addOption(option("auth-timeout-ms", Tr::tr("WebSocket: close if no auth arrives in time (default 10000)."), "T"));
    cli.addOption(option("oidc-issuer", Tr::tr("Trust this OpenID provider for signing in through the browser (its exact issuer URL)."), "URL"));
    cli.addOption(option("oidc-client-id", Tr::tr("A client id (audience) its id_tokens may carry (repeatable; the first is offered to apps)."), "ID"));
    cli.addOption(option("oidc-provider-id", Tr::tr("The provider's id in /api/v1/auth/methods (default: google for Google, else oidc)."), "ID"));
    cli.addOption(option("oidc-name", Tr::tr("The provider's name on the sign-in button (default: Google for Google, else the issuer's host)."), "NAME"));
    cli.addOption(option("ws-step-names", Tr::tr("WebSocket: send currentStep as a step name (\"rendering\"), as the seed's server does.")));
    cli.addOption(option("drop-after", Tr::tr("Fault: close each progress stream or socket after N messages."), "N"));
    cli.addOption(option("stall-ms", Tr::tr("Fault: stall each progress stream for T ms after its second message."), "T"));
    cli.addOption(option("garbage", Tr::tr("Fault: send one invalid-JSON message per job and dialect.")));
    cli.addOption(option("oversized", Tr::tr("Fault: send one message past the 1 MiB line limit per job and dialect.")));
    cli.addOption(option("fail-at-step", Tr::tr("Fault: fail every job at step N."), "N"));
    cli.addOption(option("busy-generates", Tr::tr("Fault: answer the next N generate requests with 429 Too Many Requests."), "N"));
    cli.addOption(option("fail-retryable", Tr::tr("Fault: ... and mark that failure retryable.")));
    cli.addOption(option("fail-cancel", Tr::tr("Fault: answer every cancel with 503 Service Unavailable; the job goes on.")));
    cli.addOption(option("restart-after-ms", Tr::tr("Fault: simulate a restart T ms after start."), "T"));
    cli.addOption(option("restart-every-ms", Tr::tr("Fault: simulate a restart every T ms (the first after T ms, or after --restart-after-ms)."), "T"));
    cli.addOption(option("refuse-ms", Tr::tr("Fault: how long the restart refuses connections (default 2000)."), "T"));
}

std::optional<DemoConfig> DemoConfig::fromOptions(const QCommandLineParser &cli, QString *error)
{
    DemoConfig c;
    int port = 8000;
    if (!readInt(cli, "port", 0, 65535, &port, error))
        return std::nullopt;
    c.port = quint16(port);
    if (!c.bind.setAddress(cli.value(QStringLiteral("bind")))) {
        *error = Tr::tr("--bind takes an IP address");
        return std::nullopt;
    }
    if (cli.isSet(QStringLiteral("ws-port"))) {
        int wsPort = 0;
        if (!readInt(cli, "ws-port", 1, 65535, &wsPort, error))
            return std::nullopt;
        c.wsPort = quint16(wsPort);
    }
    c.dataDir = cli.value(QStringLiteral("data-dir"));
    for (const QString &spec : cli.values(QStringLiteral("user"))) {
        const auto user = parseUser(spec);
        if (!user) {
            *error = Tr::tr("--user takes NAME:PASSWORD[:CREDITS[:inactive]], not \"%1\"").arg(spec);
            return std::nullopt;
        }
        c.users.append(*user);
    }
    if (cli.isSet(QStringLiteral("users-file"))) {
        QFile f(cli.value(QStringLiteral("users-file")));
        if (!f.open(QIODevice::ReadOnly)) {
            *error = Tr::tr("Cannot read %1: %2").arg(f.fileName(), f.errorString());
            return std::nullopt;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
        if (!doc.isArray()) {
            *error = Tr::tr("%1 must hold a JSON array of users").arg(f.fileName());
            return std::nullopt;
        }
        for (const QJsonValue &v : doc.array()) {
            const QJsonObject o = v.toObject();
            DemoUserSpec user{o.value(QStringLiteral("username")).toString(), o.value(QStringLiteral("password")).toString(),
                              o.value(QStringLiteral("credits")).toInt(1000), o.value(QStringLiteral("active")).toBool(true)};
            if (user.username.isEmpty()) {
                *error = Tr::tr("%1: every user needs a username").arg(f.fileName());
                return std::nullopt;
            }
            c.users.append(user);
        }
    }
    if (cli.isSet(QStringLiteral("step-delay-ms"))) {
        int delay = 0;
        if (!readInt(cli, "step-delay-ms", 0, 600000, &delay, error))
            return std::nullopt;
        c.stepDelayMinMs = c.stepDelayMaxMs = delay;
    }
    c.tinyVideos = cli.isSet(QStringLiteral("tiny-videos"));
    if (!readInt(cli, "token-ttl-s", 1, 365 * 24 * 3600, &c.tokenTtlS, error)
        || !readInt(cli, "heartbeat-ms", 0, 3600000, &c.heartbeatMs, error)
        || !readInt(cli, "auth-timeout-ms", 1, 3600000, &c.authTimeoutMs, error)
        || !readInt(cli, "drop-after", 1, 1000000, &c.dropAfter, error)
        || !readInt(cli, "stall-ms", 1, 3600000, &c.stallMs, error)
        || !readInt(cli, "fail-at-step", 1, 9, &c.failAtStep, error)
        || !readInt(cli, "busy-generates", 1, 1000000, &c.busyGenerates, error)
        || !readInt(cli, "restart-after-ms", 1, 3600000, &c.restartAfterMs, error)
        || !readInt(cli, "restart-every-ms", 1, 3600000, &c.restartEveryMs, error)
        || !readInt(cli, "refuse-ms", 1, 3600000, &c.refuseMs, error))
        return std::nullopt;
    if (c.restartEveryMs > 0 && c.restartAfterMs == 0)
        c.restartAfterMs = c.restartEveryMs;
    if (c.restartAfterMs > 0 && c.refuseMs == 0)
        c.refuseMs = 2000;
    if (c.restartEveryMs > 0 && c.refuseMs >= c.restartEveryMs) {
        *error = Tr::tr("--refuse-ms must be shorter than --restart-every-ms");
        return std::nullopt;
    }
    if (!readOidc(cli, &c, error))
        return std::nullopt;
    c.garbage = cli.isSet(QStringLiteral("garbage"));
    c.oversized = cli.isSet(QStringLiteral("oversized"));
    c.failRetryable = cli.isSet(QStringLiteral("fail-retryable"));
    c.failCancel = cli.isSet(QStringLiteral("fail-cancel"));
    c.wsStepNames = cli.isSet(QStringLiteral("ws-step-names"));
    return c;
}

} // namespace framecast::demo
