// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoConfig.h"

#include <QDateTime>
#include <QFuture>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace framecast::demo {

/// One thing that happened to a job. Every progress dialect is rendered from
/// these records, so all four tell the same story, and `seq` doubles as the
/// SSE event id for `Last-Event-ID` resumption.
struct JobRecord
{
    enum class Kind {
        Step,      ///< a new step began
        Progress,  ///< the current step moved (rendering and encoding)
        Token,     ///< one token of the streamed prompt rewrite
        Completed,
        Failed,
        Cancelled,
    };
    qint64 seq = 0;
    Kind kind = Kind::Step;
    int step = 0;          ///< 1..8, 9 for the completion
    QString message;
    double percent = 0;    ///< the job's overall progress
    double stagePercent = 0;
    QString stage;         ///< stages-sse stage of this step
    std::optional<double> etaSeconds;
    QString token;
    QString fullText;      ///< rewrite so far (Token) or in full (later records)
    QString errorCode;
    QString errorMessage;
    bool retryable = false;
    QDateTime time;

    bool isFinal() const { return kind == Kind::Completed || kind == Kind::Failed || kind == Kind::Cancelled; }
};

struct JobParams
{
    QString prompt;
    QString model = QStringLiteral("sora-2");
    QString referenceImageUrl;
    QString referenceImagePath; ///< local file when the URL is one of our uploads
    int durationSeconds = 4;
    QSize size{1280, 720};
};

/// A simulated generation: eight steps 2-3 s apart (configurable), a real
/// H.264 video rendered off the event loop whose progress drives the
/// "Rendering" and "Encoding" steps, a streamed prompt rewrite, and the
/// configured failure. Runs whether or not anybody watches.
class DemoJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoJob)

public:
    enum class Status { Queued, Processing, Completed, Failed, Cancelled };

    DemoJob(QString id, QString ownerId, JobParams params, const DemoConfig &config, QString videoDir,
            QObject *parent = nullptr);
    ~DemoJob() override;

    void start();
    /// Benchmarks: report progress `seq` now (the job must not be started).
    /// The record's message is "bench <seq>" and its ETA is `seq`, so every
    /// dialect carries the number to the client.
    void pushSyntheticProgress(qint64 seq);
    /// Returns false when the job had already ended.
    bool cancel();

    QString id() const { return m_id; }
    QString ownerId() const { return m_ownerId; }
    const JobParams &params() const { return m_params; }
    Status status() const { return m_status; }
    static QString statusName(Status status);
    bool isFinal() const { return m_status == Status::Completed || m_status == Status::Failed || m_status == Status::Cancelled; }
    int step() const { return m_step; }
    double percent() const { return m_percent; }
    QString message() const { return m_message; }
    QString videoUrl() const { return m_videoUrl; }
    QString videoPath() const { return m_videoPath; }
    QString rewrittenPrompt() const { return m_rewrite; }
    const QList<JobRecord> &records() const { return m_records; }
    qint64 encodeMs() const { return m_encodeMs; }

    /// GET /api/v1/videos/{id}
    QJsonObject statusJson() const;

    /// The stage of step `step` for stages-sse.
    static QString stageOfStep(int step);
    static const QStringList &stepMessages();
    /// Step `step` (1..8) by name ("rendering"), as the WebSocket seed's
    /// server sends `currentStep`.
    static QString stepName(int step);
    const DemoConfig &config() const { return m_config; }

Q_SIGNALS:
    void recordAdded(const framecast::demo::JobRecord &record);
    /// The job completed: the owner pays for it.
    void completed(const QString &ownerId);

private:
    void scheduleNext(int step);
    void enterStep(int step);
    void startEncoding();
    void onEncodeProgress(double fraction);
    void onEncodeFinished(bool ok, const QString &error, qint64 elapsedMs);
    void emitRewriteTokens();
    void finish(JobRecord::Kind kind, const QString &code, const QString &message, bool retryable);
    JobRecord &append(JobRecord::Kind kind);
    int stepDelay() const;
    std::optional<double> eta() const;

    QString m_id;
    QString m_ownerId;
    JobParams m_params;
    DemoConfig m_config;
    QString m_videoDir;
    Status m_status = Status::Queued;
    int m_step = 0;
    double m_percent = 0;
    QString m_message;
    QString m_videoUrl;
    QString m_videoPath;
    QString m_rewrite;
    int m_tokensSent = 0;
    QString m_errorCode;
    QString m_errorMessage;
    bool m_retryable = false;
    QDateTime m_createdAt;
    QDateTime m_updatedAt;
    QList<JobRecord> m_records;
    QTimer m_stepTimer;
    QTimer m_tokenTimer;
    std::shared_ptr<std::atomic_bool> m_cancelEncode;
    QFuture<void> m_encodeFuture;
    bool m_encoding = false;
    double m_encodeFraction = 0;
    qint64 m_encodeMs = 0;
};

} // namespace framecast::demo

Q_DECLARE_METATYPE(framecast::demo::JobRecord)
