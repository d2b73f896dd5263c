// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "headless/HeadlessOptions.h"
#include "ledger/Ledger.h"
#include "media/ImageCheck.h"
#include "progress/ProgressEvent.h"
#include "session/EmbeddedServer.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace framecast {
class ApiClient;
class Job;
class JobRecorder;
class SseProgressChannel;
class StreamConnectionPool;
class VideoDownload;
class WebSocketChannel;
} // namespace framecast

namespace framecast::headless {

/// The headless flow: connect, log in, upload, generate (or --watch), follow
/// the progress, download — printing human lines or JSON lines as it goes,
/// and finishing with one of the documented exit codes. No widget code: the
/// same core objects the desktop app uses.
class HeadlessRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessRunner)

public:
    HeadlessRunner(HeadlessOptions options, EmbeddedServerFactory demo, FILE *out = stdout, FILE *err = stderr,
                   QObject *parent = nullptr);
    ~HeadlessRunner() override;

    void start();
    /// SIGINT/SIGTERM: cancel the job on the server, then finish with 130.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    bool resolveConnection();
    bool readSecrets();
    void login();
    void uploadImage();
    void generate();
    void afterAuth();
    void openLedger();
    QString serverKey() const;
    /// Creates the job, picking up what the ledger knows of it (so replayed
    /// steps are not printed or recorded twice), and starts recording it.
    void prepareJob(const QString &jobId, const LedgerEntry &fresh);
    void watch(const QString &jobId);
    void follow();
    void resumeNext();
    void onJobFinished();
    void download();
    void finish(int code, const QString &message = {});
    void failWith(int code, const QString &code_, const QString &message, bool retryable = false);

    void print(const QString &line);        ///< human output (not with --json or --quiet)
    void printJson(const QJsonObject &obj); ///< one line, flushed
    void warn(const QString &message);
    void reportConnection();
    void reportEvent(const ProgressEvent &event);
    void reportText(bool force);

    HeadlessOptions m_options;
    FILE *m_out;
    FILE *m_err;
    QNetworkAccessManager m_network;
    EmbeddedServerFactory m_demoFactory;
    std::unique_ptr<EmbeddedServer> m_demo;
    QUrl m_baseUrl;
    QUrl m_wsUrl;
    Dialect m_dialect = Dialect::VideosSse;
    bool m_tokenInQuery = false;
    QString m_password;
    QByteArray m_token;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<StreamConnectionPool> m_pool;
    std::unique_ptr<Ledger> m_ledger;
    std::unique_ptr<JobRecorder> m_recorder;
    LedgerEntry m_newEntry; ///< what generate() will record for its job
    QList<LedgerEntry> m_resumeQueue;
    int m_resumeWorst = ExitCompleted;
    QString m_username;
    std::unique_ptr<Job> m_job;
    std::unique_ptr<SseProgressChannel> m_sse;
    std::unique_ptr<WebSocketChannel> m_ws;
    std::unique_ptr<VideoDownload> m_download;
    QString m_referenceUrl;
    CheckedImage m_image; ///< the reference image, checked before anything is sent
    QTimer m_timeout;
    QTimer m_textThrottle;
    QString m_lastTextSent;
    QString m_lastConnection;
    bool m_finished = false;
    bool m_interrupted = false;
};

/// Runs `framecast --headless …` to completion and returns the exit code;
/// `demo` makes the server of `--demo`.
int runHeadless(int argc, char **argv, const EmbeddedServerFactory &demoFactory);

} // namespace framecast::headless
