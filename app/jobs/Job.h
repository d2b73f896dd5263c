// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Clock.h"
#include "jobs/ConnectionStatus.h"
#include "jobs/JobParams.h"
#include "progress/ProgressEvent.h"

#include <QDateTime>
#include <QList>
#include <QObject>

#include <optional>

namespace framecast {

/// One generation job as the UI and the headless mode see it: a state machine
/// fed by normalized progress events, the log, per-step timings, the
/// streamed text and the state of the connection that watches it.
///
/// What it keeps in memory is bounded: the newest kMaxLogLines log lines,
/// kMaxWarnings warnings and kMaxStepTimings step timings; older ones are
/// dropped and counted. `logAppended` still goes out for every new line, so a
/// listener that keeps the whole log (the ledger) misses none.
///
/// The job only moves forward: repeated events (a replay after a reconnect,
/// a duplicate WebSocket push) change nothing; a late step it never showed
/// takes its place in the log without moving the job back; and once the job
/// has ended (completed, failed, cancelled, lost) no further event reaches it.
class Job final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Job)

public:
    enum class State {
        Submitting, ///< created locally, not yet accepted by the server
        Queued,
        Running,
        Completed,
        Failed,
        Cancelled,
        Lost, ///< the server no longer knows the job
    };
    Q_ENUM(State)

    struct LogEntry
    {
        int step = -1;       ///< -1 when the dialect has no step numbers
        QString stage;       ///< the stages-sse stage, or the name of a step given by name
        QDateTime time;
        QString message;     ///< as the server sent it, emoji intact
        /// "[3]" for step 3; "[rendering]" for a step given by name; "" when
        /// the dialect has neither (tasks-sse).
        QString prefix() const;
        /// "[3] 🤖 Calling Sora 2 API..."
        QString text() const;
    };

    struct StepTiming
    {
        int step = -1;
        QString label;
        qint64 startedMs = 0;   ///< monotonic
        qint64 durationMs = -1; ///< -1 while the step runs
    };

    static constexpr int kVisibleLogLines = 5;
    static constexpr int kMaxLogLines = 1000;
    static constexpr int kMaxWarnings = 100;
    static constexpr int kMaxStepTimings = 200;

    explicit Job(QString id, Clock *clock = Clock::system(), QObject *parent = nullptr);
    ~Job() override;

    QString id() const { return m_id; }
    /// The server's id, once the job was accepted.
    void setId(const QString &id);

    /// What the job was asked to make (set once, before it is shown).
    const JobParams &params() const { return m_params; }
    void setParams(const JobParams &params) { m_params = params; }

    State state() const { return m_state; }
    bool isFinal() const { return isFinal(m_state); }
    /// Completed, failed, cancelled or lost: nothing more happens to it.
    static bool isFinal(State state);
    /// The state's stable name (the ledger's column, logs, JSON lines).
    static QString stateName(State state);
    /// The state as a person reads it, in the user's language (the job list).
    static QString stateText(State state);

    int step() const { return m_step; }
    int totalSteps() const { return m_totalSteps; }
    QString stepName() const { return m_stepName; }
    QString stage() const { return m_stage; }
    QString currentMessage() const { return m_message; }
    double percent() const { return m_percent; }
    /// Seconds left: the server's ETA counted down, else estimated from the
    /// steps done so far; empty when nothing is known yet.
    std::optional<double> etaSeconds() const;
    bool etaFromServer() const { return m_serverEta.has_value(); }
    QString streamedText() const { return m_fullText; }
    QString videoUrl() const { return m_videoUrl; }
    std::optional<ProgressError> error() const { return m_error; }

    /// The newest kMaxLogLines log entries, oldest first.
    const QList<LogEntry> &log() const { return m_log; }
    /// The newest `count` log entries, oldest first.
    QList<LogEntry> lastLines(int count = kVisibleLogLines) const;
    /// The newest kMaxStepTimings step timings.
    const QList<StepTiming> &stepTimings() const { return m_timings; }
    /// The newest kMaxWarnings warnings.
    const QList<QString> &warnings() const { return m_warnings; }
    /// How many of each were dropped from memory, oldest first, to stay in bounds.
    qint64 droppedLogLines() const { return m_droppedLogLines; }
    qint64 droppedWarnings() const { return m_droppedWarnings; }
    qint64 droppedStepTimings() const { return m_droppedStepTimings; }
    const ConnectionStatus &connection() const { return m_connection; }
    QDateTime createdAt() const { return m_createdAt; }
    QDateTime finishedAt() const { return m_finishedAt; }

    /// What a job was when it was last recorded (the ledger), to pick it up
    /// again after a restart: the job takes this state without emitting
    /// `finished`, and replayed events for steps it already has change nothing.
    /// A longer log or list of timings than the job keeps is cut to its newest.
    struct Snapshot
    {
        State state = State::Queued;
        int step = 0;
        int totalSteps = 0;
        double percent = 0;
        QString message;
        QList<LogEntry> log;
        QList<StepTiming> timings; ///< durations only; a running step restarts its clock
        QDateTime createdAt;
        QDateTime finishedAt;
        QString videoUrl;
        std::optional<ProgressError> error;
    };
    void restore(const Snapshot &snapshot);

    /// Applies one event; returns false when it changed nothing (stale,
    /// duplicate, or the job has ended).
    bool applyProgress(const ProgressEvent &event);

    /// The server accepted the job.
    void markQueued();
    /// The user cancelled: the job ends here, whatever the server sends later.
    void markCancelled();
    /// The server does not know the job any more.
    void markLost(const QString &reason);
    /// Ends the job as failed from the client's side (e.g. the watch was refused).
    void markFailed(const ProgressError &error);
    /// The job was never started: the client's check or the server refused
    /// it (402, 403, 422…). Failed, with error code kRefusedCode, `message`
    /// as the error and `hint` saying what to do about it.
    void markRefused(const QString &message, const QString &hint);
    /// Whether markRefused() ended it.
    bool isRefused() const;
    QString refusalHint() const { return m_refusalHint; }
    static inline const QString kRefusedCode = QStringLiteral("REFUSED");
    /// A failed job learns more about its failure (e.g. from the REST status).
    void updateError(const ProgressError &error);

    void addWarning(const QString &warning);
    void setConnectionState(ConnectionState state, int attempt = 0, const QString &error = {});
    void setConnectionDialect(const QString &dialect);

Q_SIGNALS:
    void changed();
    void stateChanged(framecast::Job::State state);
    /// A new line, for every one (also those later dropped from memory).
    void logAppended(const framecast::Job::LogEntry &entry);
    /// A late step took its place at `index` of log() (not at the end).
    void logInserted(int index, const framecast::Job::LogEntry &entry);
    void textChanged(const QString &fullText);
    void connectionChanged(const framecast::ConnectionStatus &status);
    void warningRaised(const QString &warning);
    /// The job reached a final state.
    void finished(framecast::Job::State state);

private:
    void setState(State state);
    void startStep(int step, const QString &label);
    void closeCurrentStep();
    void appendLog(int step, const QString &message);
    bool fillGap(int step, const QString &message);
    /// Drops the oldest lines until `room` more fit.
    void makeRoomInLog(qsizetype room);
    void trimTimings();

    QString m_id;
    JobParams m_params;
    Clock *m_clock;
    State m_state = State::Submitting;
    int m_step = 0;
    int m_totalSteps = 0;
    QString m_stepName;
    QString m_stage;
    QString m_message;
    double m_percent = 0;
    std::optional<double> m_serverEta;
    qint64 m_serverEtaAtMs = 0;
    QString m_fullText;
    QString m_videoUrl;
    std::optional<ProgressError> m_error;
    QString m_refusalHint;
    QList<LogEntry> m_log;
    QList<StepTiming> m_timings;
    QList<QString> m_warnings;
    qint64 m_droppedLogLines = 0;
    qint64 m_droppedWarnings = 0;
    qint64 m_droppedStepTimings = 0;
    /// The highest step of a line dropped from memory (-1: none): a replay of
    /// a step up to it was shown already (the log runs in step order), even
    /// though its line is no longer there to compare with.
    int m_droppedThroughStep = -1;
    ConnectionStatus m_connection;
    QDateTime m_createdAt;
    QDateTime m_finishedAt;
};

} // namespace framecast
