// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>
#include <QUrl>

// One category per area, so `QT_LOGGING_RULES="framecast.sse.debug=true"`
// shows the wire without a rebuild.
Q_DECLARE_LOGGING_CATEGORY(lcSse)
Q_DECLARE_LOGGING_CATEGORY(lcProgress)
Q_DECLARE_LOGGING_CATEGORY(lcJobs)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcDemo)
Q_DECLARE_LOGGING_CATEGORY(lcDesktop)

namespace framecast {

/// The one place URLs pass through before they reach a log line or the UI:
/// drops user info and replaces the value of `token`, `access_token` and
/// similar query items with "REDACTED".
QString redactedUrl(const QUrl &url);

} // namespace framecast
