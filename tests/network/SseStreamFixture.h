// SPDX-License-Identifier: GPL-3.0-or-later
// What the tst_ssestream* tests share: the seed's videos-sse events as a
// ScriptedHttpServer sends them, a progress endpoint on that server with
// reconnect delays shrunk for tests, and a job's log as text.
#pragma once

#include "ScriptedHttpServer.h"

#include "jobs/Job.h"
#include "net/StreamConnectionPool.h"
#include "progress/SseProgressChannel.h"
#include "sse/SseStream.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace framecast::test::sse_fixture {

using framecast::sse::SseStream;
using Script = ScriptedHttpServer::Script;
using Step = ScriptedHttpServer::Step;
using End = ScriptedHttpServer::End;

inline const QList<QByteArray> kSeedSteps = {
    "🔍 Validating request parameters...", "📸 Processing reference image...", "🤖 Calling Sora 2 API...",
    "⏳ Waiting for AI processing (this may take 2-5 minutes)...", "🎬 Rendering video frames...",
    "🎞️ Encoding video...", "☁️ Uploading video...", "✅ Finalizing...",
};

inline QByteArray videosStep(int n)
{
    return ScriptedHttpServer::event("{\"step\": " + QByteArray::number(n) + ", \"message\": \"" + kSeedSteps.at(n - 1)
                                         + "\"}",
                                     {}, QByteArray::number(n));
}

inline QByteArray videosDone()
{
    return ScriptedHttpServer::event(
        R"({"step": 9, "message": "🎉 Video ready!", "video_url": "/uploads/videos/v1.mp4", "status": "completed"})", {},
        "9");
}

/// Steps from..to of videos-sse, `gap` ms apart.
inline QList<Step> videosSteps(int from, int to, int gap = 5)
{
    QList<Step> steps;
    for (int i = from; i <= to; ++i)
        steps << Step{gap, videosStep(i)};
    return steps;
}

inline ProgressEndpoint endpoint(const ScriptedHttpServer &server, Dialect dialect = Dialect::VideosSse)
{
    ProgressEndpoint e;
    e.baseUrl = server.baseUrl();
    e.dialect = dialect;
    e.token = "secret-token";
    ReconnectPolicy fast;
    fast.initialDelayMs = 20;
    fast.maxDelayMs = 100;
    fast.jitter = 0.1;
    if (dialect == Dialect::StagesSse) {
        fast = ReconnectPolicy::stagesSse();
        fast.fixedDelaysMs = {20, 40, 60}; // the seed's 1 s, 2 s, 3 s shrunk for the test
    }
    e.reconnect = fast;
    e.inactivityTimeoutMs = 2000;
    return e;
}

inline QStringList logTexts(const Job &job)
{
    QStringList out;
    for (const auto &entry : job.log())
        out << entry.text();
    return out;
}

} // namespace framecast::test::sse_fixture
