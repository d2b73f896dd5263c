// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoReplies.h"

#include "demo/DemoWire.h"

#include <QJsonDocument>
#include <QRandomGenerator>

namespace framecast::demo {

void respond(QHttpServerResponder &responder, http::Status status, const QByteArray &body,
             const QByteArray &contentType, const http::Headers &headers)
{
    http::Headers all{{"Content-Type", contentType}, {"Access-Control-Allow-Origin", "*"}};
    all += headers;
    http::respond(responder, status, all, body);
}

void respondJson(QHttpServerResponder &responder, http::Status status, const QJsonObject &object)
{
    respond(responder, status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void respondDetail(QHttpServerResponder &responder, http::Status status, const QString &message)
{
    respond(responder, status, wire::detail(message));
}

QString randomId(const char *prefix)
{
    const quint64 n = QRandomGenerator::system()->generate64();
    return QString::fromLatin1(prefix) + QString::number(n, 36).rightJustified(12, QLatin1Char('0')).right(12);
}

} // namespace framecast::demo
