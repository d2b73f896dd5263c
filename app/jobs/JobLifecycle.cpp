// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/JobLifecycle.h"

#include "api/ApiClient.h"
#include "core/Logging.h"
#include "ledger/JobRecorder.h"
#include "ledger/Ledger.h"
#include "media/ImageCheck.h"
#include "media/VideoDownload.h"
#include "progress/ProgressDecoder.h"
#include "progress/ProgressTransport.h"
#include "progress/StatusCatchUp.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace framecast {

namespace {

const QString &kRefused = Job::kRefusedCode;

/// Too many requests, or a server that takes no jobs for the moment.
bool isBusy(const ApiError &error)
{
    return error.httpStatus == 429 || error.httpStatus == 503;
}

} // namespace

JobLifecycle::JobLifecycle(ApiClient *api, ProgressTransport *transport, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_transport(transport)
{
    connect(m_transport, &ProgressTransport::gaveUp, this, [this](Job *job, const QString &message) {
        // A stream that is gone may mean a job that is gone (lost) or done.
        checkStatus(job, false, message);
    });
}

JobLifecycle::~JobLifecycle()
{
    qDeleteAll(m_downloads); // the part files stay for a later resume
    qDeleteAll(m_recorders); // writes what is pending
}

void JobLifecycle::setLedger(Ledger *ledger)
{
    m_ledger = ledger;
}

Ledger *JobLifecycle::ledger() const
{
    return m_ledger;
}

QString JobLifecycle::check(const JobParams &params)
{
    const QString promptError = checkPrompt(params.prompt);
    if (!promptError.isEmpty())
        return promptError;
    return checkReferenceImage(params.imagePath).error;
}

QList<Job *> JobLifecycle::jobs() const
{
    QList<Job *> out;
    for (const auto &j : m_jobs) {
        if (!m_unannounced.contains(j.get()))
            out << j.get();
    }
    return out;
}

Job *JobLifecycle::findJob(const QString &jobId) const
{
    for (const auto &j : m_jobs) {
        if (j->id() == jobId)
            return j.get();
    }
    return nullptr;
}

qint64 JobLifecycle::ledgerRow(const Job *job) const
{
    const JobRecorder *r = m_recorders.value(job);
    return r ? r->rowId() : 0;
}

Job *JobLifecycle::createJob(const QString &id, const JobParams &params, const LedgerEntry *known, bool announce)
{
    m_jobs.push_back(std::make_unique<Job>(id));
    Job *job = m_jobs.back().get();
    job->setParams(params);
    if (known) {
        job->restore(Ledger::snapshot(*known));
        if (m_ledger)
            m_recorders.insert(job, new JobRecorder(m_ledger, job, *known, this));
    }
    connect(job, &Job::finished, this, [this, job](Job::State state) { onFinished(job, state); });
    if (announce)
        Q_EMIT jobAdded(job);
    return job;
}

void JobLifecycle::record(Job *job, const QByteArray &thumbnail)
{
    if (!m_ledger || m_recorders.contains(job))
        return;
    LedgerEntry e;
    e.profile = m_owner.profile;
    e.baseUrl = m_owner.serverKey;
    e.username = m_owner.username;
    e.params = job->params();
    e.thumbnail = thumbnail;
    m_recorders.insert(job, new JobRecorder(m_ledger, job, e, this));
}

QString JobLifecycle::refusalHint(Refusal::Kind kind)
{
    switch (kind) {
    case Refusal::Kind::Input:
    case Refusal::Kind::Validation:
        return tr("Change the prompt or the image, then press Generate again.");
    case Refusal::Kind::Unauthorized:
        return tr("Log in again (Account ▸ Log in…), then press Generate again.");
    case Refusal::Kind::Credits:
        return tr("Your account has too few credits for a video. Top up your credits on the server, then press Generate again.");
    case Refusal::Kind::Forbidden:
        return tr("Your account may not generate videos (is its subscription active?). Ask the server's administrator.");
    case Refusal::Kind::Connection:
        return tr("Check the server and your connection, then press Generate again.");
    case Refusal::Kind::Busy:
        return tr("The server is busy; press Generate again in a moment.");
    }
    return {};
}

void JobLifecycle::refuse(Job *job, Refusal::Kind kind, const QString &message)
{
    const Refusal refusal{kind, message};
    if (m_unannounced.contains(job)) {
        const QueueHooks hooks = m_unannounced.take(job);
        if (hooks.refused && hooks.refused(refusal)) {
            drop(job); // back in the queue: nothing to show
            return;
        }
        Q_EMIT jobAdded(job); // refused for good: shown as a single Generate's would be
    }
    job->markRefused(message, refusalHint(kind));
    Q_EMIT jobRefused(job, refusal);
}

Job *JobLifecycle::submit(const JobParams &requested)
{
    JobParams params = requested;
    params.prompt = params.prompt.trimmed();
    // A local key until the server names the job; never shown translated.
    Job *job = createJob(QStringLiteral("new-%1").arg(++m_pending), params);
    start(job);
    return job;
}

void JobLifecycle::submitFromQueue(const JobParams &requested, QueueHooks hooks)
{
    JobParams params = requested;
    params.prompt = params.prompt.trimmed();
    Job *job = createJob(QStringLiteral("new-%1").arg(++m_pending), params, nullptr, /*announce=*/false);
    m_unannounced.insert(job, std::move(hooks));
    start(job);
}

void JobLifecycle::drop(Job *job)
{
    const auto it = std::find_if(m_jobs.begin(), m_jobs.end(), [job](const auto &j) { return j.get() == job; });
    if (it == m_jobs.end())
        return;
    Job *owned = it->release();
    m_jobs.erase(it);
    owned->setParent(this);
    owned->deleteLater(); // a caller up the stack may still hold it
}

void JobLifecycle::start(Job *job)
{
    const JobParams &params = job->params();
    if (const QString promptError = checkPrompt(params.prompt); !promptError.isEmpty()) {
        refuse(job, Refusal::Kind::Input, promptError);
        return;
    }
    const CheckedImage image = checkReferenceImage(params.imagePath);
    if (!image.ok) {
        refuse(job, Refusal::Kind::Input, image.error);
        return;
    }
    if (!m_api || m_api->token().isEmpty()) {
        refuse(job, Refusal::Kind::Unauthorized, tr("Log in first"));
        return;
    }
    const QByteArray thumbnail = m_ledger ? JobRecorder::thumbnailOf(image.data) : QByteArray();
    QPointer<Job> guard(job);
    m_api->upload(image.data, image.fileName, image.mimeType, [this, guard, thumbnail](const ApiResponse &r) {
        if (!guard)
            return;
        switch (r.error.kind) {
        case ApiError::Kind::None:
            break;
        case ApiError::Kind::Unauthorized:
            refuse(guard, Refusal::Kind::Unauthorized, r.error.message);
            return;
        case ApiError::Kind::Validation:
            refuse(guard, Refusal::Kind::Validation, tr("The server refused the image: %1").arg(r.error.message));
            return;
        default:
            if (isBusy(r.error)) {
                refuse(guard, Refusal::Kind::Busy, tr("The server is busy: %1").arg(r.error.message));
                return;
            }
            refuse(guard, Refusal::Kind::Connection, tr("The image could not be uploaded: %1").arg(r.error.message));
            return;
        }
        generate(guard, r.json.value(QStringLiteral("url")).toString(), thumbnail);
    });
}

void JobLifecycle::generate(Job *job, const QString &referenceUrl, const QByteArray &thumbnail)
{
    GenerateRequest g;
    g.prompt = job->params().prompt;
    g.model = job->params().model;
    g.referenceImageUrl = referenceUrl;
    g.durationSeconds = job->params().durationSeconds;
    g.size = job->params().size;
    QPointer<Job> guard(job);
    m_api->generate(g, [this, guard, thumbnail](const ApiResponse &r) {
        if (!guard)
            return;
        switch (r.error.kind) {
        case ApiError::Kind::None:
            break;
        case ApiError::Kind::Unauthorized:
            refuse(guard, Refusal::Kind::Unauthorized, r.error.message);
            return;
        case ApiError::Kind::Validation:
            refuse(guard, Refusal::Kind::Validation, tr("The server refused the job: %1").arg(r.error.message));
            return;
        case ApiError::Kind::PaymentRequired:
            refuse(guard, Refusal::Kind::Credits, r.error.message);
            return;
        case ApiError::Kind::Forbidden:
            refuse(guard, Refusal::Kind::Forbidden, r.error.message);
            return;
        default:
            if (isBusy(r.error)) {
                refuse(guard, Refusal::Kind::Busy, tr("The server is busy: %1").arg(r.error.message));
                return;
            }
            refuse(guard, Refusal::Kind::Connection, tr("Could not start the job: %1").arg(r.error.message));
            return;
        }
        const QString id = r.json.value(QStringLiteral("id")).toString();
        if (id.isEmpty()) {
            refuse(guard, Refusal::Kind::Connection, tr("The server did not return a job id"));
            return;
        }
        if (guard->isFinal()) {
            // Cancelled while it was being submitted: the server's job goes too.
            m_api->cancel(id, [](const ApiResponse &) {});
            return;
        }
        guard->setId(id);
        const bool fromQueue = m_unannounced.contains(guard);
        const QueueHooks hooks = m_unannounced.take(guard);
        if (fromQueue)
            Q_EMIT jobAdded(guard); // shown from now on, as the server has it
        guard->markQueued();
        record(guard, thumbnail);
        watch(guard);
        if (hooks.accepted)
            hooks.accepted(guard);
    });
}

Job *JobLifecycle::follow(const QString &jobId, const QString &outputPath)
{
    if (Job *live = findJob(jobId))
        return live;
    const std::optional<LedgerEntry> known = m_ledger ? m_ledger->findByServerId(m_owner.serverKey, jobId) : std::nullopt;
    JobParams params = known ? known->params : JobParams{};
    if (!outputPath.isEmpty())
        params.outputPath = outputPath;
    Job *job = createJob(jobId, params, known ? &*known : nullptr);
    if (!known)
        record(job, {});
    checkStatus(job, true);
    return job;
}

QList<Job *> JobLifecycle::resumePending()
{
    QList<Job *> picked;
    if (!m_ledger)
        return picked;
    for (const LedgerEntry &e : m_ledger->pending(m_owner.serverKey, m_owner.username)) {
        if (findJob(e.serverId))
            continue; // already followed in this run
        Job *job = createJob(e.serverId, e.params, &e);
        qCInfo(lcJobs).noquote() << "picking up job" << e.serverId << "left" << Job::stateName(e.state);
        picked << job;
        checkStatus(job, true);
    }
    return picked;
}

void JobLifecycle::rewatch()
{
    for (const auto &job : m_jobs) {
        if (!job->isFinal() && job->state() != Job::State::Submitting)
            checkStatus(job.get(), true); // catch up on what happened meanwhile, then watch
    }
}

void JobLifecycle::pause()
{
    m_transport->stopAll();
    for (const auto &job : m_jobs) {
        if (!job->isFinal())
            job->setConnectionState(ConnectionState::Closed);
    }
}

void JobLifecycle::forgetAll()
{
    pause();
    qDeleteAll(m_downloads);
    m_downloads.clear();
    qDeleteAll(m_recorders);
    m_recorders.clear();
    m_videoFiles.clear();
    m_unannounced.clear(); // the queue discards its items (jobsForgotten)
    std::vector<std::unique_ptr<Job>> gone;
    gone.swap(m_jobs);
    Q_EMIT jobsForgotten(); // views drop them (jobs() is empty now)
    for (auto &owned : gone) {
        Job *job = owned.release();
        job->setParent(this); // gone with the lifecycle if the event loop has ended
        job->deleteLater();
    }
}

void JobLifecycle::watch(Job *job)
{
    if (!job->isFinal())
        m_transport->watch(job);
}

void JobLifecycle::checkStatus(Job *job, bool watchIfRunning, const QString &why)
{
    if (!m_api)
        return;
    QPointer<Job> guard(job);
    m_api->status(job->id(), [this, guard, watchIfRunning, why](const ApiResponse &r) {
        if (!guard)
            return;
        const StatusAnswer answer = applyStatusAnswer(*guard, r); // a completion starts the download
        if (answer == StatusAnswer::Lost)
            return;
        if (guard->state() == Job::State::Completed) {
            if (!m_downloads.contains(guard->id()) && !m_videoFiles.contains(guard->id()))
                download(guard); // it ended before: not archived yet
            return;
        }
        if (guard->isFinal())
            return;
        if (answer == StatusAnswer::Applied && watchIfRunning) {
            watch(guard);
            return;
        }
        if (answer == StatusAnswer::Failed && r.error.kind == ApiError::Kind::Unauthorized)
            return; // the connection asks for a new login; the job is watched after it
        const QString message = !why.isEmpty() ? why : r.error.message;
        guard->setConnectionState(ConnectionState::Failed, 0, message);
        Q_EMIT watchFailed(guard, message);
        recheckLater(guard);
    });
}

void JobLifecycle::recheckLater(Job *job)
{
    if (m_recheckMs <= 0)
        return;
    // Each time longer: 5 s, 10 s, 20 s... at most a minute.
    int &delay = m_recheckDelays[job->id()];
    delay = delay > 0 ? std::min(2 * delay, kMaxRecheckMs) : m_recheckMs;
    QPointer<Job> guard(job);
    QTimer::singleShot(delay, this, [this, guard] {
        if (!guard || guard->isFinal() || guard->connection().state != ConnectionState::Failed || !m_api
            || m_api->token().isEmpty())
            return; // ended, watched again (a new login), or logged out
        checkStatus(guard, true); // done meanwhile: archived; still running: watched again
    });
}

void JobLifecycle::cancel(const QString &jobId)
{
    Job *job = findJob(jobId);
    if (!job || job->isFinal() || !m_api)
        return;
    if (job->state() == Job::State::Submitting) {
        job->markCancelled(); // the server never had it
        return;
    }
    // No more progress is shown while the server decides.
    m_transport->unwatch(jobId);
    QPointer<Job> guard(job);
    m_api->cancel(jobId, [this, guard](const ApiResponse &r) {
        if (!guard || guard->isFinal())
            return;
        if (r.ok()) {
            guard->markCancelled();
            return;
        }
        if (r.error.kind == ApiError::Kind::Conflict || r.error.kind == ApiError::Kind::NotFound) {
            // Ended before the cancel arrived (completed: archived), or gone.
            checkStatus(guard, true, tr("Cancelling failed: %1").arg(r.error.message));
            return;
        }
        Q_EMIT cancelFailed(guard, tr("Cancelling failed: %1").arg(r.error.message));
        watch(guard);
    });
}

void JobLifecycle::onFinished(Job *job, Job::State state)
{
    m_transport->unwatch(job->id());
    m_recheckDelays.remove(job->id());
    // However it ended (a status check after the stream gave up, too),
    // nothing is being followed any more: no "connection failed" beside it.
    const ConnectionState c = job->connection().state;
    if (c == ConnectionState::Failed || c == ConnectionState::Reconnecting || c == ConnectionState::Connecting
        || c == ConnectionState::Connected)
        job->setConnectionState(ConnectionState::Closed);
    if (state == Job::State::Completed) {
        download(job);
        return;
    }
    if (state != Job::State::Failed || !job->error() || job->error()->code == kRefused)
        return;
    Q_EMIT jobFailed(job, job->error()->message);
    // Some dialects do not say whether a failure may be retried; the job's
    // status does (PROTOCOL §3.4).
    if (m_api && !job->error()->retryable) {
        QPointer<Job> guard(job);
        m_api->status(job->id(), [guard](const ApiResponse &r) {
            if (!guard || !r.ok())
                return;
            const DecodeResult d = decodeJobStatus(r.json);
            if (d.event && d.event->error)
                guard->updateError(*d.event->error);
        });
    }
}

QString JobLifecycle::destinationFor(const Job *job) const
{
    if (!job->params().outputPath.isEmpty())
        return QFileInfo(job->params().outputPath).absoluteFilePath();
    return QDir(m_videoFolder).absoluteFilePath(VideoDownload::fileNameFor(job->id()));
}

void JobLifecycle::download(Job *job)
{
    if (m_downloads.contains(job->id()))
        return;
    if (job->videoUrl().isEmpty()) {
        Q_EMIT videoFailed(job, tr("The job completed without a video URL"));
        return;
    }
    const QString file = destinationFor(job);
    auto *dl = new VideoDownload(m_api, job->videoUrl(), file, this);
    m_downloads.insert(job->id(), dl);
    QPointer<Job> guard(job);
    connect(dl, &VideoDownload::progress, this, [this, guard](qint64 got, qint64 total) {
        if (guard)
            Q_EMIT downloadProgress(guard, got, total);
    });
    connect(dl, &VideoDownload::finished, this, [this, guard, dl, file](bool ok, const QString &error) {
        dl->deleteLater();
        if (!guard)
            return;
        m_downloads.remove(guard->id());
        if (!ok) {
            Q_EMIT videoFailed(guard, error);
            return;
        }
        m_videoFiles.insert(guard->id(), file);
        if (JobRecorder *recorder = m_recorders.value(guard))
            recorder->setVideo(file, dl->bytes());
        Q_EMIT videoReady(guard, file, dl->bytes());
        Q_EMIT accountChanged(); // the server charged for it
    });
    dl->start();
}

} // namespace framecast
