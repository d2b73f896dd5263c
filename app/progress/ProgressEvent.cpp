// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/ProgressEvent.h"

namespace framecast {

JobStatus parseJobStatus(QStringView word)
{
    const QString w = word.trimmed().toString().toLower().replace(QLatin1Char('-'), QLatin1Char('_'));
    static const struct
    {
        const char *word;
        JobStatus status;
    } table[] = {
        {"queued", JobStatus::Queued},         {"pending", JobStatus::Queued},
        {"waiting", JobStatus::Queued},        {"created", JobStatus::Queued},
        {"submitted", JobStatus::Queued},      {"processing", JobStatus::Running},
        {"in_progress", JobStatus::Running},   {"inprogress", JobStatus::Running},
        {"running", JobStatus::Running},       {"started", JobStatus::Running},
        {"progress", JobStatus::Running},      {"active", JobStatus::Running},
        {"completed", JobStatus::Completed},   {"complete", JobStatus::Completed},
        {"done", JobStatus::Completed},        {"succeeded", JobStatus::Completed},
        {"success", JobStatus::Completed},     {"finished", JobStatus::Completed},
        {"failed", JobStatus::Failed},         {"failure", JobStatus::Failed},
        {"error", JobStatus::Failed},          {"cancelled", JobStatus::Cancelled},
        {"canceled", JobStatus::Cancelled},    {"aborted", JobStatus::Cancelled},
    };
    for (const auto &row : table) {
        if (w == QLatin1String(row.word))
            return row.status;
    }
    return JobStatus::Unknown;
}

QString jobStatusName(JobStatus status)
{
    switch (status) {
    case JobStatus::Unknown:
        return QStringLiteral("unknown");
    case JobStatus::Queued:
        return QStringLiteral("queued");
    case JobStatus::Running:
        return QStringLiteral("running");
    case JobStatus::Completed:
        return QStringLiteral("completed");
    case JobStatus::Failed:
        return QStringLiteral("failed");
    case JobStatus::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace framecast
