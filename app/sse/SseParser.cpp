// SPDX-License-Identifier: GPL-3.0-or-later
#include "sse/SseParser.h"

#include <QCoreApplication>

#include <cstring>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace framecast::sse {

namespace utf8 {

namespace {

constexpr unsigned char kReplacement[] = {0xEF, 0xBF, 0xBD};

/// True when [p, end) is all ASCII; else *firstHigh is the first byte with the
/// high bit. `lowest` is the start of the readable range, so that a short
/// tail can be checked with one overlapping 16-byte load.
inline bool allAscii(const unsigned char *lowest, const unsigned char *p, const unsigned char *end,
                     const unsigned char **firstHigh)
{
#ifdef __SSE2__
    while (end - p >= 16) {
        const unsigned mask = unsigned(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p))));
        if (mask != 0) {
            *firstHigh = p + __builtin_ctz(mask);
            return false;
        }
        p += 16;
    }
    if (p < end && end - lowest >= 16) {
        const unsigned char *q = end - 16;
        unsigned mask = unsigned(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(q))));
        mask &= ~((1u << (p - q)) - 1u); // bytes before p were checked already
        if (mask != 0) {
            *firstHigh = q + __builtin_ctz(mask);
            return false;
        }
        return true;
    }
#else
    Q_UNUSED(lowest);
#endif
    while (end - p >= 8) {
        quint64 word;
        std::memcpy(&word, p, sizeof word);
        if (word & 0x8080808080808080ULL)
            break;
        p += 8;
    }
    while (p < end) {
        if (*p & 0x80) {
            *firstHigh = p;
            return false;
        }
        ++p;
    }
    return true;
}

inline void appendBytes(QByteArray &out, const void *data, qsizetype size)
{
    out.append(static_cast<const char *>(data), size);
}
inline void appendBytes(std::string &out, const void *data, qsizetype size)
{
    out.append(static_cast<const char *>(data), size_t(size));
}

/// Walks the bytes with the Encoding Standard's UTF-8 decoder. With `out`
/// null it only validates and returns at the first error; otherwise it appends
/// the sanitized bytes to `out`.
template<typename Out>
bool decode(const unsigned char *p, const unsigned char *end, Out *out)
{
    const unsigned char *const begin = p;
    const unsigned char *runStart = p; // start of bytes that can be copied verbatim
    while (p < end) {
        const unsigned char *high = nullptr;
        if (allAscii(begin, p, end, &high))
            break;
        p = high;
        const unsigned char *seqStart = p;
        const unsigned char lead = *p++;
        int needed = 0;
        unsigned char lower = 0x80;
        unsigned char upper = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            needed = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            needed = 2;
            if (lead == 0xE0)
                lower = 0xA0;
            if (lead == 0xED)
                upper = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            needed = 3;
            if (lead == 0xF0)
                lower = 0x90;
            if (lead == 0xF4)
                upper = 0x8F;
        } else {
            needed = -1; // never a valid lead byte
        }
        bool ok = needed > 0;
        for (int i = 0; ok && i < needed; ++i) {
            if (p >= end || *p < lower || *p > upper) {
                ok = false; // maximal subpart ends before *p, which is reprocessed
                break;
            }
            lower = 0x80;
            upper = 0xBF;
            ++p;
        }
        if (ok)
            continue;
        if (!out)
            return false;
        appendBytes(*out, runStart, seqStart - runStart);
        appendBytes(*out, kReplacement, sizeof kReplacement);
        runStart = p;
    }
    if (out)
        appendBytes(*out, runStart, end - runStart);
    return true;
}

} // namespace

bool isValid(const char *data, qsizetype size)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    return decode<std::string>(p, p + size, nullptr);
}

namespace {
template<typename Out>
void sanitizeInto(Out &out, const char *data, qsizetype size)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    if (decode<Out>(p, p + size, nullptr)) {
        appendBytes(out, data, size); // valid: one copy
        return;
    }
    decode(p, p + size, &out);
}
} // namespace

void appendSanitized(QByteArray &out, const char *data, qsizetype size)
{
    sanitizeInto(out, data, size);
}

void appendSanitized(std::string &out, const char *data, qsizetype size)
{
    sanitizeInto(out, data, size);
}

} // namespace utf8

namespace {

constexpr qsizetype kKeepCapacity = 256 * 1024;

const QByteArray &messageType()
{
    static const QByteArray type = QByteArrayLiteral("message");
    return type;
}

/// Position of the first CR or LF in [p, end), or end. `nextCr` caches the
/// next CR of the chunk so that streams without CR cost one memchr per line.
inline const char *findLineEnd(const char *p, const char *end, const char *&nextCr)
{
    if (nextCr < p) {
        const void *cr = std::memchr(p, '\r', size_t(end - p));
        nextCr = cr ? static_cast<const char *>(cr) : end;
    }
    const void *lf = std::memchr(p, '\n', size_t(end - p));
    const char *lineFeed = lf ? static_cast<const char *>(lf) : end;
    return nextCr < lineFeed ? nextCr : lineFeed;
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
    if (!m_pending.empty()) {
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

    while (p < end) {
        // A blank line (the end of almost every event) needs no search.
        const char *eol = (*p == '\n' || *p == '\r') ? p : findLineEnd(p, end, nextCr);
        if (eol - p > m_limits.maxLineBytes)
            return fail(Error::LineTooLong);
        if (eol == end) {
            m_pending.append(p, size_t(end - p));
            break;
        }
        if (!processLine(p, eol - p))
            return false;
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_skipLeadingLf = true;
            else if (*p == '\n')
                ++p;
        }
    }
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
        return true;
    }
    // Fast path for the line almost every event has.
    if (length >= 5 && std::memcmp(line, "data:", 5) == 0) {
        const qsizetype skip = (length > 5 && line[5] == ' ') ? 6 : 5;
        return appendData(line + skip, length - skip);
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
        if (!std::memchr(value, '\0', size_t(valueLength))) {
            m_idBuffer = QByteArray();
            utf8::appendSanitized(m_idBuffer, value, valueLength);
            m_idChanged = true;
        }
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

bool SseParser::appendData(const char *value, qsizetype valueLength)
{
    if (qsizetype(m_data.size()) + valueLength + 1 > m_limits.maxEventBytes)
        return fail(Error::EventTooLarge);
    utf8::appendSanitized(m_data, value, valueLength);
    // Checked again after decoding: every invalid byte became three
    // (U+FFFD), so the decoded buffer can be larger than the raw bytes.
    if (qsizetype(m_data.size()) + 1 > m_limits.maxEventBytes)
        return fail(Error::EventTooLarge);
    m_data.push_back('\n');
    return true;
}

void SseParser::dispatch()
{
    if (m_idChanged) {
        m_lastEventId = m_idBuffer;
        m_idChanged = false;
    }
    if (m_data.empty()) {
        m_eventType.clear();
        return;
    }
    // The event is handed out as views: the data buffer keeps its capacity
    // for the next event, so a steady stream allocates nothing per event.
    const SseEventView event{m_eventType.isEmpty() ? QByteArrayView(messageType()) : QByteArrayView(m_eventType),
                             QByteArrayView(m_data.data(), qsizetype(m_data.size()) - 1), // without the final LF
                             QByteArrayView(m_lastEventId)};
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
    std::string().swap(m_pending);
    std::string().swap(m_data);
    m_eventType.clear();
    m_idBuffer = m_lastEventId;
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
    m_lastEventId.clear();
    m_idBuffer.clear();
    m_retryMs.reset();
}

} // namespace framecast::sse
