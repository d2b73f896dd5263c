// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>

#include <optional>

namespace framecast {

/// Status words of every dialect map onto these.
enum class JobStatus {
    Unknown,   ///< the message did not say
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
};

/// Case-insensitive and forgiving: "PROCESSING", "in_progress", "canceled"...
/// Returns Unknown for words it does not know.
JobStatus parseJobStatus(QStringView word);
QString jobStatusName(JobStatus status);
inline bool isFinal(JobStatus s)
{
    return s == JobStatus::Completed || s == JobStatus::Failed || s == JobStatus::Cancelled;
}

struct ProgressError
{
    QString code;    ///< machine-readable, e.g. "CANCELLED"; may be empty
    QString message; ///< shown to the user as it is
    bool retryable = false;

    friend bool operator==(const ProgressError &a, const ProgressError &b)
    {
        return a.code == b.code && a.message == b.message && a.retryable == b.retryable;
    }
};

/// One progress message of any dialect, normalized. Fields a dialect does not
/// carry stay empty (std::nullopt, empty string).
struct ProgressEvent
{
    QString jobId;
    JobStatus status = JobStatus::Unknown;
    std::optional<int> step;        ///< 1-based step number
    std::optional<int> totalSteps;
    QString stepName;               ///< a step given by name ("rendering")
    std::optional<double> percent;  ///< 0..100
    std::optional<double> etaSeconds;
    QString stage;                  ///< stages-sse stage or similar
    QString message;                ///< human text, emoji intact
    std::optional<QString> text;    ///< streamed text so far (full_text)
    QString textDelta;              ///< the newest streamed token
    QString videoUrl;               ///< absolute or relative to the server's base URL
    std::optional<ProgressError> error;
    bool endOfStream = false;       ///< the server said no more events follow

    bool isFinal() const { return framecast::isFinal(status); }
};

} // namespace framecast

Q_DECLARE_METATYPE(framecast::ProgressEvent)
