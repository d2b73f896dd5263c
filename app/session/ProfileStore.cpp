// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/ProfileStore.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QSettings>

#include <algorithm>

namespace framecast {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ProfileStore)
};

} // namespace

ProfileStore::ProfileStore()
    : ProfileStore(qEnvironmentVariable(kSettingsEnvironmentVariable))
{
}

ProfileStore::ProfileStore(QString iniFile)
    : m_iniFile(std::move(iniFile))
{
}

std::unique_ptr<QSettings> ProfileStore::settings() const
{
    if (m_iniFile.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(m_iniFile, QSettings::IniFormat);
}

QString ProfileStore::validate(const ServerProfile &p)
{
    if (p.builtInDemo)
        return {};
    if (p.name.trimmed().isEmpty())
        return Tr::tr("Give the server a name");
    if (p.name.contains(QLatin1Char('/')) || p.name.contains(QLatin1Char('\\')))
        return Tr::tr("A server name cannot contain / or \\");
    if (!p.baseUrl.isValid() || p.baseUrl.host().isEmpty()
        || (p.baseUrl.scheme() != QLatin1String("http") && p.baseUrl.scheme() != QLatin1String("https")))
        return Tr::tr("The address must be an http:// or https:// URL");
    if (const QString transport = p.transportError(); !transport.isEmpty())
        return transport;
    if (!p.wsUrl.isEmpty() && p.wsUrl.scheme() != QLatin1String("ws") && p.wsUrl.scheme() != QLatin1String("wss"))
        return Tr::tr("The WebSocket address must be a ws:// or wss:// URL");
    QString networkError;
    const auto network = p.networkSettings(&networkError);
    if (!network)
        return networkError;
    // Settings are a plain file: a proxy's password belongs in the keychain.
    if (!network->proxy.user().isEmpty())
        return Tr::tr("Leave the user name and password out of the proxy address: Framecast asks for them when the "
                      "proxy wants them, and can keep them in the keychain");
    return {};
}

QList<ServerProfile> ProfileStore::profiles() const
{
    QList<ServerProfile> out{ServerProfile::demo()};
    const std::unique_ptr<QSettings> held = this->settings();
    QSettings &settings = *held;
    settings.beginGroup(QStringLiteral("profiles"));
    QStringList names = settings.childGroups();
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) { return a.localeAwareCompare(b) < 0; });
    for (const QString &name : names) {
        if (const auto p = find(name))
            out << *p;
    }
    return out;
}

std::optional<ServerProfile> ProfileStore::find(const QString &name) const
{
    if (name == ServerProfile::demo().name)
        return ServerProfile::demo();
    const std::unique_ptr<QSettings> held = this->settings();
    QSettings &settings = *held;
    settings.beginGroup(QStringLiteral("profiles/") + name);
    if (!settings.contains(QStringLiteral("baseUrl")))
        return std::nullopt;
    ServerProfile p;
    p.name = name;
    p.baseUrl = QUrl(settings.value(QStringLiteral("baseUrl")).toString());
    p.dialect = parseDialect(settings.value(QStringLiteral("progress")).toString()).value_or(Dialect::VideosSse);
    p.wsUrl = QUrl(settings.value(QStringLiteral("wsUrl")).toString());
    p.tokenInQuery = settings.value(QStringLiteral("tokenInQuery"), false).toBool();
    p.auth = parseAuth(settings.value(QStringLiteral("auth")).toString());
    p.oidcProvider = settings.value(QStringLiteral("oidcProvider")).toString();
    p.allowInsecureHttp = settings.value(QStringLiteral("allowInsecureHttp"), false).toBool();
    p.caCertificate = settings.value(QStringLiteral("caCertificate")).toString();
    p.proxy = settings.value(QStringLiteral("proxy"), QStringLiteral("system")).toString();
    return p;
}

QString ProfileStore::save(const ServerProfile &p)
{
    if (p.builtInDemo)
        return Tr::tr("The built-in demo server cannot be changed");
    const QString error = validate(p);
    if (!error.isEmpty())
        return error;
    const std::unique_ptr<QSettings> held = this->settings();
    QSettings &settings = *held;
    settings.beginGroup(QStringLiteral("profiles/") + p.name.trimmed());
    settings.setValue(QStringLiteral("baseUrl"), p.baseUrl.toString());
    settings.setValue(QStringLiteral("progress"), dialectName(p.dialect));
    settings.setValue(QStringLiteral("wsUrl"), p.wsUrl.toString());
    settings.setValue(QStringLiteral("tokenInQuery"), p.tokenInQuery);
    settings.setValue(QStringLiteral("auth"), authName(p.auth));
    settings.setValue(QStringLiteral("oidcProvider"), p.oidcProvider);
    settings.setValue(QStringLiteral("allowInsecureHttp"), p.allowInsecureHttp);
    settings.setValue(QStringLiteral("caCertificate"), p.caCertificate);
    settings.setValue(QStringLiteral("proxy"), p.proxy.trimmed().isEmpty() ? QStringLiteral("system") : p.proxy.trimmed());
    settings.endGroup();
    settings.sync();
    return settings.status() == QSettings::NoError ? QString() : Tr::tr("Could not save the settings");
}

void ProfileStore::remove(const QString &name)
{
    const std::unique_ptr<QSettings> held = this->settings();
    QSettings &settings = *held;
    settings.remove(QStringLiteral("profiles/") + name);
}

std::optional<ProfileStore::LastLogin> ProfileStore::lastLogin() const
{
    const std::unique_ptr<QSettings> held = this->settings();
    QSettings &settings = *held;
    const QString profile = settings.value(QStringLiteral("session/profile")).toString();
    if (profile.isEmpty())
        return std::nullopt;
    return LastLogin{profile, settings.value(QStringLiteral("session/user")).toString()};
}

void ProfileStore::setLastLogin(const QString &profile, const QString &user)
{
    const std::unique_ptr<QSettings> held = this->settings();
    QSettings &settings = *held;
    settings.setValue(QStringLiteral("session/profile"), profile);
    settings.setValue(QStringLiteral("session/user"), user);
}

} // namespace framecast
