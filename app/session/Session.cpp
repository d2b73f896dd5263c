// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/Session.h"

#include "core/Logging.h"
#include "jobs/Job.h"
#include "ledger/JobRecorder.h"
#include "ledger/Ledger.h"
#include "media/ImageCheck.h"
#include "media/VideoDownload.h"
#include "net/StreamConnectionPool.h"
#include "progress/ProgressDecoder.h"
#include "progress/SseProgressChannel.h"
#include "progress/StatusCatchUp.h"
#include "progress/WebSocketChannel.h"
#include "security/SecretStore.h"

#include <QDir>
#include <QHostAddress>
#include <QFile>
#include <QFileInfo>

namespace framecast {

ServerProfile ServerProfile::demo()
{
    ServerProfile p;
    p.name = QObject::tr("Built-in demo server");
    p.builtInDemo = true;
    return p;
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool ServerProfile::isInsecure() const
{
    if (builtInDemo)
        return false;
    const bool plainHttp = baseUrl.scheme() == QLatin1String("http");
    const bool plainWs = dialect == Dialect::WebSocket && wsUrl.scheme() == QLatin1String("ws");
    return (plainHttp && !isLoopbackHost(baseUrl.host())) || (plainWs && !isLoopbackHost(wsUrl.host()));
}

QString ServerProfile::transportError() const
{
    if (!isInsecure() || allowInsecureHttp)
        return {};
    const QString host = baseUrl.scheme() == QLatin1String("http") ? baseUrl.host() : wsUrl.host();
    return QObject::tr("Use https:// (and wss://) for %1: only this computer may be reached over plain http, unless the "
                       "profile explicitly allows insecure connections")
        .arg(host);
}

Session::Session(QString videoFolder, QObject *parent)
    : QObject(parent)
    , m_videoFolder(std::move(videoFolder))
    , m_pool(std::make_unique<StreamConnectionPool>())
{
}

Session::~Session()
{
    m_ws.reset();
    qDeleteAll(m_channels);
    m_channels.clear();
    qDeleteAll(m_downloads);
    m_downloads.clear();
    qDeleteAll(m_recorders); // writes what is pending
    m_recorders.clear();
    m_jobs.clear();
    m_api.reset();
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
    m_profile = profile;
    m_user = {};
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
        m_profile.baseUrl = m_demo->baseUrl();
        m_profile.wsUrl = m_demo->webSocketUrl();
    }
    if (m_profile.wsUrl.isEmpty())
        m_profile.wsUrl = defaultWebSocketUrl(m_profile.baseUrl);
    m_api = std::make_unique<ApiClient>(m_profile.baseUrl, &m_network);
    connect(m_api.get(), &ApiClient::unauthorized, this, &Session::sessionExpired);
    Q_EMIT profileChanged(m_profile);
    return true;
}

void Session::login(const QString &username, const QString &password, bool remember)
{
    if (!m_api) {
        Q_EMIT loginFailed(tr("Choose a server first"));
        return;
    }
    m_rememberPassword = remember ? password : QString();
    m_api->login(username, password, [this](const ApiResponse &r) {
        if (!r.ok()) {
            m_rememberPassword.clear();
            Q_EMIT loginFailed(r.error.message);
            return;
        }
        afterLogin();
    });
}

void Session::logout()
{
    if (!isLoggedIn())
        return;
    if (m_secrets && !m_profile.builtInDemo)
        m_secrets->remove(m_profile.name, username());
    m_ws.reset();
    qDeleteAll(m_channels);
    m_channels.clear();
    for (const auto &job : m_jobs) {
        if (!job->isFinal())
            job->setConnectionState(ConnectionState::Closed);
    }
    m_user = {};
    if (m_api)
        m_api->setToken({});
    Q_EMIT loggedOut();
}

void Session::setSecretStore(SecretStore *store)
{
    m_secrets = store;
}

SecretStore *Session::secretStore() const
{
    return m_secrets;
}

void Session::saveCredentials()
{
    const QString password = std::exchange(m_rememberPassword, QString());
    if (!m_secrets || m_profile.builtInDemo || !m_api)
        return;
    m_secrets->write(m_profile.name, username(), Credentials{m_api->token(), password}, [](bool ok, const QString &error) {
        if (!ok)
            qCWarning(lcNet).noquote() << "could not keep the login in the keychain:" << error;
    });
}

void Session::restore(const QString &username)
{
    if (!m_api || !m_secrets) {
        Q_EMIT restoreFailed(tr("Log in to %1").arg(m_profile.name));
        return;
    }
    const QString profile = m_profile.name;
    m_secrets->read(profile, username, [this, profile, username](std::optional<Credentials> saved, const QString &error) {
        if (profile != m_profile.name || !m_api)
            return; // another server was chosen meanwhile
        if (!saved || saved->isEmpty()) {
            Q_EMIT restoreFailed(error.isEmpty() ? tr("Log in to %1 as %2").arg(profile, username)
                                                 : tr("The keychain could not be read: %1").arg(error));
            return;
        }
        const QString password = saved->password;
        if (saved->token.isEmpty()) {
            login(username, password, true);
            return;
        }
        m_api->setToken(saved->token);
        afterLogin([this, username, password](const ApiResponse &r) {
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

void Session::loginWithToken(const QByteArray &token)
{
    if (!m_api) {
        Q_EMIT loginFailed(tr("Choose a server first"));
        return;
    }
    m_rememberPassword.clear();
    m_api->setToken(token);
    afterLogin();
}

void Session::afterLogin(std::function<void(const ApiResponse &)> onFailure)
{
    // A 401 here means the token was refused, not that a session ended.
    m_api->me([this, onFailure](const ApiResponse &r) {
        if (!r.ok()) {
            if (onFailure)
                onFailure(r);
            else
                Q_EMIT loginFailed(r.error.message);
            return;
        }
        m_user = r.json;
        saveCredentials();
        if (m_profile.dialect == Dialect::WebSocket) {
            if (!m_ws) {
                m_ws = std::make_unique<WebSocketChannel>(m_profile.wsUrl, m_api->token(), m_api.get(), WebSocketChannel::Options{});
                connect(m_ws.get(), &WebSocketChannel::authenticationFailed, this, &Session::sessionExpired);
                connect(m_ws.get(), &WebSocketChannel::failed, this, [this](const QString &m) {
                    for (const auto &j : m_jobs) {
                        if (!j->isFinal())
                            Q_EMIT watchFailed(j.get(), m);
                    }
                });
            } else {
                m_ws->setToken(m_api->token());
            }
            m_ws->start();
        }
        // Jobs watched before the session expired are watched again.
        for (const auto &job : m_jobs) {
            if (!job->isFinal() && job->state() != Job::State::Submitting)
                watch(job.get());
        }
        reconcile();
        Q_EMIT loggedIn(m_user);
        Q_EMIT creditsChanged(credits());
    }, /*checkingLogin=*/true);
}

void Session::refreshAccount()
{
    if (!m_api)
        return;
    m_api->me([this](const ApiResponse &r) {
        if (!r.ok())
            return;
        m_user = r.json;
        Q_EMIT creditsChanged(credits());
    });
}

void Session::setLedger(Ledger *ledger)
{
    m_ledger = ledger;
}

Ledger *Session::ledger() const
{
    return m_ledger;
}

QString Session::serverKey() const
{
    // The built-in demo server gets a new port each launch; its jobs are
    // still "the demo's" (and lost once it restarted).
    return m_profile.builtInDemo ? QStringLiteral("builtin-demo") : m_profile.baseUrl.toString();
}

QString Session::username() const
{
    return m_user.value(QStringLiteral("username")).toString();
}

qint64 Session::ledgerRow(const Job *job) const
{
    const JobRecorder *r = m_recorders.value(job);
    return r ? r->rowId() : 0;
}

Job *Session::findJob(const QString &jobId) const
{
    for (const auto &j : m_jobs) {
        if (j->id() == jobId)
            return j.get();
    }
    return nullptr;
}

void Session::setParams(Job *job, const GenerateParams &params)
{
    job->setProperty("prompt", params.prompt.trimmed());
    job->setProperty("imagePath", params.imagePath);
    job->setProperty("duration", params.durationSeconds);
    job->setProperty("size", params.size);
}

GenerateParams Session::paramsOf(const Job *job)
{
    GenerateParams p;
    p.prompt = job->property("prompt").toString();
    p.imagePath = job->property("imagePath").toString();
    if (const int duration = job->property("duration").toInt(); duration > 0)
        p.durationSeconds = duration;
    if (const QSize size = job->property("size").toSize(); size.isValid())
        p.size = size;
    return p;
}

GenerateParams Session::paramsOf(const LedgerEntry &entry)
{
    GenerateParams p;
    p.prompt = entry.params.prompt;
    p.imagePath = entry.params.imagePath;
    p.durationSeconds = entry.params.durationSeconds;
    p.size = entry.params.size;
    return p;
}

void Session::record(Job *job, const GenerateParams &params, const QByteArray &thumbnail)
{
    if (!m_ledger)
        return;
    LedgerEntry e;
    e.profile = m_profile.name;
    e.baseUrl = serverKey();
    e.username = username();
    e.params.prompt = params.prompt.trimmed();
    e.params.durationSeconds = params.durationSeconds;
    e.params.size = params.size;
    e.params.imagePath = params.imagePath;
    e.thumbnail = thumbnail;
    m_recorders.insert(job, new JobRecorder(m_ledger, job, e, this));
}

void Session::reconcile()
{
    if (!m_ledger || !m_api)
        return;
    for (const LedgerEntry &e : m_ledger->pending(serverKey(), username())) {
        if (findJob(e.serverId))
            continue; // already watched in this run
        const Job::Snapshot snapshot = Ledger::snapshot(e);
        Job *job = createJob(e.serverId, paramsOf(e), &snapshot);
        m_recorders.insert(job, new JobRecorder(m_ledger, job, e, this));
        qCInfo(lcJobs).noquote() << "reconciling job" << e.serverId << "left" << Job::stateName(e.state);
        checkStatus(job, true);
    }
}

void Session::checkStatus(Job *job, bool watchIfRunning)
{
    if (!m_api)
        return;
    QPointer<Job> guard(job);
    m_api->status(job->id(), [this, guard, watchIfRunning](const ApiResponse &r) {
        // A completion applied here starts the download (createJob()).
        if (!guard || applyStatusAnswer(*guard, r) == StatusAnswer::Lost)
            return;
        if (guard->state() == Job::State::Completed) {
            if (!m_downloads.contains(guard->id()) && !m_videoFiles.contains(guard->id()))
                download(guard); // finished before, not archived yet
        } else if (watchIfRunning && !guard->isFinal()) {
            watch(guard);
        }
    });
}

bool Session::deleteFromHistory(qint64 rowId, QString *error)
{
    if (!m_ledger)
        return false;
    const auto e = m_ledger->entry(rowId);
    if (!e)
        return false;
    const Job *live = findJob(e->serverId);
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
    if (live)
        m_videoFiles.remove(live->id());
    return m_ledger->remove(rowId);
}

QList<Job *> Session::jobs() const
{
    QList<Job *> out;
    for (const auto &j : m_jobs)
        out << j.get();
    return out;
}

Job *Session::createJob(const QString &id, const GenerateParams &params, const Job::Snapshot *snapshot)
{
    m_jobs.push_back(std::make_unique<Job>(id));
    Job *job = m_jobs.back().get();
    setParams(job, params);
    if (snapshot)
        job->restore(*snapshot);
    // Once per job (a re-watch after a new login must not add another).
    connect(job, &Job::finished, this, [this, job](Job::State state) {
        if (state == Job::State::Completed)
            download(job);
        else if (state == Job::State::Failed && job->error() && job->error()->code != QLatin1String("REFUSED")) {
            Q_EMIT videoFailed(job, job->error()->message);
            // Some dialects do not say whether a failure may be retried; the
            // job's status does (PROTOCOL §3.4).
            QPointer<Job> guard(job);
            if (m_api && !job->error()->retryable) {
                m_api->status(job->id(), [guard](const ApiResponse &r) {
                    if (!guard || !r.ok())
                        return;
                    const DecodeResult d = decodeJobStatus(r.json);
                    if (d.event && d.event->error)
                        guard->updateError(*d.event->error);
                });
            }
        }
    });
    Q_EMIT jobAdded(job);
    return job;
}

Job *Session::generate(const GenerateParams &params)
{
    Job *job = createJob(tr("new-%1").arg(++m_pending), params);
    auto refuse = [this, job](const QString &message) {
        job->markFailed(ProgressError{QStringLiteral("REFUSED"), message, false});
        Q_EMIT jobRefused(job, message);
    };
    const QString promptError = checkPrompt(params.prompt);
    if (!promptError.isEmpty()) {
        refuse(promptError);
        return job;
    }
    const CheckedImage image = checkReferenceImage(params.imagePath);
    if (!image.ok) {
        refuse(image.error);
        return job;
    }
    const QByteArray thumbnail = m_ledger ? JobRecorder::thumbnailOf(image.data) : QByteArray();
    if (!m_api || !isLoggedIn()) {
        refuse(tr("Log in first"));
        return job;
    }
    QPointer<Job> guard(job);
    m_api->upload(image.data, image.fileName, image.mimeType, [this, guard, params, refuse, thumbnail](const ApiResponse &up) {
        if (!guard)
            return;
        if (!up.ok()) {
            refuse(tr("The image was not accepted: %1").arg(up.error.message));
            return;
        }
        GenerateRequest g;
        g.prompt = params.prompt.trimmed();
        g.referenceImageUrl = up.json.value(QStringLiteral("url")).toString();
        g.durationSeconds = params.durationSeconds;
        g.size = params.size;
        m_api->generate(g, [this, guard, refuse, params, thumbnail](const ApiResponse &r) {
            if (!guard)
                return;
            if (!r.ok()) {
                refuse(r.error.message);
                return;
            }
            guard->setId(r.json.value(QStringLiteral("id")).toString());
            guard->markQueued();
            record(guard, params, thumbnail);
            watch(guard);
        });
    });
    return job;
}

void Session::watch(Job *job)
{
    if (m_profile.dialect == Dialect::WebSocket) {
        m_ws->watch(job);
        return;
    }
    delete m_channels.take(job->id());
    ProgressEndpoint e;
    e.baseUrl = m_profile.baseUrl;
    e.dialect = m_profile.dialect;
    e.token = m_api->token();
    e.tokenInQuery = m_profile.tokenInQuery;
    auto *channel = new SseProgressChannel(job, e, m_pool.get(), this);
    m_channels.insert(job->id(), channel);
    connect(channel, &SseProgressChannel::watchFailed, this, [this, job](sse::SseStream::Failure f, const QString &m) {
        if (f == sse::SseStream::Failure::Unauthorized) {
            Q_EMIT sessionExpired(m);
            return;
        }
        Q_EMIT watchFailed(job, m);
        // A stream that is gone may mean a job that is gone (lost) or done.
        // (A stream that reconnects catches up by itself: Last-Event-ID.)
        checkStatus(job, false);
    });
    channel->start();
}

void Session::cancel(const QString &jobId)
{
    Job *job = findJob(jobId);
    if (!job || job->isFinal())
        return;
    job->markCancelled(); // nothing more is shown from here on
    if (SseProgressChannel *channel = m_channels.value(jobId))
        channel->stop();
    if (m_api)
        m_api->cancel(jobId, [](const ApiResponse &) {});
}

void Session::download(Job *job)
{
    const QString file = QDir(m_videoFolder).filePath(VideoDownload::fileNameFor(job->id()));
    auto *dl = new VideoDownload(m_api.get(), job->videoUrl(), file, this);
    m_downloads.insert(job->id(), dl);
    connect(dl, &VideoDownload::progress, this, [this, job](qint64 got, qint64 total) { Q_EMIT downloadProgress(job, got, total); });
    connect(dl, &VideoDownload::finished, this, [this, job, dl, file](bool ok, const QString &error) {
        m_downloads.remove(job->id());
        dl->deleteLater();
        if (!ok) {
            Q_EMIT videoFailed(job, error);
            return;
        }
        m_videoFiles.insert(job->id(), file);
        if (JobRecorder *recorder = m_recorders.value(job))
            recorder->setVideo(file, dl->bytes());
        Q_EMIT videoReady(job, file);
        refreshAccount(); // the server charged for it
    });
    dl->start();
}

} // namespace framecast
