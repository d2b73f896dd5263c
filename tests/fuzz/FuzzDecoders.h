// SPDX-License-Identifier: GPL-3.0-or-later
//
// Shared checks of the progress-decoder fuzz targets. A finding is an
// abort() with a line on stderr saying which promise broke:
//  - percent finite and within 0..100; ETA finite and >= 0;
//  - step >= 0, total steps > 0, and step <= total + 1 when both are present
//    (total + 1 is how videos-sse says "done": step 9 of 8);
//  - every string of the result (event fields, warnings) is valid UTF-16, so
//    it turns into valid UTF-8 for the log, the ledger and the terminal;
//  - no exception escapes;
//  - the same input decoded twice (fresh decoders) gives the same result.
// Unbounded memory (deep nesting) is left to libFuzzer's -rss_limit_mb and
// -malloc_limit_mb.
#pragma once

#include "progress/ProgressDecoder.h"

#include <QByteArray>
#include <QList>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace fuzzdec {

using framecast::DecodeResult;
using framecast::ProgressEvent;

[[noreturn]] inline void fail(const char *what, const QString &detail = {})
{
    std::fprintf(stderr, "INVARIANT FAILED: %s %s\n", what, detail.toUtf8().constData());
    std::abort();
}

/// True if `s` has no unpaired surrogate: it converts to UTF-8 without loss.
inline bool validUtf16(const QString &s)
{
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= n || !s.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

inline void checkString(const char *field, const QString &s)
{
    if (!validUtf16(s))
        fail(field, QStringLiteral("is not valid UTF-16 (%1 units)").arg(s.size()));
}

inline void checkResult(const DecodeResult &r)
{
    for (const QString &w : r.warnings)
        checkString("warning", w);
    if (!r.event)
        return;
    const ProgressEvent &e = *r.event;
    if (e.percent && (!std::isfinite(*e.percent) || *e.percent < 0 || *e.percent > 100))
        fail("percent out of 0..100:", QString::number(*e.percent, 'g', 17));
    if (e.etaSeconds && (!std::isfinite(*e.etaSeconds) || *e.etaSeconds < 0))
        fail("eta not finite or negative:", QString::number(*e.etaSeconds, 'g', 17));
    if (e.step && *e.step < 0)
        fail("negative step:", QString::number(*e.step));
    if (e.totalSteps && *e.totalSteps <= 0)
        fail("total steps <= 0:", QString::number(*e.totalSteps));
    if (e.step && e.totalSteps && qint64(*e.step) > qint64(*e.totalSteps) + 1)
        fail("step past total + 1:", QStringLiteral("%1 of %2").arg(*e.step).arg(*e.totalSteps));
    checkString("jobId", e.jobId);
    checkString("stepName", e.stepName);
    checkString("stage", e.stage);
    checkString("message", e.message);
    if (e.text)
        checkString("text", *e.text);
    checkString("textDelta", e.textDelta);
    checkString("videoUrl", e.videoUrl);
    if (e.error) {
        checkString("error.code", e.error->code);
        checkString("error.message", e.error->message);
    }
}

inline bool sameDouble(const std::optional<double> &a, const std::optional<double> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    if (!a)
        return true;
    return (std::isnan(*a) && std::isnan(*b)) || *a == *b;
}

inline bool sameResult(const DecodeResult &a, const DecodeResult &b)
{
    if (a.warnings != b.warnings || a.event.has_value() != b.event.has_value())
        return false;
    if (!a.event)
        return true;
    const ProgressEvent &x = *a.event;
    const ProgressEvent &y = *b.event;
    return x.jobId == y.jobId && x.status == y.status && x.step == y.step && x.totalSteps == y.totalSteps
           && x.stepName == y.stepName && sameDouble(x.percent, y.percent) && sameDouble(x.etaSeconds, y.etaSeconds)
           && x.stage == y.stage && x.message == y.message && x.text == y.text && x.textDelta == y.textDelta
           && x.videoUrl == y.videoUrl && x.error == y.error && x.endOfStream == y.endOfStream;
}

inline void checkSame(const QList<DecodeResult> &a, const QList<DecodeResult> &b)
{
    if (a.size() != b.size())
        fail("decoding twice gave a different number of results");
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!sameResult(a.at(i), b.at(i)))
            fail("decoding twice gave different results at record", QString::number(i));
    }
}

/// Splits the input into records, one per line (at most `maxRecords`: a
/// longer input adds nothing but time).
inline QList<QByteArray> records(const uint8_t *bytes, size_t size, qsizetype maxRecords = 32)
{
    QList<QByteArray> out;
    const QByteArray all(reinterpret_cast<const char *>(bytes), qsizetype(size));
    qsizetype start = 0;
    while (start <= all.size() && out.size() < maxRecords) {
        qsizetype end = all.indexOf('\n', start);
        if (end < 0)
            end = all.size();
        out.append(all.mid(start, end - start));
        start = end + 1;
    }
    return out;
}

/// The body of every decoder target: decode the input's records twice with
/// `decodeAll`, check both agree, and that nothing throws.
template<typename DecodeAll>
int decodeTwiceAndCompare(const uint8_t *bytes, size_t size, DecodeAll decodeAll)
{
    const QList<QByteArray> lines = records(bytes, size);
    try {
        const QList<DecodeResult> first = decodeAll(lines);
        const QList<DecodeResult> second = decodeAll(lines);
        checkSame(first, second);
    } catch (...) {
        fail("an exception escaped the decoder");
    }
    return 0;
}

} // namespace fuzzdec
