// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/HeadlessSetup.h"

#include "session/ProfileStore.h"

#include <QCoreApplication>
#include <QFile>

namespace framecast::headless {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("framecast::headless::HeadlessRunner", text);
}
} // namespace

std::optional<ResolvedServer> resolveServer(const HeadlessOptions &options, const EmbeddedServerFactory &demoFactory,
                                            int *exitCode, QString *error)
{
    ResolvedServer out;
    if (options.demo) {
        if (!demoFactory) {
            *exitCode = ExitUsage;
            *error = tr("This build has no built-in demo server");
            return std::nullopt;
        }
        out.embedded = demoFactory();
        if (!out.embedded->start(error)) {
            *exitCode = ExitConnection;
            return std::nullopt;
        }
        out.profile = ServerProfile::demo();
        out.profile.baseUrl = out.embedded->baseUrl();
        out.profile.wsUrl = out.embedded->webSocketUrl();
        out.profile.dialect = options.dialect.value_or(Dialect::VideosSse);
    } else if (!options.profile.isEmpty()) {
        // The profiles the desktop app saved (the same store it reads).
        const auto profile = ProfileStore().find(options.profile);
        if (!profile || profile->builtInDemo) {
            *exitCode = ExitUsage;
            *error = tr("There is no saved server profile named \"%1\"").arg(options.profile);
            return std::nullopt;
        }
        if (const QString refused = profile->transportError(); !refused.isEmpty()) {
            *exitCode = ExitUsage;
            *error = refused;
            return std::nullopt;
        }
        out.profile = *profile;
        out.profile.dialect = options.dialect.value_or(profile->dialect);
    } else {
        out.profile.name = options.server.host();
        out.profile.baseUrl = options.server;
        out.profile.dialect = *options.dialect;
        out.profile.tokenInQuery = options.tokenInQuery;
        out.profile.allowInsecureHttp = options.allowInsecureHttp;
        if (options.server.scheme() == QLatin1String("http") && !isLoopbackHost(options.server.host()))
            out.warning = tr("Insecure connection: %1 is reached over plain http; the token can be read on the network")
                              .arg(options.server.host());
    }
    if (!options.wsUrl.isEmpty())
        out.profile.wsUrl = options.wsUrl;
    if (!options.caFile.isEmpty())
        out.profile.caCertificate = options.caFile;
    if (!options.proxy.isEmpty())
        out.profile.proxy = options.proxy;
    return out;
}

std::optional<Secrets> readSecrets(const HeadlessOptions &options, QString *error)
{
    Secrets s;
    if (!options.passwordEnv.isEmpty()) {
        s.password = qEnvironmentVariable(options.passwordEnv.toLocal8Bit().constData());
        if (s.password.isEmpty()) {
            *error = tr("The environment variable %1 is empty or not set").arg(options.passwordEnv);
            return std::nullopt;
        }
    } else if (options.passwordStdin) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            *error = tr("Cannot read the password from standard input");
            return std::nullopt;
        }
        s.password = QString::fromUtf8(in.readLine()).trimmed();
        if (s.password.isEmpty()) {
            *error = tr("No password on standard input");
            return std::nullopt;
        }
    } else if (!options.tokenEnv.isEmpty()) {
        s.token = qgetenv(options.tokenEnv.toLocal8Bit().constData()).trimmed();
        if (s.token.isEmpty()) {
            *error = tr("The environment variable %1 is empty or not set").arg(options.tokenEnv);
            return std::nullopt;
        }
    } else if (options.demo && options.user.isEmpty()) {
        s.password = QStringLiteral("demo"); // --demo implies demo/demo
    }
    return s;
}

} // namespace framecast::headless
