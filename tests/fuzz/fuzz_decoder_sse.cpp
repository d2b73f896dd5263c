// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target for one SSE progress dialect's decoder, built once per
// dialect (FUZZ_DIALECT: fuzz_decoder_videos_sse, _tasks_sse, _stages_sse).
// The input is a stream of events, one per line: "TYPE<TAB>DATA", or just
// DATA for an event without an `event:` field (type "message"). Each event
// goes through the dialect's decoder (one decoder for the whole stream, as
// on a real connection: tasks-sse and stages-sse keep state), and its data
// also through decodeJobStatus, as a catch-up's answer would. The checks are
// in FuzzDecoders.h; the whole stream is decoded twice with fresh decoders
// and must give the same results.
#include "FuzzDecoders.h"

#include <QJsonDocument>

#include <cstdint>

using framecast::DecodeResult;
using framecast::Dialect;
using framecast::ProgressDecoder;

#ifndef FUZZ_DIALECT
#error "define FUZZ_DIALECT (VideosSse, TasksSse or StagesSse)"
#endif

namespace {

const QString kJobId = QStringLiteral("job-1");

QList<DecodeResult> decodeAll(const QList<QByteArray> &lines)
{
    QList<DecodeResult> out;
    const std::unique_ptr<ProgressDecoder> decoder = ProgressDecoder::create(Dialect::FUZZ_DIALECT, kJobId);
    if (!decoder)
        fuzzdec::fail("no decoder for the dialect");
    for (const QByteArray &line : lines) {
        framecast::sse::SseEvent event;
        const qsizetype tab = line.indexOf('\t');
        if (tab >= 0) {
            event.type = line.left(tab);
            event.data = line.mid(tab + 1);
        } else {
            event.type = "message";
            event.data = line;
        }
        DecodeResult r = decoder->decode(event);
        fuzzdec::checkResult(r);
        if (r.event && r.event->jobId != kJobId)
            fuzzdec::fail("event for another job:", r.event->jobId);
        out.append(std::move(r));

        // The same JSON as a GET /videos/{id} answer (the catch-up path).
        const QJsonDocument doc = QJsonDocument::fromJson(event.data);
        DecodeResult status = framecast::decodeJobStatus(doc.object());
        fuzzdec::checkResult(status);
        if (status.event && status.event->status == framecast::JobStatus::Unknown)
            fuzzdec::fail("a job status of unknown status");
        out.append(std::move(status));
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    return fuzzdec::decodeTwiceAndCompare(bytes, size, decodeAll);
}
