// SPDX-License-Identifier: GPL-3.0-or-later
#include "sse/SseParser.h"

#include <QCoreApplication>
#include <QtEndian>

#include <cstring>
#include <limits>

#if defined(__SSE2__)
#define FRAMECAST_SSE_SSE2 1
#include <emmintrin.h>
#endif

namespace framecast::sse {

namespace {

constexpr qsizetype kKeepCapacity = 256 * 1024;

const QByteArray &messageType()
{
    static const QByteArray type = QByteArrayLiteral("message");
    return type;
}

/// Position of the first CR or LF in [p, end), or end: one pass for either.
inline const char *findCrOrLf(const char *p, const char *end)
{
#ifdef FRAMECAST_SSE_SSE2
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const int hits = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        if (hits != 0)
            return p + __builtin_ctz(unsigned(hits));
    }
#endif
    for (; p < end; ++p) {
        if (*p == '\n' || *p == '\r')
            return p;
    }
    return end;
}

/// Position of the first LF in [p, end), or end. Short lines (an `id:`, a
/// blank line's neighbour) end in the first sixteen bytes: those are looked
/// at in place, before a call to memchr.
inline const char *findLf(const char *p, const char *end)
{
#ifdef FRAMECAST_SSE_SSE2
    if (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const int hits = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        if (hits != 0)
            return p + __builtin_ctz(unsigned(hits));
        p += 16;
    }
#endif
    const void *lf = std::memchr(p, '\n', size_t(end - p));
    return lf ? static_cast<const char *>(lf) : end;
}

/// Position of the first CR or LF in [p, end), or end. `nextCr` is the next
/// CR of the chunk at or after the last search (end if none; nullptr before
/// the first): a stream without CR costs one memchr per line, and one with
/// CRLF one scan per line for either byte (not a memchr for each).
inline const char *findLineEnd(const char *p, const char *end, const char *&nextCr)
{
    if (!nextCr) {
        const void *cr = std::memchr(p, '\r', size_t(end - p));
        nextCr = cr ? static_cast<const char *>(cr) : end;
    }
    if (nextCr < p)
        return findCrOrLf(p, end); // past a CR: the stream has them (CRLF)
    return findLf(p, nextCr);
}

/// Eight bytes from `p` as a little-endian word (unaligned).
inline quint64 loadWord(const char *p)
{
    return qFromLittleEndian<quint64>(p);
}

} // namespace

SseParser::SseParser(EventHandler onEvent, SseLimits limits)
    : m_onEvent(std::move(onEvent))
    , m_limits(limits)
{
}

bool SseParser::fail(Error error)
{
    m_error = error;
    m_dataView = nullptr;
    m_dataViewSize = 0;
    m_streamingData = false;
    std::string().swap(m_pending); // give the memory back, not just the size
    std::string().swap(m_data);
    m_eventType.clear();
    return false;
}

QString SseParser::errorString() const
{
    switch (m_error) {
    case Error::None:
        return {};
    case Error::LineTooLong:
        return QCoreApplication::translate("SseParser", "A line of the event stream is longer than %1 bytes")
            .arg(m_limits.maxLineBytes);
    case Error::EventTooLarge:
        return QCoreApplication::translate("SseParser", "An event of the event stream is larger than %1 bytes")
            .arg(m_limits.maxEventBytes);
    }
    return {};
}

bool SseParser::feed(QByteArrayView chunk)
{
    if (m_error != Error::None)
        return false;
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end)
        return true;

    if (m_skipLeadingLf) {
        m_skipLeadingLf = false;
        if (*p == '\n' && ++p == end)
            return true;
    }

    const char *nextCr = nullptr;
    if (m_streamingData) {
        const char *eol = findLineEnd(p, end, nextCr);
        if (!continueStreamedData(p, eol, eol != end))
            return false;
        if (eol == end)
            return true;
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end) {
                m_skipLeadingLf = true;
                return true;
            }
            if (*p == '\n')
                ++p;
        }
        if (p == end)
            return true;
    } else if (!m_pending.empty()) {
        const char *eol = findLineEnd(p, end, nextCr);
        if (qsizetype(m_pending.size()) + (eol - p) > m_limits.maxLineBytes)
            return fail(Error::LineTooLong);
        m_pending.append(p, size_t(eol - p));
        if (eol == end)
            return true;
        if (!processLine(m_pending.data(), qsizetype(m_pending.size())))
            return false;
        m_pending.clear();
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_skipLeadingLf = true;
            else if (*p == '\n')
                ++p;
        }
    }

    m_lineInChunk = true; // lines below lie in the chunk: an event's one data line may stay a view
    m_chunkEnd = end;
    while (p < end) {
        // A blank line (the end of almost every event) needs no search.
        const char *eol = (*p == '\n' || *p == '\r') ? p : findLineEnd(p, end, nextCr);
        if (eol - p > m_limits.maxLineBytes)
            return fail(Error::LineTooLong);
        if (eol == end) {
            if (!startStreamedData(p, end - p))
                m_pending.append(p, size_t(end - p));
            break;
        }
        if (!processLine(p, eol - p)) {
            m_lineInChunk = false;
            return false;
        }
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_skipLeadingLf = true;
            else if (*p == '\n')
                ++p;
        }
    }
    m_lineInChunk = false;
    if (m_dataView)
        keepDataView(); // the chunk goes away: the event's data moves to its buffer
    return true;
}

bool SseParser::processLine(const char *line, qsizetype length)
{
    if (m_atStreamStart) {
        m_atStreamStart = false;
        if (length >= 3 && std::memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            line += 3;
            length -= 3;
        }
    }
    if (length == 0) {
        dispatch();
        return m_error == Error::None; // a buffer too large once made valid fails here
    }
    // Fast path for the line almost every event has.
    if (length >= 5 && std::memcmp(line, "data:", 5) == 0) {
        const qsizetype skip = (length > 5 && line[5] == ' ') ? 6 : 5;
        return appendData(line + skip, length - skip);
    }
    // The second most common one: servers that number their events.
    if (length >= 3 && std::memcmp(line, "id:", 3) == 0) {
        const qsizetype skip = (length > 3 && line[3] == ' ') ? 4 : 3;
        setId(line + skip, length - skip);
        return true;
    }
    if (line[0] == ':')
        return true; // comment
    const void *colon = std::memchr(line, ':', size_t(length));
    if (!colon)
        return processField(QByteArrayView(line, length), line + length, 0);
    const char *value = static_cast<const char *>(colon) + 1;
    const char *const lineEnd = line + length;
    if (value < lineEnd && *value == ' ')
        ++value;
    return processField(QByteArrayView(line, static_cast<const char *>(colon) - line), value, lineEnd - value);
}

bool SseParser::processField(QByteArrayView name, const char *value, qsizetype valueLength)
{
    if (name == "data") {
        return appendData(value, valueLength);
    } else if (name == "event") {
        m_eventType.clear();
        utf8::appendSanitized(m_eventType, value, valueLength);
    } else if (name == "id") {
        setId(value, valueLength);
    } else if (name == "retry") {
        if (valueLength == 0)
            return true;
        qint64 ms = 0;
        for (qsizetype i = 0; i < valueLength; ++i) {
            const char c = value[i];
            if (c < '0' || c > '9')
                return true;
            // Saturate instead of overflowing on absurd values.
            if (ms < std::numeric_limits<qint64>::max() / 10 - 10)
                ms = ms * 10 + (c - '0');
        }
        m_retryMs = ms;
    }
    return true; // unknown fields are ignored
}

void SseParser::setId(const char *value, qsizetype valueLength)
{
    IdString &buffer = idBuffer();
    if (valueLength <= 16) {
        // The usual ID, a number or a short key: two words tell at once
        // whether it is ASCII without NUL (the bytes past its end read as
        // 0x01, neither). Read from the chunk when sixteen bytes lie there
        // (a copy to the stack first stalls the loads that follow it).
        constexpr quint64 ones = 0x0101010101010101ULL;
        constexpr quint64 highs = 0x8080808080808080ULL;
        quint64 words[2];
        if (m_lineInChunk && m_chunkEnd - value >= 16) {
            const auto keep = [](qsizetype bytes) {
                return bytes >= 8 ? ~quint64(0) : bytes <= 0 ? quint64(0) : (quint64(1) << (8 * bytes)) - 1;
            };
            const quint64 keep0 = keep(valueLength);
            const quint64 keep1 = keep(valueLength - 8);
            words[0] = (loadWord(value) & keep0) | (ones & ~keep0);
            words[1] = (loadWord(value + 8) & keep1) | (ones & ~keep1);
        } else { // near the chunk's end, or the carried-over line: by way of a padded copy
            char padded[16];
            std::memset(padded, 0x01, sizeof padded);
            std::memcpy(padded, value, size_t(valueLength));
            words[0] = loadWord(padded);
            words[1] = loadWord(padded + 8);
        }
        const auto hasZero = [](quint64 v) { return ((v - ones) & ~v & highs) != 0; };
        if (((words[0] | words[1]) & highs) == 0) {
            if (hasZero(words[0]) || hasZero(words[1]))
                return; // an ID with NUL is ignored (WHATWG 9.2.6)
            buffer.setWords(words[0], words[1], valueLength);
            m_idChanged = true;
            return;
        }
    }
    if (std::memchr(value, '\0', size_t(valueLength)))
        return; // an ID with NUL is ignored (WHATWG 9.2.6)
    std::string sanitized;
    utf8::appendSanitized(sanitized, value, valueLength);
    buffer.assign(sanitized.data(), qsizetype(sanitized.size()));
    m_idChanged = true;
}

bool SseParser::startStreamedData(const char *line, qsizetype length)
{
    // "data:" and the byte after it (the optional space) must be known; a
    // stream's first line goes the usual way (its byte order mark).
    if (m_atStreamStart || length < 6 || std::memcmp(line, "data:", 5) != 0)
        return false;
    const qsizetype skip = line[5] == ' ' ? 6 : 5;
    if (m_dataView)
        keepDataView(); // a second data line: join them in the buffer
    // The event limit is checked when the line ends, as for a line in one
    // chunk: which limit a stream breaks must not depend on its chunking. The
    // line limit bounds what is buffered until then.
    m_data.append(line + skip, size_t(length - skip));
    m_streamingData = true;
    m_streamedLineBytes = length;
    return true;
}

bool SseParser::continueStreamedData(const char *p, const char *eol, bool ends)
{
    m_streamedLineBytes += eol - p;
    if (m_streamedLineBytes > m_limits.maxLineBytes)
        return fail(Error::LineTooLong);
    m_data.append(p, size_t(eol - p));
    if (ends) {
        if (qsizetype(m_data.size()) + 1 > m_limits.maxEventBytes)
            return fail(Error::EventTooLarge);
        m_data.push_back('\n');
        m_streamingData = false;
    }
    return true;
}

void SseParser::keepDataView()
{
    m_data.assign(m_dataView, size_t(m_dataViewSize));
    m_data.push_back('\n');
    m_dataView = nullptr;
    m_dataViewSize = 0;
}

bool SseParser::appendData(const char *value, qsizetype valueLength)
{
    if (m_dataView)
        keepDataView(); // a second data line: join them in the buffer
    // The usual event has one data line, and it lies in the chunk being
    // parsed: valid UTF-8 is then handed out where it is, without a copy.
    if (m_lineInChunk && m_data.empty() && valueLength + 1 <= m_limits.maxEventBytes
        && utf8::isValidFast(value, valueLength)) {
        m_dataView = value;
        m_dataViewSize = valueLength;
        return true;
    }
    if (qsizetype(m_data.size()) + valueLength + 1 > m_limits.maxEventBytes)
        return fail(Error::EventTooLarge);
    // Raw: the buffer is made valid UTF-8 once, at dispatch (the LF between
    // lines ends any broken sequence, so that is the same as line by line).
    m_data.append(value, size_t(valueLength));
    m_data.push_back('\n');
    return true;
}

void SseParser::dispatch()
{
    if (!m_dataView && !m_data.empty() && !utf8::isValidFast(m_data.data(), qsizetype(m_data.size()))) {
        std::string valid;
        utf8::appendSanitized(valid, m_data.data(), qsizetype(m_data.size()));
        // Every invalid byte became three (U+FFFD): the decoded buffer can
        // be larger than the raw bytes the limit was checked on. An event
        // that fails is not delivered, and its ID is not taken either (a
        // reconnect must not resume after it).
        if (qsizetype(valid.size()) > m_limits.maxEventBytes) {
            fail(Error::EventTooLarge);
            return;
        }
        m_data.swap(valid);
    }
    if (m_idChanged) {
        // The buffer becomes the committed ID. The other string is read
        // again only after the next `id:` has cleared and refilled it (or
        // finish() has reset it).
        m_committed = 1 - m_committed;
        m_idChanged = false;
    }
    if (!m_dataView && m_data.empty()) {
        m_eventType.clear();
        return;
    }
    // The event is handed out as views (into the chunk, or into the data
    // buffer, which keeps its capacity): a steady stream allocates nothing.
    const QByteArrayView data = m_dataView ? QByteArrayView(m_dataView, m_dataViewSize)
                                           : QByteArrayView(m_data.data(), qsizetype(m_data.size()) - 1); // without the final LF
    const SseEventView event{m_eventType.isEmpty() ? QByteArrayView(messageType()) : QByteArrayView(m_eventType), data,
                             QByteArrayView(committedId().data(), committedId().size())};
    m_dataView = nullptr;
    m_dataViewSize = 0;
    if (m_onEvent)
        m_onEvent(event);
    m_data.clear();
    if (!m_eventType.isEmpty())
        m_eventType.clear();
    if (m_data.capacity() > size_t(kKeepCapacity))
        std::string().swap(m_data); // do not hold on to one huge event's buffer
}

void SseParser::finish()
{
    m_dataView = nullptr;
    m_dataViewSize = 0;
    m_streamingData = false;
    std::string().swap(m_pending);
    std::string().swap(m_data);
    m_eventType.clear();
    idBuffer() = committedId();
    m_idChanged = false;
    m_skipLeadingLf = false;
}

void SseParser::reset()
{
    finish();
    m_error = Error::None;
    m_atStreamStart = true;
}

void SseParser::clear()
{
    reset();
    m_ids[0].clear();
    m_ids[1].clear();
    m_retryMs.reset();
}

} // namespace framecast::sse
