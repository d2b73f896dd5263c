// SPDX-License-Identifier: GPL-3.0-or-later
#include "sse/Utf8.h"

#include <QByteArray>

#include <cstring>
#include <string>

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

inline bool isContinuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
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
        // Text that is not ASCII (Chinese, emoji) comes in runs: only look for
        // the next non-ASCII byte with the vector scan after an ASCII byte.
        if (*p < 0x80) {
            const unsigned char *high = nullptr;
            if (allAscii(begin, p, end, &high))
                break;
            p = high;
        }
        // Fast paths for the well-formed sequences real text is made of: CJK
        // (three bytes, E1..EC and EE..EF) and emoji (four bytes). Anything
        // else, and every error, takes the exact walk below.
        if (end - p >= 3 && *p >= 0xE1 && *p <= 0xEF && *p != 0xED && isContinuation(p[1]) && isContinuation(p[2])) {
            p += 3;
            continue;
        }
        if (end - p >= 4 && *p >= 0xF0 && *p <= 0xF4 && isContinuation(p[1]) && isContinuation(p[2])
            && isContinuation(p[3]) && !(*p == 0xF0 && p[1] < 0x90) && !(*p == 0xF4 && p[1] > 0x8F)) {
            p += 4;
            continue;
        }
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
    if (isValidFast(data, size)) {
        appendBytes(out, data, size); // valid: one copy
        return;
    }
    const auto *p = reinterpret_cast<const unsigned char *>(data);
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

} // namespace framecast::sse
