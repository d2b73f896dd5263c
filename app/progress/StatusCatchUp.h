// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace framecast {

class Job;
struct ApiResponse;

/// What an answer to GET /api/v1/videos/{id} did to a job.
enum class StatusAnswer {
    Applied, ///< the status was applied like any event (duplicates change nothing)
    Lost,    ///< 404: the server does not know the job; it is marked lost, never done
    Failed,  ///< another error: nothing changed
};

/// Brings `job` up to date from the server's status of it (PROTOCOL §3.4):
/// the one place that reads that answer, for the WebSocket catch-up, the
/// session's checks after a restart or a lost stream, and `--resume`.
/// Decoding warnings are kept on the job.
StatusAnswer applyStatusAnswer(Job &job, const ApiResponse &response);

} // namespace framecast
