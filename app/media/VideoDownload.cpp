// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/VideoDownload.h"

#include "api/ApiClient.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkReply>
#include <QRegularExpression>

namespace framecast {

VideoDownload::VideoDownload(ApiClient *api, QString videoUrl, QString destination, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_url(std::move(videoUrl))
    , m_destination(std::move(destination))
{
}

QString VideoDownload::fileNameFor(const QString &jobId)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_-]"));
    QString id = jobId;
    id.replace(unsafe, QStringLiteral("_"));
    return id + QStringLiteral(".mp4");
}

VideoDownload::~VideoDownload()
{
    abort();
}

void VideoDownload::fail(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
    if (m_file)
        m_file->cancelWriting();
    m_file.reset();
    Q_EMIT finished(false, error);
}

void VideoDownload::abort()
{
    if (!m_done && m_reply)
        fail(tr("Download cancelled"));
}

void VideoDownload::start()
{
    QDir().mkpath(QFileInfo(m_destination).absolutePath());
    m_file = std::make_unique<QSaveFile>(m_destination);
    if (!m_file->open(QIODevice::WriteOnly)) {
        fail(tr("Cannot write %1: %2").arg(m_destination, m_file->errorString()));
        return;
    }
    m_reply = m_api->getStream(m_url, {{"Accept", "video/*"}}, [this](const ApiResponse &response) {
        if (m_done)
            return;
        if (!response.ok()) {
            fail(tr("Download failed: %1").arg(response.error.message));
            return;
        }
        // The last bytes may have come with the end of the reply.
        if (!response.body.isEmpty()) {
            m_bytes += response.body.size();
            if (m_bytes > kMaxBytes || m_file->write(response.body) != response.body.size()) {
                fail(m_bytes > kMaxBytes ? tr("The video is larger than 2 GiB")
                                         : tr("Cannot write %1 (disk full?): %2").arg(m_destination, m_file->errorString()));
                return;
            }
        }
        if (!m_file->commit()) {
            fail(tr("Cannot save %1: %2").arg(m_destination, m_file->errorString()));
            return;
        }
        m_done = true;
        m_bytes = QFileInfo(m_destination).size();
        Q_EMIT finished(true, {});
    });
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status < 200 || status >= 300)
            return; // the callback reports it
        const QString type = m_reply->header(QNetworkRequest::ContentTypeHeader).toString();
        if (!type.startsWith(QLatin1String("video/"), Qt::CaseInsensitive)) {
            fail(tr("The server sent %1 instead of a video").arg(type.isEmpty() ? tr("no content type") : type));
            return;
        }
        const qint64 length = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (length > kMaxBytes)
            fail(tr("The video is larger than 2 GiB"));
    });
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        // Only the body of a successful answer goes to the file.
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_done || status < 200 || status >= 300)
            return;
        const QByteArray chunk = m_reply->readAll();
        m_bytes += chunk.size();
        if (m_bytes > kMaxBytes) {
            fail(tr("The video is larger than 2 GiB"));
            return;
        }
        if (m_file->write(chunk) != chunk.size()) {
            fail(tr("Cannot write %1 (disk full?): %2").arg(m_destination, m_file->errorString()));
            return;
        }
        Q_EMIT progress(m_bytes, m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong());
    });
}

} // namespace framecast
