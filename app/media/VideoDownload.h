// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkReply;

namespace framecast {

class ApiClient;

/// Archives a finished video (PROTOCOL.md §5): `video/*` only, at most 2 GiB,
/// streamed to "<destination>.part" chunk by chunk and renamed when complete,
/// so the final name only ever holds a whole video.
///
/// A transfer that breaks is resumed where it stopped (`Range`), by itself a
/// few times and later by a new VideoDownload for the same destination (the
/// part file is kept). Redirects are followed by hand, at most five, never
/// from https to http, and the token only goes to the server's own origin.
class VideoDownload final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VideoDownload)

public:
    static constexpr qint64 kMaxBytes = qint64(2) << 30;
    static constexpr int kMaxRedirects = 5;

    VideoDownload(ApiClient *api, QString videoUrl, QString destination, QObject *parent = nullptr);
    ~VideoDownload() override;

    /// The file name the client makes for a job's video (never a server path):
    /// "<job id>.mp4" with anything but letters, digits, '_' and '-' replaced.
    static QString fileNameFor(const QString &jobId);
    static QString partFileFor(const QString &destination) { return destination + QStringLiteral(".part"); }

    /// Attempts per start() before giving up (resuming each time); default 4.
    void setMaxAttempts(int attempts) { m_maxAttempts = attempts; }
    /// Delay before the first retry, doubled each time; default 1000 ms.
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    void start();
    /// Stops; the part file stays for a later resume.
    void abort();
    qint64 bytes() const { return m_bytes; }
    QString destination() const { return m_destination; }

Q_SIGNALS:
    void progress(qint64 received, qint64 total);
    /// A broken transfer continues from byte `offset`.
    void resumed(qint64 offset);
    /// `ok` false: `error` says why (network, content type, size, disk).
    void finished(bool ok, const QString &error);

private:
    void request(const QUrl &url);
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void retryOrFail(const QString &error);
    bool restartFromZero();
    void fail(const QString &error, bool keepPart);
    void complete();
    void dropReply();

    QPointer<ApiClient> m_api;
    QString m_url;
    QString m_destination;
    QFile m_part;
    QPointer<QNetworkReply> m_reply;
    QUrl m_current;
    QTimer m_retry;
    int m_redirects = 0;
    int m_attempt = 0;
    int m_maxAttempts = 4;
    int m_retryDelayMs = 1000;
    int m_timeoutMs = 60000;
    qint64 m_offset = 0;   ///< bytes in the part file
    qint64 m_total = -1;   ///< the whole video's size, when the server said
    qint64 m_bytes = 0;
    /// A 416 answer: the part is already the whole video, or not of it.
    enum class RangeRefused { No, Complete, Restart };
    RangeRefused m_rangeRefused = RangeRefused::No;
    bool m_accepted = false; ///< the current reply's body goes to the file
    bool m_done = false;
};

} // namespace framecast
