// SPDX-License-Identifier: GPL-3.0-or-later
#include "ledger/Ledger.h"
#include "ledger/LedgerMapping.h"

#include "core/Logging.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace framecast {

using ledger::bindEntry;
using ledger::fromMs;
using ledger::readEntry;
using ledger::toMs;
using ledger::Tr;

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

qint64 Ledger::add(const LedgerEntry &entry)
{
    if (!m_open)
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO jobs (%1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)").arg(ledger::columns()));
    bindEntry(q, entry);
    if (!q.exec()) {
        db.rollback();
        reportWriteError(QStringLiteral("add"), q.lastError().text());
        return 0;
    }
    const qint64 rowId = q.lastInsertId().toLongLong();
    if (!appendLog(rowId, entry.log) || !db.commit()) {
        db.rollback();
        reportWriteError(QStringLiteral("add"), db.lastError().text());
        return 0;
    }
    Q_EMIT added(rowId);
    Q_EMIT changed(rowId);
    return rowId;
}

bool Ledger::update(const LedgerEntry &entry, const QList<Job::LogEntry> &newLines)
{
    if (!m_open || entry.rowId <= 0)
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    QString sets = ledger::columns();
    sets.replace(QStringLiteral(","), QStringLiteral(" = ?,"));
    sets.replace(QStringLiteral("thumbnail = ?"), QStringLiteral("thumbnail = COALESCE(?, thumbnail)"));
    q.prepare(QStringLiteral("UPDATE jobs SET %1 = ? WHERE id = ?").arg(sets));
    bindEntry(q, entry, false);
    q.addBindValue(entry.rowId);
    if (!q.exec() || !appendLog(entry.rowId, newLines) || !db.commit()) {
        const QString error = q.lastError().isValid() ? q.lastError().text() : db.lastError().text();
        db.rollback();
        reportWriteError(QStringLiteral("update"), error);
        return false;
    }
    Q_EMIT updated(entry.rowId);
    Q_EMIT changed(entry.rowId);
    return true;
}

bool Ledger::appendLog(qint64 rowId, const QList<Job::LogEntry> &lines)
{
    if (lines.isEmpty())
        return true;
    // Lines already stored are never rewritten: each new one takes the next
    // seq, a late step too (readLog() puts it in its step's place).
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery next(db);
    next.prepare(QStringLiteral("SELECT COALESCE(MAX(seq) + 1, 0) FROM job_log WHERE job_id = ?"));
    next.addBindValue(rowId);
    if (!next.exec() || !next.next())
        return false;
    qint64 seq = next.value(0).toLongLong();
    next.finish();
    QSqlQuery ins(db);
    ins.prepare(QStringLiteral("INSERT INTO job_log (job_id, seq, step, stage, at, message) VALUES (?,?,?,?,?,?)"));
    for (const Job::LogEntry &l : lines) {
        ins.addBindValue(rowId);
        ins.addBindValue(seq++);
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
    return inStepOrder(std::move(out));
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
    Q_EMIT removed(rowId);
    Q_EMIT changed(rowId);
    return true;
}

std::optional<LedgerEntry> Ledger::entry(qint64 rowId) const
{
    std::optional<LedgerEntry> e = summary(rowId);
    if (e)
        e->log = readLog(e->rowId);
    return e;
}

std::optional<LedgerEntry> Ledger::summary(qint64 rowId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, %1 FROM jobs WHERE id = ?").arg(ledger::columns()));
    q.addBindValue(rowId);
    if (!m_open || !q.exec() || !q.next())
        return std::nullopt;
    return readEntry(q);
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
                  .arg(ledger::columns()));
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
                  .arg(ledger::columns()));
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

} // namespace framecast
