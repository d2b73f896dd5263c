// SPDX-License-Identifier: GPL-3.0-or-later
#include "ledger/LedgerMapping.h"

#include <QJsonDocument>
#include <QTimeZone>
#include <QVariant>

#include <algorithm>

namespace framecast {

namespace ledger {

qint64 toMs(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

QDateTime fromMs(const QVariant &v)
{
    const qint64 ms = v.toLongLong();
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()) : QDateTime();
}

namespace {

Job::State stateFromName(const QString &name)
{
    for (Job::State s : {Job::State::Submitting, Job::State::Queued, Job::State::Running, Job::State::Completed,
                         Job::State::Failed, Job::State::Cancelled, Job::State::Lost}) {
        if (Job::stateName(s) == name)
            return s;
    }
    return Job::State::Lost; // an unknown status is never shown as done
}

} // namespace

QString columns()
{
    return QStringLiteral(
        "profile, base_url, username, server_id, prompt, params, thumbnail, status, error_code, error_message,"
        " error_retryable, created_at, updated_at, finished_at, step, total_steps, percent, step_timings, video_url,"
        " video_path, video_bytes");
}

void bindEntry(QSqlQuery &q, const LedgerEntry &e, bool withThumbnail)
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

} // namespace ledger

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
}

QList<Job::LogEntry> Ledger::inStepOrder(QList<Job::LogEntry> log)
{
    QList<std::pair<int, Job::LogEntry>> keyed;
    keyed.reserve(log.size());
    int highest = -1;
    for (Job::LogEntry &l : log) {
        const int key = l.step >= 0 ? l.step : highest;
        highest = std::max(highest, l.step);
        keyed.append({key, std::move(l)});
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    log.clear();
    for (auto &k : keyed)
        log.append(std::move(k.second));
    return log;
}

Job::Snapshot Ledger::snapshot(const LedgerEntry &e)
{
    Job::Snapshot s;
    s.state = e.state;
    s.step = e.step;
    s.totalSteps = e.totalSteps;
    s.percent = e.percent;
    s.log = inStepOrder(e.log);
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
