// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/ApiClient.h"
#include "jobs/Job.h"
#include "progress/Dialect.h"
#include "session/EmbeddedServer.h"

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSize>

#include <functional>
#include <memory>
#include <vector>

namespace framecast {

class Job;
class JobRecorder;
class SecretStore;
class Ledger;
struct LedgerEntry;
class SseProgressChannel;
class StreamConnectionPool;
class VideoDownload;
class WebSocketChannel;

/// A server profile (PROTOCOL.md §1).
struct ServerProfile
{
    QString name;
    QUrl baseUrl;              ///< empty for the built-in demo server
    Dialect dialect = Dialect::VideosSse;
    QUrl wsUrl;
    bool tokenInQuery = false;
    bool builtInDemo = false;
    enum class Auth { Password, Token };
    Auth auth = Auth::Password; ///< how this server's users log in
    /// Plain http to a host that is not this computer: only when the user
    /// said so explicitly, and the UI warns for as long as it is used.
    bool allowInsecureHttp = false;

    static ServerProfile demo();
    /// True for plain http/ws to a host that is not loopback.
    bool isInsecure() const;
    /// Why this profile must not be used as it is (https required), or empty.
    QString transportError() const;
};

/// localhost, 127.0.0.0/8, ::1.
bool isLoopbackHost(const QString &host);

/// What the user asked to generate.
struct GenerateParams
{
    QString prompt;
    QString imagePath;
    int durationSeconds = 4;
    QSize size{1280, 720};
};

/// One signed-in session with one server: the REST client, the progress
/// channels, the jobs and their videos. The desktop app's widgets show its
/// state and call its methods; they never talk to the network themselves.
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
    /// Uses `profile`; for the built-in demo server this starts it in-process.
    bool setProfile(const ServerProfile &profile, QString *error = nullptr);
    const ServerProfile &profile() const { return m_profile; }

    /// Logs in; on success the token (and the password, when `remember`) is
    /// kept in the secret store for this profile and user.
    void login(const QString &username, const QString &password, bool remember = false);
    void loginWithToken(const QByteArray &token);
    /// Logs out: the kept login of this profile and user is forgotten, jobs
    /// stop being watched (they stay, and are picked up at the next login).
    void logout();
    /// Where tokens are kept between launches (may be null: nowhere).
    void setSecretStore(SecretStore *store);
    SecretStore *secretStore() const;
    /// Logs `username` in again with what the secret store kept for this
    /// profile, checked with users/me; a refused token with a remembered
    /// password logs in anew. Otherwise `restoreFailed` says why.
    void restore(const QString &username);
    bool isLoggedIn() const { return !m_user.isEmpty(); }
    QJsonObject user() const { return m_user; }
    int credits() const { return m_user.value(QStringLiteral("credits")).toInt(); }
    void refreshAccount();

    /// Checks prompt and image, uploads, creates the job and watches it. The
    /// job appears at once (state Submitting); refusals come as jobRefused.
    Job *generate(const GenerateParams &params);
    /// Asks the server to cancel; from then on nothing more is shown for it.
    void cancel(const QString &jobId);

    /// Records every job in `ledger` (may be null: nothing is recorded) and
    /// picks up its unfinished jobs after each login.
    void setLedger(Ledger *ledger);
    Ledger *ledger() const;
    /// How the ledger names this server: its URL, or "builtin-demo".
    QString serverKey() const;
    QString username() const;
    /// The ledger row of a job, 0 when it is not recorded.
    qint64 ledgerRow(const Job *job) const;
    /// Deletes a finished job from the history together with its archived
    /// video. Unfinished jobs are refused (cancel them first).
    bool deleteFromHistory(qint64 rowId, QString *error = nullptr);

    QList<Job *> jobs() const;
    Job *findJob(const QString &jobId) const;

    /// What a job was asked to make, kept on the job (the job list shows it,
    /// Retry makes it again).
    static void setParams(Job *job, const GenerateParams &params);
    static GenerateParams paramsOf(const Job *job);
    /// What a ledger entry recorded (a restored job, "Generate again").
    static GenerateParams paramsOf(const LedgerEntry &entry);
    QString videoFile(const QString &jobId) const { return m_videoFiles.value(jobId); }
    QString videoFolder() const { return m_videoFolder; }

Q_SIGNALS:
    void loggedIn(const QJsonObject &user);
    /// Another server profile is in use (not yet logged in).
    void profileChanged(const framecast::ServerProfile &profile);
    void loginFailed(const QString &message);
    void loggedOut();
    /// restore() could not log in (nothing saved, the token expired...).
    void restoreFailed(const QString &message);
    void creditsChanged(int credits);
    void jobAdded(framecast::Job *job);
    /// The request could not even start a job (invalid input, 402, 403, ...).
    void jobRefused(framecast::Job *job, const QString &message);
    void videoReady(framecast::Job *job, const QString &file);
    void videoFailed(framecast::Job *job, const QString &message);
    void downloadProgress(framecast::Job *job, qint64 received, qint64 total);
    /// Any call answered 401: log in again (jobs are kept and re-watched).
    void sessionExpired(const QString &message);
    /// Following a job's progress failed for good (not a 401): the job stays,
    /// its dot turns red, and this says why.
    void watchFailed(framecast::Job *job, const QString &message);

private:
    /// Checks the token with users/me and starts the session; `onFailure`
    /// replaces the loginFailed signal when given.
    void afterLogin(std::function<void(const ApiResponse &)> onFailure = {});
    void saveCredentials();
    /// Unfinished jobs of this server and user in the ledger are asked about
    /// (GET /videos/{id}) and watched again, completed, or marked lost.
    void reconcile();
    void record(Job *job, const GenerateParams &params, const QByteArray &thumbnail);
    /// GET /videos/{id}: unknown -> lost; completed -> video archived; else
    /// the job catches up, and is watched when `watchIfRunning`.
    void checkStatus(Job *job, bool watchIfRunning);
    void watch(Job *job);
    void download(Job *job);
    /// A new job with what it was asked to make (and, when picked up again
    /// from the ledger, what it was); then `jobAdded`, so views see it whole.
    Job *createJob(const QString &id, const GenerateParams &params, const Job::Snapshot *snapshot = nullptr);

    QString m_videoFolder;
    ServerProfile m_profile;
    QNetworkAccessManager m_network;
    EmbeddedServerFactory m_embeddedFactory;
    std::unique_ptr<EmbeddedServer> m_demo;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<StreamConnectionPool> m_pool;
    std::unique_ptr<WebSocketChannel> m_ws;
    QJsonObject m_user;
    std::vector<std::unique_ptr<Job>> m_jobs;
    QHash<QString, SseProgressChannel *> m_channels;
    QHash<QString, VideoDownload *> m_downloads;
    QHash<QString, QString> m_videoFiles;
    QHash<const Job *, JobRecorder *> m_recorders;
    QPointer<SecretStore> m_secrets;
    QString m_rememberPassword; ///< until the login it belongs to is done
    QPointer<Ledger> m_ledger;
    int m_pending = 0;
};

} // namespace framecast
