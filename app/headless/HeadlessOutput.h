// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/Job.h"
#include "progress/ProgressEvent.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <cstdio>
#include <memory>
#include <optional>

namespace framecast::headless {

class TerminalProgress;

/// What `framecast --headless` prints: human lines, or one JSON object per
/// line with `--json` (flushed as it happens), and errors on stderr. Every
/// line passes the redaction point: a server's `detail` or error text may
/// carry a token, and nothing printed ever does.
///
/// In a terminal (not piped, not in CI) the steps are one live line
/// (TerminalProgress) instead of one line each; other lines print above it.
class HeadlessOutput final
{
public:
    /// `live`: the steps as one live line; by default when `out` is a
    /// terminal (TerminalProgress::wanted) and neither --json nor --quiet.
    HeadlessOutput(FILE *out, FILE *err, bool json, bool quiet, std::optional<bool> live = std::nullopt);
    ~HeadlessOutput();
    Q_DISABLE_COPY_MOVE(HeadlessOutput)

    bool json() const { return m_json; }

    /// A human line (not with --json or --quiet).
    void line(const QString &text);
    /// The final human line of a saved video (also with --quiet).
    void result(const QString &text);
    /// One JSON line (only with --json).
    void event(const QJsonObject &object);
    /// "framecast: …" on stderr.
    void error(const QString &message);
    void warning(const QString &message);

    /// The browser sign-in's address (PROTOCOL §6): one human line on
    /// stderr, or a `sign_in` JSON line; also with --quiet (it is needed).
    void signIn(const QString &provider, const QUrl &url, bool browserOpened);
    void resume(int jobs);
    /// The job's connection, once per change of state or attempt.
    void connection(const Job &job, const QString &dialect);
    void progress(const Job &job, const ProgressEvent &event);
    /// A log line as it arrives; `late` for a step that came after a later one.
    void logLine(const Job &job, const Job::LogEntry &entry, bool late);
    void text(const Job &job, bool force);
    void completed(const Job &job, const QString &videoUrl, const QString &file, qint64 bytes);
    /// `jobId` empty when the server never accepted the job.
    void failed(const QString &jobId, const QString &code, const QString &message, bool retryable);

private:
    void write(FILE *stream, const QString &text);

    FILE *m_out;
    FILE *m_err;
    bool m_json;
    bool m_quiet;
    QString m_lastConnection;
    QString m_lastText;
    std::unique_ptr<TerminalProgress> m_live;
};

} // namespace framecast::headless
