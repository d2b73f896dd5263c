// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/HeadlessOptions.h"

#include "session/Session.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace framecast::headless {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(HeadlessOptions)
};
} // namespace

QString HeadlessOptions::usage()
{
    return Tr::tr(R"(Usage: framecast --headless CONNECTION AUTH (JOB | --watch ID | --resume) [OUTPUT]

Generate a video from a terminal: log in, upload the reference image, start the
job, follow its progress live and download the result.

CONNECTION
  --demo                     start the built-in demo backend in-process and use it
  --server URL --progress videos-sse|tasks-sse|stages-sse|websocket
             [--ws-url URL] [--token-in-query] [--allow-insecure-http]
                             (plain http:// is refused for any host but this
                             computer unless --allow-insecure-http is given)
  --profile NAME             a saved server profile (from the desktop app)
  --ca-file FILE             also trust the certificates of this PEM file for the
                             server (a self-hosted backend, a company CA); the
                             system's CAs stay trusted, certificate errors are
                             never ignored
  --proxy URL|none           use this proxy (http://[user:password@]host:port) or
                             none; default: the system's (http_proxy, https_proxy,
                             no_proxy, which may carry user:password too)
AUTH
  --user NAME (--password-env VAR | --password-stdin)
  --token-env VAR            an API token in the environment variable VAR
  --sign-in PROVIDER_ID      sign in through the browser with one of the server's
                             OpenID Connect providers (e.g. google): the sign-in
                             address is printed (stderr; with --json a "sign_in"
                             line), the browser is opened when there is a desktop
                             session, and the answer comes back to 127.0.0.1
  --no-browser               with --sign-in: do not open a browser, only print the
                             address (open it on this computer)
  (--demo implies demo/demo.) Secrets are never read from the command line.
JOB
  --prompt TEXT --image FILE [--duration 4|8|12] [--size 1280x720|720x1280] [--model NAME]
                             --prompt again for more jobs, --variations N for N of
                             each; they start as the server and the credits allow,
                             each video to ./<job id>.mp4
  --watch ID                 follow an existing job instead and download its video
  --resume                   finish every job an earlier run (or the desktop app) left
                             unfinished on this server: watch it again, or fetch the
                             video of one that completed meanwhile; one the server
                             forgot is reported lost (exit 1). Each video goes where
                             its first run was told (--output), else ./<job id>.mp4
OUTPUT
  --output FILE              where the video goes (default ./<job id>.mp4)
  --json                     one JSON object per line on stdout
  --timeout SECONDS          give up after this long (exit 5)
  --quiet                    only the result and errors
  --verbose                  also Qt's own messages (start-up, platform) on stderr
  In a terminal the steps are one live line (bar, step, percent, ETA); piped, or
  with CI set, one line per step.
LEDGER
  Every job is recorded in the app's job history (the same one the desktop app shows).
  --no-ledger                record nothing (for CI)
  --ledger FILE              use this history database instead

Exit codes: 0 completed and saved, 1 job failed or cancelled, 2 usage or invalid
input, 3 authentication failed, 4 connection or protocol gave up (ten failed
reconnects in a row, then a status check), 5 timeout, 130 interrupted (the job
is cancelled on the server; one that completed first is saved, exit 0).
)");
}

std::optional<HeadlessOptions> HeadlessOptions::parse(const QStringList &arguments, QString *error)
{
    // Secrets in argv show in `ps` and shell history: refuse them outright.
    for (const QString &a : arguments) {
        const QString name = a.section(QLatin1Char('='), 0, 0);
        if (name == QLatin1String("--password") || name == QLatin1String("--token")) {
            *error = Tr::tr("%1 is not accepted: secrets on the command line show in ps. Use --password-env VAR, "
                        "--password-stdin or --token-env VAR.")
                         .arg(name);
            return std::nullopt;
        }
    }
    QCommandLineParser cli;
    cli.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    auto flag = [](const char *name) { return QCommandLineOption(QString::fromLatin1(name)); };
    auto value = [](const char *name, const char *valueName) {
        return QCommandLineOption(QString::fromLatin1(name), QString(), QString::fromLatin1(valueName));
    };
    cli.addOptions({flag("headless"), flag("demo"), value("server", "URL"), value("progress", "DIALECT"),
                    value("ws-url", "URL"), flag("token-in-query"), flag("allow-insecure-http"), value("profile", "NAME"), value("user", "NAME"),
                    value("ca-file", "FILE"), value("proxy", "URL"),
                    value("password-env", "VAR"), flag("password-stdin"), value("token-env", "VAR"),
                    value("sign-in", "PROVIDER_ID"), flag("no-browser"),
                    value("prompt", "TEXT"), value("image", "FILE"), value("duration", "S"), value("size", "WxH"),
                    value("model", "NAME"), value("variations", "N"), value("watch", "ID"), flag("resume"), flag("no-ledger"),
                    value("ledger", "FILE"), value("output", "FILE"), flag("json"),
                    value("timeout", "S"), flag("quiet")});
    if (!cli.parse(QStringList{QStringLiteral("framecast")} + arguments)) {
        *error = cli.errorText();
        return std::nullopt;
    }
    if (!cli.positionalArguments().isEmpty()) {
        *error = Tr::tr("Unexpected argument: %1").arg(cli.positionalArguments().constFirst());
        return std::nullopt;
    }

    HeadlessOptions o;
    o.demo = cli.isSet(QStringLiteral("demo"));
    o.profile = cli.value(QStringLiteral("profile"));
    const int connections = int(o.demo) + int(cli.isSet(QStringLiteral("server"))) + int(!o.profile.isEmpty());
    if (connections != 1) {
        *error = Tr::tr("Give exactly one of --demo, --server URL or --profile NAME");
        return std::nullopt;
    }
    if (cli.isSet(QStringLiteral("server"))) {
        o.server = QUrl(cli.value(QStringLiteral("server")), QUrl::StrictMode);
        if (!o.server.isValid() || (o.server.scheme() != QLatin1String("http") && o.server.scheme() != QLatin1String("https"))
            || o.server.host().isEmpty()) {
            *error = Tr::tr("--server needs an http:// or https:// URL, not \"%1\"").arg(cli.value(QStringLiteral("server")));
            return std::nullopt;
        }
        if (!cli.isSet(QStringLiteral("progress"))) {
            *error = Tr::tr("--server needs --progress videos-sse|tasks-sse|stages-sse|websocket");
            return std::nullopt;
        }
    }
    if (cli.isSet(QStringLiteral("progress"))) {
        o.dialect = parseDialect(cli.value(QStringLiteral("progress")));
        if (!o.dialect) {
            *error = Tr::tr("--progress takes videos-sse, tasks-sse, stages-sse or websocket, not \"%1\"")
                         .arg(cli.value(QStringLiteral("progress")));
            return std::nullopt;
        }
    }
    if (cli.isSet(QStringLiteral("ws-url"))) {
        o.wsUrl = QUrl(cli.value(QStringLiteral("ws-url")), QUrl::StrictMode);
        if (o.wsUrl.scheme() != QLatin1String("ws") && o.wsUrl.scheme() != QLatin1String("wss")) {
            *error = Tr::tr("--ws-url needs a ws:// or wss:// URL");
            return std::nullopt;
        }
    }
    o.tokenInQuery = cli.isSet(QStringLiteral("token-in-query"));
    o.allowInsecureHttp = cli.isSet(QStringLiteral("allow-insecure-http"));
    o.caFile = cli.value(QStringLiteral("ca-file"));
    o.proxy = cli.value(QStringLiteral("proxy"));
    if (cli.isSet(QStringLiteral("ca-file")) || cli.isSet(QStringLiteral("proxy"))) {
        QString networkError;
        if (cli.isSet(QStringLiteral("ca-file")) && o.caFile.isEmpty()) {
            *error = Tr::tr("--ca-file needs a file");
            return std::nullopt;
        }
        if (cli.isSet(QStringLiteral("proxy")) && o.proxy.isEmpty()) {
            *error = Tr::tr("--proxy needs a URL or none");
            return std::nullopt;
        }
        if (!NetworkSettings::fromProfile(o.caFile, o.proxy, &networkError)) {
            *error = networkError;
            return std::nullopt;
        }
    }
    if (!o.server.isEmpty()) {
        ServerProfile p;
        p.baseUrl = o.server;
        p.dialect = o.dialect.value_or(Dialect::VideosSse);
        p.wsUrl = o.wsUrl.isEmpty() ? defaultWebSocketUrl(o.server) : o.wsUrl;
        p.allowInsecureHttp = o.allowInsecureHttp;
        if (const QString refused = p.transportError(); !refused.isEmpty()) {
            *error = refused + Tr::tr(" (--allow-insecure-http)");
            return std::nullopt;
        }
    }

    o.user = cli.value(QStringLiteral("user"));
    o.passwordEnv = cli.value(QStringLiteral("password-env"));
    o.passwordStdin = cli.isSet(QStringLiteral("password-stdin"));
    o.tokenEnv = cli.value(QStringLiteral("token-env"));
    o.signIn = cli.value(QStringLiteral("sign-in")).trimmed();
    o.noBrowser = cli.isSet(QStringLiteral("no-browser"));
    const bool password = !o.passwordEnv.isEmpty() || o.passwordStdin;
    if (cli.isSet(QStringLiteral("sign-in")) && o.signIn.isEmpty()) {
        *error = Tr::tr("--sign-in needs the id of one of the server's sign-in providers (e.g. google)");
        return std::nullopt;
    }
    if (!o.signIn.isEmpty() && (password || !o.user.isEmpty() || !o.tokenEnv.isEmpty())) {
        *error = Tr::tr("Give either --sign-in or a password or token, not both");
        return std::nullopt;
    }
    if (o.noBrowser && o.signIn.isEmpty()) {
        *error = Tr::tr("--no-browser goes with --sign-in PROVIDER_ID");
        return std::nullopt;
    }
    if (!o.passwordEnv.isEmpty() && o.passwordStdin) {
        *error = Tr::tr("Give --password-env or --password-stdin, not both");
        return std::nullopt;
    }
    if (!o.tokenEnv.isEmpty() && (password || !o.user.isEmpty())) {
        *error = Tr::tr("Give either --token-env or --user with a password, not both");
        return std::nullopt;
    }
    if (!o.user.isEmpty() && !password) {
        *error = Tr::tr("--user needs --password-env VAR or --password-stdin");
        return std::nullopt;
    }
    if (password && o.user.isEmpty()) {
        *error = Tr::tr("A password needs --user NAME");
        return std::nullopt;
    }
    if (!o.demo && o.user.isEmpty() && o.tokenEnv.isEmpty() && o.signIn.isEmpty()) {
        *error = Tr::tr("Say how to log in: --user NAME with --password-env VAR or --password-stdin, --token-env VAR, "
                        "or --sign-in PROVIDER_ID");
        return std::nullopt;
    }

    o.watchId = cli.value(QStringLiteral("watch"));
    o.output = cli.value(QStringLiteral("output"));
    o.prompts = cli.values(QStringLiteral("prompt"));
    o.prompt = o.prompts.value(0);
    if (cli.isSet(QStringLiteral("variations"))) {
        bool ok = false;
        o.variations = cli.value(QStringLiteral("variations")).toInt(&ok);
        if (!ok || o.variations < 1 || o.variations > 100) {
            *error = Tr::tr("--variations takes a number from 1 to 100");
            return std::nullopt;
        }
    }
    if (o.prompts.size() * o.variations > 1 && !o.output.isEmpty()) {
        *error = Tr::tr("--output names one file; with several jobs each video goes to ./<job id>.mp4");
        return std::nullopt;
    }
    o.image = cli.value(QStringLiteral("image"));
    const bool jobGiven = cli.isSet(QStringLiteral("prompt")) || cli.isSet(QStringLiteral("image"));
    o.resume = cli.isSet(QStringLiteral("resume"));
    if (int(!o.watchId.isEmpty()) + int(jobGiven) + int(o.resume) > 1) {
        *error = Tr::tr("Give one of --watch ID, --resume, or --prompt with --image");
        return std::nullopt;
    }
    o.noLedger = cli.isSet(QStringLiteral("no-ledger"));
    o.ledgerPath = cli.value(QStringLiteral("ledger"));
    if (o.noLedger && !o.ledgerPath.isEmpty()) {
        *error = Tr::tr("Give either --no-ledger or --ledger FILE, not both");
        return std::nullopt;
    }
    if (o.resume && o.noLedger) {
        *error = Tr::tr("--resume reads the job history; it cannot be used with --no-ledger");
        return std::nullopt;
    }
    if (o.resume && !o.output.isEmpty()) {
        *error = Tr::tr("--resume saves each video under its own name; --output is not used with it");
        return std::nullopt;
    }
    if (o.watchId.isEmpty() && !o.resume) {
        if (!cli.isSet(QStringLiteral("prompt")) || !cli.isSet(QStringLiteral("image"))) {
            *error = Tr::tr("A job needs --prompt TEXT and --image FILE (or use --watch ID)");
            return std::nullopt;
        }
    }
    if (cli.isSet(QStringLiteral("duration"))) {
        o.durationSeconds = cli.value(QStringLiteral("duration")).toInt();
        if (o.durationSeconds != 4 && o.durationSeconds != 8 && o.durationSeconds != 12) {
            *error = Tr::tr("--duration takes 4, 8 or 12");
            return std::nullopt;
        }
    }
    if (cli.isSet(QStringLiteral("size"))) {
        const QString s = cli.value(QStringLiteral("size"));
        if (s == QLatin1String("1280x720"))
            o.size = QSize(1280, 720);
        else if (s == QLatin1String("720x1280"))
            o.size = QSize(720, 1280);
        else {
            *error = Tr::tr("--size takes 1280x720 or 720x1280");
            return std::nullopt;
        }
    }
    if (cli.isSet(QStringLiteral("model")))
        o.model = cli.value(QStringLiteral("model"));
    o.json = cli.isSet(QStringLiteral("json"));
    o.quiet = cli.isSet(QStringLiteral("quiet"));
    if (cli.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        o.timeoutSeconds = cli.value(QStringLiteral("timeout")).toInt(&ok);
        if (!ok || o.timeoutSeconds <= 0) {
            *error = Tr::tr("--timeout takes a positive number of seconds");
            return std::nullopt;
        }
    }
    return o;
}

} // namespace framecast::headless
