// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Logging.h"

#include "security/Redaction.h"

#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcSse, "framecast.sse", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProgress, "framecast.progress", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "framecast.jobs", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "framecast.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "framecast.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDemo, "framecast.demo", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDesktop, "framecast.desktop", QtInfoMsg)

namespace framecast {

QString redactedUrl(const QUrl &url)
{
    QUrl copy = url;
    copy.setUserInfo(QString());
    QUrlQuery query(copy);
    const auto items = query.queryItems(QUrl::FullyEncoded);
    bool changed = false;
    for (const auto &item : items) {
        const QString key = item.first.toLower();
        if (key.contains(QLatin1String("token")) || key.contains(QLatin1String("password"))
            || key == QLatin1String("key") || key == QLatin1String("api_key")) {
            query.removeAllQueryItems(item.first);
            query.addQueryItem(item.first, QStringLiteral("REDACTED"));
            changed = true;
        }
    }
    if (changed)
        copy.setQuery(query);
    return redaction::redact(copy.toDisplayString());
}

} // namespace framecast
