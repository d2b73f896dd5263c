// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "headless/HeadlessOptions.h"
#include "headless/HeadlessOutput.h"
#include "jobs/JobParams.h"
#include "session/EmbeddedServer.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace framecast {
class Job;
class Ledger;
class ServerConnection;
struct Refusal;
} // namespace framecast

namespace framecast::headless {

/// `framecast --headless`: the terminal's view of the core's one job
/// lifecycle. It resolves the server, logs in through a ServerConnection,
/// hands the job to its JobLifecycle (submit, --watch, --resume) and only
/// presents what happens — human or JSON lines, then one of the documented
/// exit codes.
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
    /// The job the options ask for (--prompt, --image, … --output).
    JobParams requestedJob() const;
    /// Every job asked for: each --prompt, --variations times.
    QList<JobParams> requestedJobs() const;
    /// Several jobs: through the server's queue; what it cannot start
    /// (credits, 403, login) ends the run once nothing runs.
    void queueJobs(const QList<JobParams> &jobs);
    void checkQueue();
    bool openLedger();
    void login();
    /// --sign-in: PROTOCOL §2.1 through the browser, the URL printed.
    void signInWithBrowser();
    void afterLogin();
    void present(Job *job);
    void onRefused(Job *job, const Refusal &refusal);
    void onFinished(Job *job);
    /// One job is done with `code`; the run ends when every job is.
    void settle(Job *job, int code, const QString &message = {});
    void finish(int code, const QString &message = {});

    HeadlessOptions m_options;
    HeadlessOutput m_out;
    EmbeddedServerFactory m_demoFactory;
    std::unique_ptr<EmbeddedServer> m_demo;
    std::unique_ptr<Ledger> m_ledger;
    std::unique_ptr<ServerConnection> m_connection;
    QString m_password;
    QByteArray m_token;
    QString m_dialect;
    QSet<Job *> m_running; ///< jobs this run waits for
    int m_worst = ExitCompleted;
    QPointer<Job> m_textJob;
    QTimer m_timeout;
    QTimer m_textThrottle;
    bool m_finished = false;
    bool m_interrupted = false;
};

/// Runs `framecast --headless …` to completion and returns the exit code;
/// `demoFactory` makes the server of `--demo`.
int runHeadless(int argc, char **argv, const EmbeddedServerFactory &demoFactory);

} // namespace framecast::headless
