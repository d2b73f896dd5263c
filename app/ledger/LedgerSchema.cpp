// SPDX-License-Identifier: GPL-3.0-or-later
#include "ledger/Ledger.h"
#include "ledger/LedgerMapping.h"

#include "core/Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>
#include <QVariant>

namespace framecast {

using ledger::Tr;

namespace {

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
    const QString fromEnvironment = qEnvironmentVariable(kPathEnvironmentVariable);
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
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
        pragma.exec(QStringLiteral("PRAGMA cache_size = -%1").arg(kPageCacheKiB)); // negative: KiB, not pages
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

} // namespace framecast
