// SPDX-License-Identifier: GPL-3.0-or-later
#include "ledger/Ledger.h"

#include "core/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTimeZone>
#include <QUuid>
#include <QVariant>

namespace framecast {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Ledger)
};

/// Migration N takes the schema from version N-1 to N. Never edit a released
/// step: add a new one.
const char *const kMigrations[] = {
    // 1: the first ledger.
    "CREATE TABLE jobs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " profile TEXT NOT NULL, base_url TEXT NOT NULL, username TEXT NOT NULL,"
    " server_id TEXT, prompt TEXT NOT NULL, params TEXT NOT NULL DEFAULT '{}',"
    " thumbnail BLOB, status TEXT NOT NULL, error_code TEXT, error_message TEXT,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, finished_at INTEGER,"
    " step INTEGER NOT NULL DEFAULT 0, total_steps INTEGER NOT NULL DEFAULT 0,"
    " percent REAL NOT NULL DEFAULT 0, step_timings TEXT NOT NULL DEFAULT '[]',"
    " video_url TEXT, video_path TEXT);"
    "CREATE TABLE job_log ("
    " job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, step INTEGER NOT NULL, stage TEXT, at INTEGER, message TEXT NOT NULL,"
    " PRIMARY KEY (job_id, seq));",
    // 2: archive bookkeeping, retryable errors, the history's indexes.
    "ALTER TABLE jobs ADD COLUMN video_bytes INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE jobs ADD COLUMN error_retryable INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX jobs_server ON jobs(base_url, server_id);"
    "CREATE INDEX jobs_created ON jobs(created_at);",
};
static_assert(std::size(kMigrations) == Ledger::kSchemaVersion, "one migration per schema version");

qint64 toMs(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

QDateTime fromMs(const QVariant &v)
{
    const qint64 ms = v.toLongLong();
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()) : QDateTime();
}

Job::State stateFromName(const QString &name)
{
    for (Job::State s : {Job::State::Submitting, Job::State::Queued, Job::State::Running, Job::State::Completed,
                         Job::State::Failed, Job::State::Cancelled, Job::State::Lost}) {
        if (Job::stateName(s) == name)
            return s;
    }
    return Job::State::Lost; // an unknown status is never shown as done
}

bool execAll(QSqlDatabase &db, const QString &script, QString *error)
{
    for (const QString &statement : script.split(u';', Qt::SkipEmptyParts)) {
        if (statement.trimmed().isEmpty())
            continue;
        QSqlQuery q(db);
        if (!q.exec(statement)) {
            *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

} // namespace

Ledger::Ledger(QObject *parent)
    : QObject(parent)
    , m_connection(QStringLiteral("framecast-ledger-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

Ledger::~Ledger()
{
    close();
}

QString Ledger::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("ledger.sqlite"));
}

void Ledger::close()
{
    if (!QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_open = false;
}

bool Ledger::open(const QString &path)
{
    return open(path, kSchemaVersion);
}

bool Ledger::open(const QString &path, int version)
{
    close();
    m_notice.clear();
    m_movedAside.clear();
    m_writeErrorReported = false;
    if (path != QLatin1String(":memory:"))
        QDir().mkpath(QFileInfo(path).absolutePath());
    if (openFile(path, version))
        return true;
    // openFile() set m_notice when the file is unusable but kept; a corrupt
    // file was moved aside and a new one is tried once.
    if (!m_movedAside.isEmpty() && openFile(path, version))
        return true;
    const QString why = m_notice;
    if (path != QLatin1String(":memory:") && openFile(QStringLiteral(":memory:"), version)) {
        m_notice = why.isEmpty() ? Tr::tr("The job history could not be opened; this session's jobs are kept in memory only.")
                                 : why;
        return true;
    }
    return false;
}

bool Ledger::openFile(const QString &path, int version)
{
    close();
    m_path = path;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    if (!db.open()) {
        m_notice = Tr::tr("The job history %1 cannot be opened: %2").arg(path, db.lastError().text());
        return false;
    }
    QSqlQuery q(db);
    // A file that is not a database fails here ("file is not a database").
    QString check;
    if (q.exec(QStringLiteral("PRAGMA quick_check")) && q.next())
        check = q.value(0).toString();
    else
        check = q.lastError().text();
    q.finish();
    q = QSqlQuery();
    db = QSqlDatabase(); // no handle may outlive close()
    if (check != QLatin1String("ok")) {
        close();
        // quick_check lists every damaged page; the first finding says enough.
        QString reason;
        for (const QString &line : check.split(u'\n', Qt::SkipEmptyParts)) {
            if (!line.startsWith(QLatin1String("***"))) {
                reason = line.left(160);
                break;
            }
        }
        const QString aside = path + QStringLiteral(".corrupt-")
                              + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        if (QFile::rename(path, aside)) {
            for (const char *suffix : {"-wal", "-shm", "-journal"})
                QFile::rename(path + QLatin1String(suffix), aside + QLatin1String(suffix));
            m_movedAside = aside;
            m_notice = Tr::tr("The job history could not be read (%1). It was moved to %2 and a new one was started.")
                           .arg(reason, aside);
        } else {
            m_notice = Tr::tr("The job history %1 could not be read (%2) nor moved aside; this session's jobs are kept in memory only.")
                           .arg(path, reason);
        }
        qCWarning(lcJobs).noquote() << m_notice;
        return false;
    }
    {
        QSqlQuery pragma(database());
        pragma.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
        pragma.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
        pragma.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
        pragma.exec(QStringLiteral("PRAGMA busy_timeout = 2000"));
    }
    const int current = schemaVersion();
    if (current > kSchemaVersion) {
        close();
        m_notice = Tr::tr("The job history %1 was written by a newer Framecast (schema %2); it is left untouched and this "
                          "session's jobs are kept in memory only.")
                       .arg(path)
                       .arg(current);
        return false;
    }
    QString error;
    if (!migrate(version, &error)) {
        close();
        m_notice = Tr::tr("The job history %1 could not be updated: %2").arg(path, error);
        return false;
    }
    m_open = true;
    return true;
}

QSqlDatabase Ledger::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

int Ledger::schemaVersion() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
        return q.value(0).toInt();
    return -1;
}

bool Ledger::migrate(int target, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    for (int version = schemaVersion(); version < target; ++version) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        if (!execAll(db, QString::fromLatin1(kMigrations[version]), error)
            || !execAll(db, QStringLiteral("PRAGMA user_version = %1").arg(version + 1), error)) {
            db.rollback();
            return false;
        }
        if (!db.commit()) {
            *error = db.lastError().text();
            return false;
        }
        qCDebug(lcJobs) << "ledger schema now at version" << version + 1;
    }
    return true;
}

void Ledger::reportWriteError(const QString &what, const QString &error)
{
    qCWarning(lcJobs).noquote() << "ledger:" << what << error;
    if (m_writeErrorReported)
        return;
    m_writeErrorReported = true;
    m_notice = Tr::tr("The job history could not be saved (%1). Jobs go on; free some disk space to keep their history.")
                   .arg(error);
    Q_EMIT writeFailed(m_notice);
}

namespace {

const QString kColumns = QStringLiteral(
    "profile, base_url, username, server_id, prompt, params, thumbnail, status, error_code, error_message,"
    " error_retryable, created_at, updated_at, finished_at, step, total_steps, percent, step_timings, video_url,"
    " video_path, video_bytes");

/// `withThumbnail` false binds NULL there (updates keep the stored one
/// instead of rewriting the image on every progress event).
void bindEntry(QSqlQuery &q, const LedgerEntry &e, bool withThumbnail = true)
{
    const JobParams &p = e.params;
    QJsonObject params{{QStringLiteral("model"), p.model},
                       {QStringLiteral("duration"), p.durationSeconds},
                       {QStringLiteral("size"), QStringLiteral("%1x%2").arg(p.size.width()).arg(p.size.height())},
                       {QStringLiteral("image"), p.imagePath}};
    if (!p.outputPath.isEmpty())
        params.insert(QStringLiteral("output"), p.outputPath);
    q.addBindValue(e.profile);
    q.addBindValue(e.baseUrl);
    q.addBindValue(e.username);
    q.addBindValue(e.serverId);
    q.addBindValue(p.prompt);
    q.addBindValue(QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact)));
    q.addBindValue(e.thumbnail.isEmpty() || !withThumbnail ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(e.thumbnail));
    q.addBindValue(Job::stateName(e.state));
    q.addBindValue(e.errorCode);
    q.addBindValue(e.errorMessage);
    q.addBindValue(e.errorRetryable ? 1 : 0);
    q.addBindValue(toMs(e.createdAt));
    q.addBindValue(toMs(e.updatedAt));
    q.addBindValue(toMs(e.finishedAt));
    q.addBindValue(e.step);
    q.addBindValue(e.totalSteps);
    q.addBindValue(e.percent);
    q.addBindValue(QString::fromUtf8(QJsonDocument(e.stepTimings).toJson(QJsonDocument::Compact)));
    q.addBindValue(e.videoUrl);
    q.addBindValue(e.videoPath);
    q.addBindValue(e.videoBytes);
}

LedgerEntry readEntry(const QSqlQuery &q)
{
    LedgerEntry e;
    e.rowId = q.value(0).toLongLong();
    e.profile = q.value(1).toString();
    e.baseUrl = q.value(2).toString();
    e.username = q.value(3).toString();
    e.serverId = q.value(4).toString();
    JobParams &p = e.params;
    p.prompt = q.value(5).toString();
    // The parameters column is JSON, so that a new parameter needs no
    // migration: a row written before it existed reads as the default.
    const QJsonObject params = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
    p.model = params.value(QStringLiteral("model")).toString(p.model);
    p.durationSeconds = params.value(QStringLiteral("duration")).toInt(p.durationSeconds);
    const QStringList size = params.value(QStringLiteral("size")).toString().split(u'x');
    if (size.size() == 2)
        p.size = QSize(size.at(0).toInt(), size.at(1).toInt());
    p.imagePath = params.value(QStringLiteral("image")).toString();
    p.outputPath = params.value(QStringLiteral("output")).toString();
    e.thumbnail = q.value(7).toByteArray();
    e.state = stateFromName(q.value(8).toString());
    e.errorCode = q.value(9).toString();
    e.errorMessage = q.value(10).toString();
    e.errorRetryable = q.value(11).toInt() != 0;
    e.createdAt = fromMs(q.value(12));
    e.updatedAt = fromMs(q.value(13));
    e.finishedAt = fromMs(q.value(14));
    e.step = q.value(15).toInt();
    e.totalSteps = q.value(16).toInt();
    e.percent = q.value(17).toDouble();
    e.stepTimings = QJsonDocument::fromJson(q.value(18).toString().toUtf8()).array();
    e.videoUrl = q.value(19).toString();
    e.videoPath = q.value(20).toString();
    e.videoBytes = q.value(21).toLongLong();
    return e;
}

} // namespace

qint64 Ledger::add(const LedgerEntry &entry)
{
    if (!m_open)
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO jobs (%1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)").arg(kColumns));
    bindEntry(q, entry);
    if (!q.exec()) {
        db.rollback();
        reportWriteError(QStringLiteral("add"), q.lastError().text());
        return 0;
    }
    const qint64 rowId = q.lastInsertId().toLongLong();
    if (!writeLog(rowId, entry.log) || !db.commit()) {
        db.rollback();
        reportWriteError(QStringLiteral("add"), db.lastError().text());
        return 0;
    }
    Q_EMIT changed(rowId);
    return rowId;
}

bool Ledger::update(const LedgerEntry &entry)
{
    if (!m_open || entry.rowId <= 0)
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    QString sets = kColumns;
    sets.replace(QStringLiteral(","), QStringLiteral(" = ?,"));
    sets.replace(QStringLiteral("thumbnail = ?"), QStringLiteral("thumbnail = COALESCE(?, thumbnail)"));
    q.prepare(QStringLiteral("UPDATE jobs SET %1 = ? WHERE id = ?").arg(sets));
    bindEntry(q, entry, false);
    q.addBindValue(entry.rowId);
    if (!q.exec() || !writeLog(entry.rowId, entry.log) || !db.commit()) {
        const QString error = q.lastError().isValid() ? q.lastError().text() : db.lastError().text();
        db.rollback();
        reportWriteError(QStringLiteral("update"), error);
        return false;
    }
    Q_EMIT changed(entry.rowId);
    return true;
}

bool Ledger::writeLog(qint64 rowId, const QList<Job::LogEntry> &log)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery count(db);
    count.prepare(QStringLiteral("SELECT COUNT(*) FROM job_log WHERE job_id = ?"));
    count.addBindValue(rowId);
    if (!count.exec() || !count.next())
        return false;
    qsizetype from = count.value(0).toLongLong();
    count.finish();
    // Logs grow at the end: only the new lines are written. A late step
    // inserted in the middle (or a different log) rewrites the job's lines.
    if (from > 0) {
        QSqlQuery last(db);
        last.prepare(QStringLiteral("SELECT step, message FROM job_log WHERE job_id = ? AND seq = ?"));
        last.addBindValue(rowId);
        last.addBindValue(from - 1);
        const bool prefix = from <= log.size() && last.exec() && last.next()
                            && last.value(0).toInt() == log.at(from - 1).step
                            && last.value(1).toString() == log.at(from - 1).message;
        last.finish();
        if (!prefix) {
            QSqlQuery del(db);
            del.prepare(QStringLiteral("DELETE FROM job_log WHERE job_id = ?"));
            del.addBindValue(rowId);
            if (!del.exec())
                return false;
            from = 0;
        }
    }
    QSqlQuery ins(db);
    ins.prepare(QStringLiteral("INSERT INTO job_log (job_id, seq, step, stage, at, message) VALUES (?,?,?,?,?,?)"));
    for (qsizetype i = from; i < log.size(); ++i) {
        const Job::LogEntry &l = log.at(i);
        ins.addBindValue(rowId);
        ins.addBindValue(i);
        ins.addBindValue(l.step);
        ins.addBindValue(l.stage);
        ins.addBindValue(toMs(l.time));
        ins.addBindValue(l.message);
        if (!ins.exec())
            return false;
    }
    return true;
}

QList<Job::LogEntry> Ledger::readLog(qint64 rowId) const
{
    QList<Job::LogEntry> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT step, stage, at, message FROM job_log WHERE job_id = ? ORDER BY seq"));
    q.addBindValue(rowId);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(Job::LogEntry{q.value(0).toInt(), q.value(1).toString(), fromMs(q.value(2)), q.value(3).toString()});
    return out;
}

bool Ledger::remove(qint64 rowId)
{
    if (!m_open)
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM job_log WHERE job_id = ?"));
    q.addBindValue(rowId);
    QSqlQuery j(db);
    j.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
    j.addBindValue(rowId);
    if (!q.exec() || !j.exec() || !db.commit()) {
        db.rollback();
        reportWriteError(QStringLiteral("remove"), db.lastError().text());
        return false;
    }
    Q_EMIT changed(rowId);
    return true;
}

std::optional<LedgerEntry> Ledger::entry(qint64 rowId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, %1 FROM jobs WHERE id = ?").arg(kColumns));
    q.addBindValue(rowId);
    if (!m_open || !q.exec() || !q.next())
        return std::nullopt;
    LedgerEntry e = readEntry(q);
    e.log = readLog(e.rowId);
    return e;
}

std::optional<LedgerEntry> Ledger::findByServerId(const QString &baseUrl, const QString &serverId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id FROM jobs WHERE base_url = ? AND server_id = ? ORDER BY id DESC LIMIT 1"));
    q.addBindValue(baseUrl);
    q.addBindValue(serverId);
    if (!m_open || !q.exec() || !q.next())
        return std::nullopt;
    return entry(q.value(0).toLongLong());
}

QList<LedgerEntry> Ledger::entries(const QString &search) const
{
    QList<LedgerEntry> out;
    if (!m_open)
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    QString like = search.trimmed();
    like.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
    q.prepare(QStringLiteral("SELECT id, %1 FROM jobs WHERE prompt LIKE ? ESCAPE '\\' ORDER BY created_at DESC, id DESC")
                  .arg(kColumns));
    q.addBindValue(QString(QStringLiteral("%") + like + QStringLiteral("%")));
    if (!q.exec())
        return out;
    while (q.next())
        out.append(readEntry(q));
    return out;
}

QList<LedgerEntry> Ledger::pending(const QString &baseUrl, const QString &username) const
{
    QList<LedgerEntry> out;
    if (!m_open)
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, %1 FROM jobs WHERE base_url = ? AND username = ? AND server_id <> ''"
                             " AND (status IN ('submitting', 'queued', 'running')"
                             "      OR (status = 'completed' AND COALESCE(video_path, '') = ''))"
                             " ORDER BY created_at, id")
                  .arg(kColumns));
    q.addBindValue(baseUrl);
    q.addBindValue(username);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(readEntry(q));
    for (LedgerEntry &e : out)
        e.log = readLog(e.rowId);
    return out;
}

void Ledger::capture(const Job &job, LedgerEntry *e)
{
    e->serverId = job.id();
    e->state = job.state();
    e->step = job.step();
    e->totalSteps = job.totalSteps();
    e->percent = job.percent();
    e->updatedAt = QDateTime::currentDateTimeUtc();
    if (job.finishedAt().isValid())
        e->finishedAt = job.finishedAt();
    if (const auto error = job.error()) {
        e->errorCode = error->code;
        e->errorMessage = error->message;
        e->errorRetryable = error->retryable;
    }
    if (!job.videoUrl().isEmpty())
        e->videoUrl = job.videoUrl();
    QJsonArray timings;
    for (const Job::StepTiming &t : job.stepTimings())
        timings.append(QJsonObject{{QStringLiteral("step"), t.step},
                                   {QStringLiteral("label"), t.label},
                                   {QStringLiteral("ms"), double(t.durationMs)}});
    e->stepTimings = timings;
    e->log = job.log();
}

Job::Snapshot Ledger::snapshot(const LedgerEntry &e)
{
    Job::Snapshot s;
    s.state = e.state;
    s.step = e.step;
    s.totalSteps = e.totalSteps;
    s.percent = e.percent;
    s.log = e.log;
    for (const QJsonValue &v : e.stepTimings) {
        const QJsonObject o = v.toObject();
        Job::StepTiming t;
        t.step = o.value(QStringLiteral("step")).toInt(-1);
        t.label = o.value(QStringLiteral("label")).toString();
        t.durationMs = qint64(o.value(QStringLiteral("ms")).toDouble(-1));
        s.timings.append(t);
    }
    s.createdAt = e.createdAt;
    s.finishedAt = e.finishedAt;
    s.videoUrl = e.videoUrl;
    if (!e.errorMessage.isEmpty() || !e.errorCode.isEmpty())
        s.error = ProgressError{e.errorCode, e.errorMessage, e.errorRetryable};
    return s;
}

} // namespace framecast
