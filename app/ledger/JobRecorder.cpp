// SPDX-License-Identifier: GPL-3.0-or-later
#include "ledger/JobRecorder.h"

#include <QBuffer>
#include <QImage>

namespace framecast {

JobRecorder::JobRecorder(Ledger *ledger, Job *job, LedgerEntry entry, QObject *parent)
    : QObject(parent)
    , m_ledger(ledger)
    , m_job(job)
    , m_entry(std::move(entry))
{
    m_save.setSingleShot(true);
    // Coalesces a burst of events (streamed text, replays) into one write; a
    // final state is written at once. A kill loses at most this much, which
    // the server replays on the next launch.
    m_save.setInterval(50);
    connect(&m_save, &QTimer::timeout, this, &JobRecorder::flush);
    if (!m_entry.createdAt.isValid())
        m_entry.createdAt = job->createdAt().toUTC();
    Ledger::capture(*job, &m_entry);
    if (m_ledger) {
        if (m_entry.rowId > 0) {
            m_ledger->update(m_entry); // its log is stored (the job was restored from it)
        } else {
            m_entry.log = job->log(); // what the job showed before it was recorded
            m_entry.rowId = m_ledger->add(m_entry);
        }
    }
    // From here on the log reaches the ledger line by line, as the job emits
    // it: the job may keep only its newest lines, the ledger keeps them all.
    m_entry.log.clear();
    connect(job, &Job::changed, this, &JobRecorder::schedule);
    connect(job, &Job::stateChanged, this, &JobRecorder::schedule);
    connect(job, &Job::logAppended, this, &JobRecorder::collect);
    // A late step is stored after the others; the ledger reads it back in its
    // step's place (Ledger::inStepOrder).
    connect(job, &Job::logInserted, this, [this](int, const Job::LogEntry &line) { collect(line); });
    // A final state is written at once.
    connect(job, &Job::finished, this, &JobRecorder::flush);
    connect(job, &QObject::destroyed, this, [this] {
        m_save.stop();
        m_job = nullptr;
    });
}

JobRecorder::~JobRecorder()
{
    if (m_save.isActive())
        flush();
}

void JobRecorder::schedule()
{
    if (!m_save.isActive())
        m_save.start();
}

void JobRecorder::collect(const Job::LogEntry &line)
{
    if (m_ledger && m_entry.rowId > 0)
        m_unwritten.append(line);
    schedule();
}

void JobRecorder::flush()
{
    m_save.stop();
    if (!m_ledger || m_entry.rowId <= 0)
        return;
    if (m_job)
        Ledger::capture(*m_job, &m_entry);
    // Lines a failed write did not store are tried again with the next one.
    if (m_ledger->update(m_entry, m_unwritten))
        m_unwritten.clear();
}

void JobRecorder::setVideo(const QString &path, qint64 bytes)
{
    m_entry.videoPath = path;
    m_entry.videoBytes = bytes;
    flush();
}

QByteArray JobRecorder::thumbnailOf(const QByteArray &imageData)
{
    QImage image;
    if (!image.loadFromData(imageData))
        return {};
    if (image.width() > 160 || image.height() > 160)
        image = image.scaled(160, 160, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

} // namespace framecast
