// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/Job.h"
#include "jobs/JobParams.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSize>
#include <QSqlDatabase>

#include <optional>

namespace framecast {

/// One job as the ledger keeps it (everything needed to show it in the
/// history, to pick it up again after a restart, and to generate it again).
struct LedgerEntry
{
    qint64 rowId = 0;
    QString profile;   ///< server profile name
    QString baseUrl;   ///< the server, so that a renamed profile still matches
    QString username;
    QString serverId;  ///< the server's job id
    JobParams params;     ///< what the job was asked to make
    QByteArray thumbnail; ///< PNG, at most 160 px a side
    Job::State state = Job::State::Queued;
    QString errorCode;
    QString errorMessage;
    bool errorRetryable = false;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime finishedAt;
    int step = 0;
    int totalSteps = 0;
    double percent = 0;
    QJsonArray stepTimings; ///< [{"step", "label", "ms"}]
    QList<Job::LogEntry> log;
    QString videoUrl;   ///< where the server has the video
    QString videoPath;  ///< the archived local copy, once complete
    qint64 videoBytes = 0; ///< size of the archived copy

    bool isFinal() const { return Job::isFinal(state); }
    /// Finished on the server but the video is not archived yet.
    bool needsArchive() const { return state == Job::State::Completed && videoPath.isEmpty(); }
};

/// The local job ledger: a SQLite database (Qt SQL) in the app's data folder.
/// Every job is recorded as it happens, so that a restart, a crash or a
/// dropped connection loses nothing. The schema carries its version
/// (`PRAGMA user_version`) and is brought up to date by ordered migrations;
/// a database that cannot be read is moved aside with a message, never
/// emptied in place.
///
/// Its code is in three files: LedgerSchema.cpp (opening, moving a bad file
/// aside, migrations), Ledger.cpp (queries and writes) and LedgerMapping.cpp
/// (a job and an entry to a row and back).
class Ledger final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Ledger)

public:
    /// Version 1: the first ledger (jobs, their log). Version 2: archive
    /// bookkeeping (bytes of the archived copy), retryable errors and the
    /// indexes the history view searches with.
    static constexpr int kSchemaVersion = 2;
    /// SQLite's page cache for the ledger, in KiB. Its default (2,000 KiB)
    /// filled over the first ten minutes of a soak as the history grew, and
    /// looked like a leak; the ledger appends rows and reads a page of the
    /// history at a time, which this covers (the OS caches the file anyway).
    static constexpr int kPageCacheKiB = 512;

    explicit Ledger(QObject *parent = nullptr);
    ~Ledger() override;

    /// Opens (creating if needed) the database at `path`, ":memory:" for one
    /// that lives as long as the process. When the file is corrupt it is
    /// renamed to "<path>.corrupt-<time>" and a new ledger started; when it
    /// was written by a newer Framecast it is left untouched and the ledger
    /// runs in memory. Either way `notice()` says what happened.
    bool open(const QString &path);
    /// Migrates only up to `version` (tests build old databases with it).
    bool open(const QString &path, int version);
    bool isOpen() const { return m_open; }
    bool isPersistent() const { return m_open && m_path != QLatin1String(":memory:"); }
    QString path() const { return m_path; }
    /// What the user should be told about the ledger (moved aside, read-only,
    /// write failed...); empty when all is well.
    QString notice() const { return m_notice; }
    QString movedAsideTo() const { return m_movedAside; }
    int schemaVersion() const;
    /// The underlying connection (tests and diagnostics).
    QSqlDatabase database() const;

    /// Names the history file instead of the default location, on every
    /// platform (the tests do: only Linux's location follows XDG_DATA_HOME).
    static constexpr const char *kPathEnvironmentVariable = "FRAMECAST_LEDGER";
    /// The default location: the file FRAMECAST_LEDGER names, else <app data>/ledger.sqlite.
    static QString defaultPath();

    /// A new row, with `entry.log` as its log.
    qint64 add(const LedgerEntry &entry);
    /// Writes the entry's fields (not its thumbnail when it has none) and
    /// appends `newLines` to its log. The lines already stored are never
    /// rewritten, so a write costs what changed, not the whole log;
    /// `entry.log` is not looked at.
    bool update(const LedgerEntry &entry, const QList<Job::LogEntry> &newLines = {});
    bool remove(qint64 rowId);
    std::optional<LedgerEntry> entry(qint64 rowId) const;
    /// The entry without its log (what a list of jobs shows).
    std::optional<LedgerEntry> summary(qint64 rowId) const;
    std::optional<LedgerEntry> findByServerId(const QString &baseUrl, const QString &serverId) const;
    /// Newest first; `search` matches the prompt (case-insensitive, anywhere).
    QList<LedgerEntry> entries(const QString &search = {}) const;
    /// Jobs of this server and user that still need the server: not finished,
    /// or finished without an archived video.
    QList<LedgerEntry> pending(const QString &baseUrl, const QString &username) const;

    /// Fills an entry from a job's current state (status, steps, errors...),
    /// not its log: the job's log lines reach the ledger one by one, as the
    /// job emits them (JobRecorder).
    static void capture(const Job &job, LedgerEntry *entry);
    /// The job state an entry records, for Job::restore().
    static Job::Snapshot snapshot(const LedgerEntry &entry);
    /// A log in the order the job shows it, from lines in the order they
    /// were written. Lines are stored as they come, so a late step (one the
    /// job inserted before later ones) is stored after them; here it moves
    /// back into its step's place. Each line is sorted by its step, a line
    /// without one (-1) by the highest step written before it; equal keys
    /// keep their written order. This is where Job::logInserted() puts a
    /// late step, so a restored job shows its log as the running job did.
    static QList<Job::LogEntry> inStepOrder(QList<Job::LogEntry> log);

Q_SIGNALS:
    /// A write failed (disk full, read-only file): the job goes on, the user
    /// is told once.
    void writeFailed(const QString &message);
    /// A job was added (add()), written again (update()) or deleted
    /// (remove()); `changed` follows each of them.
    void added(qint64 rowId);
    void updated(qint64 rowId);
    void removed(qint64 rowId);
    void changed(qint64 rowId);

private:
    bool openFile(const QString &path, int version);
    bool migrate(int target, QString *error);
    bool appendLog(qint64 rowId, const QList<Job::LogEntry> &lines);
    QList<Job::LogEntry> readLog(qint64 rowId) const;
    void reportWriteError(const QString &what, const QString &error);
    void close();

    QString m_connection;
    QString m_path;
    QString m_notice;
    QString m_movedAside;
    bool m_open = false;
    bool m_writeErrorReported = false;
};

} // namespace framecast
