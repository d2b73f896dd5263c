// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/ReconnectPolicy.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace framecast {

/// The four ways a backend reports progress (PROTOCOL.md §4).
enum class Dialect {
    VideosSse, ///< GET /api/v1/videos/{id}/stream, `data:` JSON with step/message
    TasksSse,  ///< GET /api/v1/sse/tasks/{id}/progress, named events progress/complete/error
    StagesSse, ///< GET /api/v1/sse/projects/{id}/, typed JSON, five stages
    WebSocket, ///< one socket per user, camelCase envelopes
};

std::optional<Dialect> parseDialect(QStringView name);
QString dialectName(Dialect dialect);
QStringList dialectNames();
inline bool isSseDialect(Dialect d)
{
    return d != Dialect::WebSocket;
}

/// Path of the progress stream of job `jobId`, relative to the base URL.
/// Empty for the WebSocket dialect.
QString progressStreamPath(Dialect dialect, const QString &jobId);

/// The WebSocket endpoint a server profile implies when none is given
/// (PROTOCOL.md §1): ws(s)://<host>:<port>/ws from the base URL.
QUrl defaultWebSocketUrl(const QUrl &baseUrl);

/// How a dropped stream of this dialect is retried.
ReconnectPolicy defaultReconnectPolicy(Dialect dialect);

/// The stages of stages-sse, in order.
QStringList stagesSseStageNames();

} // namespace framecast
