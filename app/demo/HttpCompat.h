// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The demo backend is a QAbstractHttpServer subclass. QtHttpServer's API
// changed after 6.4 (handleRequest takes a responder, responses are written
// whole or chunked, no socket access, WebSocket upgrades go through a
// verifier). This header is where the two meet: Qt 6.4 (Debian 12, built and
// tested here) and Qt 6.8 or newer (the current LTS; compiled against its
// headers here, not run). 6.5 to 6.7 sit in between and are not supported.

#include <QByteArray>
#include <QHttpServerResponder>
#include <QList>
#include <QtGlobal>

#include <utility>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#define FRAMECAST_HTTPSERVER_68 1
#elif QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
#error "The demo backend supports QtHttpServer 6.4 and 6.8 or newer"
#endif

namespace framecast::demo::http {

using Status = QHttpServerResponder::StatusCode;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

/// A whole response: status, headers and body (Content-Length is added).
void respond(QHttpServerResponder &responder, Status status, const Headers &headers, const QByteArray &body);

/// A response whose body follows bit by bit (Server-Sent Events): 200 and
/// `headers` now, then `streamWrite` for each piece and `streamEnd` once.
/// On Qt 6.4 the body runs until the connection closes; on 6.8 it is chunked.
void streamBegin(QHttpServerResponder &responder, const Headers &headers);
void streamWrite(QHttpServerResponder &responder, const QByteArray &bytes);
/// Qt 6.8: ends the chunked body. Qt 6.4: nothing (the caller closes the socket).
void streamEnd(QHttpServerResponder &responder);

} // namespace framecast::demo::http
