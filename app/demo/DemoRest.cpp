// SPDX-License-Identifier: GPL-3.0-or-later
// The REST side of the demo backend (PROTOCOL §3): login, the account,
// generation with its validation and the credits it reserves, status, cancel.
#include "demo/DemoBackend.h"

#include "core/Logging.h"
#include "demo/DemoReplies.h"
#include "demo/DemoStreams.h"
#include "demo/DemoUploads.h"
#include "demo/DemoWire.h"

#include <QDir>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

namespace framecast::demo {

namespace {
using Status = http::Status;
} // namespace

void DemoBackend::login(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const QJsonDocument doc = QJsonDocument::fromJson(request.body());
    if (!doc.isObject()) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QStringLiteral("body"), QStringLiteral("Expected a JSON object")));
        return;
    }
    const QJsonObject o = doc.object();
    const QByteArray token = m_accounts.login(o.value(QStringLiteral("username")).toString(),
                                              o.value(QStringLiteral("password")).toString());
    if (token.isEmpty()) {
        respondDetail(responder, Status::Unauthorized, QStringLiteral("Invalid credentials"));
        return;
    }
    tokenReply(responder, token);
}

void DemoBackend::tokenReply(QHttpServerResponder &responder, const QByteArray &token)
{
    respondJson(responder, Status::Ok,
                {{QStringLiteral("access_token"), QString::fromUtf8(token)},
                 {QStringLiteral("token_type"), QStringLiteral("bearer")},
                 {QStringLiteral("expires_in"), m_accounts.tokenTtl()}});
}

void DemoBackend::me(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Auth auth = authenticate(request, TokenSource::HeaderOnly);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return;
    }
    respondJson(responder, Status::Ok, auth.user->toJson());
}

void DemoBackend::upload(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Auth auth = authenticate(request, TokenSource::HeaderOnly);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return;
    }
    receiveUpload(request, responder, QDir(m_dataDir).filePath(QStringLiteral("images")));
}

void DemoBackend::generate(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Auth auth = authenticate(request, TokenSource::HeaderOnly);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(request.body());
    if (!doc.isObject()) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QStringLiteral("body"), QStringLiteral("Expected a JSON object"), QStringLiteral("json_invalid")));
        return;
    }
    const QJsonObject o = doc.object();
    auto invalid = [&](const char *field, const QString &message) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QString::fromLatin1(field), message));
    };
    JobParams params;
    const QJsonValue prompt = o.value(QStringLiteral("prompt"));
    if (!prompt.isString()) {
        invalid("prompt", QStringLiteral("Field required"));
        return;
    }
    params.prompt = prompt.toString().trimmed();
    if (params.prompt.size() < 10) {
        invalid("prompt", QStringLiteral("String should have at least 10 characters"));
        return;
    }
    if (params.prompt.size() > 2000) {
        invalid("prompt", QStringLiteral("String should have at most 2000 characters"));
        return;
    }
    params.model = o.value(QStringLiteral("model")).toString(QStringLiteral("sora-2"));
    if (params.model != QLatin1String("sora-2") && params.model != QLatin1String("sora-2-pro")) {
        invalid("model", QStringLiteral("Unknown model %1; use sora-2 or sora-2-pro").arg(params.model));
        return;
    }
    const QJsonValue duration = o.value(QStringLiteral("duration"));
    if (!duration.isUndefined() && !duration.isNull()) {
        const int d = duration.isString() ? duration.toString().toInt() : duration.toInt(-1);
        if (d != 4 && d != 8 && d != 12) {
            invalid("duration", QStringLiteral("Duration must be 4, 8 or 12 seconds"));
            return;
        }
        params.durationSeconds = d;
    }
    const QString size = o.value(QStringLiteral("size")).toString(QStringLiteral("1280x720"));
    if (size == QLatin1String("1280x720"))
        params.size = QSize(1280, 720);
    else if (size == QLatin1String("720x1280"))
        params.size = QSize(720, 1280);
    else {
        invalid("size", QStringLiteral("Size must be 1280x720 or 720x1280"));
        return;
    }
    params.referenceImageUrl = o.value(QStringLiteral("reference_image_url")).toString();
    static const QRegularExpression localImage(QStringLiteral("(?:^|//[^/]+)/uploads/images/([A-Za-z0-9_.-]+)$"));
    const auto local = localImage.match(params.referenceImageUrl);
    if (local.hasMatch()) {
        const QString file = QDir(m_dataDir).filePath(QStringLiteral("images/") + local.captured(1));
        if (QFileInfo::exists(file))
            params.referenceImagePath = file;
    }
    // Any other URL (the seed's curl uses https://example.com/image.jpg) is
    // accepted; with no network here the video uses a generated image.

    if (!auth.user->subscriptionActive) {
        respondDetail(responder, Status::Forbidden, QStringLiteral("Subscription inactive"));
        return;
    }
    if (m_config.busyGenerates > 0) {
        --m_config.busyGenerates;
        respondDetail(responder, Status::TooManyRequests, QStringLiteral("Too many jobs at once; try again in a moment"));
        return;
    }
    const int reserved = m_reservedCredits.value(auth.user->id);
    if (auth.user->credits - reserved < m_config.costPerVideo) {
        respondDetail(responder, Status::PaymentRequired, QStringLiteral("Insufficient credits"));
        return;
    }

    const QString id = randomId("vid_");
    auto *job = new DemoJob(id, auth.user->id, params, m_config, QDir(m_dataDir).filePath(QStringLiteral("videos")), this);
    m_jobs.insert(id, job);
    m_reservedCredits[auth.user->id] += m_config.costPerVideo;
    connect(job, &DemoJob::recordAdded, this, [this, job](const JobRecord &r) {
        if (!r.isFinal())
            return;
        m_reservedCredits[job->ownerId()] -= m_config.costPerVideo;
        if (r.kind == JobRecord::Kind::Completed) {
            if (DemoUser *owner = m_accounts.user(job->ownerId()))
                owner->credits -= m_config.costPerVideo;
        }
    });
    m_hub->watchJob(job);
    Q_EMIT jobCreated(job);
    QTimer::singleShot(0, job, &DemoJob::start);
    qCInfo(lcDemo) << "video generation task created for video_id:" << id;
    respondJson(responder, Status::Created, {{QStringLiteral("id"), id}, {QStringLiteral("status"), QStringLiteral("queued")}});
}

DemoJob *DemoBackend::createIdleJob(const QString &username)
{
    const DemoUser *user = m_accounts.userByName(username);
    if (!user)
        return nullptr;
    const QString userId = user->id;
    JobParams params;
    params.prompt = QStringLiteral("benchmark job");
    const QString id = randomId("vid_");
    auto *job = new DemoJob(id, userId, params, m_config, QDir(m_dataDir).filePath(QStringLiteral("videos")), this);
    m_jobs.insert(id, job);
    m_hub->watchJob(job);
    return job;
}

DemoJob *DemoBackend::ownedJob(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id,
                               TokenSource source, DemoUser **userOut)
{
    const Auth auth = authenticate(request, source);
    if (!auth.user) {
        respondDetail(responder, Status(auth.status), auth.detail);
        return nullptr;
    }
    DemoJob *job = m_jobs.value(id);
    if (!job || job->ownerId() != auth.user->id) {
        // Another user's job is indistinguishable from no job at all.
        respondDetail(responder, Status::NotFound, QStringLiteral("Video not found"));
        return nullptr;
    }
    if (userOut)
        *userOut = auth.user;
    return job;
}

void DemoBackend::status(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id)
{
    if (DemoJob *job = ownedJob(request, responder, id, TokenSource::HeaderOnly))
        respondJson(responder, Status::Ok, job->statusJson());
}

void DemoBackend::cancel(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id)
{
    DemoJob *job = ownedJob(request, responder, id, TokenSource::HeaderOnly);
    if (!job)
        return;
    if (m_config.failCancel) {
        respondDetail(responder, Status::ServiceUnavailable, QStringLiteral("The scheduler is busy; try again"));
        return;
    }
    if (!job->cancel() && job->status() != DemoJob::Status::Cancelled) {
        respondDetail(responder, Status::Conflict,
                      QStringLiteral("The video is already %1").arg(DemoJob::statusName(job->status())));
        return;
    }
    respondJson(responder, Status::Ok, {{QStringLiteral("id"), id}, {QStringLiteral("status"), QStringLiteral("cancelled")}});
}

} // namespace framecast::demo
