// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/Job.h"

#include "core/Logging.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace framecast {

QString Job::LogEntry::prefix() const
{
    if (step >= 0)
        return QStringLiteral("[%1]").arg(step);
    if (!stage.isEmpty())
        return QStringLiteral("[%1]").arg(stage);
    return {};
}

QString Job::LogEntry::text() const
{
    const QString p = prefix();
    return p.isEmpty() ? message : p + QLatin1Char(' ') + message;
}

Job::Job(QString id, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_clock(clock ? clock : Clock::system())
    , m_createdAt(m_clock->now())
{
}

Job::~Job() = default;

void Job::setId(const QString &id)
{
    if (m_id == id)
        return;
    m_id = id;
    Q_EMIT changed();
}

bool Job::isFinal(State state)
{
    return state == State::Completed || state == State::Failed || state == State::Cancelled || state == State::Lost;
}

QString Job::stateName(State state)
{
    switch (state) {
    case State::Submitting:
        return QStringLiteral("submitting");
    case State::Queued:
        return QStringLiteral("queued");
    case State::Running:
        return QStringLiteral("running");
    case State::Completed:
        return QStringLiteral("completed");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Cancelled:
        return QStringLiteral("cancelled");
    case State::Lost:
        return QStringLiteral("lost");
    }
    return {};
}

QString Job::stateText(State state)
{
    switch (state) {
    case State::Submitting:
        return tr("submitting");
    case State::Queued:
        return tr("queued");
    case State::Running:
        return tr("running");
    case State::Completed:
        return tr("completed");
    case State::Failed:
        return tr("failed");
    case State::Cancelled:
        return tr("cancelled");
    case State::Lost:
        return tr("lost");
    }
    return {};
}

std::optional<double> Job::etaSeconds() const
{
    if (isFinal())
        return std::nullopt;
    const qint64 now = m_clock->monotonicMs();
    if (m_serverEta)
        return std::max(0.0, *m_serverEta - double(now - m_serverEtaAtMs) / 1000.0);
    if (m_totalSteps <= 0 || m_step <= 0)
        return std::nullopt;
    qint64 doneMs = 0;
    int done = 0;
    for (const StepTiming &t : m_timings) {
        if (t.durationMs >= 0) {
            doneMs += t.durationMs;
            ++done;
        }
    }
    if (done == 0)
        return std::nullopt;
    const double average = double(doneMs) / done;
    const int left = std::max(0, m_totalSteps - m_step + 1); // the current step and those after it
    const qint64 inCurrent = m_timings.isEmpty() || m_timings.last().durationMs >= 0 ? 0 : now - m_timings.last().startedMs;
    return std::max(0.0, (left * average - double(inCurrent)) / 1000.0);
}

QList<Job::LogEntry> Job::lastLines(int count) const
{
    const qsizetype n = std::min<qsizetype>(count, m_log.size());
    return m_log.mid(m_log.size() - n);
}

void Job::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    if (isFinal()) {
        m_finishedAt = m_clock->now();
        closeCurrentStep();
    }
    qCDebug(lcJobs) << "job" << m_id << "is now" << stateName(state);
    Q_EMIT stateChanged(state);
    if (isFinal())
        Q_EMIT finished(state);
}

void Job::startStep(int step, const QString &label)
{
    closeCurrentStep();
    m_timings.append(StepTiming{step, label, m_clock->monotonicMs(), -1});
    trimTimings();
}

void Job::trimTimings()
{
    // Steps given by name can come without end from a misbehaving server; the
    // ETA only needs recent ones.
    const qsizetype excess = m_timings.size() - kMaxStepTimings;
    if (excess <= 0)
        return;
    m_timings.remove(0, excess);
    m_droppedStepTimings += excess;
}

void Job::makeRoomInLog(qsizetype room)
{
    while (!m_log.isEmpty() && m_log.size() + room > kMaxLogLines) {
        m_droppedThroughStep = std::max(m_droppedThroughStep, m_log.first().step);
        m_log.removeFirst();
        ++m_droppedLogLines;
    }
}

void Job::closeCurrentStep()
{
    if (!m_timings.isEmpty() && m_timings.last().durationMs < 0)
        m_timings.last().durationMs = m_clock->monotonicMs() - m_timings.last().startedMs;
}

void Job::appendLog(int step, const QString &message)
{
    if (message.isEmpty())
        return;
    if (!m_log.isEmpty() && m_log.last().step == step && m_log.last().message == message)
        return; // a repeat, e.g. replayed after a reconnect
    // A stream that starts again may say a line of the current step again
    // (stages-sse: "connected" and the stage's progress): shown once.
    for (auto it = m_log.crbegin(); step >= 0 && it != m_log.crend() && it->step == step; ++it) {
        if (it->message == message)
            return;
    }
    // A line of a step given by name carries the name, for its prefix.
    LogEntry entry{step, step < 0 && !m_stepName.isEmpty() ? m_stepName : m_stage, m_clock->now(), message};
    makeRoomInLog(1);
    m_log.append(entry);
    Q_EMIT logAppended(entry);
}

bool Job::applyProgress(const ProgressEvent &event)
{
    const bool older = event.step && *event.step < m_step && !event.isFinal();
    if (isFinal()) {
        // A completion can overtake the replay of steps missed while
        // disconnected: those may still fill the log. After a cancel (or a
        // loss) nothing more is shown.
        if (older && (m_state == State::Completed || m_state == State::Failed))
            return fillGap(*event.step, event.message);
        return false;
    }
    if (older)
        return fillGap(*event.step, event.message); // out of order or replayed

    const QString previousMessage = m_message;
    const qint64 previousLogLines = m_droppedLogLines + m_log.size(); // at the bound the size stays put
    const double previousPercent = m_percent;
    const State previousState = m_state;
    bool touched = false;

    if (event.totalSteps && *event.totalSteps > 0)
        m_totalSteps = *event.totalSteps;
    if (!event.stage.isEmpty())
        m_stage = event.stage;
    // Steps given by name (the WebSocket seed's "rendering"): no number is
    // made up for them, and the completion is a step of that name.
    const bool namedSteps = m_step <= 0 && !event.step && (!event.stepName.isEmpty() || !m_stepName.isEmpty());
    QString stepName = event.stepName;
    if (stepName.isEmpty() && namedSteps && event.status == JobStatus::Completed)
        stepName = jobStatusName(JobStatus::Completed);
    if (!stepName.isEmpty())
        m_stepName = stepName;

    // A completion without a step number (WebSocket, tasks-sse) is the
    // "ready" step after the last one, as videos-sse's step 9.
    std::optional<int> step = event.step;
    if (!step && !namedSteps && event.status == JobStatus::Completed && m_totalSteps > 0)
        step = std::max(m_step + 1, m_totalSteps + 1);

    if (step && *step > m_step) {
        m_step = *step;
        startStep(m_step, event.message);
        touched = true;
    } else if (!event.step && !stepName.isEmpty() && (m_timings.isEmpty() || m_timings.last().label != stepName)) {
        startStep(-1, stepName); // steps given by name: time each name
        touched = true;
    }

    if (event.percent) {
        m_percent = std::clamp(std::max(m_percent, *event.percent), 0.0, 100.0);
    } else if (m_step > 0 && m_totalSteps > 0) {
        m_percent = std::max(m_percent, std::clamp(100.0 * (m_step - 1) / m_totalSteps, 0.0, 100.0));
    }
    if (event.etaSeconds) {
        m_serverEta = std::max(0.0, *event.etaSeconds);
        m_serverEtaAtMs = m_clock->monotonicMs();
        touched = true;
    }

    if (event.text) {
        if (m_fullText != *event.text) {
            m_fullText = *event.text; // the latest only: never one copy per event
            Q_EMIT textChanged(m_fullText);
        }
    } else if (!event.textDelta.isEmpty()) {
        m_fullText += event.textDelta;
        Q_EMIT textChanged(m_fullText);
    }

    if (!event.videoUrl.isEmpty())
        m_videoUrl = event.videoUrl;
    if (event.error)
        m_error = event.error;
    if (event.status == JobStatus::Completed)
        m_percent = 100;

    // The log line goes out after percent and ETA are current (its readers
    // show them), and before the state change (so it precedes `finished`).
    if (!event.message.isEmpty()) {
        m_message = event.message;
        appendLog(step ? *step : (m_step > 0 ? m_step : -1), event.message); // a line without a step: the current one
    }

    switch (event.status) {
    case JobStatus::Queued:
        if (m_state == State::Submitting)
            setState(State::Queued);
        break;
    case JobStatus::Running:
        if (m_state == State::Submitting || m_state == State::Queued)
            setState(State::Running);
        break;
    case JobStatus::Completed:
        m_percent = 100;
        m_serverEta.reset();
        setState(State::Completed);
        break;
    case JobStatus::Failed:
        if (!m_error)
            m_error = ProgressError{QString(), QCoreApplication::translate("Job", "The job failed"), false};
        setState(State::Failed);
        break;
    case JobStatus::Cancelled:
        setState(State::Cancelled);
        break;
    case JobStatus::Unknown:
        break;
    }

    const bool changedSomething = touched || m_state != previousState || m_droppedLogLines + m_log.size() != previousLogLines
                                  || m_percent != previousPercent || m_message != previousMessage
                                  || event.text || !event.textDelta.isEmpty() || !event.videoUrl.isEmpty();
    if (changedSomething)
        Q_EMIT changed();
    return changedSomething;
}

bool Job::fillGap(int step, const QString &message)
{
    // A step we never showed (it arrived late, after a catch-up jumped ahead)
    // takes its place in the log; the job itself does not move backwards.
    if (message.isEmpty())
        return false;
    // Its line may have been dropped from memory: the log runs in step order,
    // so every step up to the newest dropped one was shown already. (A step
    // never shown that old is too late to find a place in what is kept.)
    if (step <= m_droppedThroughStep)
        return false;
    const auto findPlace = [this, step]() -> std::optional<qsizetype> {
        for (qsizetype i = 0; i < m_log.size(); ++i) {
            if (m_log.at(i).step == step)
                return std::nullopt; // already shown
            if (m_log.at(i).step > step)
                return i;
        }
        return m_log.size();
    };
    if (!findPlace())
        return false;
    makeRoomInLog(1);
    const qsizetype at = *findPlace(); // the lines dropped to make room held other steps
    const LogEntry entry{step, m_stage, m_clock->now(), message};
    m_log.insert(at, entry);
    Q_EMIT logInserted(int(at), entry);
    Q_EMIT changed();
    return true;
}

void Job::restore(const Snapshot &s)
{
    m_state = s.state;
    m_step = s.step;
    m_totalSteps = s.totalSteps;
    m_percent = s.percent;
    m_message = s.message;
    m_log = s.log;
    m_droppedLogLines = 0;
    m_droppedThroughStep = -1;
    makeRoomInLog(0);
    m_timings = s.timings;
    m_droppedStepTimings = 0;
    trimTimings();
    const qint64 now = m_clock->monotonicMs();
    for (StepTiming &t : m_timings)
        t.startedMs = t.durationMs >= 0 ? now - t.durationMs : now;
    if (!m_log.isEmpty()) {
        m_stage = m_log.last().stage;
        if (m_message.isEmpty())
            m_message = m_log.last().message;
    }
    if (s.createdAt.isValid())
        m_createdAt = s.createdAt;
    m_finishedAt = s.finishedAt;
    m_videoUrl = s.videoUrl;
    m_error = s.error;
    Q_EMIT stateChanged(m_state);
    Q_EMIT changed();
}

void Job::markQueued()
{
    if (m_state == State::Submitting)
        setState(State::Queued);
}

void Job::markCancelled()
{
    if (isFinal())
        return;
    appendLog(m_step > 0 ? m_step : -1, QCoreApplication::translate("Job", "🛑 Cancelled"));
    setState(State::Cancelled);
    Q_EMIT changed();
}

void Job::markLost(const QString &reason)
{
    if (isFinal())
        return;
    m_error = ProgressError{QStringLiteral("LOST"), reason, false};
    setState(State::Lost);
    Q_EMIT changed();
}

void Job::markFailed(const ProgressError &error)
{
    if (isFinal())
        return;
    m_error = error;
    setState(State::Failed);
    Q_EMIT changed();
}

void Job::markRefused(const QString &message, const QString &hint)
{
    if (isFinal())
        return;
    m_refusalHint = hint;
    markFailed(ProgressError{kRefusedCode, message, false});
}

bool Job::isRefused() const
{
    return m_state == State::Failed && m_error && m_error->code == kRefusedCode;
}

void Job::updateError(const ProgressError &error)
{
    if (m_state != State::Failed || (m_error && *m_error == error))
        return;
    m_error = error;
    Q_EMIT changed();
}

void Job::addWarning(const QString &warning)
{
    qCWarning(lcProgress).noquote() << "job" << m_id << "warning:" << warning;
    m_warnings.append(warning);
    if (m_warnings.size() > kMaxWarnings) {
        m_warnings.removeFirst(); // a misbehaving server must not grow this without bound
        ++m_droppedWarnings;
    }
    Q_EMIT warningRaised(warning);
}

void Job::setConnectionState(ConnectionState state, int attempt, const QString &error)
{
    ConnectionStatus &c = m_connection;
    if (c.state == state && c.attempt == attempt && c.lastError == error)
        return;
    if (state == ConnectionState::Reconnecting && c.state != ConnectionState::Reconnecting)
        ++c.reconnectCount;
    c.connectedSinceMs = state == ConnectionState::Connected ? m_clock->monotonicMs() : -1;
    c.state = state;
    c.attempt = attempt;
    if (!error.isEmpty() || state == ConnectionState::Connected)
        c.lastError = error;
    Q_EMIT connectionChanged(c);
}

void Job::setConnectionDialect(const QString &dialect)
{
    m_connection.dialect = dialect;
    Q_EMIT connectionChanged(m_connection);
}

} // namespace framecast
