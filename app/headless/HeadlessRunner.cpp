// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/HeadlessRunner.h"

#include "api/ApiClient.h"
#include "auth/BrowserSignIn.h"
#include "headless/HeadlessSetup.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "jobs/JobQueue.h"
#include "ledger/Ledger.h"
#include "progress/ProgressTransport.h"
#include "session/ServerConnection.h"

#include <QDir>
#include <QFileInfo>

namespace framecast::headless {

HeadlessRunner::HeadlessRunner(HeadlessOptions options, EmbeddedServerFactory demo, FILE *out, FILE *err, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(out, err, m_options.json, m_options.quiet)
    , m_demoFactory(std::move(demo))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(ExitTimeout, tr("Gave up after %1 s (--timeout)").arg(m_options.timeoutSeconds));
    });
    m_textThrottle.setSingleShot(true);
    m_textThrottle.setInterval(250); // streamed text: at most four lines a second
    connect(&m_textThrottle, &QTimer::timeout, this, [this] {
        if (m_textJob)
            m_out.text(*m_textJob, false);
    });
}

HeadlessRunner::~HeadlessRunner()
{
    m_connection.reset(); // its recorders write what is pending to the ledger
    m_ledger.reset();
}

void HeadlessRunner::start()
{
    // Everything a script could get wrong is checked before anything is sent.
    if (m_options.watchId.isEmpty() && !m_options.resume) {
        for (const JobParams &job : requestedJobs()) {
            if (const QString problem = JobLifecycle::check(job); !problem.isEmpty()) {
                finish(ExitUsage, problem);
                return;
            }
        }
    }
    QString error;
    const std::optional<Secrets> secrets = readSecrets(m_options, &error);
    if (!secrets) {
        finish(ExitUsage, error);
        return;
    }
    m_password = secrets->password;
    m_token = secrets->token;
    int code = ExitUsage;
    std::optional<ResolvedServer> server = resolveServer(m_options, m_demoFactory, &code, &error);
    if (!server) {
        finish(code, error);
        return;
    }
    m_demo = std::move(server->embedded);
    if (!server->warning.isEmpty())
        m_out.warning(server->warning);
    if (m_options.timeoutSeconds > 0)
        m_timeout.start(m_options.timeoutSeconds * 1000);
    if (!openLedger())
        return;

    ServerConnection::Options options;
    options.videoFolder = QDir::currentPath(); // ./<job id>.mp4 unless --output
    options.ledger = m_ledger.get();
    m_connection = std::make_unique<ServerConnection>(server->profile, options);
    m_dialect = dialectName(server->profile.dialect);
    JobLifecycle *jobs = m_connection->jobs();
    connect(jobs, &JobLifecycle::jobAdded, this, &HeadlessRunner::present);
    connect(jobs, &JobLifecycle::jobRefused, this, &HeadlessRunner::onRefused);
    connect(jobs, &JobLifecycle::watchFailed, this, [this](Job *job, const QString &m) { settle(job, ExitConnection, m); });
    connect(jobs, &JobLifecycle::cancelFailed, this, [this](Job *, const QString &m) {
        if (m_interrupted)
            finish(ExitInterrupted, tr("Interrupted; cancelling failed: %1").arg(m));
        else
            m_out.warning(m);
    });
    connect(jobs, &JobLifecycle::videoReady, this, [this](Job *job, const QString &file, qint64 bytes) {
        m_out.completed(*job, m_connection->api()->resolve(job->videoUrl()).toString(), file, bytes);
        settle(job, ExitCompleted);
    });
    connect(jobs, &JobLifecycle::videoFailed, this, [this](Job *job, const QString &m) {
        m_out.failed(job->id(), QStringLiteral("DOWNLOAD_FAILED"), m, true);
        settle(job, ExitJobFailed, m);
    });
    connect(m_connection->transport(), &ProgressTransport::progressEvent, this,
            [this](Job *job, const ProgressEvent &e) { m_out.progress(*job, e); });
    connect(m_connection->transport(), &ProgressTransport::protocolWarning, this,
            [this](const QString &m) { m_out.warning(m); });
    connect(m_connection.get(), &ServerConnection::sessionExpired, this,
            [this](const QString &m) { finish(ExitAuth, tr("The server refused the token: %1").arg(m)); });
    login();
}

bool HeadlessRunner::openLedger()
{
    if (m_options.noLedger)
        return true;
    m_ledger = std::make_unique<Ledger>();
    const QString path = m_options.ledgerPath.isEmpty() ? Ledger::defaultPath() : m_options.ledgerPath;
    if (!m_ledger->open(path)) {
        m_out.warning(tr("The job history cannot be used: %1").arg(m_ledger->notice()));
        m_ledger.reset();
        return true; // the job goes on without a history
    }
    if (!m_ledger->notice().isEmpty())
        m_out.warning(m_ledger->notice());
    connect(m_ledger.get(), &Ledger::writeFailed, this, [this](const QString &m) { m_out.warning(m); });
    return true;
}

void HeadlessRunner::login()
{
    auto done = [this](const ApiResponse &r) {
        m_password.fill(QLatin1Char('\0'));
        m_password.clear();
        if (r.ok()) {
            afterLogin();
            return;
        }
        const bool refused = r.error.kind == ApiError::Kind::Unauthorized || r.error.kind == ApiError::Kind::Validation;
        if (!m_token.isEmpty())
            finish(refused ? ExitAuth : ExitConnection, refused ? tr("The token was refused: %1").arg(r.error.message) : r.error.message);
        else
            finish(refused ? ExitAuth : ExitConnection, tr("Login failed: %1").arg(r.error.message));
    };
    if (!m_token.isEmpty()) {
        m_connection->loginWithToken(m_token, done);
        return;
    }
    if (!m_options.signIn.isEmpty()) {
        signInWithBrowser();
        return;
    }
    const QString user = m_options.user.isEmpty() && m_options.demo ? QStringLiteral("demo") : m_options.user;
    m_connection->login(user, m_password, done);
}

void HeadlessRunner::signInWithBrowser()
{
    auth::BrowserSignIn *flow = m_connection->browserSignIn();
    // --timeout ends the whole run (exit 5); the browser part keeps its own
    // five minutes under it.
    const bool open = !m_options.noBrowser && auth::BrowserSignIn::hasDesktopSession();
    if (open)
        flow->setBrowserOpener(&auth::BrowserSignIn::openInSystemBrowser);
    else
        flow->setBrowserOpener(nullptr);
    connect(flow, &auth::BrowserSignIn::authorizationUrlReady, this,
            [this, open](const QUrl &url) { m_out.signIn(m_options.signIn, url, open); });
    m_connection->signInWithBrowser(m_options.signIn, [this](const ApiResponse &r) {
        if (r.ok()) {
            afterLogin();
            return;
        }
        using Kind = ApiError::Kind;
        const bool refused = r.error.kind == Kind::Unauthorized || r.error.kind == Kind::Forbidden || r.error.kind == Kind::Validation;
        finish(refused ? ExitAuth : r.error.kind == Kind::Timeout ? ExitTimeout : ExitConnection,
               tr("Sign-in with %1 failed: %2").arg(m_options.signIn, r.error.message));
    });
}

void HeadlessRunner::afterLogin()
{
    JobLifecycle *jobs = m_connection->jobs();
    if (m_options.resume) {
        const QList<Job *> picked = jobs->resumePending();
        m_out.resume(int(picked.size()));
        if (picked.isEmpty())
            finish(ExitCompleted);
        return;
    }
    if (!m_options.watchId.isEmpty()) {
        jobs->follow(m_options.watchId, requestedJob().outputPath);
        return;
    }
    const QList<JobParams> requested = requestedJobs();
    if (requested.size() > 1) {
        queueJobs(requested);
        return;
    }
    jobs->submit(requestedJob());
}

QList<JobParams> HeadlessRunner::requestedJobs() const
{
    QList<JobParams> out;
    for (const QString &prompt : m_options.prompts) {
        JobParams params = requestedJob();
        params.prompt = prompt;
        for (int i = 0; i < m_options.variations; ++i)
            out << params;
    }
    return out;
}

void HeadlessRunner::queueJobs(const QList<JobParams> &jobs)
{
    JobQueue *queue = m_connection->queue();
    connect(queue, &JobQueue::changed, this, &HeadlessRunner::checkQueue);
    queue->enqueue(jobs);
}

void HeadlessRunner::checkQueue()
{
    JobQueue *queue = m_connection ? m_connection->queue() : nullptr;
    if (m_finished || !queue || queue->size() == 0 || queue->waitingCount() != queue->size())
        return;
    for (const Job *job : std::as_const(m_running)) {
        if (!job->isFinal())
            return; // its end may free credits
    }
    QString code;
    int exit = ExitJobFailed;
    switch (queue->hold()) {
    case JobQueue::Hold::Credits:
        code = QStringLiteral("INSUFFICIENT_CREDITS");
        break;
    case JobQueue::Hold::Paused: // a 403
        code = QStringLiteral("FORBIDDEN");
        break;
    case JobQueue::Hold::LoggedOut:
        code = QStringLiteral("UNAUTHORIZED");
        exit = ExitAuth;
        break;
    default:
        return; // starting, checking the credits, or a busy server tried again (--timeout applies)
    }
    const QString status = queue->status();
    const int left = queue->clear();
    const QString message = tr("%n queued job(s) not started: %1", nullptr, left).arg(status);
    m_out.failed({}, code, message, false);
    m_worst = std::max(m_worst, exit);
    if (m_running.isEmpty())
        finish(m_worst, message);
}

JobParams HeadlessRunner::requestedJob() const
{
    JobParams params;
    params.prompt = m_options.prompt;
    params.imagePath = m_options.image;
    params.durationSeconds = m_options.durationSeconds;
    params.size = m_options.size;
    params.model = m_options.model;
    if (!m_options.output.isEmpty())
        params.outputPath = QFileInfo(m_options.output).absoluteFilePath();
    return params;
}

void HeadlessRunner::present(Job *job)
{
    m_running.insert(job);
    m_textJob = job;
    if (job->state() != Job::State::Submitting)
        m_out.line(job->step() > 0 ? tr("Job %1 (picked up at step %2)").arg(job->id()).arg(job->step()) : tr("Job %1").arg(job->id()));
    connect(job, &Job::stateChanged, this, [this, job](Job::State state) {
        if (state == Job::State::Queued)
            m_out.line(tr("Job %1").arg(job->id()));
    });
    connect(job, &Job::connectionChanged, this, [this, job] { m_out.connection(*job, m_dialect); });
    connect(job, &Job::warningRaised, this, [this](const QString &m) { m_out.warning(m); });
    connect(job, &Job::textChanged, this, [this] {
        if (!m_textThrottle.isActive())
            m_textThrottle.start();
    });
    connect(job, &Job::logAppended, this, [this, job](const Job::LogEntry &e) { m_out.logLine(*job, e, false); });
    // A step that arrives after a reconnect's catch-up overtook it is printed too.
    connect(job, &Job::logInserted, this, [this, job](int, const Job::LogEntry &e) { m_out.logLine(*job, e, true); });
    connect(job, &Job::finished, this, [this, job] { onFinished(job); });
}

void HeadlessRunner::onRefused(Job *job, const Refusal &refusal)
{
    switch (refusal.kind) {
    case Refusal::Kind::Input:
    case Refusal::Kind::Validation:
        settle(job, ExitUsage, refusal.message);
        return;
    case Refusal::Kind::Unauthorized:
        settle(job, ExitAuth, refusal.message);
        return;
    case Refusal::Kind::Credits:
    case Refusal::Kind::Forbidden:
        m_out.failed({}, refusal.kind == Refusal::Kind::Credits ? QStringLiteral("INSUFFICIENT_CREDITS") : QStringLiteral("FORBIDDEN"),
                     refusal.message, false);
        settle(job, ExitJobFailed, refusal.message);
        return;
    case Refusal::Kind::Connection:
    case Refusal::Kind::Busy:
        settle(job, ExitConnection, refusal.message);
        return;
    }
}

void HeadlessRunner::onFinished(Job *job)
{
    m_out.text(*job, true);
    const std::optional<ProgressError> error = job->error();
    switch (job->state()) {
    case Job::State::Completed:
        return; // the video is archived next (videoReady / videoFailed)
    case Job::State::Cancelled:
        if (m_interrupted) {
            settle(job, ExitInterrupted, tr("Interrupted: the job was cancelled on the server"));
            return;
        }
        m_out.failed(job->id(), QStringLiteral("CANCELLED"), tr("The job was cancelled"), false);
        settle(job, ExitJobFailed, tr("The job was cancelled"));
        return;
    default:
        if (error && error->code == QLatin1String("REFUSED"))
            return; // onRefused
        const ProgressError e = error.value_or(ProgressError{QString(), tr("The job failed"), false});
        m_out.failed(job->id(), e.code, e.message, e.retryable);
        settle(job, ExitJobFailed, e.message);
        return;
    }
}

void HeadlessRunner::settle(Job *job, int code, const QString &message)
{
    if (m_finished || !m_running.remove(job))
        return;
    m_worst = std::max(m_worst, code);
    // A resumed job that ended (done or failed) lets the others go on; any
    // other trouble (login, connection, usage) ends the run.
    if (code != ExitCompleted && code != ExitJobFailed && code != ExitInterrupted) {
        finish(code, message);
        return;
    }
    const JobQueue *queue = m_connection ? m_connection->queue() : nullptr;
    if (!m_running.isEmpty() || (queue && queue->size() > 0)) {
        m_out.error(message);
        checkQueue(); // what waits may never start now
        return;
    }
    finish(m_worst, message);
}

void HeadlessRunner::finish(int code, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    if (m_connection)
        m_connection->jobs()->pause();
    m_out.error(message);
    Q_EMIT finished(code);
}

void HeadlessRunner::interrupt()
{
    if (m_finished || m_interrupted)
        return;
    m_interrupted = true;
    QList<Job *> live;
    for (Job *job : std::as_const(m_running)) {
        if (!job->isFinal())
            live << job;
    }
    if (live.isEmpty() || !m_connection) {
        finish(ExitInterrupted, tr("Interrupted"));
        return;
    }
    // Give the server a few seconds to answer, then leave either way.
    QTimer::singleShot(5000, this, [this] { finish(ExitInterrupted, tr("Interrupted (the cancel was not confirmed)")); });
    for (Job *job : live) {
        m_out.line(tr("Interrupted: cancelling job %1 on the server…").arg(job->id()));
        m_connection->jobs()->cancel(job->id());
    }
}

} // namespace framecast::headless
