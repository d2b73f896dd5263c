// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/ProgressTransport.h"

#include "jobs/Job.h"
#include "net/StreamConnectionPool.h"
#include "progress/SseProgressChannel.h"
#include "progress/WebSocketChannel.h"

#include <QCoreApplication>
#include <QPointer>

namespace framecast {

ProgressTransport::ProgressTransport(TransportConfig config, ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_api(api)
    , m_pool(std::make_unique<StreamConnectionPool>())
{
    m_pool->setNetworkSettings(m_config.network);
}

void ProgressTransport::shareHttp2With(QNetworkAccessManager *rest)
{
    m_pool->shareHttp2With(rest);
}

bool ProgressTransport::sharesHttp2() const
{
    return m_pool->usesHttp2();
}

ProgressTransport::~ProgressTransport()
{
    m_ws.reset();
    qDeleteAll(m_channels);
}

void ProgressTransport::setToken(const QByteArray &token)
{
    m_token = token;
    if (m_ws)
        m_ws->setToken(token);
}

WebSocketChannel *ProgressTransport::socket()
{
    if (m_ws)
        return m_ws.get();
    WebSocketChannel::Options options;
    options.reconnect.maxAttempts = m_config.maxReconnects;
    options.network = m_config.network;
    m_ws = std::make_unique<WebSocketChannel>(m_config.wsUrl, m_token, m_api, options);
    connect(m_ws.get(), &WebSocketChannel::progressEvent, this, [this](const ProgressEvent &e) {
        if (Job *job = m_socketJobs.value(e.jobId))
            Q_EMIT progressEvent(job, e);
    });
    connect(m_ws.get(), &WebSocketChannel::protocolWarning, this, &ProgressTransport::protocolWarning);
    connect(m_ws.get(), &WebSocketChannel::authenticationFailed, this, &ProgressTransport::unauthorized);
    connect(m_ws.get(), &WebSocketChannel::failed, this, [this](const QString &message) {
        // The socket gave up: every job it carried is asked about.
        const QList<Job *> jobs = m_socketJobs.values();
        for (Job *job : jobs) {
            if (isWatching(job->id()))
                Q_EMIT gaveUp(job, message);
        }
    });
    m_ws->start();
    return m_ws.get();
}

void ProgressTransport::watch(Job *job)
{
    if (job->isFinal())
        return;
    if (m_config.dialect != Dialect::WebSocket) {
        watchSse(job);
        return;
    }
    if (!m_socketJobs.contains(job->id()))
        connect(job, &QObject::destroyed, this, [this, id = job->id()] {
            m_socketJobs.remove(id);
            m_socketWatched.remove(id);
        });
    m_socketJobs.insert(job->id(), job);
    m_socketWatched.insert(job->id());
    WebSocketChannel *ws = socket();
    if (ws->state() == WebSocketChannel::State::Closed || ws->state() == WebSocketChannel::State::Failed)
        ws->start();
    ws->watch(job);
}

void ProgressTransport::watchSse(Job *job)
{
    if (SseProgressChannel *old = m_channels.take(job->id()))
        delete old;
    else
        connect(job, &QObject::destroyed, this, [this, id = job->id()] { delete m_channels.take(id); });
    ProgressEndpoint endpoint;
    endpoint.baseUrl = m_config.baseUrl;
    endpoint.dialect = m_config.dialect;
    endpoint.token = m_token;
    endpoint.tokenInQuery = m_config.tokenInQuery;
    endpoint.inactivityTimeoutMs = m_config.inactivityTimeoutMs;
    endpoint.network = m_config.network;
    ReconnectPolicy policy = defaultReconnectPolicy(m_config.dialect);
    if (policy.maxAttempts < 0 || policy.maxAttempts > m_config.maxReconnects)
        policy.maxAttempts = m_config.maxReconnects;
    endpoint.reconnect = policy;
    auto *channel = new SseProgressChannel(job, endpoint, m_pool.get(), this);
    m_channels.insert(job->id(), channel);
    QPointer<Job> guard(job);
    connect(channel, &SseProgressChannel::progressEvent, this, [this, guard](const ProgressEvent &e) {
        if (guard)
            Q_EMIT progressEvent(guard, e);
    });
    connect(channel, &SseProgressChannel::watchFailed, this, [this, guard](sse::SseStream::Failure f, const QString &m) {
        if (f == sse::SseStream::Failure::Unauthorized)
            Q_EMIT unauthorized(m);
        else if (guard)
            Q_EMIT gaveUp(guard, m);
    });
    connect(channel, &SseProgressChannel::closed, this, [this, guard] {
        // stages-sse may end a stream after one stage, before the job ends.
        if (guard && !guard->isFinal())
            Q_EMIT gaveUp(guard, QCoreApplication::translate("ProgressTransport",
                                                             "The server ended the progress stream before the job finished"));
    });
    channel->start();
}

void ProgressTransport::unwatch(const QString &jobId)
{
    if (SseProgressChannel *channel = m_channels.take(jobId)) {
        channel->stop();
        channel->deleteLater();
    }
    // The job stays known to the socket's events: a late replay may still
    // fill in its log (and is shown).
    if (m_socketWatched.remove(jobId) && m_ws)
        m_ws->unwatch(jobId);
}

void ProgressTransport::stopAll()
{
    for (SseProgressChannel *channel : std::as_const(m_channels)) {
        channel->stop();
        channel->deleteLater();
    }
    m_channels.clear();
    m_socketJobs.clear();
    m_socketWatched.clear();
    if (m_ws) {
        // Possibly called from one of the socket's own signals: let it return first.
        m_ws->stop();
        WebSocketChannel *ws = m_ws.release();
        ws->setParent(this); // gone with the transport if the event loop has ended
        ws->deleteLater();
    }
}

bool ProgressTransport::isWatching(const QString &jobId) const
{
    if (m_channels.contains(jobId))
        return true;
    const Job *job = m_socketJobs.value(jobId);
    return job && !job->isFinal() && m_socketWatched.contains(jobId);
}

int ProgressTransport::watchedCount() const
{
    int count = int(m_channels.size());
    for (const QString &id : m_socketWatched)
        count += isWatching(id) ? 1 : 0;
    return count;
}

} // namespace framecast
