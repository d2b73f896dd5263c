// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/ProgressDecoder.h"

#include "core/Logging.h"
#include "progress/EventChecks.h"
#include "progress/JsonFields.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cmath>

namespace framecast {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ProgressDecoder)
};

/// Parses `data` as a JSON object; on failure adds a warning and returns false.
bool parseObject(const sse::SseEvent &event, QJsonObject *out, QStringList *warnings)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &error);
    if (error.error != QJsonParseError::NoError) {
        QString excerpt = event.dataText().left(80);
        warnings->append(Tr::tr("ignored a message that is not valid JSON (%1): %2").arg(error.errorString(), excerpt));
        return false;
    }
    if (!doc.isObject()) {
        warnings->append(Tr::tr("ignored a message that is not a JSON object: %1").arg(event.dataText().left(80)));
        return false;
    }
    *out = doc.object();
    return true;
}

/// `error` may be a string or an object {code, message, details, retryable}.
std::optional<ProgressError> readError(const json::FieldReader &fields, const QString &key)
{
    const QJsonValue v = fields.raw().value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    ProgressError error;
    if (v.isObject()) {
        const json::FieldReader e(v.toObject(), nullptr);
        error.code = e.string(QStringLiteral("code"));
        error.message = e.string(QStringLiteral("message"));
        const QString details = e.string(QStringLiteral("details"));
        if (!details.isEmpty())
            error.message = error.message.isEmpty() ? details : error.message + QStringLiteral(": ") + details;
        error.retryable = e.boolean(QStringLiteral("retryable")).value_or(false);
    } else {
        error.message = fields.string(key);
    }
    if (error.message.isEmpty() && error.code.isEmpty())
        return std::nullopt;
    return error;
}

bool namesOtherJob(const QString &expected, const QString &got, QStringList *warnings)
{
    if (got.isEmpty() || expected.isEmpty() || got == expected)
        return false;
    warnings->append(Tr::tr("ignored a message for job %1 on the stream of job %2").arg(got, expected));
    return true;
}

// --- videos-sse ------------------------------------------------------------

class VideosSseDecoder final : public ProgressDecoder
{
public:
    explicit VideosSseDecoder(QString jobId)
        : m_jobId(std::move(jobId))
    {
    }

    DecodeResult decode(const sse::SseEvent &sse) override { return checkedEvent(decodeEvent(sse)); }

private:
    DecodeResult decodeEvent(const sse::SseEvent &sse)
    {
        DecodeResult result;
        QJsonObject object;
        if (!parseObject(sse, &object, &result.warnings))
            return result;
        const json::FieldReader f(object, &result.warnings);
        const QString otherId = f.string(QStringLiteral("video_id"));
        if (namesOtherJob(m_jobId, otherId, &result.warnings))
            return result;

        ProgressEvent e;
        e.jobId = m_jobId;
        e.step = f.integer(QStringLiteral("step"));
        e.totalSteps = f.integer(QStringLiteral("total_steps"));
        if (!e.totalSteps)
            e.totalSteps = 8; // PROTOCOL §4.1 default
        e.message = f.string(QStringLiteral("message"));
        e.percent = f.number(QStringLiteral("progress"));
        e.etaSeconds = f.number(QStringLiteral("eta"));
        if (!e.etaSeconds)
            e.etaSeconds = f.number(QStringLiteral("estimated_time"));
        e.videoUrl = f.string(QStringLiteral("video_url"));
        e.error = readError(f, QStringLiteral("error"));

        const QString statusWord = f.string(QStringLiteral("status"));
        e.status = parseJobStatus(statusWord);
        if (e.status == JobStatus::Unknown && !statusWord.isEmpty())
            result.warnings.append(Tr::tr("unknown status \"%1\"").arg(statusWord));
        if (sse.type == "error" && e.status == JobStatus::Unknown)
            e.status = JobStatus::Failed;
        if (e.status == JobStatus::Unknown && (e.step || !e.message.isEmpty() || e.percent))
            e.status = JobStatus::Running;
        if (e.status == JobStatus::Failed && !e.error)
            e.error = ProgressError{QString(), e.message.isEmpty() ? Tr::tr("The job failed") : e.message, false};
        if (e.error) {
            // Not in the seed, but servers may say more about a failure.
            if (const auto retryable = f.boolean(QStringLiteral("retryable")))
                e.error->retryable = *retryable;
            if (const QString code = f.string(QStringLiteral("error_code")); !code.isEmpty())
                e.error->code = code;
        }
        if (e.status == JobStatus::Completed && !e.percent)
            e.percent = 100;
        if (e.status == JobStatus::Unknown && !e.step && e.message.isEmpty() && e.videoUrl.isEmpty() && !e.error)
            return result; // nothing this dialect knows about
        result.event = e;
        return result;
    }

private:
    QString m_jobId;
};

// --- tasks-sse -------------------------------------------------------------

class TasksSseDecoder final : public ProgressDecoder
{
public:
    explicit TasksSseDecoder(QString jobId)
        : m_jobId(std::move(jobId))
    {
    }

    DecodeResult decode(const sse::SseEvent &sse) override { return checkedEvent(decodeEvent(sse)); }

private:
    DecodeResult decodeEvent(const sse::SseEvent &sse)
    {
        DecodeResult result;
        const bool isProgress = sse.type == "progress" || sse.type == "message";
        const bool isComplete = sse.type == "complete";
        const bool isError = sse.type == "error";
        if (!isProgress && !isComplete && !isError) {
            qCDebug(lcProgress) << "tasks-sse: ignored event type" << sse.typeText();
            return result;
        }
        QJsonObject object;
        if (!parseObject(sse, &object, &result.warnings))
            return result;
        const json::FieldReader f(object, &result.warnings);
        if (namesOtherJob(m_jobId, f.string(QStringLiteral("task_id")), &result.warnings))
            return result;

        ProgressEvent e;
        e.jobId = m_jobId;
        const QString state = f.string(QStringLiteral("state"));
        e.status = parseJobStatus(state);
        if (e.status == JobStatus::Unknown && !state.isEmpty())
            result.warnings.append(Tr::tr("unknown state \"%1\"").arg(state));
        e.percent = f.number(QStringLiteral("progress"));
        e.etaSeconds = f.number(QStringLiteral("estimated_time"));
        e.videoUrl = f.string(QStringLiteral("video_url"));
        e.message = f.string(QStringLiteral("message"));
        e.error = readError(f, QStringLiteral("error"));

        if (isComplete) {
            if (e.status == JobStatus::Unknown || e.status == JobStatus::Running)
                e.status = JobStatus::Completed;
            if (!e.percent)
                e.percent = 100;
        } else if (isError) {
            if (e.status != JobStatus::Cancelled)
                e.status = JobStatus::Failed;
            if (!e.error)
                e.error = ProgressError{QString(), Tr::tr("The task failed"), false};
        } else if (e.status == JobStatus::Unknown) {
            e.status = JobStatus::Running;
        }

        // The dialect carries no messages: describe each change of state once.
        if (e.message.isEmpty() && e.status != m_lastStatus) {
            switch (e.status) {
            case JobStatus::Queued:
                e.message = Tr::tr("⏳ Queued");
                break;
            case JobStatus::Running:
                e.message = Tr::tr("⚙️ Processing");
                break;
            case JobStatus::Completed:
                e.message = Tr::tr("🎉 Video ready!");
                break;
            case JobStatus::Failed:
                e.message = Tr::tr("❌ %1").arg(e.error ? e.error->message : Tr::tr("Failed"));
                break;
            case JobStatus::Cancelled:
                e.message = Tr::tr("🛑 Cancelled");
                break;
            case JobStatus::Unknown:
                break;
            }
        }
        m_lastStatus = e.status;
        result.event = e;
        return result;
    }

private:
    QString m_jobId;
    JobStatus m_lastStatus = JobStatus::Unknown;
};

// --- stages-sse ------------------------------------------------------------

class StagesSseDecoder final : public ProgressDecoder
{
public:
    explicit StagesSseDecoder(QString jobId)
        : m_jobId(std::move(jobId))
        , m_stages(stagesSseStageNames())
    {
    }

    DecodeResult decode(const sse::SseEvent &sse) override { return checkedEvent(decodeEvent(sse)); }

private:
    DecodeResult decodeEvent(const sse::SseEvent &sse)
    {
        DecodeResult result;
        QJsonObject object;
        if (!parseObject(sse, &object, &result.warnings))
            return result;
        const json::FieldReader f(object, &result.warnings);
        if (namesOtherJob(m_jobId, f.string(QStringLiteral("project_id")), &result.warnings))
            return result;
        const QString type = f.string(QStringLiteral("type"));
        if (type.isEmpty()) {
            result.warnings.append(Tr::tr("ignored a stages-sse message without a type"));
            return result;
        }

        ProgressEvent e;
        e.jobId = m_jobId;
        const QString stage = f.string(QStringLiteral("stage"));
        if (!stage.isEmpty())
            m_stage = stage;
        e.stage = m_stage;
        const int index = int(m_stages.indexOf(m_stage));
        if (index >= 0) {
            e.step = index + 1;
            e.totalSteps = int(m_stages.size());
            e.stepName = m_stage;
        }
        // Stage progress is per stage; the job's percent spreads the five stages evenly.
        auto overall = [&](double stagePercent) -> std::optional<double> {
            if (index < 0)
                return stagePercent;
            return (index * 100.0 + qBound(0.0, stagePercent, 100.0)) / double(m_stages.size());
        };

        if (type == QLatin1String("connected")) {
            e.status = JobStatus::Running;
            e.message = f.string(QStringLiteral("message"));
        } else if (type == QLatin1String("token")) {
            e.textDelta = f.string(QStringLiteral("content"));
            if (f.has(QStringLiteral("full_text")))
                e.text = f.string(QStringLiteral("full_text"));
        } else if (type == QLatin1String("stage_update")) {
            const QString status = f.string(QStringLiteral("status"));
            const JobStatus stageStatus = parseJobStatus(status);
            if (const auto p = f.number(QStringLiteral("progress")))
                e.percent = overall(*p);
            if (stageStatus == JobStatus::Cancelled || stageStatus == JobStatus::Failed) {
                e.status = stageStatus;
                if (stageStatus == JobStatus::Failed)
                    e.error = readError(f, QStringLiteral("error"))
                                  .value_or(ProgressError{QString(), Tr::tr("Stage %1 failed").arg(m_stage), false});
                e.message = stageStatus == JobStatus::Cancelled ? Tr::tr("🛑 Cancelled") : Tr::tr("❌ %1").arg(e.error->message);
            } else {
                e.status = JobStatus::Running;
                if (stageStatus == JobStatus::Completed)
                    e.message = Tr::tr("%1 — done").arg(stageLabel(m_stage));
                else
                    e.message = stageLabel(m_stage) + QStringLiteral("...");
            }
        } else if (type == QLatin1String("progress")) {
            e.status = JobStatus::Running;
            if (const auto p = f.number(QStringLiteral("progress")))
                e.percent = overall(*p);
            e.message = f.string(QStringLiteral("message"));
        } else if (type == QLatin1String("done")) {
            if (f.has(QStringLiteral("full_text")))
                e.text = f.string(QStringLiteral("full_text"));
            const QJsonValue resultValue = object.value(QStringLiteral("result"));
            QString videoUrl;
            if (resultValue.isObject())
                videoUrl = json::FieldReader(resultValue.toObject(), &result.warnings).string(QStringLiteral("video_url"));
            const bool last = index == int(m_stages.size()) - 1;
            if (!videoUrl.isEmpty() || last) {
                e.status = JobStatus::Completed;
                e.videoUrl = videoUrl;
                e.percent = 100;
                e.message = Tr::tr("🎉 Video ready!");
                if (videoUrl.isEmpty())
                    result.warnings.append(Tr::tr("the video stage finished without a video_url"));
            } else {
                e.status = JobStatus::Running;
                e.percent = overall(100);
                e.message = Tr::tr("%1 — done").arg(stageLabel(m_stage));
            }
        } else if (type == QLatin1String("error")) {
            e.error = readError(f, QStringLiteral("error")).value_or(ProgressError{QString(), Tr::tr("The project failed"), false});
            const bool cancelled = e.error->code.compare(QLatin1String("cancelled"), Qt::CaseInsensitive) == 0
                                   || parseJobStatus(f.string(QStringLiteral("status"))) == JobStatus::Cancelled;
            e.status = cancelled ? JobStatus::Cancelled : JobStatus::Failed;
            e.message = cancelled ? Tr::tr("🛑 Cancelled") : Tr::tr("❌ %1").arg(e.error->message);
        } else if (type == QLatin1String("stream_end")) {
            e.endOfStream = true;
            e.message = f.string(QStringLiteral("message"));
        } else {
            qCDebug(lcProgress) << "stages-sse: ignored message type" << type;
            return result;
        }
        result.event = e;
        return result;
    }

private:
    QString m_jobId;
    QStringList m_stages;
    QString m_stage;
};

} // namespace

std::unique_ptr<ProgressDecoder> ProgressDecoder::create(Dialect dialect, const QString &jobId)
{
    switch (dialect) {
    case Dialect::VideosSse:
        return std::make_unique<VideosSseDecoder>(jobId);
    case Dialect::TasksSse:
        return std::make_unique<TasksSseDecoder>(jobId);
    case Dialect::StagesSse:
        return std::make_unique<StagesSseDecoder>(jobId);
    case Dialect::WebSocket:
        return nullptr;
    }
    return nullptr;
}

namespace {
DecodeResult decodeTaskMessage(const QString &type, const QJsonObject &payload)
{
    DecodeResult result;
    const bool progress = type == QLatin1String("taskProgress");
    const bool completed = type == QLatin1String("taskCompleted");
    const bool failed = type == QLatin1String("taskFailed");
    if (!progress && !completed && !failed)
        return result;
    const json::FieldReader f(payload, &result.warnings);
    ProgressEvent e;
    e.jobId = f.string(QStringLiteral("videoId"));
    if (e.jobId.isEmpty()) {
        result.warnings.append(Tr::tr("ignored a %1 message without videoId").arg(type));
        return result;
    }
    const QString statusWord = f.string(QStringLiteral("status"));
    e.status = parseJobStatus(statusWord);
    e.percent = f.number(QStringLiteral("progress"));
    e.message = f.string(QStringLiteral("message"));
    e.etaSeconds = f.number(QStringLiteral("estimatedTimeRemaining"));
    e.totalSteps = f.integer(QStringLiteral("totalSteps"));
    // currentStep is a number or a step name ("rendering").
    const QJsonValue step = payload.value(QStringLiteral("currentStep"));
    if (step.isString()) {
        bool isNumber = false;
        const int n = step.toString().trimmed().toInt(&isNumber);
        if (isNumber)
            e.step = n;
        else
            e.stepName = step.toString();
    } else {
        e.step = f.integer(QStringLiteral("currentStep"));
    }

    if (progress) {
        if (e.status == JobStatus::Unknown)
            e.status = JobStatus::Running;
        if (e.message.isEmpty() && !e.stepName.isEmpty())
            e.message = e.stepName;
    } else if (completed) {
        e.status = JobStatus::Completed;
        const QJsonObject res = f.object(QStringLiteral("result"));
        e.videoUrl = json::FieldReader(res, &result.warnings).string(QStringLiteral("videoUrl"));
        if (!e.percent)
            e.percent = 100;
        if (e.message.isEmpty())
            e.message = Tr::tr("🎉 Video ready!");
    } else {
        e.error = readError(f, QStringLiteral("error")).value_or(ProgressError{QString(), Tr::tr("The task failed"), false});
        e.status = e.error->code.compare(QLatin1String("CANCELLED"), Qt::CaseInsensitive) == 0 ? JobStatus::Cancelled
                                                                                                : JobStatus::Failed;
        if (e.message.isEmpty())
            e.message = e.status == JobStatus::Cancelled ? Tr::tr("🛑 Cancelled") : Tr::tr("❌ %1").arg(e.error->message);
    }
    result.event = e;
    return result;
}

} // namespace

DecodeResult decodeWebSocketTaskMessage(const QString &type, const QJsonObject &payload)
{
    return checkedEvent(decodeTaskMessage(type, payload));
}

namespace {
DecodeResult decodeStatus(const QJsonObject &status)
{
    DecodeResult result;
    const json::FieldReader f(status, &result.warnings);
    ProgressEvent e;
    e.jobId = f.string(QStringLiteral("id"));
    const QString word = f.string(QStringLiteral("status"));
    e.status = parseJobStatus(word);
    if (e.status == JobStatus::Unknown) {
        result.warnings.append(Tr::tr("the job status \"%1\" is not one the protocol knows").arg(word));
        return result;
    }
    e.step = f.integer(QStringLiteral("step"));
    e.totalSteps = f.integer(QStringLiteral("total_steps"));
    e.percent = f.number(QStringLiteral("progress"));
    e.message = f.string(QStringLiteral("message"));
    e.videoUrl = f.string(QStringLiteral("video_url"));
    if (e.status == JobStatus::Failed) {
        e.error = readError(f, QStringLiteral("error")).value_or(ProgressError{QString(), Tr::tr("The job failed"), false});
        if (const auto retryable = f.boolean(QStringLiteral("retryable")))
            e.error->retryable = *retryable;
        const QString code = f.string(QStringLiteral("error_code"));
        if (!code.isEmpty())
            e.error->code = code;
    }
    if (e.status == JobStatus::Completed && !e.percent)
        e.percent = 100;
    result.event = e;
    return result;
}

} // namespace

DecodeResult decodeJobStatus(const QJsonObject &status)
{
    return checkedEvent(decodeStatus(status));
}

QString stageLabel(const QString &stage)
{
    if (stage == QLatin1String("rewrite"))
        return Tr::tr("✍️ Rewriting the prompt");
    if (stage == QLatin1String("storyboard"))
        return Tr::tr("🗂️ Storyboard");
    if (stage == QLatin1String("image_generation"))
        return Tr::tr("🖼️ Image generation");
    if (stage == QLatin1String("camera_movement"))
        return Tr::tr("🎥 Camera movement");
    if (stage == QLatin1String("video_generation"))
        return Tr::tr("🎬 Video generation");
    return stage;
}

} // namespace framecast
