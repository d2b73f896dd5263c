// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/AuthMethods.h"
#include "jobs/JobLifecycle.h"
#include "jobs/JobParams.h"
#include "session/EmbeddedServer.h"
#include "session/ServerProfile.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <map>
#include <memory>

namespace framecast {

class Job;
class JobQueue;
class Ledger;
struct LedgerEntry;
class ProxyAuthenticator;
class SecretStore;
class ServerConnection;
struct ApiResponse;

/// What the desktop window is signed in to: one ServerConnection per server
/// profile it has used in this run, one of them current. Switching servers
/// keeps the others as they are (their jobs go on, with their own tokens,
/// and are shown again when the user comes back); nothing of one server is
/// ever sent to another. Widgets show the current connection's state and
/// call these methods; they never talk to the network themselves.
class Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    explicit Session(QString videoFolder, QObject *parent = nullptr);
    ~Session() override;

    /// How the built-in demo server is made (main.cpp hands in the demo
    /// library's; tests hand in one they tune). Started on first use.
    void setEmbeddedServerFactory(EmbeddedServerFactory factory);
    /// Makes `profile` current (its connection is kept or made); for the
    /// built-in demo server this starts it in-process.
    bool setProfile(const ServerProfile &profile, QString *error = nullptr);
    const ServerProfile &profile() const { return m_profile; }
    /// The current server's connection (null before a profile was chosen).
    ServerConnection *connection() const { return m_current; }
    /// The connection of a profile used in this run, if any.
    ServerConnection *connectionFor(const QString &profileName) const;

    /// Logs in; on success the token (and the password, when `remember`) is
    /// kept in the secret store for this profile and user.
    void login(const QString &username, const QString &password, bool remember = false);
    void loginWithToken(const QByteArray &token);
    /// Asks `profile`'s server how its users sign in (without making it
    /// current); answers with authMethodsReady. The built-in demo: passwords.
    void fetchAuthMethods(const ServerProfile &profile);
    /// Signs in to the current server through the system browser with its
    /// provider `providerId` (PROTOCOL §2.1): browserWaiting while the
    /// browser is open, then loggedIn (the token kept as after a password
    /// login) or loginFailed with the reason in words.
    void signInWithBrowser(const QString &providerId);
    /// Stops waiting for the browser; loginFailed says it was cancelled.
    void cancelBrowserSignIn();
    /// The browser part's timeout for sign-ins from now on (default 5 min).
    void setBrowserSignInTimeoutMs(int ms) { m_browserTimeoutMs = ms; }
    /// Logs out of the current server: its kept login is forgotten, its jobs
    /// stop being watched (they stay, and are picked up at the next login).
    void logout();
    /// Where tokens are kept between launches (may be null: nowhere).
    void setSecretStore(SecretStore *store);
    SecretStore *secretStore() const;
    /// Answers a proxy's 407 for every connection (the window sets its
    /// prompt); remembered proxy logins live in the secret store.
    ProxyAuthenticator *proxyAuthenticator() const { return m_proxyAuth.get(); }
    /// Logs `username` in again with what the secret store kept for this
    /// profile, checked with users/me; a refused token with a remembered
    /// password logs in anew. Nothing kept: `loginAsked`; otherwise
    /// `restoreFailed` says why.
    void restore(const QString &username);
    bool isLoggedIn() const;
    QJsonObject user() const;
    int credits() const;
    void refreshAccount();

    /// Checks prompt and image, uploads, creates the job and watches it. The
    /// job appears at once (state Submitting); refusals come as jobRefused.
    Job *generate(const JobParams &params);
    /// Queues jobs on the current server (each params one job, in order):
    /// they start as the server and the credits allow (JobQueue). Returns
    /// their queue ids (none without a server).
    QList<quint64> enqueue(const QList<JobParams> &jobs);
    /// The current server's queue (null before a profile was chosen).
    JobQueue *queue() const;
    /// Asks the server to cancel (the answer decides what the job becomes).
    void cancel(const QString &jobId);

    /// Records every job in `ledger` (may be null) and picks up its
    /// unfinished jobs after each login.
    void setLedger(Ledger *ledger);
    Ledger *ledger() const;
    QString serverKey() const;
    QString username() const;
    qint64 ledgerRow(const Job *job) const;
    /// Deletes a finished job from the history together with its archived
    /// video. Unfinished jobs are refused (cancel them first).
    bool deleteFromHistory(qint64 rowId, QString *error = nullptr);

    /// The current server's jobs.
    QList<Job *> jobs() const;
    Job *findJob(const QString &jobId) const;
    QString videoFile(const QString &jobId) const;
    QString videoFolder() const { return m_videoFolder; }

Q_SIGNALS:
    void loggedIn(const QJsonObject &user);
    /// Another server profile is current (not yet logged in).
    void profileChanged(const framecast::ServerProfile &profile);
    /// The jobs shown are others now (another server, another user): views
    /// show jobs() afresh.
    void jobsReplaced();
    void loginFailed(const QString &message);
    /// The sign-in methods of the server of profile `profileName`; `error`
    /// says why they are unknown (then only the password is offered).
    void authMethodsReady(const QString &profileName, const framecast::auth::AuthMethods &methods, const QString &error);
    /// The browser was sent to `url` (the provider's sign-in page): waiting.
    void browserWaiting(const QUrl &url);
    void loggedOut();
    /// restore() could not log in (the keychain failed, the token expired...).
    void restoreFailed(const QString &message);
    /// restore() has nothing kept to log in with: the user is asked (no error).
    void loginAsked(const QString &message);
    void creditsChanged(int credits);
    void jobAdded(framecast::Job *job);
    /// The current server accepted queue item `id`: it is `job` now.
    void queueStarted(quint64 id, framecast::Job *job);
    /// The request could not even start a job (invalid input, 402, 403, ...).
    void jobRefused(framecast::Job *job, const QString &message);
    void videoReady(framecast::Job *job, const QString &file);
    /// The job failed, or its video could not be archived.
    void videoFailed(framecast::Job *job, const QString &message);
    void downloadProgress(framecast::Job *job, qint64 received, qint64 total);
    /// Any call answered 401: log in again (jobs are kept and re-watched).
    void sessionExpired(const QString &message);
    /// Following a job's progress failed for good (not a 401): the job stays,
    /// its dot turns red, and this says why.
    void watchFailed(framecast::Job *job, const QString &message);
    void cancelFailed(framecast::Job *job, const QString &message);

private:
    ServerConnection *connectionOf(const ServerProfile &resolved);
    void makeCurrent(ServerConnection *connection);
    void loginDone(ServerConnection *connection, const ApiResponse &r, const QString &rememberPassword);
    void saveCredentials(ServerConnection *connection, const QString &password);

    QString m_videoFolder;
    ServerProfile m_profile;
    EmbeddedServerFactory m_embeddedFactory;
    std::unique_ptr<EmbeddedServer> m_demo;
    std::map<QString, std::unique_ptr<ServerConnection>> m_connections; ///< by profile name
    ServerConnection *m_current = nullptr;
    QList<QMetaObject::Connection> m_forwarding;
    QPointer<SecretStore> m_secrets;
    std::unique_ptr<ProxyAuthenticator> m_proxyAuth;
    QPointer<Ledger> m_ledger;
    int m_browserTimeoutMs = 5 * 60 * 1000;
};

} // namespace framecast
