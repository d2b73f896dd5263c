// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoWire.h"

#include <QDateTime>
#include <QJsonArray>
#include <QFileInfo>
#include <QJsonDocument>

#include <cmath>

namespace framecast::demo::wire {

namespace {

QString isoNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

QJsonValue etaValue(const JobRecord &r)
{
    return r.etaSeconds ? QJsonValue(*r.etaSeconds) : QJsonValue();
}

int rounded(double v)
{
    return int(std::lround(v));
}

} // namespace

QByteArray sseEvent(const QJsonObject &data, const QByteArray &type, qint64 id)
{
    QByteArray out;
    if (id > 0)
        out += "id: " + QByteArray::number(id) + '\n';
    if (!type.isEmpty())
        out += "event: " + type + '\n';
    out += "data: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
    return out;
}

QByteArray videosSse(const DemoJob &job, const JobRecord &r)
{
    QJsonObject o;
    switch (r.kind) {
    case JobRecord::Kind::Token:
        return {};
    case JobRecord::Kind::Step:
    case JobRecord::Kind::Progress:
        o = {{QStringLiteral("step"), r.step}, {QStringLiteral("message"), r.message},
             {QStringLiteral("progress"), rounded(r.percent)}, {QStringLiteral("total_steps"), 8}};
        break;
    case JobRecord::Kind::Completed:
        o = {{QStringLiteral("step"), 9}, {QStringLiteral("message"), r.message},
             {QStringLiteral("video_url"), job.videoUrl()}, {QStringLiteral("status"), QStringLiteral("completed")},
             {QStringLiteral("progress"), 100}};
        break;
    case JobRecord::Kind::Failed:
        o = {{QStringLiteral("step"), r.step}, {QStringLiteral("message"), r.message},
             {QStringLiteral("status"), QStringLiteral("failed")}, {QStringLiteral("error"), r.errorMessage},
             {QStringLiteral("error_code"), r.errorCode}, {QStringLiteral("retryable"), r.retryable}};
        break;
    case JobRecord::Kind::Cancelled:
        o = {{QStringLiteral("step"), r.step}, {QStringLiteral("message"), r.message},
             {QStringLiteral("status"), QStringLiteral("cancelled")}};
        break;
    }
    return sseEvent(o, {}, r.seq);
}

QByteArray tasksSse(const DemoJob &job, const JobRecord &r)
{
    QJsonObject o{{QStringLiteral("task_id"), job.id()}, {QStringLiteral("updated_at"), isoNow()}};
    switch (r.kind) {
    case JobRecord::Kind::Token:
        return {};
    case JobRecord::Kind::Step:
    case JobRecord::Kind::Progress:
        o.insert(QStringLiteral("state"), QStringLiteral("PROCESSING"));
        o.insert(QStringLiteral("progress"), rounded(r.percent));
        o.insert(QStringLiteral("estimated_time"), etaValue(r));
        return sseEvent(o, "progress", r.seq);
    case JobRecord::Kind::Completed:
        o.insert(QStringLiteral("state"), QStringLiteral("COMPLETED"));
        o.insert(QStringLiteral("progress"), 100);
        o.insert(QStringLiteral("video_url"), job.videoUrl());
        return sseEvent(o, "complete", r.seq);
    case JobRecord::Kind::Failed:
        o.insert(QStringLiteral("state"), QStringLiteral("FAILED"));
        o.insert(QStringLiteral("error"), r.errorMessage);
        return sseEvent(o, "error", r.seq);
    case JobRecord::Kind::Cancelled:
        o.insert(QStringLiteral("state"), QStringLiteral("CANCELLED"));
        o.insert(QStringLiteral("error"), r.errorMessage);
        return sseEvent(o, "error", r.seq);
    }
    return {};
}

StagesWriter::StagesWriter(QString projectId, QString onlyStage)
    : m_projectId(std::move(projectId))
    , m_onlyStage(std::move(onlyStage))
{
}

QByteArray StagesWriter::connected(const QString &currentStage)
{
    const QString stage = m_onlyStage.isEmpty() ? currentStage : m_onlyStage;
    return sseEvent({{QStringLiteral("type"), QStringLiteral("connected")},
                     {QStringLiteral("project_id"), m_projectId},
                     {QStringLiteral("stage"), stage},
                     {QStringLiteral("message"), QStringLiteral("Connected to project %1").arg(m_projectId)}});
}

QByteArray StagesWriter::write(const DemoJob &job, const JobRecord &r)
{
    if (m_finished)
        return {};
    const auto wanted = [this](const QString &stage) { return m_onlyStage.isEmpty() || m_onlyStage == stage; };
    QList<QJsonObject> events;
    auto add = [&](const QJsonObject &o) { events.append(o); };
    auto stageDone = [&](const QString &stage) {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("done")}, {QStringLiteral("stage"), stage}};
        if (stage == QLatin1String("rewrite")) {
            o.insert(QStringLiteral("result"), job.rewrittenPrompt());
            o.insert(QStringLiteral("full_text"), job.rewrittenPrompt());
        } else {
            o.insert(QStringLiteral("result"), QStringLiteral("%1 finished").arg(stage));
        }
        add(o);
        if (m_onlyStage == stage)
            m_finished = true;
    };
    auto end = [&] {
        add({{QStringLiteral("type"), QStringLiteral("stream_end")},
             {QStringLiteral("project_id"), m_projectId},
             {QStringLiteral("message"), QStringLiteral("Stream finished")}});
        m_finished = true;
    };

    switch (r.kind) {
    case JobRecord::Kind::Token:
        if (wanted(QStringLiteral("rewrite")))
            add({{QStringLiteral("type"), QStringLiteral("token")},
                 {QStringLiteral("content"), r.token},
                 {QStringLiteral("full_text"), r.fullText}});
        break;
    case JobRecord::Kind::Step:
        if (r.stage != m_stage) {
            if (!m_stage.isEmpty() && wanted(m_stage))
                stageDone(m_stage);
            m_stage = r.stage;
            if (wanted(r.stage) && !m_finished)
                add({{QStringLiteral("type"), QStringLiteral("stage_update")},
                     {QStringLiteral("stage"), r.stage},
                     {QStringLiteral("status"), QStringLiteral("processing")},
                     {QStringLiteral("progress"), 0}});
        } else if (wanted(r.stage)) {
            add({{QStringLiteral("type"), QStringLiteral("progress")},
                 {QStringLiteral("progress"), rounded(r.percent)},
                 {QStringLiteral("message"), r.message}});
        }
        break;
    case JobRecord::Kind::Progress:
        if (wanted(r.stage))
            add({{QStringLiteral("type"), QStringLiteral("progress")},
                 {QStringLiteral("progress"), rounded(r.stagePercent)},
                 {QStringLiteral("message"), r.message}});
        break;
    case JobRecord::Kind::Completed:
        if (wanted(QStringLiteral("video_generation")))
            add({{QStringLiteral("type"), QStringLiteral("done")},
                 {QStringLiteral("stage"), QStringLiteral("video_generation")},
                 {QStringLiteral("result"), QJsonObject{{QStringLiteral("video_url"), job.videoUrl()}}},
                 {QStringLiteral("full_text"), job.rewrittenPrompt()}});
        end();
        break;
    case JobRecord::Kind::Failed:
        add({{QStringLiteral("type"), QStringLiteral("error")},
             {QStringLiteral("error"), r.errorMessage},
             {QStringLiteral("project_id"), m_projectId}});
        end();
        break;
    case JobRecord::Kind::Cancelled:
        add({{QStringLiteral("type"), QStringLiteral("stage_update")},
             {QStringLiteral("stage"), r.stage},
             {QStringLiteral("status"), QStringLiteral("cancelled")},
             {QStringLiteral("progress"), rounded(r.stagePercent)}});
        end();
        break;
    }
    // The last event of a record carries its id, for Last-Event-ID.
    QByteArray out;
    for (qsizetype i = 0; i < events.size(); ++i)
        out += sseEvent(events.at(i), {}, i == events.size() - 1 ? r.seq : 0);
    return out;
}

QJsonObject envelope(const QString &type, const QJsonObject &payload, const QString &requestId)
{
    QJsonObject o{{QStringLiteral("type"), type},
                  {QStringLiteral("timestamp"), QDateTime::currentMSecsSinceEpoch()},
                  {QStringLiteral("payload"), payload}};
    if (!requestId.isEmpty())
        o.insert(QStringLiteral("id"), requestId);
    return o;
}

QJsonObject webSocketMessage(const DemoJob &job, const JobRecord &r)
{
    switch (r.kind) {
    case JobRecord::Kind::Token:
        return {};
    case JobRecord::Kind::Step:
    case JobRecord::Kind::Progress:
        return envelope(QStringLiteral("taskProgress"),
                        {{QStringLiteral("videoId"), job.id()},
                         {QStringLiteral("status"), QStringLiteral("processing")},
                         {QStringLiteral("progress"), rounded(r.percent)},
                         {QStringLiteral("currentStep"), job.config().wsStepNames ? QJsonValue(DemoJob::stepName(r.step))
                                                                                  : QJsonValue(r.step)},
                         {QStringLiteral("totalSteps"), 8},
                         {QStringLiteral("message"), r.message},
                         {QStringLiteral("estimatedTimeRemaining"), etaValue(r)}});
    case JobRecord::Kind::Completed: {
        const qint64 total = job.records().first().time.secsTo(r.time);
        const QSize size = job.params().size;
        return envelope(QStringLiteral("taskCompleted"),
                        {{QStringLiteral("videoId"), job.id()},
                         {QStringLiteral("status"), QStringLiteral("completed")},
                         {QStringLiteral("progress"), 100},
                         {QStringLiteral("result"),
                          QJsonObject{{QStringLiteral("videoUrl"), job.videoUrl()},
                                      {QStringLiteral("thumbnailUrl"), QJsonValue()},
                                      {QStringLiteral("duration"), job.params().durationSeconds},
                                      {QStringLiteral("fileSize"), QFileInfo(job.videoPath()).size()},
                                      {QStringLiteral("resolution"),
                                       QStringLiteral("%1x%2").arg(size.width()).arg(size.height())}}},
                         {QStringLiteral("metrics"),
                          QJsonObject{{QStringLiteral("totalTime"), total},
                                      {QStringLiteral("queueTime"), 0},
                                      {QStringLiteral("processTime"), total}}}});
    }
    case JobRecord::Kind::Failed:
    case JobRecord::Kind::Cancelled:
        return envelope(QStringLiteral("taskFailed"),
                        {{QStringLiteral("videoId"), job.id()},
                         {QStringLiteral("status"), QStringLiteral("failed")},
                         {QStringLiteral("error"),
                          QJsonObject{{QStringLiteral("code"), r.errorCode},
                                      {QStringLiteral("message"), r.errorMessage},
                                      {QStringLiteral("details"), QString()},
                                      {QStringLiteral("retryable"), r.retryable}}}});
    }
    return {};
}

QByteArray detail(const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("detail"), message}}).toJson(QJsonDocument::Compact);
}

QByteArray validationDetail(const QString &field, const QString &message, const QString &type)
{
    const QJsonArray items{QJsonObject{{QStringLiteral("loc"), QJsonArray{QStringLiteral("body"), field}},
                                       {QStringLiteral("msg"), message},
                                       {QStringLiteral("type"), type}}};
    return QJsonDocument(QJsonObject{{QStringLiteral("detail"), items}}).toJson(QJsonDocument::Compact);
}

} // namespace framecast::demo::wire
