// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "progress/Dialect.h"
#include "progress/ProgressDecoder.h"
#include "sse/SseStream.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

namespace framecast {

class Job;
class StreamConnectionPool;

/// Where and how to watch: the parts of a server profile a progress channel needs.
struct ProgressEndpoint
{
    QUrl baseUrl;
    Dialect dialect = Dialect::VideosSse;
    QByteArray token;
    bool tokenInQuery = false;
    int inactivityTimeoutMs = 45000;
    std::optional<ReconnectPolicy> reconnect; ///< default: the dialect's own
    NetworkSettings network;
};

/// Watches one job over one of the SSE dialects: opens the stream, decodes
/// every event into a ProgressEvent, applies it to the Job and mirrors the
/// connection into the job's status dot. Closes the stream after the job's
/// final event; cancel() stops it at once.
class SseProgressChannel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SseProgressChannel)

public:
    SseProgressChannel(Job *job, ProgressEndpoint endpoint, StreamConnectionPool *pool, QObject *parent = nullptr);
    ~SseProgressChannel() override;

    void start();
    /// Stops watching; nothing more reaches the job from this channel.
    void stop();

    sse::SseStream *stream() const { return m_stream; }
    Job *job() const { return m_job; }

Q_SIGNALS:
    /// The server refused the watch for good (401 means: log in again).
    void watchFailed(framecast::sse::SseStream::Failure failure, const QString &message);
    /// The channel closed after the job's final event or the server's end of stream.
    void closed();
    /// Every normalized event, right after it was applied to the job.
    void progressEvent(const framecast::ProgressEvent &event);

private:
    void onEvent(const sse::SseEvent &event);
    void onStateChanged(sse::SseStream::State state, int attempt);

    QPointer<Job> m_job;
    ProgressEndpoint m_endpoint;
    std::unique_ptr<ProgressDecoder> m_decoder;
    sse::SseStream *m_stream = nullptr;
};

/// The stream URL of `jobId` on `baseUrl` for an SSE dialect.
QUrl progressStreamUrl(const QUrl &baseUrl, Dialect dialect, const QString &jobId);

} // namespace framecast
