// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/Dialect.h"

#include <QUrl>

namespace framecast {

std::optional<Dialect> parseDialect(QStringView name)
{
    const QString n = name.trimmed().toString().toLower();
    if (n == QLatin1String("videos-sse"))
        return Dialect::VideosSse;
    if (n == QLatin1String("tasks-sse"))
        return Dialect::TasksSse;
    if (n == QLatin1String("stages-sse"))
        return Dialect::StagesSse;
    if (n == QLatin1String("websocket"))
        return Dialect::WebSocket;
    return std::nullopt;
}

QString dialectName(Dialect dialect)
{
    switch (dialect) {
    case Dialect::VideosSse:
        return QStringLiteral("videos-sse");
    case Dialect::TasksSse:
        return QStringLiteral("tasks-sse");
    case Dialect::StagesSse:
        return QStringLiteral("stages-sse");
    case Dialect::WebSocket:
        return QStringLiteral("websocket");
    }
    return {};
}

QStringList dialectNames()
{
    return {QStringLiteral("videos-sse"), QStringLiteral("tasks-sse"), QStringLiteral("stages-sse"),
            QStringLiteral("websocket")};
}

QString progressStreamPath(Dialect dialect, const QString &jobId)
{
    const QString id = QString::fromLatin1(QUrl::toPercentEncoding(jobId));
    switch (dialect) {
    case Dialect::VideosSse:
        return QStringLiteral("/api/v1/videos/%1/stream").arg(id);
    case Dialect::TasksSse:
        return QStringLiteral("/api/v1/sse/tasks/%1/progress").arg(id);
    case Dialect::StagesSse:
        return QStringLiteral("/api/v1/sse/projects/%1/").arg(id);
    case Dialect::WebSocket:
        return {};
    }
    return {};
}

QUrl defaultWebSocketUrl(const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    url.setScheme(baseUrl.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QStringLiteral("/ws"));
    url.setQuery(QString());
    return url;
}

ReconnectPolicy defaultReconnectPolicy(Dialect dialect)
{
    return dialect == Dialect::StagesSse ? ReconnectPolicy::stagesSse() : ReconnectPolicy::standard();
}

QStringList stagesSseStageNames()
{
    return {QStringLiteral("rewrite"), QStringLiteral("storyboard"), QStringLiteral("image_generation"),
            QStringLiteral("camera_movement"), QStringLiteral("video_generation")};
}

} // namespace framecast
