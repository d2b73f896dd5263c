// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ledger/Ledger.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace framecast {

/// Keeps one job's ledger entry current: every change of the job (state,
/// steps, log lines, errors) is written within 50 ms (a final state at once),
/// each log line once, appended as the job emits it,
/// so a killed app loses at most the events of that moment, which the server
/// replays when the job is picked up again. Used by
/// the desktop session and the headless mode alike.
class JobRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobRecorder)

public:
    /// Adds `entry` to the ledger (or updates it, when it has a row id).
    JobRecorder(Ledger *ledger, Job *job, LedgerEntry entry, QObject *parent = nullptr);
    ~JobRecorder() override;

    qint64 rowId() const { return m_entry.rowId; }
    /// The entry as last written, without its log (the ledger has that).
    const LedgerEntry &entry() const { return m_entry; }
    /// The video was archived at `path`.
    void setVideo(const QString &path, qint64 bytes);
    /// Writes now what is pending.
    void flush();

    /// A PNG thumbnail (at most 160 px a side) of an image; empty if the
    /// bytes are not an image.
    static QByteArray thumbnailOf(const QByteArray &imageData);

private:
    void schedule();
    void collect(const Job::LogEntry &line);

    QPointer<Ledger> m_ledger;
    QPointer<Job> m_job;
    LedgerEntry m_entry;
    QList<Job::LogEntry> m_unwritten; ///< log lines the ledger does not have yet
    QTimer m_save;
};

} // namespace framecast
