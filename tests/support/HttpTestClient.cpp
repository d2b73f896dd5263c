// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpTestClient.h"

#include <QEventLoop>
#include <QHttpMultiPart>
#include <QNetworkReply>
#include <QTimer>

namespace framecast::test {

QByteArray HttpTestClient::Reply::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpTestClient::HttpTestClient(QUrl baseUrl)
    : m_base(std::move(baseUrl))
{
}

QNetworkRequest HttpTestClient::request(const QString &path) const
{
    QNetworkRequest r(m_base.resolved(QUrl(path)));
    if (!m_token.isEmpty())
        r.setRawHeader("Authorization", "Bearer " + m_token);
    r.setTransferTimeout(30000);
    return r;
}

HttpTestClient::Reply HttpTestClient::run(QNetworkReply *reply)
{
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.headers = reply->rawHeaderPairs();
    out.error = reply->error() == QNetworkReply::NoError ? QString() : reply->errorString();
    reply->deleteLater();
    return out;
}

HttpTestClient::Reply HttpTestClient::get(const QString &path, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest r = request(path);
    for (const auto &h : headers)
        r.setRawHeader(h.first, h.second);
    return run(m_nam.get(r));
}

HttpTestClient::Reply HttpTestClient::post(const QString &path, const QJsonObject &body)
{
    return postRaw(path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
}

HttpTestClient::Reply HttpTestClient::postRaw(const QString &path, const QByteArray &body, const QByteArray &contentType)
{
    QNetworkRequest r = request(path);
    r.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    return run(m_nam.post(r, body));
}

HttpTestClient::Reply HttpTestClient::upload(const QByteArray &data, const QByteArray &filename, const QByteArray &contentType)
{
    auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    part.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QByteArray("form-data; name=\"file\"; filename=\"" + filename + "\""));
    part.setBody(data);
    multi->append(part);
    QNetworkReply *reply = m_nam.post(request(QStringLiteral("/api/v1/uploads")), multi);
    multi->setParent(reply);
    return run(reply);
}

HttpTestClient::Reply HttpTestClient::login(const QString &user, const QString &password)
{
    const Reply r = post(QStringLiteral("/api/v1/auth/login"),
                         {{QStringLiteral("username"), user}, {QStringLiteral("password"), password}});
    if (r.status == 200)
        m_token = r.json().value(QStringLiteral("access_token")).toString().toUtf8();
    return r;
}

} // namespace framecast::test
