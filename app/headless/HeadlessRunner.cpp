// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/HeadlessRunner.h"

#include "api/ApiClient.h"
#include "core/Logging.h"
#include "headless/SignalWatcher.h"
#include "jobs/Job.h"
#include "ledger/JobRecorder.h"
#include "progress/StatusCatchUp.h"
#include "media/ImageCheck.h"
#include "media/VideoDownload.h"
#include "net/StreamConnectionPool.h"
#include "progress/SseProgressChannel.h"
#include "progress/WebSocketChannel.h"
#include "session/ProfileStore.h"
#include "session/Session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <cmath>

namespace framecast::headless {

namespace {

QJsonValue orNull(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}
QJsonValue orNull(const std::optional<int> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}
QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QString humanBytes(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
    if (bytes >= 1024)
        return QStringLiteral("%1 KB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

HeadlessRunner::HeadlessRunner(HeadlessOptions options, EmbeddedServerFactory demo, FILE *out, FILE *err, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(out)
    , m_err(err)
    , m_demoFactory(std::move(demo))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(ExitTimeout, tr("Gave up after %1 s (--timeout)").arg(m_options.timeoutSeconds));
    });
    m_textThrottle.setSingleShot(true);
    m_textThrottle.setInterval(250);
    connect(&m_textThrottle, &QTimer::timeout, this, [this] { reportText(false); });
}

HeadlessRunner::~HeadlessRunner()
{
    m_sse.reset();
    m_ws.reset();
    m_download.reset();
    m_recorder.reset(); // writes what is pending
}

void HeadlessRunner::print(const QString &line)
{
    if (m_options.json || m_options.quiet)
        return;
    std::fprintf(m_out, "%s\n", line.toUtf8().constData());
    std::fflush(m_out);
}

void HeadlessRunner::printJson(const QJsonObject &obj)
{
    if (!m_options.json)
        return;
    std::fprintf(m_out, "%s\n", QJsonDocument(obj).toJson(QJsonDocument::Compact).constData());
    std::fflush(m_out);
}

void HeadlessRunner::warn(const QString &message)
{
    printJson({{QStringLiteral("event"), QStringLiteral("warning")}, {QStringLiteral("message"), message}});
    if (!m_options.json && !m_options.quiet)
        print(QStringLiteral("⚠ ") + message);
}

void HeadlessRunner::finish(int code, const QString &message)
{
    if (m_finished)
        return;
    if (m_options.resume && (code == ExitCompleted || code == ExitJobFailed) && !m_interrupted) {
        // One resumed job ended: on to the next; the exit code is the worst.
        m_resumeWorst = std::max(m_resumeWorst, code);
        if (!m_resumeQueue.isEmpty()) {
            if (!message.isEmpty()) {
                std::fprintf(m_err, "framecast: %s\n", message.toUtf8().constData());
                std::fflush(m_err);
            }
            QTimer::singleShot(0, this, &HeadlessRunner::resumeNext);
            return;
        }
        code = m_resumeWorst;
    }
    m_finished = true;
    m_timeout.stop();
    if (m_sse)
        m_sse->stop();
    if (m_ws)
        m_ws->stop();
    if (!message.isEmpty()) {
        std::fprintf(m_err, "framecast: %s\n", message.toUtf8().constData());
        std::fflush(m_err);
    }
    Q_EMIT finished(code);
}

void HeadlessRunner::failWith(int code, const QString &errorCode, const QString &message, bool retryable)
{
    printJson({{QStringLiteral("event"), QStringLiteral("failed")},
               {QStringLiteral("job"), m_job ? QJsonValue(m_job->id()) : QJsonValue()},
               {QStringLiteral("code"), orNull(errorCode)},
               {QStringLiteral("message"), message},
               {QStringLiteral("retryable"), retryable}});
    finish(code, message);
}

bool HeadlessRunner::resolveConnection()
{
    if (m_options.demo) {
        if (!m_demoFactory) {
            finish(ExitUsage, tr("This build has no built-in demo server"));
            return false;
        }
        m_demo = m_demoFactory();
        QString error;
        if (!m_demo->start(&error)) {
            finish(ExitConnection, error);
            return false;
        }
        m_baseUrl = m_demo->baseUrl();
        m_wsUrl = m_demo->webSocketUrl();
        m_dialect = m_options.dialect.value_or(Dialect::VideosSse);
        if (m_options.user.isEmpty() && m_options.tokenEnv.isEmpty()) {
            m_options.user = QStringLiteral("demo");
            m_password = QStringLiteral("demo");
        }
    } else if (!m_options.profile.isEmpty()) {
        // The profiles the desktop app saved (the same store it reads).
        const auto profile = ProfileStore().find(m_options.profile);
        if (!profile || profile->builtInDemo) {
            finish(ExitUsage, tr("There is no saved server profile named \"%1\"").arg(m_options.profile));
            return false;
        }
        if (const QString refused = profile->transportError(); !refused.isEmpty()) {
            finish(ExitUsage, refused);
            return false;
        }
        m_baseUrl = profile->baseUrl;
        m_dialect = m_options.dialect.value_or(profile->dialect);
        m_wsUrl = profile->wsUrl;
        m_tokenInQuery = profile->tokenInQuery;
    } else {
        m_baseUrl = m_options.server;
        m_dialect = *m_options.dialect;
        m_tokenInQuery = m_options.tokenInQuery;
        if (m_baseUrl.scheme() == QLatin1String("http") && !isLoopbackHost(m_baseUrl.host()))
            warn(tr("Insecure connection: %1 is reached over plain http; the token can be read on the network")
                     .arg(m_baseUrl.host()));
    }
    if (!m_options.wsUrl.isEmpty())
        m_wsUrl = m_options.wsUrl;
    if (m_wsUrl.isEmpty())
        m_wsUrl = defaultWebSocketUrl(m_baseUrl);
    return true;
}

bool HeadlessRunner::readSecrets()
{
    if (!m_options.passwordEnv.isEmpty()) {
        m_password = qEnvironmentVariable(m_options.passwordEnv.toLocal8Bit().constData());
        if (m_password.isEmpty()) {
            finish(ExitUsage, tr("The environment variable %1 is empty or not set").arg(m_options.passwordEnv));
            return false;
        }
    } else if (m_options.passwordStdin) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            finish(ExitUsage, tr("Cannot read the password from standard input"));
            return false;
        }
        m_password = QString::fromUtf8(in.readLine()).trimmed();
        if (m_password.isEmpty()) {
            finish(ExitUsage, tr("No password on standard input"));
            return false;
        }
    } else if (!m_options.tokenEnv.isEmpty()) {
        m_token = qgetenv(m_options.tokenEnv.toLocal8Bit().constData()).trimmed();
        if (m_token.isEmpty()) {
            finish(ExitUsage, tr("The environment variable %1 is empty or not set").arg(m_options.tokenEnv));
            return false;
        }
    }
    return true;
}

void HeadlessRunner::start()
{
    // Everything a script could get wrong is checked before anything is sent.
    if (m_options.watchId.isEmpty() && !m_options.resume) {
        const QString promptError = checkPrompt(m_options.prompt);
        if (!promptError.isEmpty()) {
            finish(ExitUsage, promptError);
            return;
        }
        m_image = checkReferenceImage(m_options.image);
        if (!m_image.ok) {
            finish(ExitUsage, m_image.error);
            return;
        }
    }
    if (!readSecrets() || !resolveConnection())
        return;
    if (m_options.timeoutSeconds > 0)
        m_timeout.start(m_options.timeoutSeconds * 1000);

    m_api = std::make_unique<ApiClient>(m_baseUrl, &m_network);
    m_pool = std::make_unique<StreamConnectionPool>();
    if (!m_token.isEmpty()) {
        m_api->setToken(m_token);
        m_api->me([this](const ApiResponse &r) {
            if (r.error.kind == ApiError::Kind::Unauthorized) {
                finish(ExitAuth, tr("The token was refused: %1").arg(r.error.message));
                return;
            }
            if (!r.ok()) {
                finish(ExitConnection, r.error.message);
                return;
            }
            m_username = r.json.value(QStringLiteral("username")).toString();
            afterAuth();
        });
        return;
    }
    login();
}

void HeadlessRunner::afterAuth()
{
    openLedger();
    if (m_options.resume) {
        m_resumeQueue = m_ledger ? m_ledger->pending(serverKey(), m_username) : QList<LedgerEntry>();
        if (m_resumeQueue.isEmpty()) {
            print(tr("Nothing to resume"));
            printJson({{QStringLiteral("event"), QStringLiteral("resume")}, {QStringLiteral("jobs"), 0}});
            m_options.resume = false;
            finish(ExitCompleted);
            return;
        }
        print(tr("Resuming %n job(s)", nullptr, int(m_resumeQueue.size())));
        printJson({{QStringLiteral("event"), QStringLiteral("resume")}, {QStringLiteral("jobs"), int(m_resumeQueue.size())}});
        resumeNext();
    } else if (m_options.watchId.isEmpty()) {
        uploadImage();
    } else {
        watch(m_options.watchId);
    }
}

void HeadlessRunner::openLedger()
{
    if (m_options.noLedger || m_ledger)
        return;
    m_ledger = std::make_unique<Ledger>();
    const QString path = m_options.ledgerPath.isEmpty() ? Ledger::defaultPath() : m_options.ledgerPath;
    if (!m_ledger->open(path)) {
        warn(tr("The job history cannot be used: %1").arg(m_ledger->notice()));
        m_ledger.reset();
        return;
    }
    if (!m_ledger->notice().isEmpty())
        warn(m_ledger->notice());
    connect(m_ledger.get(), &Ledger::writeFailed, this, &HeadlessRunner::warn);
}

QString HeadlessRunner::serverKey() const
{
    return m_options.demo ? QStringLiteral("builtin-demo") : m_baseUrl.toString();
}

void HeadlessRunner::login()
{
    m_api->login(m_options.user, m_password, [this](const ApiResponse &r) {
        m_password.fill(QLatin1Char('\0'));
        m_password.clear();
        if (r.error.kind == ApiError::Kind::Unauthorized || r.error.kind == ApiError::Kind::Validation) {
            finish(ExitAuth, tr("Login failed: %1").arg(r.error.message));
            return;
        }
        if (!r.ok()) {
            finish(ExitConnection, tr("Login failed: %1").arg(r.error.message));
            return;
        }
        m_token = m_api->token();
        m_username = m_options.user;
        afterAuth();
    });
}

void HeadlessRunner::uploadImage()
{
    // Checked (and read) once, before anything was sent.
    m_newEntry.profile = m_options.demo ? tr("Built-in demo server") : (m_options.profile.isEmpty() ? m_baseUrl.host() : m_options.profile);
    m_newEntry.params.prompt = m_options.prompt.trimmed();
    m_newEntry.params.model = m_options.model;
    m_newEntry.params.durationSeconds = m_options.durationSeconds;
    m_newEntry.params.size = m_options.size;
    m_newEntry.params.imagePath = QFileInfo(m_options.image).absoluteFilePath();
    if (m_ledger)
        m_newEntry.thumbnail = JobRecorder::thumbnailOf(m_image.data);
    m_api->upload(m_image.data, m_image.fileName, m_image.mimeType, [this](const ApiResponse &r) {
        m_image = {}; // the bytes are no longer needed
        if (r.error.kind == ApiError::Kind::Unauthorized) {
            finish(ExitAuth, r.error.message);
            return;
        }
        if (r.error.kind == ApiError::Kind::Validation) {
            finish(ExitUsage, tr("The server refused the image: %1").arg(r.error.message));
            return;
        }
        if (!r.ok()) {
            finish(ExitConnection, tr("Upload failed: %1").arg(r.error.message));
            return;
        }
        m_referenceUrl = r.json.value(QStringLiteral("url")).toString();
        generate();
    });
}

void HeadlessRunner::generate()
{
    GenerateRequest g;
    g.prompt = m_options.prompt.trimmed();
    g.model = m_options.model;
    g.referenceImageUrl = m_referenceUrl;
    g.durationSeconds = m_options.durationSeconds;
    g.size = m_options.size;
    m_api->generate(g, [this](const ApiResponse &r) {
        switch (r.error.kind) {
        case ApiError::Kind::None:
            break;
        case ApiError::Kind::Unauthorized:
            finish(ExitAuth, r.error.message);
            return;
        case ApiError::Kind::Validation:
            finish(ExitUsage, tr("The server refused the job: %1").arg(r.error.message));
            return;
        case ApiError::Kind::PaymentRequired:
        case ApiError::Kind::Forbidden:
            failWith(ExitJobFailed, r.httpStatus == 402 ? QStringLiteral("INSUFFICIENT_CREDITS") : QStringLiteral("FORBIDDEN"),
                     r.error.message);
            return;
        default:
            finish(ExitConnection, tr("Could not start the job: %1").arg(r.error.message));
            return;
        }
        const QString id = r.json.value(QStringLiteral("id")).toString();
        if (id.isEmpty()) {
            finish(ExitConnection, tr("The server did not return a job id"));
            return;
        }
        watch(id);
    });
}

void HeadlessRunner::prepareJob(const QString &jobId, const LedgerEntry &fresh)
{
    m_recorder.reset();
    m_job = std::make_unique<Job>(jobId);
    std::optional<LedgerEntry> known = m_ledger ? m_ledger->findByServerId(serverKey(), jobId) : std::nullopt;
    if (known) {
        m_job->restore(Ledger::snapshot(*known));
        print(tr("Job %1 (picked up at step %2)").arg(jobId).arg(known->step));
    } else {
        print(tr("Job %1").arg(jobId));
    }
    if (m_ledger) {
        LedgerEntry entry = known ? *known : fresh;
        if (!known) {
            entry.baseUrl = serverKey();
            entry.username = m_username;
            if (entry.profile.isEmpty())
                entry.profile = m_options.demo ? tr("Built-in demo server") : m_baseUrl.host();
        }
        m_recorder = std::make_unique<JobRecorder>(m_ledger.get(), m_job.get(), entry);
    }
    connect(m_job.get(), &Job::connectionChanged, this, &HeadlessRunner::reportConnection);
    connect(m_job.get(), &Job::warningRaised, this, &HeadlessRunner::warn);
    connect(m_job.get(), &Job::textChanged, this, [this] {
        if (!m_textThrottle.isActive())
            m_textThrottle.start();
    });
    auto printLine = [this](const Job::LogEntry &entry, bool late) {
        QString line = entry.step >= 0 && m_job->totalSteps() > 0 && entry.step <= m_job->totalSteps()
                           ? QStringLiteral("[%1/%2] %3").arg(entry.step).arg(m_job->totalSteps()).arg(entry.message)
                           : entry.text();
        if (late) {
            line += tr("  (late)"); // a step that arrived after a later one
        } else {
            line += QStringLiteral("  %1%").arg(std::lround(m_job->percent()));
            if (const auto eta = m_job->etaSeconds())
                line += QStringLiteral("  ETA %1s").arg(std::lround(*eta));
        }
        print(line);
    };
    connect(m_job.get(), &Job::logAppended, this, [printLine](const Job::LogEntry &entry) { printLine(entry, false); });
    // A step that arrives after a reconnect's catch-up overtook it is printed too.
    connect(m_job.get(), &Job::logInserted, this, [printLine](int, const Job::LogEntry &entry) { printLine(entry, true); });
    connect(m_job.get(), &Job::finished, this, &HeadlessRunner::onJobFinished);
}

void HeadlessRunner::watch(const QString &jobId)
{
    prepareJob(jobId, std::exchange(m_newEntry, LedgerEntry()));
    follow();
}

void HeadlessRunner::resumeNext()
{
    m_sse.reset();
    m_ws.reset();
    m_download.reset();
    const LedgerEntry next = m_resumeQueue.takeFirst();
    prepareJob(next.serverId, next);
    m_api->status(next.serverId, [this](const ApiResponse &r) {
        if (!m_job || applyStatusAnswer(*m_job, r) == StatusAnswer::Lost)
            return; // onJobFinished reports it (never as done)
        if (r.error.kind == ApiError::Kind::Unauthorized) {
            m_options.resume = false;
            finish(ExitAuth, r.error.message);
            return;
        }
        if (m_job->state() == Job::State::Completed)
            onJobFinished(); // completed before this run: fetch the video
        else if (!m_job->isFinal())
            follow();
    });
}

void HeadlessRunner::follow()
{
    if (m_dialect == Dialect::WebSocket) {
        WebSocketChannel::Options options;
        options.reconnect.maxAttempts = 10; // scripts want an answer, as for SSE below
        m_ws = std::make_unique<WebSocketChannel>(m_wsUrl, m_token, m_api.get(), options);
        connect(m_ws.get(), &WebSocketChannel::progressEvent, this, &HeadlessRunner::reportEvent);
        connect(m_ws.get(), &WebSocketChannel::protocolWarning, this, &HeadlessRunner::warn);
        connect(m_ws.get(), &WebSocketChannel::authenticationFailed, this,
                [this](const QString &m) { finish(ExitAuth, tr("The server refused the token: %1").arg(m)); });
        connect(m_ws.get(), &WebSocketChannel::failed, this, [this](const QString &m) { finish(ExitConnection, m); });
        m_ws->watch(m_job.get());
        m_ws->start();
        return;
    }
    ProgressEndpoint endpoint;
    endpoint.baseUrl = m_baseUrl;
    endpoint.dialect = m_dialect;
    endpoint.token = m_token;
    endpoint.tokenInQuery = m_tokenInQuery;
    // Scripts want an answer: give up after ten failed reconnects in a row.
    ReconnectPolicy policy = defaultReconnectPolicy(m_dialect);
    if (policy.maxAttempts < 0)
        policy.maxAttempts = 10;
    endpoint.reconnect = policy;
    m_sse = std::make_unique<SseProgressChannel>(m_job.get(), endpoint, m_pool.get());
    connect(m_sse.get(), &SseProgressChannel::progressEvent, this, &HeadlessRunner::reportEvent);
    connect(m_sse.get(), &SseProgressChannel::watchFailed, this, [this](sse::SseStream::Failure f, const QString &m) {
        if (f == sse::SseStream::Failure::Unauthorized)
            finish(ExitAuth, m);
        else
            finish(ExitConnection, m);
    });
    connect(m_sse.get(), &SseProgressChannel::closed, this, [this] {
        // stages-sse can end its stream before the job ends (one stage).
        if (m_job && !m_job->isFinal())
            finish(ExitConnection, tr("The server ended the progress stream before the job finished"));
    });
    m_sse->start();
}

void HeadlessRunner::reportConnection()
{
    if (!m_job)
        return;
    const ConnectionStatus &c = m_job->connection();
    QString state;
    switch (c.state) {
    case ConnectionState::Connecting:
        state = QStringLiteral("connecting");
        break;
    case ConnectionState::Connected:
        state = QStringLiteral("connected");
        break;
    case ConnectionState::Reconnecting:
        state = QStringLiteral("reconnecting");
        break;
    case ConnectionState::Failed:
    case ConnectionState::Closed:
        state = QStringLiteral("closed");
        break;
    case ConnectionState::Idle:
        return;
    }
    const QString key = state + QString::number(c.attempt);
    if (key == m_lastConnection)
        return;
    m_lastConnection = key;
    printJson({{QStringLiteral("event"), QStringLiteral("connection")},
               {QStringLiteral("state"), state},
               {QStringLiteral("dialect"), dialectName(m_dialect)},
               {QStringLiteral("attempt"), c.attempt}});
    if (state == QLatin1String("connected"))
        print(tr("● connected (%1)").arg(dialectName(m_dialect)));
    else if (state == QLatin1String("reconnecting"))
        print(tr("↻ reconnecting (attempt %1)%2").arg(c.attempt).arg(c.lastError.isEmpty() ? QString() : QStringLiteral(": ") + c.lastError));
}

void HeadlessRunner::reportEvent(const ProgressEvent &e)
{
    const bool onlyText = (e.text || !e.textDelta.isEmpty()) && e.status == JobStatus::Unknown && !e.percent
                          && e.message.isEmpty() && e.videoUrl.isEmpty() && !e.error;
    if (onlyText || !m_job)
        return; // streamed text goes out as "text" events, throttled
    printJson({{QStringLiteral("event"), QStringLiteral("progress")},
               {QStringLiteral("job"), m_job->id()},
               {QStringLiteral("status"), e.status == JobStatus::Unknown ? QJsonValue() : QJsonValue(jobStatusName(e.status))},
               {QStringLiteral("step"), orNull(e.step)},
               {QStringLiteral("total_steps"), orNull(e.totalSteps)},
               {QStringLiteral("percent"), orNull(e.percent)},
               {QStringLiteral("eta_s"), orNull(e.etaSeconds)},
               {QStringLiteral("stage"), orNull(e.stage)},
               {QStringLiteral("message"), orNull(e.message)}});
}

void HeadlessRunner::reportText(bool force)
{
    if (!m_job || !m_options.json)
        return;
    const QString text = m_job->streamedText();
    if (text == m_lastTextSent || (!force && text.isEmpty()))
        return;
    m_lastTextSent = text;
    printJson({{QStringLiteral("event"), QStringLiteral("text")}, {QStringLiteral("job"), m_job->id()}, {QStringLiteral("text"), text}});
}

void HeadlessRunner::onJobFinished()
{
    reportText(true);
    if (m_sse)
        m_sse->stop();
    if (m_interrupted)
        return; // interrupt() finishes
    switch (m_job->state()) {
    case Job::State::Completed:
        download();
        return;
    case Job::State::Cancelled:
        failWith(ExitJobFailed, QStringLiteral("CANCELLED"), tr("The job was cancelled"));
        return;
    default: {
        const auto error = m_job->error().value_or(ProgressError{QString(), tr("The job failed"), false});
        failWith(ExitJobFailed, error.code, error.message, error.retryable);
        return;
    }
    }
}

void HeadlessRunner::download()
{
    const QString videoUrl = m_job->videoUrl();
    if (videoUrl.isEmpty()) {
        failWith(ExitConnection, QStringLiteral("NO_VIDEO"), tr("The job completed without a video URL"));
        return;
    }
    QString file = m_options.output;
    if (file.isEmpty())
        file = QDir::current().filePath(VideoDownload::fileNameFor(m_job->id()));
    file = QFileInfo(file).absoluteFilePath();
    m_download = std::make_unique<VideoDownload>(m_api.get(), videoUrl, file);
    connect(m_download.get(), &VideoDownload::finished, this, [this, videoUrl, file](bool ok, const QString &error) {
        if (!ok) {
            failWith(ExitJobFailed, QStringLiteral("DOWNLOAD_FAILED"), error, true);
            return;
        }
        const qint64 bytes = m_download->bytes();
        if (m_recorder)
            m_recorder->setVideo(file, bytes);
        printJson({{QStringLiteral("event"), QStringLiteral("completed")},
                   {QStringLiteral("job"), m_job->id()},
                   {QStringLiteral("video_url"), m_api->resolve(videoUrl).toString()},
                   {QStringLiteral("file"), QFileInfo(file).absoluteFilePath()},
                   {QStringLiteral("bytes"), bytes}});
        if (!m_options.json)
            std::fprintf(m_out, "%s\n", tr("✔ Saved %1 (%2)").arg(QDir::toNativeSeparators(file), humanBytes(bytes)).toUtf8().constData());
        std::fflush(m_out);
        finish(ExitCompleted);
    });
    m_download->start();
}

void HeadlessRunner::interrupt()
{
    if (m_finished || m_interrupted)
        return;
    m_interrupted = true;
    if (!m_job || m_job->isFinal() || !m_api) {
        finish(ExitInterrupted, tr("Interrupted"));
        return;
    }
    print(tr("Interrupted: cancelling job %1 on the server…").arg(m_job->id()));
    m_job->markCancelled();
    // Give the server a few seconds to confirm, then leave either way.
    QTimer::singleShot(5000, this, [this] { finish(ExitInterrupted, tr("Interrupted (the cancel was not confirmed)")); });
    m_api->cancel(m_job->id(), [this](const ApiResponse &r) {
        finish(ExitInterrupted, r.ok() ? tr("Interrupted: the job was cancelled on the server")
                                       : tr("Interrupted; cancelling failed: %1").arg(r.error.message));
    });
}

int runHeadless(int argc, char **argv, const EmbeddedServerFactory &demoFactory)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    args.removeAll(QStringLiteral("--headless"));
    const bool help = args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"));
    const bool demo = args.contains(QStringLiteral("--demo"));
    // The demo backend draws captions into its videos, and fonts need a
    // QGuiApplication: the offscreen platform keeps it free of any display.
    std::unique_ptr<QCoreApplication> app;
    if (demo) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("Framecast"));
    QCoreApplication::setOrganizationName(QStringLiteral("Framecast"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FRAMECAST_VERSION));
    // The in-process demo backend's own log lines are not for this terminal.
    QLoggingCategory::setFilterRules(QStringLiteral("framecast.demo.info=false\nqt.qpa.*=false"));
    if (help) {
        std::printf("%s", HeadlessOptions::usage().toUtf8().constData());
        return ExitCompleted;
    }
    QString error;
    const auto options = HeadlessOptions::parse(args, &error);
    if (!options) {
        std::fprintf(stderr, "framecast: %s\nRun framecast --headless --help for the usage.\n", error.toUtf8().constData());
        return ExitUsage;
    }
    HeadlessRunner runner(*options, demoFactory);
    SignalWatcher interrupts;
    QObject::connect(&interrupts, &SignalWatcher::interrupted, &runner, &HeadlessRunner::interrupt);
    int code = ExitConnection;
    QObject::connect(&runner, &HeadlessRunner::finished, app.get(), [&code](int c) {
        code = c;
        QCoreApplication::exit(c);
    });
    QTimer::singleShot(0, &runner, &HeadlessRunner::start);
    QCoreApplication::exec();
    return code;
}

} // namespace framecast::headless
