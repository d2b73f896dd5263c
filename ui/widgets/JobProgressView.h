// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/Job.h"

#include <QPointer>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;

namespace framecast::ui {

class ConnectionDot;

/// Shows one job live: connection dot, current step (large, emoji in colour),
/// progress bar with percent and ETA, the log (last five lines visible, older
/// ones a scroll away, copyable) and a Cancel button. Emits intent only.
class JobProgressView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobProgressView)

public:
    explicit JobProgressView(QWidget *parent = nullptr);

    void setJob(Job *job);
    Job *job() const { return m_job; }

    QString stepText() const;
    QString etaText() const;
    QString logText() const;
    /// The streamed text (stages-sse's prompt rewrite), empty when none.
    QString streamedText() const;

    /// Shows each step's duration in the log (per-step timing on demand).
    void setShowTimings(bool show);
    /// Download of the finished video: `total` 0 when unknown; -1 hides it.
    void setDownloadProgress(qint64 received, qint64 total);
    /// The stages-sse pipeline as shown ("rewrite>storyboard*..." for tests):
    /// done stages end in '>', the current one in '*'.
    QString pipelineText() const;

Q_SIGNALS:
    void cancelRequested(const QString &jobId);
    /// The job failed and the server said it may be retried.
    void retryRequested(framecast::Job *job);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    /// The stage names, elided to the width each label has.
    void elideStages();
    void reloadLog();
    void flushLog();

    QPointer<Job> m_job;
    ConnectionDot *m_dot;
    QLabel *m_connectionLabel;
    QLabel *m_step;
    QLabel *m_hint; ///< a refused job: what to do about it
    QProgressBar *m_progress;
    QLabel *m_eta;
    QPlainTextEdit *m_log;
    QLabel *m_text;
    QWidget *m_pipeline;
    QList<QLabel *> m_stages;
    QLabel *m_download;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_timings;
    QTimer *m_etaTimer;
    QTimer *m_logFrame;
    QStringList m_pendingLog; ///< lines for the next frame
};

} // namespace framecast::ui
