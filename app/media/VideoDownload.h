// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QSaveFile>

#include <functional>
#include <memory>

class QNetworkReply;

namespace framecast {

class ApiClient;

/// Downloads a finished video (PROTOCOL.md §5): `video/*` only, at most 2 GiB,
/// streamed to disk chunk by chunk and committed atomically, so a failed or
/// cancelled transfer never leaves a half file under the final name.
class VideoDownload final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VideoDownload)

public:
    static constexpr qint64 kMaxBytes = qint64(2) << 30;

    VideoDownload(ApiClient *api, QString videoUrl, QString destination, QObject *parent = nullptr);

    /// The file name the client makes for a job's video (never a server path):
    /// "<job id>.mp4" with anything but letters, digits, '_' and '-' replaced.
    static QString fileNameFor(const QString &jobId);
    ~VideoDownload() override;

    void start();
    void abort();
    qint64 bytes() const { return m_bytes; }
    QString destination() const { return m_destination; }

Q_SIGNALS:
    void progress(qint64 received, qint64 total);
    /// `ok` false: `error` says why (network, content type, size, disk).
    void finished(bool ok, const QString &error);

private:
    void fail(const QString &error);

    QPointer<ApiClient> m_api;
    QString m_url;
    QString m_destination;
    std::unique_ptr<QSaveFile> m_file;
    QPointer<QNetworkReply> m_reply;
    qint64 m_bytes = 0;
    bool m_done = false;
};

} // namespace framecast
