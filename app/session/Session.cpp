// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/Session.h"

#include "auth/BrowserSignIn.h"
#include "core/Logging.h"
#include "jobs/Job.h"
#include "jobs/JobQueue.h"
#include "ledger/Ledger.h"
#include "media/VideoDownload.h"
#include "net/ProxyAuthenticator.h"
#include "security/SecretStore.h"
#include "session/ServerConnection.h"

#include <QDir>
#include <QFile>

namespace framecast {

namespace {

/// A connection serves exactly one configuration of a server: an edited
/// profile (another URL, dialect or WebSocket) gets a connection of its own.
QString connectionKey(const ServerProfile &p)
{
    return QStringList{p.name, p.serverKey(), p.wsUrl.toString(), dialectName(p.dialect),
                       p.tokenInQuery ? QStringLiteral("q") : QString(), p.caCertificate, p.proxy}
        .join(QLatin1Char('\n'));
}

} // namespace

Session::Session(QString videoFolder, QObject *parent)
    : QObject(parent)
    , m_videoFolder(std::move(videoFolder))
    , m_proxyAuth(std::make_unique<ProxyAuthenticator>())
{
}

Session::~Session()
{
    m_current = nullptr;
    m_connections.clear(); // each writes what its jobs have pending
    m_demo.reset();
}

void Session::setEmbeddedServerFactory(EmbeddedServerFactory factory)
{
    m_embeddedFactory = std::move(factory);
}

bool Session::setProfile(const ServerProfile &profile, QString *error)
{
    // The one gate every connection passes: no token over plain http to
    // another machine unless the profile says so.
    if (const QString refused = profile.transportError(); !refused.isEmpty()) {
        if (error)
            *error = refused;
        return false;
    }
    ServerProfile resolved = profile;
    if (profile.builtInDemo) {
        if (!m_demo) {
            if (!m_embeddedFactory) {
                if (error)
                    *error = tr("This build has no built-in demo server");
                return false;
            }
            m_demo = m_embeddedFactory();
            QString startError;
            if (!m_demo->start(&startError)) {
                if (error)
                    *error = startError;
                m_demo.reset();
                return false;
            }
        }
        resolved.baseUrl = m_demo->baseUrl();
        resolved.wsUrl = m_demo->webSocketUrl();
    }
    if (resolved.wsUrl.isEmpty())
        resolved.wsUrl = defaultWebSocketUrl(resolved.baseUrl);
    m_profile = resolved;
    makeCurrent(connectionOf(resolved));
    Q_EMIT profileChanged(m_profile);
    return true;
}

ServerConnection *Session::connectionOf(const ServerProfile &resolved)
{
    auto &slot = m_connections[connectionKey(resolved)];
    if (!slot) {
        ServerConnection::Options options;
        options.videoFolder = m_videoFolder;
        options.ledger = m_ledger;
        options.proxyAuth = m_proxyAuth.get();
        slot = std::make_unique<ServerConnection>(resolved, options);
        ServerConnection *connection = slot.get();
        // The window stays open: a job whose progress was lost is asked
        // about again until it ends (the terminal stops at the first loss).
        connection->jobs()->setStatusRecheck(5000);
        connect(connection->browserSignIn(), &auth::BrowserSignIn::waitingForBrowser, this, [this, connection] {
            if (connection == m_current)
                Q_EMIT browserWaiting(connection->browserSignIn()->authorizationUrl());
        });
    }
    return slot.get();
}

ServerConnection *Session::connectionFor(const QString &profileName) const
{
    for (const auto &[key, connection] : m_connections) {
        if (connection->profile().name == profileName)
            return connection.get();
    }
    return nullptr;
}

void Session::makeCurrent(ServerConnection *connection)
{
    if (connection == m_current)
        return;
    // Only the current server speaks to the window; the others go on
    // quietly (their jobs run, their videos are archived).
    for (const auto &c : std::as_const(m_forwarding))
        disconnect(c);
    m_forwarding.clear();
    m_current = connection;
    JobLifecycle *jobs = connection->jobs();
    m_forwarding << connect(connection, &ServerConnection::creditsChanged, this, &Session::creditsChanged)
                 << connect(connection, &ServerConnection::sessionExpired, this, &Session::sessionExpired)
                 << connect(jobs, &JobLifecycle::jobAdded, this, &Session::jobAdded)
                 << connect(connection->queue(), &JobQueue::started, this, &Session::queueStarted)
                 << connect(jobs, &JobLifecycle::jobsForgotten, this, &Session::jobsReplaced)
                 << connect(jobs, &JobLifecycle::jobRefused, this,
                            [this](Job *job, const Refusal &refusal) { Q_EMIT jobRefused(job, refusal.message); })
                 << connect(jobs, &JobLifecycle::jobFailed, this, &Session::videoFailed)
                 << connect(jobs, &JobLifecycle::videoFailed, this, &Session::videoFailed)
                 << connect(jobs, &JobLifecycle::watchFailed, this, &Session::watchFailed)
                 << connect(jobs, &JobLifecycle::cancelFailed, this, &Session::cancelFailed)
                 << connect(jobs, &JobLifecycle::downloadProgress, this, &Session::downloadProgress)
                 << connect(jobs, &JobLifecycle::videoReady, this,
                            [this](Job *job, const QString &file, qint64) { Q_EMIT videoReady(job, file); });
    Q_EMIT jobsReplaced();
}

void Session::login(const QString &username, const QString &password, bool remember)
{
    ServerConnection *connection = m_current;
    if (!connection) {
        Q_EMIT loginFailed(tr("Choose a server first"));
        return;
    }
    const QString rememberPassword = remember ? password : QString();
    connection->login(username, password, [this, connection, rememberPassword](const ApiResponse &r) {
        loginDone(connection, r, rememberPassword);
    });
}

void Session::loginWithToken(const QByteArray &token)
{
    ServerConnection *connection = m_current;
    if (!connection) {
        Q_EMIT loginFailed(tr("Choose a server first"));
        return;
    }
    connection->loginWithToken(token, [this, connection](const ApiResponse &r) { loginDone(connection, r, {}); });
}

void Session::fetchAuthMethods(const ServerProfile &profile)
{
    const QString name = profile.name;
    if (profile.builtInDemo) {
        Q_EMIT authMethodsReady(name, auth::AuthMethods{}, {});
        return;
    }
    if (const QString refused = profile.transportError(); !refused.isEmpty()) {
        Q_EMIT authMethodsReady(name, auth::AuthMethods{}, refused);
        return;
    }
    ServerProfile resolved = profile;
    if (resolved.wsUrl.isEmpty())
        resolved.wsUrl = defaultWebSocketUrl(resolved.baseUrl);
    QPointer<ServerConnection> connection(connectionOf(resolved));
    connection->fetchAuthMethods([this, name](const auth::AuthMethods &methods, const QString &error) {
        Q_EMIT authMethodsReady(name, methods, error);
    });
}

void Session::signInWithBrowser(const QString &providerId)
{
    ServerConnection *connection = m_current;
    if (!connection) {
        Q_EMIT loginFailed(tr("Choose a server first"));
        return;
    }
    connection->browserSignIn()->setTimeoutMs(m_browserTimeoutMs);
    connection->signInWithBrowser(providerId, [this, connection](const ApiResponse &r) { loginDone(connection, r, {}); });
}

void Session::cancelBrowserSignIn()
{
    if (m_current)
        m_current->browserSignIn()->cancel();
}

void Session::loginDone(ServerConnection *connection, const ApiResponse &r, const QString &rememberPassword)
{
    if (connection != m_current)
        return; // another server was chosen meanwhile; that connection stays as it is
    if (!r.ok()) {
        Q_EMIT loginFailed(r.error.message);
        return;
    }
    saveCredentials(connection, rememberPassword);
    // Unfinished jobs of this server and user are asked about: watched
    // again, completed (archived), or lost.
    connection->jobs()->resumePending();
    Q_EMIT loggedIn(connection->user());
    Q_EMIT creditsChanged(connection->credits());
}

void Session::logout()
{
    if (!isLoggedIn())
        return;
    if (m_secrets && !m_profile.builtInDemo)
        m_secrets->remove(m_profile.name, username());
    m_current->logout();
    Q_EMIT loggedOut();
}

void Session::setSecretStore(SecretStore *store)
{
    m_secrets = store;
    m_proxyAuth->setSecretStore(store);
}

SecretStore *Session::secretStore() const
{
    return m_secrets;
}

void Session::saveCredentials(ServerConnection *connection, const QString &password)
{
    if (!m_secrets || connection->profile().builtInDemo)
        return;
    m_secrets->write(connection->profile().name, connection->username(), Credentials{connection->api()->token(), password},
                     [](bool ok, const QString &error) {
                         if (!ok)
                             qCWarning(lcNet).noquote() << "could not keep the login in the keychain:" << error;
                     });
}

void Session::restore(const QString &username)
{
    ServerConnection *connection = m_current;
    if (!connection || !m_secrets) {
        Q_EMIT loginAsked(tr("Log in to %1").arg(m_profile.name));
        return;
    }
    const QString profile = m_profile.name;
    QPointer<ServerConnection> guard(connection);
    m_secrets->read(profile, username, [this, guard, profile, username](std::optional<Credentials> saved, const QString &error) {
        if (!guard || guard != m_current)
            return; // another server was chosen meanwhile
        if (!saved || saved->isEmpty()) {
            if (error.isEmpty())
                Q_EMIT loginAsked(tr("Log in to %1 as %2").arg(profile, username));
            else
                Q_EMIT restoreFailed(tr("The keychain could not be read: %1").arg(error));
            return;
        }
        const QString password = saved->password;
        if (saved->token.isEmpty()) {
            login(username, password, true);
            return;
        }
        guard->loginWithToken(saved->token, [this, guard, username, password](const ApiResponse &r) {
            if (!guard || guard != m_current)
                return;
            if (r.ok()) {
                loginDone(guard, r, password);
                return;
            }
            if (r.error.kind == ApiError::Kind::Unauthorized && !password.isEmpty()) {
                login(username, password, true); // the token expired; the password is remembered
                return;
            }
            Q_EMIT restoreFailed(r.error.kind == ApiError::Kind::Unauthorized
                                     ? tr("Your saved login for %1 has expired; log in again").arg(username)
                                     : r.error.message);
        });
    });
}

bool Session::isLoggedIn() const
{
    return m_current && m_current->isLoggedIn();
}

QJsonObject Session::user() const
{
    return m_current ? m_current->user() : QJsonObject();
}

int Session::credits() const
{
    return m_current ? m_current->credits() : 0;
}

void Session::refreshAccount()
{
    if (m_current)
        m_current->refreshAccount();
}

void Session::setLedger(Ledger *ledger)
{
    m_ledger = ledger;
    for (const auto &[key, connection] : m_connections)
        connection->jobs()->setLedger(ledger);
}

Ledger *Session::ledger() const
{
    return m_ledger;
}

QString Session::serverKey() const
{
    return m_profile.serverKey();
}

QString Session::username() const
{
    return m_current ? m_current->username() : QString();
}

qint64 Session::ledgerRow(const Job *job) const
{
    return m_current ? m_current->jobs()->ledgerRow(job) : 0;
}

QList<Job *> Session::jobs() const
{
    return m_current ? m_current->jobs()->jobs() : QList<Job *>();
}

Job *Session::findJob(const QString &jobId) const
{
    return m_current ? m_current->jobs()->findJob(jobId) : nullptr;
}

QString Session::videoFile(const QString &jobId) const
{
    return m_current ? m_current->jobs()->videoFile(jobId) : QString();
}

Job *Session::generate(const JobParams &params)
{
    if (!m_current)
        return nullptr; // no server chosen: nothing to send it to
    JobParams p = params;
    p.outputPath.clear(); // the window archives into its own folder
    return m_current->jobs()->submit(p);
}

QList<quint64> Session::enqueue(const QList<JobParams> &jobs)
{
    if (!m_current)
        return {};
    QList<JobParams> window = jobs;
    for (JobParams &p : window)
        p.outputPath.clear(); // the window archives into its own folder
    return m_current->queue()->enqueue(window);
}

JobQueue *Session::queue() const
{
    return m_current ? m_current->queue() : nullptr;
}

void Session::cancel(const QString &jobId)
{
    if (m_current)
        m_current->jobs()->cancel(jobId);
}

bool Session::deleteFromHistory(qint64 rowId, QString *error)
{
    if (!m_ledger)
        return false;
    const auto e = m_ledger->entry(rowId);
    if (!e)
        return false;
    ServerConnection *owner = nullptr;
    for (const auto &[key, connection] : m_connections) {
        if (connection->serverKey() == e->baseUrl && connection->jobs()->findJob(e->serverId))
            owner = connection.get();
    }
    const Job *live = owner ? owner->jobs()->findJob(e->serverId) : nullptr;
    if (!e->isFinal() || (live && !live->isFinal())) {
        if (error)
            *error = tr("The job is still running; cancel it first");
        return false;
    }
    for (const QString &file : {e->videoPath, e->videoPath.isEmpty() ? QString() : VideoDownload::partFileFor(e->videoPath)}) {
        if (!file.isEmpty() && QFile::exists(file) && !QFile::remove(file)) {
            if (error)
                *error = tr("Cannot delete %1").arg(QDir::toNativeSeparators(file));
            return false;
        }
    }
    if (owner)
        owner->jobs()->forgetVideo(e->serverId);
    return m_ledger->remove(rowId);
}

} // namespace framecast
