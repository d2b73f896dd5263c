// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "progress/Dialect.h"
#include "progress/ProgressEvent.h"
#include "sse/SseParser.h"

#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace framecast {

/// What one wire message turned into: at most one normalized event, plus
/// warnings for what was malformed (invalid JSON, a field of the wrong type).
/// A message that carries nothing for the job (a heartbeat, an unknown type)
/// gives neither. Warnings never stop the stream.
struct DecodeResult
{
    std::optional<ProgressEvent> event;
    QStringList warnings;
};

/// Turns one dialect's messages for one job into normalized progress events.
/// A decoder is made per watched job: some dialects only say what changed
/// (tasks-sse sends a state word, not a message), so a decoder keeps a little
/// state to describe the change.
class ProgressDecoder
{
public:
    virtual ~ProgressDecoder() = default;

    /// Decodes one SSE event. Not used by the WebSocket dialect.
    virtual DecodeResult decode(const sse::SseEvent &event) = 0;

    /// A decoder for `dialect` watching job `jobId`. Events whose payload names
    /// another job are dropped with a warning.
    static std::unique_ptr<ProgressDecoder> create(Dialect dialect, const QString &jobId);

protected:
    ProgressDecoder() = default;
    Q_DISABLE_COPY_MOVE(ProgressDecoder)
};

/// Decodes the payload of a WebSocket `taskProgress`, `taskCompleted` or
/// `taskFailed` message (PROTOCOL.md §4.4) into the same normalized event the
/// SSE dialects give. Other types give no event.
DecodeResult decodeWebSocketTaskMessage(const QString &type, const QJsonObject &payload);

/// Decodes `GET /api/v1/videos/{id}` (PROTOCOL.md §3.4) into the same
/// normalized event, so a catch-up after a reconnect is applied like any
/// progress message (and deduplicated like one).
DecodeResult decodeJobStatus(const QJsonObject &status);

/// Human label of a stages-sse stage, emoji first ("🎬 Video generation").
QString stageLabel(const QString &stage);

} // namespace framecast
