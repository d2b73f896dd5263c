// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/Job.h"
#include "jobs/JobParams.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <vector>

namespace framecast {

class ApiClient;
struct ApiResponse;
class JobRecorder;
class Ledger;
struct LedgerEntry;
class ProgressTransport;
class VideoDownload;

/// Why a job could not even start, for a view to present (a banner, an exit code).
struct Refusal
{
    enum class Kind {
        Input,        ///< the prompt or the image, checked before anything is sent
        Unauthorized, ///< not logged in, or the token was refused
        Validation,   ///< the server refused the input (422, 400, 413…)
        Credits,      ///< 402
        Forbidden,    ///< 403
        Connection,   ///< the server could not be reached or answered nonsense
        Busy,         ///< 429 or 503: the server takes no more jobs for now
    };
    Kind kind = Kind::Input;
    QString message;
};

/// How a JobQueue hears of a job it started (JobLifecycle::submitFromQueue).
struct QueueHooks
{
    std::function<void(Job *job)> accepted;
    /// True: the queue takes the item back, and the job is dropped unseen.
    std::function<bool(const Refusal &refusal)> refused;
};

/// Whose jobs these are: one server and one user, in memory and in the ledger.
struct JobOwner
{
    QString profile;   ///< the profile's name, as the history shows it
    QString serverKey; ///< ServerProfile::serverKey()
    QString username;
};

/// The one life of a job, the same for the window and the terminal:
/// submit (checks, upload, generate), watch (the server's progress
/// transport), catch up when a stream gives up, cancel (reading the answer),
/// archive the video, record everything in the ledger, and say when the
/// account changed. Views only present what it says.
///
/// Owned by one ServerConnection: it talks to that server only.
class JobLifecycle final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobLifecycle)

public:
    JobLifecycle(ApiClient *api, ProgressTransport *transport, QObject *parent = nullptr);
    ~JobLifecycle() override;

    void setOwner(const JobOwner &owner) { m_owner = owner; }
    const JobOwner &owner() const { return m_owner; }
    /// Records every job there (may be null: nothing is recorded).
    void setLedger(Ledger *ledger);
    Ledger *ledger() const;
    /// After following a job gave up while it still runs, ask its status
    /// again this long after (then twice as long each time, at most a
    /// minute) until it ends; 0 (the default): never (the headless mode ends).
    void setStatusRecheck(int firstDelayMs) { m_recheckMs = firstDelayMs; }
    /// Where videos go unless a job asked for a place of its own.
    void setVideoFolder(const QString &folder) { m_videoFolder = folder; }
    QString videoFolder() const { return m_videoFolder; }

    /// What is wrong with `params` before anything is sent (empty: nothing).
    static QString check(const JobParams &params);
    /// What to do about a refusal of this kind, for the views.
    static QString refusalHint(Refusal::Kind kind);

    /// Checks, uploads, creates and watches a job. It appears at once
    /// (Submitting); a refusal comes as `jobRefused`.
    Job *submit(const JobParams &params);
    /// As submit, for a JobQueue: the job is announced (jobAdded) only once
    /// the server accepted it; a refusal goes to `hooks.refused` first, and
    /// only one it does not take back shows as a refused job.
    void submitFromQueue(const JobParams &params, QueueHooks hooks);
    /// Follows a job the server already has (started elsewhere); its video
    /// goes to `outputPath` when given.
    Job *follow(const QString &jobId, const QString &outputPath = {});
    /// The ledger's unfinished jobs of this owner, each asked about: watched
    /// again, its video fetched, or marked lost.
    QList<Job *> resumePending();
    /// Watches every unfinished job again (after a new login).
    void rewatch();
    /// Asks the server to cancel. No more progress is shown meanwhile; the
    /// answer decides: cancelled, or completed after all (its video is
    /// archived), or `cancelFailed` and the job is watched again.
    void cancel(const QString &jobId);
    /// Stops following (a logout); the jobs stay and are watched after the next login.
    void pause();
    /// Lets every job go (another user signed in to this server).
    void forgetAll();

    /// The jobs shown: not those a queue is still starting.
    QList<Job *> jobs() const;
    Job *findJob(const QString &jobId) const;
    /// The ledger row of a job, 0 when it is not recorded.
    qint64 ledgerRow(const Job *job) const;
    QString videoFile(const QString &jobId) const { return m_videoFiles.value(jobId); }
    void forgetVideo(const QString &jobId) { m_videoFiles.remove(jobId); }

Q_SIGNALS:
    void jobAdded(framecast::Job *job);
    void jobRefused(framecast::Job *job, const framecast::Refusal &refusal);
    /// The job failed on the server (its error says why).
    void jobFailed(framecast::Job *job, const QString &message);
    /// Following the job stopped for good while it may still run (the dot is red).
    void watchFailed(framecast::Job *job, const QString &message);
    void cancelFailed(framecast::Job *job, const QString &message);
    void downloadProgress(framecast::Job *job, qint64 received, qint64 total);
    void videoReady(framecast::Job *job, const QString &file, qint64 bytes);
    void videoFailed(framecast::Job *job, const QString &message);
    /// A video was charged: the credits changed.
    void accountChanged();
    /// Every job was let go (forgetAll); views drop what they show of them.
    void jobsForgotten();

private:
    Job *createJob(const QString &id, const JobParams &params, const LedgerEntry *known = nullptr, bool announce = true);
    /// Checks, then uploads the image and creates the job on the server.
    void start(Job *job);
    /// Lets go of a job a queue took back (never shown, never recorded).
    void drop(Job *job);
    void record(Job *job, const QByteArray &thumbnail);
    void generate(Job *job, const QString &referenceUrl, const QByteArray &thumbnail);
    void refuse(Job *job, Refusal::Kind kind, const QString &message);
    void watch(Job *job);
    /// GET /videos/{id}: lost, completed (archived), or still running: then
    /// watched when `watchIfRunning`, else `watchFailed` with `why`.
    void checkStatus(Job *job, bool watchIfRunning, const QString &why = {});
    /// The status once more, later (setStatusRecheck).
    void recheckLater(Job *job);
    void onFinished(Job *job, Job::State state);
    void download(Job *job);
    QString destinationFor(const Job *job) const;

    QPointer<ApiClient> m_api;
    ProgressTransport *m_transport;
    QPointer<Ledger> m_ledger;
    JobOwner m_owner;
    QString m_videoFolder;
    std::vector<std::unique_ptr<Job>> m_jobs;
    QHash<const Job *, JobRecorder *> m_recorders;
    QHash<QString, VideoDownload *> m_downloads;
    QHash<QString, QString> m_videoFiles;
    QHash<const Job *, QueueHooks> m_unannounced; ///< started by a queue, not shown yet
    int m_pending = 0;
    int m_recheckMs = 0;
    static constexpr int kMaxRecheckMs = 60000;
    QHash<QString, int> m_recheckDelays; ///< the last delay of each job asked again
};

} // namespace framecast
