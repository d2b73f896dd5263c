// SPDX-License-Identifier: GPL-3.0-or-later
// Table-driven tests of the dialect decoders with the exact messages of the
// seeds (shared/seeds/*.zh.md) and PROTOCOL.md §4, plus missing fields, extra
// fields, wrong types and invalid JSON.
#include "progress/ProgressDecoder.h"

#include <QJsonDocument>
#include <QTest>

using namespace framecast;

Q_DECLARE_METATYPE(framecast::Dialect)

namespace {

/// Expected values: only the keys present are checked. Keys: status, step,
/// totalSteps, percent, eta, message, videoUrl, error, errorCode, retryable,
/// text, delta, stage, stepName, endOfStream, warnings (count).
using Expect = QVariantMap;

void checkEvent(const DecodeResult &result, const Expect &expect)
{
    if (expect.contains(QStringLiteral("warnings")))
        QCOMPARE(result.warnings.size(), expect.value(QStringLiteral("warnings")).toInt());
    if (expect.value(QStringLiteral("none")).toBool()) {
        QVERIFY2(!result.event, "expected no event");
        return;
    }
    QVERIFY2(result.event.has_value(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
    const ProgressEvent &e = *result.event;
    for (auto it = expect.cbegin(); it != expect.cend(); ++it) {
        const QString &k = it.key();
        const QVariant &v = it.value();
        if (k == QLatin1String("status"))
            QCOMPARE(jobStatusName(e.status), v.toString());
        else if (k == QLatin1String("step"))
            QCOMPARE(e.step.value_or(-1), v.toInt());
        else if (k == QLatin1String("totalSteps"))
            QCOMPARE(e.totalSteps.value_or(-1), v.toInt());
        else if (k == QLatin1String("percent"))
            QCOMPARE(e.percent.value_or(-1), v.toDouble());
        else if (k == QLatin1String("eta"))
            QCOMPARE(e.etaSeconds.value_or(-1), v.toDouble());
        else if (k == QLatin1String("message"))
            QCOMPARE(e.message, v.toString());
        else if (k == QLatin1String("videoUrl"))
            QCOMPARE(e.videoUrl, v.toString());
        else if (k == QLatin1String("error"))
            QCOMPARE(e.error ? e.error->message : QStringLiteral("<none>"), v.toString());
        else if (k == QLatin1String("errorCode"))
            QCOMPARE(e.error ? e.error->code : QStringLiteral("<none>"), v.toString());
        else if (k == QLatin1String("retryable"))
            QCOMPARE(e.error ? e.error->retryable : false, v.toBool());
        else if (k == QLatin1String("text"))
            QCOMPARE(e.text.value_or(QStringLiteral("<none>")), v.toString());
        else if (k == QLatin1String("delta"))
            QCOMPARE(e.textDelta, v.toString());
        else if (k == QLatin1String("stage"))
            QCOMPARE(e.stage, v.toString());
        else if (k == QLatin1String("stepName"))
            QCOMPARE(e.stepName, v.toString());
        else if (k == QLatin1String("endOfStream"))
            QCOMPARE(e.endOfStream, v.toBool());
        else if (k == QLatin1String("jobId"))
            QCOMPARE(e.jobId, v.toString());
        else if (k != QLatin1String("warnings"))
            QFAIL(qPrintable(QStringLiteral("unknown expectation key ") + k));
    }
}

sse::SseEvent sseEvent(const QByteArray &type, const QByteArray &data)
{
    return sse::SseEvent{type.isEmpty() ? QByteArray("message") : type, data, {}};
}

} // namespace

class TestDecoders final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sseDialects_data()
    {
        QTest::addColumn<Dialect>("dialect");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<Expect>("expect");

        // --- videos-sse, messages as in sse-video-log-stream-test-guide.zh.md
        QTest::newRow("videos step 1") << Dialect::VideosSse << QByteArray()
                                       << QByteArray(R"({"step": 1, "message": "🔍 Validating request parameters..."})")
                                       << Expect{{"status", "running"}, {"step", 1}, {"totalSteps", 8},
                                                 {"message", QStringLiteral("🔍 Validating request parameters...")},
                                                 {"percent", -1}, {"warnings", 0}};
        QTest::newRow("videos step 4 long message")
            << Dialect::VideosSse << QByteArray()
            << QByteArray(R"({"step": 4, "message": "⏳ Waiting for AI processing (this may take 2-5 minutes)..."})")
            << Expect{{"step", 4}, {"message", QStringLiteral("⏳ Waiting for AI processing (this may take 2-5 minutes)...")}};
        QTest::newRow("videos step 6 variation selector")
            << Dialect::VideosSse << QByteArray() << QByteArray(R"({"step": 6, "message": "🎞️ Encoding video..."})")
            << Expect{{"step", 6}, {"message", QStringLiteral("🎞️ Encoding video...")}};
        QTest::newRow("videos ready")
            << Dialect::VideosSse << QByteArray()
            << QByteArray(R"({"step": 9, "message": "🎉 Video ready!", "video_url": "/uploads/videos/mock-video.mp4", "status": "completed"})")
            << Expect{{"status", "completed"}, {"step", 9}, {"videoUrl", "/uploads/videos/mock-video.mp4"},
                      {"percent", 100}, {"message", QStringLiteral("🎉 Video ready!")}};
        QTest::newRow("videos progress and eta")
            << Dialect::VideosSse << QByteArray()
            << QByteArray(R"({"step": 5, "message": "Rendering...", "progress": 75, "eta": 12})")
            << Expect{{"percent", 75}, {"eta", 12}, {"step", 5}};
        QTest::newRow("videos failure")
            << Dialect::VideosSse << QByteArray()
            << QByteArray(R"({"step": 3, "message": "❌ Generation failed", "status": "failed", "error": "Model overloaded"})")
            << Expect{{"status", "failed"}, {"error", "Model overloaded"}};
        QTest::newRow("videos failure with retryable")
            << Dialect::VideosSse << QByteArray()
            << QByteArray(R"({"step": 3, "message": "x", "status": "failed", "error": "Overloaded", "error_code": "GENERATION_FAILED", "retryable": true})")
            << Expect{{"status", "failed"}, {"errorCode", "GENERATION_FAILED"}, {"retryable", true}};
        QTest::newRow("videos cancelled") << Dialect::VideosSse << QByteArray()
                                          << QByteArray(R"({"step": 3, "message": "Cancelled", "status": "cancelled"})")
                                          << Expect{{"status", "cancelled"}};
        QTest::newRow("videos uppercase status and string numbers")
            << Dialect::VideosSse << QByteArray()
            << QByteArray(R"({"step": "2", "total_steps": "10", "progress": "20.5", "status": "PROCESSING", "message": "x"})")
            << Expect{{"status", "running"}, {"step", 2}, {"totalSteps", 10}, {"percent", 20.5}, {"warnings", 0}};
        QTest::newRow("videos extra fields ignored")
            << Dialect::VideosSse << QByteArray()
            << QByteArray(R"({"step": 2, "message": "📸 Processing reference image...", "debug": {"x": [1,2]}, "foo": null})")
            << Expect{{"step", 2}, {"warnings", 0}};
        QTest::newRow("videos wrong type step") << Dialect::VideosSse << QByteArray()
                                                << QByteArray(R"({"step": "three", "message": "hello"})")
                                                << Expect{{"step", -1}, {"message", "hello"}, {"warnings", 1}};
        QTest::newRow("videos wrong type message") << Dialect::VideosSse << QByteArray()
                                                   << QByteArray(R"({"step": 3, "message": {"text": "x"}})")
                                                   << Expect{{"step", 3}, {"message", ""}, {"warnings", 1}};
        QTest::newRow("videos invalid json") << Dialect::VideosSse << QByteArray() << QByteArray("{\"step\": 1, \"mess") /* truncated; no raw string: moc misreads it */
                                             << Expect{{"none", true}, {"warnings", 1}};
        QTest::newRow("videos not an object") << Dialect::VideosSse << QByteArray() << QByteArray("[1,2,3]")
                                              << Expect{{"none", true}, {"warnings", 1}};
        QTest::newRow("videos empty object") << Dialect::VideosSse << QByteArray() << QByteArray("{}")
                                             << Expect{{"none", true}, {"warnings", 0}};
        QTest::newRow("videos other job") << Dialect::VideosSse << QByteArray()
                                          << QByteArray(R"({"video_id": "other", "step": 1, "message": "x"})")
                                          << Expect{{"none", true}, {"warnings", 1}};

        // --- tasks-sse, PROTOCOL §4.2 / sse-task-progress-setup.zh.md
        QTest::newRow("tasks progress")
            << Dialect::TasksSse << QByteArray("progress")
            << QByteArray(R"({"task_id": "job-1", "state": "PROCESSING", "progress": 40, "estimated_time": 12, "updated_at": "2025-11-13T10:00:00Z"})")
            << Expect{{"status", "running"}, {"percent", 40}, {"eta", 12}, {"message", QStringLiteral("⚙️ Processing")},
                      {"warnings", 0}};
        QTest::newRow("tasks eta null")
            << Dialect::TasksSse << QByteArray("progress")
            << QByteArray(R"({"task_id": "job-1", "state": "PENDING", "progress": 0, "estimated_time": null})")
            << Expect{{"status", "queued"}, {"eta", -1}, {"warnings", 0}};
        QTest::newRow("tasks complete")
            << Dialect::TasksSse << QByteArray("complete")
            << QByteArray(R"({"task_id": "job-1", "state": "COMPLETED", "progress": 100, "video_url": "/uploads/videos/task_example_001.mp4", "updated_at": "..."})")
            << Expect{{"status", "completed"}, {"percent", 100}, {"videoUrl", "/uploads/videos/task_example_001.mp4"}};
        QTest::newRow("tasks error") << Dialect::TasksSse << QByteArray("error")
                                     << QByteArray(R"({"task_id": "job-1", "error": "GPU out of memory"})")
                                     << Expect{{"status", "failed"}, {"error", "GPU out of memory"}};
        QTest::newRow("tasks error after cancel")
            << Dialect::TasksSse << QByteArray("error")
            << QByteArray(R"({"task_id": "job-1", "state": "CANCELLED", "error": "Task cancelled"})")
            << Expect{{"status", "cancelled"}};
        QTest::newRow("tasks other task") << Dialect::TasksSse << QByteArray("progress")
                                          << QByteArray(R"({"task_id": "task_example_001", "state": "PROCESSING"})")
                                          << Expect{{"none", true}, {"warnings", 1}};
        QTest::newRow("tasks unknown event type") << Dialect::TasksSse << QByteArray("ping") << QByteArray("{}")
                                                  << Expect{{"none", true}, {"warnings", 0}};
        QTest::newRow("tasks invalid json") << Dialect::TasksSse << QByteArray("progress") << QByteArray("not json")
                                            << Expect{{"none", true}, {"warnings", 1}};
        QTest::newRow("tasks wrong type progress")
            << Dialect::TasksSse << QByteArray("progress")
            << QByteArray(R"({"task_id": "job-1", "state": "PROCESSING", "progress": [40]})")
            << Expect{{"percent", -1}, {"warnings", 1}};

        // --- stages-sse, sse-project-stages-integration.zh.md
        QTest::newRow("stages connected")
            << Dialect::StagesSse << QByteArray()
            << QByteArray(R"({"type": "connected", "project_id": "job-1", "stage": "rewrite", "message": "SSE connected"})")
            << Expect{{"status", "running"}, {"stage", "rewrite"}, {"step", 1}, {"totalSteps", 5},
                      {"message", "SSE connected"}};
        QTest::newRow("stages token") << Dialect::StagesSse << QByteArray()
                                      << QByteArray(R"({"type": "token", "content": "海", "full_text": "一只在海"})")
                                      << Expect{{"delta", QStringLiteral("海")}, {"text", QStringLiteral("一只在海")},
                                                {"status", "unknown"}};
        QTest::newRow("stages stage_update")
            << Dialect::StagesSse << QByteArray()
            << QByteArray(R"({"type": "stage_update", "stage": "storyboard", "status": "processing", "progress": 50})")
            << Expect{{"stage", "storyboard"}, {"step", 2}, {"percent", 30}, {"status", "running"},
                      {"message", QStringLiteral("🗂️ Storyboard...")}};
        QTest::newRow("stages progress") << Dialect::StagesSse << QByteArray()
                                         << QByteArray(R"({"type": "progress", "progress": 10, "message": "Working"})")
                                         << Expect{{"percent", 10}, {"message", "Working"}};
        QTest::newRow("stages done (not last)")
            << Dialect::StagesSse << QByteArray()
            << QByteArray(R"({"type": "done", "stage": "rewrite", "result": "A cat...", "full_text": "A cat on a boat"})")
            << Expect{{"status", "running"}, {"text", "A cat on a boat"}, {"percent", 20}};
        QTest::newRow("stages done video")
            << Dialect::StagesSse << QByteArray()
            << QByteArray(R"({"type": "done", "stage": "video_generation", "result": {"video_url": "/uploads/videos/p.mp4"}})")
            << Expect{{"status", "completed"}, {"videoUrl", "/uploads/videos/p.mp4"}, {"step", 5}, {"percent", 100}};
        QTest::newRow("stages error") << Dialect::StagesSse << QByteArray()
                                      << QByteArray(R"({"type": "error", "error": "LLM quota exceeded", "project_id": "job-1"})")
                                      << Expect{{"status", "failed"}, {"error", "LLM quota exceeded"}};
        QTest::newRow("stages cancelled update")
            << Dialect::StagesSse << QByteArray()
            << QByteArray(R"({"type": "stage_update", "stage": "image_generation", "status": "cancelled"})")
            << Expect{{"status", "cancelled"}};
        QTest::newRow("stages stream_end")
            << Dialect::StagesSse << QByteArray()
            << QByteArray(R"({"type": "stream_end", "project_id": "job-1", "message": "All stages finished"})")
            << Expect{{"endOfStream", true}, {"message", "All stages finished"}};
        QTest::newRow("stages unknown type") << Dialect::StagesSse << QByteArray() << QByteArray(R"({"type": "debug"})")
                                             << Expect{{"none", true}, {"warnings", 0}};
        QTest::newRow("stages missing type") << Dialect::StagesSse << QByteArray() << QByteArray(R"({"content": "x"})")
                                             << Expect{{"none", true}, {"warnings", 1}};
        QTest::newRow("stages invalid json") << Dialect::StagesSse << QByteArray() << QByteArray("{\"type\": ")
                                             << Expect{{"none", true}, {"warnings", 1}};
    }

    void sseDialects()
    {
        QFETCH(Dialect, dialect);
        QFETCH(QByteArray, type);
        QFETCH(QByteArray, data);
        QFETCH(Expect, expect);
        auto decoder = ProgressDecoder::create(dialect, QStringLiteral("job-1"));
        QVERIFY(decoder);
        const DecodeResult result = decoder->decode(sseEvent(type, data));
        checkEvent(result, expect);
        if (result.event)
            QCOMPARE(result.event->jobId, QStringLiteral("job-1"));
    }

    void tasksDescribesEachStateOnce()
    {
        auto decoder = ProgressDecoder::create(Dialect::TasksSse, QStringLiteral("job-1"));
        const QByteArray p = R"({"task_id": "job-1", "state": "PROCESSING", "progress": %1})";
        auto first = decoder->decode(sseEvent("progress", QByteArray(p).replace("%1", "10")));
        auto second = decoder->decode(sseEvent("progress", QByteArray(p).replace("%1", "20")));
        QCOMPARE(first.event->message, QStringLiteral("⚙️ Processing"));
        QCOMPARE(second.event->message, QString()); // same state: no new log line
        QCOMPARE(second.event->percent.value_or(-1), 20.0);
    }

    // What the fuzz targets (tests/fuzz/fuzz_decoder_*, fuzz_websocket_message)
    // found: out-of-range numbers went through as they came, and text with a
    // lone surrogate (a JSON escape of half a pair, or an excerpt cut inside
    // an emoji) did not survive the trip to UTF-8.
    void fuzzFindingsNumbers()
    {
        auto videos = ProgressDecoder::create(Dialect::VideosSse, QStringLiteral("job-1"));
        auto r = videos->decode(sseEvent({}, R"({"progress": -20})"));
        QVERIFY(r.event);
        QCOMPARE(r.event->percent.value_or(-1), 0.0);
        QCOMPARE(r.warnings.size(), 1);
        r = videos->decode(sseEvent({}, R"({"step": -3, "progress": 150, "eta": -5, "message": "x"})"));
        QVERIFY(r.event);
        QCOMPARE(r.event->percent.value_or(-1), 100.0);
        QVERIFY(!r.event->step);
        QVERIFY(!r.event->etaSeconds);
        r = videos->decode(sseEvent({}, R"({"step": 12, "total_steps": 4, "message": "x"})"));
        QCOMPARE(r.event->step.value_or(-1), 12);
        QVERIFY(!r.event->totalSteps); // a count the step is past is wrong
        r = videos->decode(sseEvent({}, R"({"step": 9, "total_steps": 8, "status": "completed"})"));
        QCOMPARE(r.event->totalSteps.value_or(-1), 8); // total + 1 is "done" in videos-sse
        QCOMPARE(r.warnings.size(), 0);

        auto tasks = ProgressDecoder::create(Dialect::TasksSse, QStringLiteral("job-1"));
        r = tasks->decode(sseEvent("progress", R"({"state": "PROCESSING", "progress": -20})"));
        QCOMPARE(r.event->percent.value_or(-1), 0.0);
        auto stages = ProgressDecoder::create(Dialect::StagesSse, QStringLiteral("job-1"));
        r = stages->decode(sseEvent({}, R"({"type": "progress", "stage": "mystery", "progress": 250})"));
        QCOMPARE(r.event->percent.value_or(-1), 100.0);
        r = decodeWebSocketTaskMessage(QStringLiteral("taskProgress"),
                                       QJsonDocument::fromJson(R"({"videoId": "v", "progress": -20, "totalSteps": 0})").object());
        QCOMPARE(r.event->percent.value_or(-1), 0.0);
        QVERIFY(!r.event->totalSteps);
        r = decodeJobStatus(QJsonDocument::fromJson(R"({"id": "v", "status": "processing", "progress": 1000})").object());
        QCOMPARE(r.event->percent.value_or(-1), 100.0);
    }

    void fuzzFindingsText()
    {
        auto roundTrips = [](const QString &s) { return QString::fromUtf8(s.toUtf8()) == s; };
        auto stages = ProgressDecoder::create(Dialect::StagesSse, QStringLiteral("job-1"));
        auto r = stages->decode(sseEvent({}, R"({"type": "progress", "message": "a\ud83cb"})"));
        QVERIFY(r.event);
        QCOMPARE(r.event->message, QStringLiteral("a\uFFFDb"));
        r = decodeWebSocketTaskMessage(QStringLiteral("taskFailed"),
                                       QJsonDocument::fromJson(R"({"videoId": "v\udc00", "error": {"message": "\ud800"}})").object());
        QVERIFY(r.event);
        QVERIFY(roundTrips(r.event->jobId));
        QVERIFY(roundTrips(r.event->error->message));
        QVERIFY(roundTrips(r.event->message));
        // Invalid JSON is quoted, 80 UTF-16 units of it: the 80th is half an emoji.
        auto videos = ProgressDecoder::create(Dialect::VideosSse, QStringLiteral("job-1"));
        r = videos->decode(sseEvent({}, QByteArray("{\"message\": \"") + QStringLiteral("🎬").repeated(60).toUtf8()));
        QVERIFY(!r.event);
        QCOMPARE(r.warnings.size(), 1);
        QVERIFY(roundTrips(r.warnings.first()));
    }

    void webSocket_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<Expect>("expect");
        // Exact payloads of websocket-task-progress.zh.md. URLs are written with the
        // JSON escape "\/" because moc reads "//" inside a raw string as a comment.
        QTest::newRow("taskProgress")
            << QStringLiteral("taskProgress")
            << QByteArray(R"({"videoId": "video_xxx", "status": "PROCESSING", "progress": 45, "currentStep": "rendering", "totalSteps": 4, "message": "正在生成视频...", "estimatedTimeRemaining": 60})")
            << Expect{{"jobId", "video_xxx"}, {"status", "running"}, {"percent", 45}, {"stepName", "rendering"},
                      {"step", -1}, {"totalSteps", 4}, {"message", QStringLiteral("正在生成视频...")}, {"eta", 60}};
        QTest::newRow("taskCompleted")
            << QStringLiteral("taskCompleted")
            << QByteArray(R"({"videoId": "video_xxx", "status": "completed", "progress": 100, "result": {"videoUrl": "http:\/\/45.8.22.95:8000/sora/videos/xxx.mp4", "thumbnailUrl": "http:\/\/45.8.22.95:8000/sora/thumbs/xxx.jpg", "duration": 15, "fileSize": 5242880, "resolution": "1280x720"}, "metrics": {"totalTime": 125, "queueTime": 5, "processTime": 120}})")
            << Expect{{"status", "completed"}, {"videoUrl", "http://45.8.22.95:8000/sora/videos/xxx.mp4"}, {"percent", 100}};
        QTest::newRow("taskFailed")
            << QStringLiteral("taskFailed")
            << QByteArray(R"({"videoId": "video_xxx", "status": "failed", "error": {"code": "GENERATION_FAILED", "message": "视频生成失败", "details": "模型过载，请稍后重试", "retryable": true}})")
            << Expect{{"status", "failed"}, {"errorCode", "GENERATION_FAILED"}, {"retryable", true},
                      {"error", QStringLiteral("视频生成失败: 模型过载，请稍后重试")}};
        QTest::newRow("taskFailed cancelled")
            << QStringLiteral("taskFailed")
            << QByteArray(R"({"videoId": "v1", "status": "failed", "error": {"code": "CANCELLED", "message": "Cancelled by user"}})")
            << Expect{{"status", "cancelled"}};
        QTest::newRow("numeric currentStep") << QStringLiteral("taskProgress")
                                             << QByteArray(R"({"videoId": "v1", "currentStep": 3, "totalSteps": 8})")
                                             << Expect{{"step", 3}, {"status", "running"}};
        QTest::newRow("heartbeat gives nothing") << QStringLiteral("heartbeat")
                                                 << QByteArray(R"({"connectedClients": 3, "uptime": 100})")
                                                 << Expect{{"none", true}, {"warnings", 0}};
        QTest::newRow("missing videoId") << QStringLiteral("taskProgress") << QByteArray(R"({"progress": 3})")
                                         << Expect{{"none", true}, {"warnings", 1}};
    }

    void webSocket()
    {
        QFETCH(QString, type);
        QFETCH(QByteArray, payload);
        QFETCH(Expect, expect);
        checkEvent(decodeWebSocketTaskMessage(type, QJsonDocument::fromJson(payload).object()), expect);
    }

    void sameMeaningSameEvent()
    {
        // A completion reads the same whichever dialect carried it.
        auto videos = ProgressDecoder::create(Dialect::VideosSse, QStringLiteral("v1"))
                          ->decode(sseEvent({}, R"({"step": 9, "message": "🎉 Video ready!", "video_url": "/v/1.mp4", "status": "completed"})"));
        auto tasks = ProgressDecoder::create(Dialect::TasksSse, QStringLiteral("v1"))
                         ->decode(sseEvent("complete", R"({"task_id": "v1", "state": "COMPLETED", "progress": 100, "video_url": "/v/1.mp4"})"));
        auto ws = decodeWebSocketTaskMessage(QStringLiteral("taskCompleted"),
                                             QJsonDocument::fromJson(R"({"videoId": "v1", "status": "completed", "progress": 100, "result": {"videoUrl": "/v/1.mp4"}})")
                                                 .object());
        for (const auto *r : {&videos, &tasks, &ws}) {
            QVERIFY(r->event);
            QCOMPARE(r->event->jobId, QStringLiteral("v1"));
            QCOMPARE(r->event->status, JobStatus::Completed);
            QCOMPARE(r->event->videoUrl, QStringLiteral("/v/1.mp4"));
            QCOMPARE(r->event->percent.value_or(-1), 100.0);
            QVERIFY(r->event->isFinal());
        }
    }

    void statusWords_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<JobStatus>("status");
        QTest::newRow("PROCESSING") << QStringLiteral("PROCESSING") << JobStatus::Running;
        QTest::newRow("in_progress") << QStringLiteral("in_progress") << JobStatus::Running;
        QTest::newRow("In-Progress") << QStringLiteral("In-Progress") << JobStatus::Running;
        QTest::newRow("canceled") << QStringLiteral("canceled") << JobStatus::Cancelled;
        QTest::newRow("COMPLETED") << QStringLiteral(" COMPLETED ") << JobStatus::Completed;
        QTest::newRow("pending") << QStringLiteral("pending") << JobStatus::Queued;
        QTest::newRow("nonsense") << QStringLiteral("flying") << JobStatus::Unknown;
    }

    void statusWords()
    {
        QFETCH(QString, word);
        QFETCH(JobStatus, status);
        QCOMPARE(parseJobStatus(word), status);
    }
};

QTEST_GUILESS_MAIN(TestDecoders)
#include "tst_decoders.moc"
