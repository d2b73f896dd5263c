// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/HttpCompat.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace framecast::demo {

// How every handler of the demo backend answers: a body with CORS open (the
// demo is also reached from browsers), JSON, or FastAPI's {"detail": …}.

void respond(QHttpServerResponder &responder, http::Status status, const QByteArray &body,
             const QByteArray &contentType = "application/json", const http::Headers &headers = {});
void respondJson(QHttpServerResponder &responder, http::Status status, const QJsonObject &object);
void respondDetail(QHttpServerResponder &responder, http::Status status, const QString &message);

/// A server-made name: `prefix` and 12 random base-36 characters.
QString randomId(const char *prefix);

} // namespace framecast::demo
