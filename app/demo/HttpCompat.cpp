// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/HttpCompat.h"

#ifdef FRAMECAST_HTTPSERVER_68
#include <QHttpHeaders>
#endif

namespace framecast::demo::http {

#ifdef FRAMECAST_HTTPSERVER_68

namespace {
QHttpHeaders toHeaders(const Headers &headers)
{
    QHttpHeaders out;
    for (const auto &h : headers) {
        // Qt writes Content-Length itself.
        if (h.first.compare("Content-Length", Qt::CaseInsensitive) != 0)
            out.append(h.first, h.second);
    }
    return out;
}
} // namespace

void respond(QHttpServerResponder &responder, Status status, const Headers &headers, const QByteArray &body)
{
    responder.write(body, toHeaders(headers), status);
}

void streamBegin(QHttpServerResponder &responder, const Headers &headers)
{
    responder.writeBeginChunked(toHeaders(headers), Status::Ok);
}

void streamWrite(QHttpServerResponder &responder, const QByteArray &bytes)
{
    responder.writeChunk(bytes);
}

void streamEnd(QHttpServerResponder &responder)
{
    responder.writeEndChunked(QByteArray());
}

#else // Qt 6.4

void respond(QHttpServerResponder &responder, Status status, const Headers &headers, const QByteArray &body)
{
    responder.writeStatusLine(status);
    bool length = false;
    for (const auto &h : headers) {
        length |= h.first.compare("Content-Length", Qt::CaseInsensitive) == 0;
        responder.writeHeader(h.first, h.second);
    }
    if (!length)
        responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

void streamBegin(QHttpServerResponder &responder, const Headers &headers)
{
    responder.writeStatusLine(Status::Ok);
    for (const auto &h : headers)
        responder.writeHeader(h.first, h.second);
    // The first body write ends the headers (see DemoSseConnection::start).
}

void streamWrite(QHttpServerResponder &responder, const QByteArray &bytes)
{
    responder.writeBody(bytes);
}

void streamEnd(QHttpServerResponder &)
{
}

#endif

} // namespace framecast::demo::http
