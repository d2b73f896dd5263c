// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/StatusCatchUp.h"

#include "api/ApiClient.h"
#include "jobs/Job.h"
#include "progress/ProgressDecoder.h"

#include <QCoreApplication>

namespace framecast {

StatusAnswer applyStatusAnswer(Job &job, const ApiResponse &response)
{
    if (response.error.kind == ApiError::Kind::NotFound) {
        job.markLost(QCoreApplication::translate("Job", "The server no longer knows this job"));
        return StatusAnswer::Lost;
    }
    if (!response.ok())
        return StatusAnswer::Failed;
    const DecodeResult decoded = decodeJobStatus(response.json);
    for (const QString &warning : decoded.warnings)
        job.addWarning(warning);
    if (decoded.event)
        job.applyProgress(*decoded.event);
    return StatusAnswer::Applied;
}

} // namespace framecast
