// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoJob.h"

#include "core/Logging.h"
#include "demo/VideoRenderer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QRandomGenerator>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace framecast::demo {

namespace {

/// Encodes run here: one at a time on small machines, so that a burst of jobs
/// queues instead of starving the event loop (x264 uses threads of its own).
QThreadPool *encoderPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(std::max(1, QThread::idealThreadCount() / 2));
        return p;
    }();
    return pool;
}

constexpr int kTotalSteps = 8;

/// Overall percent at the start of each step (index = step).
constexpr double kStepPercent[] = {0, 0, 10, 20, 30, 40, 70, 92, 96, 100};

} // namespace

const QStringList &DemoJob::stepMessages()
{
    static const QStringList messages = {
        QStringLiteral("🔍 Validating request parameters..."),
        QStringLiteral("📸 Processing reference image..."),
        QStringLiteral("🤖 Calling Sora 2 API..."),
        QStringLiteral("⏳ Waiting for AI processing (this may take 2-5 minutes)..."),
        QStringLiteral("🎬 Rendering video frames..."),
        QStringLiteral("🎞️ Encoding video..."),
        QStringLiteral("☁️ Uploading video..."),
        QStringLiteral("✅ Finalizing..."),
    };
    return messages;
}

QString DemoJob::stepName(int step)
{
    static const QStringList names = {
        QStringLiteral("validating"), QStringLiteral("preprocessing"), QStringLiteral("submitting"),
        QStringLiteral("waiting"),    QStringLiteral("rendering"),     QStringLiteral("encoding"),
        QStringLiteral("uploading"),  QStringLiteral("finalizing"),
    };
    return names.value(step - 1);
}

QString DemoJob::stageOfStep(int step)
{
    if (step <= 2)
        return QStringLiteral("rewrite");
    if (step == 3)
        return QStringLiteral("storyboard");
    if (step == 4)
        return QStringLiteral("image_generation");
    if (step == 5)
        return QStringLiteral("camera_movement");
    return QStringLiteral("video_generation");
}

QString DemoJob::statusName(Status status)
{
    switch (status) {
    case Status::Queued:
        return QStringLiteral("queued");
    case Status::Processing:
        return QStringLiteral("processing");
    case Status::Completed:
        return QStringLiteral("completed");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

DemoJob::DemoJob(QString id, QString ownerId, JobParams params, const DemoConfig &config, QString videoDir,
                 QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_ownerId(std::move(ownerId))
    , m_params(std::move(params))
    , m_config(config)
    , m_videoDir(std::move(videoDir))
    , m_createdAt(QDateTime::currentDateTimeUtc())
    , m_updatedAt(m_createdAt)
    , m_cancelEncode(std::make_shared<std::atomic_bool>(false))
{
    m_stepTimer.setSingleShot(true);
    // The rewrite an LLM would stream: the prompt, made cinematic.
    m_rewrite = tr("Cinematic shot: %1. Soft natural light, slow push-in, shallow depth of field, 24 fps.")
                    .arg(m_params.prompt.simplified());
    connect(&m_tokenTimer, &QTimer::timeout, this, &DemoJob::emitRewriteTokens);
}

DemoJob::~DemoJob()
{
    m_cancelEncode->store(true);
    // The encoder posts progress to this object: let it stop first (it checks
    // the flag every frame).
    m_encodeFuture.waitForFinished();
}

int DemoJob::stepDelay() const
{
    if (m_config.stepDelayMaxMs <= m_config.stepDelayMinMs)
        return m_config.stepDelayMinMs;
    return int(QRandomGenerator::global()->bounded(m_config.stepDelayMinMs, m_config.stepDelayMaxMs + 1));
}

std::optional<double> DemoJob::eta() const
{
    if (isFinal())
        return std::nullopt;
    const double stepS = (m_config.stepDelayMinMs + m_config.stepDelayMaxMs) / 2000.0;
    const double encodeS = m_config.tinyVideos ? 0.2 : m_params.durationSeconds * 0.8;
    double left = std::max(0, kTotalSteps - std::max(m_step, 1)) * stepS;
    if (m_step < 5)
        left += encodeS;
    else if (m_encoding)
        left += (1.0 - m_encodeFraction) * encodeS;
    return std::round(left);
}

JobRecord &DemoJob::append(JobRecord::Kind kind)
{
    JobRecord r;
    r.seq = m_records.isEmpty() ? 1 : m_records.last().seq + 1;
    r.kind = kind;
    r.step = m_step;
    r.message = m_message;
    r.percent = m_percent;
    r.stage = stageOfStep(m_step);
    r.etaSeconds = eta();
    r.time = QDateTime::currentDateTimeUtc();
    m_updatedAt = r.time;
    m_records.append(r);
    return m_records.last();
}

void DemoJob::start()
{
    if (m_status != Status::Queued)
        return;
    m_status = Status::Processing;
    const int tokens = int(m_rewrite.split(QLatin1Char(' ')).size());
    m_tokenTimer.setInterval(std::max(5, 2 * m_config.stepDelayMinMs / std::max(1, tokens + 2)));
    m_tokenTimer.start();
    enterStep(1);
}

void DemoJob::pushSyntheticProgress(qint64 seq)
{
    if (isFinal())
        return;
    m_status = Status::Processing;
    m_step = 3;
    m_message = QStringLiteral("bench %1").arg(seq);
    JobRecord &r = append(JobRecord::Kind::Step);
    r.etaSeconds = double(seq);
    const JobRecord copy = r;
    Q_EMIT recordAdded(copy);
}

void DemoJob::scheduleNext(int step)
{
    m_stepTimer.disconnect();
    connect(&m_stepTimer, &QTimer::timeout, this, [this, step] {
        if (step > kTotalSteps)
            finish(JobRecord::Kind::Completed, {}, {}, false);
        else
            enterStep(step);
    });
    m_stepTimer.start(stepDelay());
}

void DemoJob::enterStep(int step)
{
    if (isFinal())
        return;
    if (m_config.failAtStep == step) {
        finish(JobRecord::Kind::Failed, QStringLiteral("GENERATION_FAILED"),
               tr("Generation failed at step %1: the model is overloaded").arg(step), m_config.failRetryable);
        return;
    }
    m_step = step;
    m_message = stepMessages().at(step - 1);
    m_percent = std::max(m_percent, kStepPercent[step]);
    JobRecord &r = append(JobRecord::Kind::Step);
    r.stagePercent = 0;
    Q_EMIT recordAdded(r);

    if (step == 5) {
        startEncoding(); // steps 6 and 7 follow the encoder
    } else if (step == 2 && m_tokenTimer.isActive()) {
        // step 3 waits for the rewrite to finish streaming
    } else if (step < 5 || step >= 7) {
        scheduleNext(step + 1);
    }
}

void DemoJob::emitRewriteTokens()
{
    if (isFinal()) {
        m_tokenTimer.stop();
        return;
    }
    const QStringList words = m_rewrite.split(QLatin1Char(' '));
    if (m_tokensSent >= words.size()) {
        m_tokenTimer.stop();
        if (m_step == 2)
            scheduleNext(3);
        return;
    }
    const QString token = (m_tokensSent == 0 ? QString() : QStringLiteral(" ")) + words.at(m_tokensSent);
    ++m_tokensSent;
    JobRecord &r = append(JobRecord::Kind::Token);
    r.token = token;
    r.fullText = words.mid(0, m_tokensSent).join(QLatin1Char(' '));
    r.stage = QStringLiteral("rewrite");
    r.stagePercent = 100.0 * m_tokensSent / words.size();
    Q_EMIT recordAdded(r);
}

void DemoJob::startEncoding()
{
    VideoSpec spec;
    const bool portrait = m_params.size.height() > m_params.size.width();
    spec.size = m_config.tinyVideos ? (portrait ? QSize(90, 160) : QSize(160, 90)) : m_params.size;
    spec.fps = m_config.tinyVideos ? 8 : 24;
    spec.durationSeconds = m_params.durationSeconds;
    spec.caption = m_params.prompt;
    QDir().mkpath(m_videoDir);
    m_videoPath = QDir(m_videoDir).filePath(m_id + QStringLiteral(".mp4"));
    spec.outputPath = m_videoPath + QStringLiteral(".part");
    const QString imagePath = m_params.referenceImagePath;
    const QString seed = m_params.prompt;
    m_encoding = true;
    m_encodeFraction = 0;
    auto cancel = m_cancelEncode;
    DemoJob *self = this; // lives until the encoder returns (see the destructor)
    m_encodeFuture = QtConcurrent::run(encoderPool(), [self, spec, imagePath, seed, cancel]() mutable {
        QImageReader reader(imagePath);
        reader.setAutoTransform(true);
        spec.image = imagePath.isEmpty() ? QImage() : reader.read();
        if (spec.image.isNull())
            spec.image = placeholderImage(spec.size, seed);
        int lastPercent = -1;
        const VideoResult result = renderVideo(
            spec,
            [&](double f) {
                const int percent = int(f * 100);
                if (percent != lastPercent && !cancel->load()) {
                    lastPercent = percent;
                    QMetaObject::invokeMethod(self, [self, f] { self->onEncodeProgress(f); }, Qt::QueuedConnection);
                }
            },
            cancel.get());
        QMetaObject::invokeMethod(
            self, [self, result] { self->onEncodeFinished(result.ok, result.error, result.elapsedMs); },
            Qt::QueuedConnection);
    });
}

void DemoJob::onEncodeProgress(double fraction)
{
    if (isFinal() || !m_encoding)
        return;
    m_encodeFraction = fraction;
    if (fraction >= 0.5 && m_step == 5) {
        enterStep(6);
        if (isFinal())
            return;
    }
    const double previous = m_percent;
    if (m_step == 5)
        m_percent = kStepPercent[5] + (kStepPercent[6] - kStepPercent[5]) * (fraction / 0.5);
    else
        m_percent = kStepPercent[6] + (kStepPercent[7] - kStepPercent[6]) * ((fraction - 0.5) / 0.5);
    if (std::floor(m_percent / 5) == std::floor(previous / 5))
        return; // one progress record per 5 %
    JobRecord &r = append(JobRecord::Kind::Progress);
    r.stagePercent = m_step == 5 ? fraction / 0.5 * 100 : (fraction - 0.5) / 0.5 * 100;
    Q_EMIT recordAdded(r);
}

void DemoJob::onEncodeFinished(bool ok, const QString &error, qint64 elapsedMs)
{
    m_encoding = false;
    m_encodeMs = elapsedMs;
    if (isFinal()) {
        QFile::remove(m_videoPath + QStringLiteral(".part"));
        return;
    }
    if (!ok) {
        finish(JobRecord::Kind::Failed, QStringLiteral("RENDER_FAILED"), tr("Rendering failed: %1").arg(error), true);
        return;
    }
    qCInfo(lcDemo) << "job" << m_id << "encoded in" << elapsedMs << "ms";
    if (m_step == 5)
        enterStep(6); // very short videos may skip the halfway report
    if (isFinal())
        return;
    QFile::remove(m_videoPath);
    if (!QFile::rename(m_videoPath + QStringLiteral(".part"), m_videoPath)) {
        finish(JobRecord::Kind::Failed, QStringLiteral("STORAGE_FAILED"), tr("Could not store the video"), true);
        return;
    }
    scheduleNext(7);
}

void DemoJob::finish(JobRecord::Kind kind, const QString &code, const QString &message, bool retryable)
{
    if (isFinal())
        return;
    m_stepTimer.stop();
    m_tokenTimer.stop();
    m_cancelEncode->store(true);
    switch (kind) {
    case JobRecord::Kind::Completed:
        m_status = Status::Completed;
        m_step = kTotalSteps + 1;
        m_percent = 100;
        m_message = QStringLiteral("🎉 Video ready!");
        m_videoUrl = QStringLiteral("/uploads/videos/%1.mp4").arg(m_id);
        break;
    case JobRecord::Kind::Failed:
        m_status = Status::Failed;
        m_message = QStringLiteral("❌ ") + message;
        break;
    default:
        m_status = Status::Cancelled;
        m_message = QStringLiteral("🛑 Cancelled");
        break;
    }
    m_errorCode = code;
    m_errorMessage = message;
    m_retryable = retryable;
    JobRecord &r = append(kind);
    r.errorCode = code;
    r.errorMessage = message;
    r.retryable = retryable;
    r.fullText = m_rewrite;
    if (kind != JobRecord::Kind::Completed && !m_encoding)
        QFile::remove(m_videoPath + QStringLiteral(".part"));
    const JobRecord copy = r;
    Q_EMIT recordAdded(copy);
    if (kind == JobRecord::Kind::Completed)
        Q_EMIT completed(m_ownerId);
}

bool DemoJob::cancel()
{
    if (isFinal())
        return false;
    finish(JobRecord::Kind::Cancelled, QStringLiteral("CANCELLED"), tr("Cancelled by the user"), false);
    return true;
}

QJsonObject DemoJob::statusJson() const
{
    QJsonObject o{{QStringLiteral("id"), m_id},
                  {QStringLiteral("status"), statusName(m_status)},
                  {QStringLiteral("step"), m_step},
                  {QStringLiteral("total_steps"), kTotalSteps},
                  {QStringLiteral("progress"), int(std::lround(m_percent))},
                  {QStringLiteral("message"), m_message},
                  {QStringLiteral("video_url"), m_videoUrl.isEmpty() ? QJsonValue() : QJsonValue(m_videoUrl)},
                  {QStringLiteral("error"), m_errorMessage.isEmpty() || m_status == Status::Cancelled
                                                ? QJsonValue()
                                                : QJsonValue(m_errorMessage)},
                  {QStringLiteral("prompt"), m_params.prompt},
                  {QStringLiteral("model"), m_params.model},
                  {QStringLiteral("duration"), m_params.durationSeconds},
                  {QStringLiteral("size"), QStringLiteral("%1x%2").arg(m_params.size.width()).arg(m_params.size.height())},
                  {QStringLiteral("created_at"), m_createdAt.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("updated_at"), m_updatedAt.toString(Qt::ISODateWithMs)}};
    if (!m_errorCode.isEmpty() && m_status == Status::Failed) {
        o.insert(QStringLiteral("error_code"), m_errorCode);
        o.insert(QStringLiteral("retryable"), m_retryable);
    }
    return o;
}

} // namespace framecast::demo
