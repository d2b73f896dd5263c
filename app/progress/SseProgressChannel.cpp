// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/SseProgressChannel.h"

#include "core/Logging.h"
#include "jobs/Job.h"

namespace framecast {

QUrl progressStreamUrl(const QUrl &baseUrl, Dialect dialect, const QString &jobId)
{
    QUrl url = baseUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + progressStreamPath(dialect, jobId), QUrl::TolerantMode);
    return url;
}

SseProgressChannel::SseProgressChannel(Job *job, ProgressEndpoint endpoint, StreamConnectionPool *pool,
                                       QObject *parent)
    : QObject(parent)
    , m_job(job)
    , m_endpoint(std::move(endpoint))
    , m_decoder(ProgressDecoder::create(m_endpoint.dialect, job->id()))
{
    Q_ASSERT(isSseDialect(m_endpoint.dialect));
    sse::SseStreamConfig config;
    config.url = progressStreamUrl(m_endpoint.baseUrl, m_endpoint.dialect, job->id());
    config.bearerToken = m_endpoint.token;
    config.tokenInQuery = m_endpoint.tokenInQuery;
    config.inactivityTimeoutMs = m_endpoint.inactivityTimeoutMs;
    config.network = m_endpoint.network;
    config.reconnect = m_endpoint.reconnect.value_or(defaultReconnectPolicy(m_endpoint.dialect));
    m_stream = new sse::SseStream(pool, config, this);
    connect(m_stream, &sse::SseStream::eventReceived, this, &SseProgressChannel::onEvent);
    connect(m_stream, &sse::SseStream::stateChanged, this, &SseProgressChannel::onStateChanged);
    connect(m_stream, &sse::SseStream::failed, this,
            [this](sse::SseStream::Failure failure, int, const QString &message) {
                if (m_job)
                    m_job->setConnectionState(ConnectionState::Failed, 0, message);
                Q_EMIT watchFailed(failure, message);
            });
    job->setConnectionDialect(dialectName(m_endpoint.dialect));
}

SseProgressChannel::~SseProgressChannel() = default;

void SseProgressChannel::start()
{
    if (!m_job || m_job->isFinal())
        return;
    m_job->setConnectionState(ConnectionState::Connecting);
    m_stream->start();
}

void SseProgressChannel::stop()
{
    m_stream->stop();
}

void SseProgressChannel::onStateChanged(sse::SseStream::State state, int attempt)
{
    if (!m_job)
        return;
    switch (state) {
    case sse::SseStream::State::Connecting:
        m_job->setConnectionState(ConnectionState::Connecting);
        break;
    case sse::SseStream::State::Open:
        m_job->setConnectionState(ConnectionState::Connected);
        break;
    case sse::SseStream::State::Reconnecting:
        m_job->setConnectionState(ConnectionState::Reconnecting, attempt, m_stream->errorString());
        break;
    case sse::SseStream::State::Closed:
        if (m_job->connection().state != ConnectionState::Failed)
            m_job->setConnectionState(ConnectionState::Closed);
        break;
    case sse::SseStream::State::Failed:
    case sse::SseStream::State::Idle:
        break;
    }
}

void SseProgressChannel::onEvent(const sse::SseEvent &event)
{
    if (!m_job)
        return;
    const DecodeResult result = m_decoder->decode(event);
    for (const QString &warning : result.warnings)
        m_job->addWarning(warning);
    if (!result.event)
        return;
    m_job->applyProgress(*result.event);
    Q_EMIT progressEvent(*result.event);
    if (!m_job)
        return; // a receiver may have let the job go
    if (m_job->isFinal() || result.event->endOfStream) {
        qCDebug(lcProgress) << "job" << m_job->id() << "stream done:" << Job::stateName(m_job->state());
        m_stream->stop();
        Q_EMIT closed();
    }
}

} // namespace framecast
