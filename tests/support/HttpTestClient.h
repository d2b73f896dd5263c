// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

namespace framecast::test {

/// Blocking HTTP calls for tests (runs a local event loop with a timeout), so
/// a test reads like the curl walkthrough it checks.
class HttpTestClient final
{
public:
    struct Reply
    {
        int status = 0;           ///< 0: network error or timeout
        QByteArray body;
        QList<QNetworkReply::RawHeaderPair> headers;
        QString error;
        QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
        QJsonValue detail() const { return json().value(QStringLiteral("detail")); }
        QByteArray header(const QByteArray &name) const;
    };

    explicit HttpTestClient(QUrl baseUrl);

    void setToken(const QByteArray &token) { m_token = token; }
    QByteArray token() const { return m_token; }

    Reply get(const QString &path, const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    Reply post(const QString &path, const QJsonObject &body);
    Reply postRaw(const QString &path, const QByteArray &body, const QByteArray &contentType);
    /// multipart/form-data with one part `file`.
    Reply upload(const QByteArray &data, const QByteArray &filename, const QByteArray &contentType);
    /// POST /api/v1/auth/login; on success keeps the token.
    Reply login(const QString &user, const QString &password);

private:
    Reply run(QNetworkReply *reply);
    QNetworkRequest request(const QString &path) const;

    QUrl m_base;
    QByteArray m_token;
    QNetworkAccessManager m_nam;
};

} // namespace framecast::test
