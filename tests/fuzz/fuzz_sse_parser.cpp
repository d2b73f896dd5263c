// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target for the SSE parser. Besides crashes and sanitizer reports
// it checks the parser's promises:
//  - the same bytes in any chunking give the same events, retry and last ID;
//  - every dispatched field is valid UTF-8;
//  - limits are errors, never unbounded buffering (small limits here so the
//    fuzzer reaches them), and an error is the same whatever the chunking.
// The first input byte seeds the chunking.
#include "sse/SseParser.h"

#include <QList>

#include <cstdint>
#include <cstdlib>

using framecast::sse::SseEvent;
using framecast::sse::SseLimits;
using framecast::sse::SseParser;

namespace {

struct Run
{
    QList<SseEvent> events;
    std::optional<qint64> retry;
    QByteArray lastId;
    SseParser::Error error = SseParser::Error::None;
};

Run parse(const char *data, qsizetype size, quint8 seed, bool chunked)
{
    SseLimits limits;
    limits.maxLineBytes = 300;
    limits.maxEventBytes = 1000;
    Run run;
    SseParser parser([&run](const framecast::sse::SseEventView &e) { run.events.append(e.toEvent()); }, limits);
    qsizetype offset = 0;
    quint32 state = seed * 2654435761u + 1;
    while (offset < size) {
        qsizetype len = size - offset;
        if (chunked) {
            state = state * 1103515245u + 12345u;
            len = qMin<qsizetype>(len, (state >> 16) % 9); // 0..8, zero-length chunks included
        }
        if (!parser.feed(QByteArrayView(data + offset, len)))
            break;
        offset += len;
    }
    parser.finish();
    run.retry = parser.retryMs();
    run.lastId = parser.lastEventId();
    run.error = parser.error();
    return run;
}

bool sameEvents(const Run &a, const Run &b)
{
    if (a.events.size() != b.events.size())
        return false;
    for (qsizetype i = 0; i < a.events.size(); ++i) {
        const SseEvent &x = a.events.at(i);
        const SseEvent &y = b.events.at(i);
        if (x.type != y.type || x.data != y.data || x.lastEventId != y.lastEventId)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 seed = bytes[0];
    const char *data = reinterpret_cast<const char *>(bytes + 1);
    const auto n = qsizetype(size - 1);
    const Run whole = parse(data, n, seed, false);
    const Run chunked = parse(data, n, seed, true);

    // The vector UTF-8 check answers as the exact walk does, on any bytes.
    if (framecast::sse::utf8::isValidFast(reinterpret_cast<const char *>(bytes), qsizetype(size))
        != framecast::sse::utf8::isValid(reinterpret_cast<const char *>(bytes), qsizetype(size)))
        std::abort();
    if (whole.error != chunked.error)
        std::abort();
    if (whole.error == SseParser::Error::None) {
        // Without an error both runs saw every byte: results must match exactly.
        if (!sameEvents(whole, chunked) || whole.retry != chunked.retry || whole.lastId != chunked.lastId)
            std::abort();
    }
    for (const SseEvent &e : whole.events) {
        using framecast::sse::utf8::isValid;
        if (!isValid(e.data.constData(), e.data.size()) || !isValid(e.type.constData(), e.type.size())
            || !isValid(e.lastEventId.constData(), e.lastEventId.size()))
            std::abort();
        if (e.data.size() > 1000)
            std::abort();
    }
    return 0;
}
