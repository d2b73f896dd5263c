// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/VideoDownload.h"

#include "api/ApiClient.h"
#include "api/HttpErrorText.h"
#include "core/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkReply>
#include <QRegularExpression>

#include <utility>

namespace framecast {

VideoDownload::VideoDownload(ApiClient *api, QString videoUrl, QString destination, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_url(std::move(videoUrl))
    , m_destination(std::move(destination))
    , m_part(partFileFor(m_destination))
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        Q_EMIT resumed(m_offset);
        m_redirects = 0;
        request(m_api ? m_api->resolve(m_url) : QUrl());
    });
}

VideoDownload::~VideoDownload()
{
    dropReply();
}

QString VideoDownload::fileNameFor(const QString &jobId)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_-]"));
    QString id = jobId;
    id.replace(unsafe, QStringLiteral("_"));
    return id + QStringLiteral(".mp4");
}

void VideoDownload::dropReply()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_reply = nullptr;
}

void VideoDownload::fail(const QString &error, bool keepPart)
{
    if (m_done)
        return;
    m_done = true;
    m_retry.stop();
    dropReply();
    m_part.close();
    if (!keepPart)
        m_part.remove();
    qCWarning(lcNet).noquote() << "download of" << m_destination << "failed:" << error;
    Q_EMIT finished(false, error);
}

void VideoDownload::abort()
{
    if (!m_done)
        fail(tr("Download cancelled"), true);
}

void VideoDownload::start()
{
    m_done = false;
    m_attempt = 0;
    m_redirects = 0;
    QDir().mkpath(QFileInfo(m_destination).absolutePath());
    // Append: what an earlier, broken transfer saved is kept and continued.
    if (!m_part.isOpen() && !m_part.open(QIODevice::ReadWrite | QIODevice::Append)) {
        fail(tr("Cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()), true);
        return;
    }
    m_offset = m_part.size();
    if (m_offset > 0)
        Q_EMIT resumed(m_offset);
    if (!m_api) {
        fail(tr("Not connected"), true);
        return;
    }
    request(m_api->resolve(m_url));
}

void VideoDownload::request(const QUrl &url)
{
    dropReply();
    if (!m_api) {
        fail(tr("Not connected"), true);
        return;
    }
    m_current = url;
    m_accepted = false;
    ++m_attempt;
    m_reply = m_api->getFile(url, m_offset, m_timeoutMs);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &VideoDownload::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &VideoDownload::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &VideoDownload::onFinished);
}

bool VideoDownload::restartFromZero()
{
    m_part.resize(0);
    m_offset = 0;
    return m_part.size() == 0;
}

void VideoDownload::onMetaData()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_done)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300 && status < 400 && status != 304) {
        const QByteArray location = reply->rawHeader("Location").trimmed();
        const QUrl target = m_current.resolved(QUrl::fromEncoded(location));
        if (location.isEmpty() || !target.isValid()) {
            fail(tr("The server redirected the download without saying where"), true);
            return;
        }
        if (++m_redirects > kMaxRedirects) {
            fail(tr("Too many redirects (more than %1) for the video").arg(kMaxRedirects), true);
            return;
        }
        if (m_current.scheme() == QLatin1String("https") && target.scheme() != QLatin1String("https")) {
            fail(tr("The server redirected the video from https to an insecure address; refused"), true);
            return;
        }
        qCDebug(lcNet).noquote() << "download redirected to" << redactedUrl(target);
        --m_attempt; // a redirect is not a new attempt
        request(target);
        return;
    }
    if (status == 416) {
        // Nothing after our offset: complete if the part already is the whole
        // video, else the part is not of this video: start again.
        const QByteArray range = reply->rawHeader("Content-Range");
        const qint64 total = range.mid(range.indexOf('/') + 1).toLongLong();
        m_rangeRefused = m_offset > 0 ? (total == m_offset ? RangeRefused::Complete : RangeRefused::Restart)
                                      : RangeRefused::No;
        return; // acted on when the reply has finished
    }
    if (status != 200 && status != 206)
        return; // onFinished reports it with the server's detail
    const QString type = reply->header(QNetworkRequest::ContentTypeHeader).toString();
    if (!type.startsWith(QLatin1String("video/"), Qt::CaseInsensitive)) {
        fail(tr("The server sent %1 instead of a video").arg(type.isEmpty() ? tr("no content type") : type), false);
        return;
    }
    const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    if (status == 206) {
        // "bytes 400-999/1000": it must continue exactly where we stopped.
        static const QRegularExpression contentRange(QStringLiteral(R"(^bytes (\d+)-(\d+)/(\d+|\*)$)"));
        const auto m = contentRange.match(QString::fromLatin1(reply->rawHeader("Content-Range")).trimmed());
        if (!m.hasMatch() || m.captured(1).toLongLong() != m_offset) {
            fail(tr("The server resumed the video at the wrong place"), false);
            return;
        }
        m_total = m.captured(3) == QLatin1String("*") ? -1 : m.captured(3).toLongLong();
    } else {
        if (m_offset > 0) {
            qCDebug(lcNet) << "server ignored Range; downloading from the start";
            if (!restartFromZero()) {
                fail(tr("Cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()), true);
                return;
            }
        }
        m_total = length > 0 ? length : -1;
    }
    if (m_total > kMaxBytes || m_offset + length > kMaxBytes) {
        fail(tr("The video is larger than 2 GiB"), false);
        return;
    }
    m_accepted = true;
}

void VideoDownload::onReadyRead()
{
    if (!m_reply || m_done || !m_accepted)
        return;
    const QByteArray chunk = m_reply->readAll();
    if (m_offset + chunk.size() > kMaxBytes) {
        fail(tr("The video is larger than 2 GiB"), false);
        return;
    }
    if (m_part.write(chunk) != chunk.size()) {
        fail(tr("Cannot write %1 (disk full?): %2").arg(m_part.fileName(), m_part.errorString()), true);
        return;
    }
    m_offset += chunk.size();
    Q_EMIT progress(m_offset, m_total);
}

void VideoDownload::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_done)
        return;
    if (m_accepted)
        onReadyRead(); // whatever came with the end
    if (m_done)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    const QString errorString = reply->errorString();
    const QByteArray body = m_accepted ? QByteArray() : reply->readAll();
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    if (m_rangeRefused != RangeRefused::No) {
        const RangeRefused what = std::exchange(m_rangeRefused, RangeRefused::No);
        if (what == RangeRefused::Complete) {
            complete();
        } else if (restartFromZero()) {
            request(m_current);
        } else {
            fail(tr("Cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()), true);
        }
        return;
    }
    if (!m_part.flush()) {
        fail(tr("Cannot write %1 (disk full?): %2").arg(m_part.fileName(), m_part.errorString()), true);
        return;
    }
    if (m_accepted && error == QNetworkReply::NoError) {
        if (m_total >= 0 && m_offset != m_total) {
            retryOrFail(tr("the transfer ended after %1 of %2 bytes").arg(m_offset).arg(m_total));
            return;
        }
        complete();
        return;
    }
    if (status >= 400 && status < 500) {
        const ApiError e = ApiClient::errorFor(status, body);
        fail(tr("Download failed: %1").arg(e.message), true);
        return;
    }
    retryOrFail(status >= 500 ? HttpErrorText::describe(status, body) : errorString);
}

void VideoDownload::retryOrFail(const QString &error)
{
    if (m_attempt >= m_maxAttempts) {
        fail(m_offset > 0 ? tr("Download failed: %1 (%2 bytes kept; it resumes next time)").arg(error).arg(m_offset)
                          : tr("Download failed: %1").arg(error),
             true);
        return;
    }
    const int delay = m_retryDelayMs << std::min(m_attempt - 1, 5);
    qCInfo(lcNet).noquote() << "download broke (" << error << ") at byte" << m_offset << "; retrying in" << delay << "ms";
    m_retry.start(delay);
}

void VideoDownload::complete()
{
    m_part.close();
    QFile::remove(m_destination);
    if (!QFile::rename(m_part.fileName(), m_destination)) {
        fail(tr("Cannot save %1").arg(m_destination), true);
        return;
    }
    m_done = true;
    m_bytes = QFileInfo(m_destination).size();
    Q_EMIT finished(true, {});
}

} // namespace framecast
