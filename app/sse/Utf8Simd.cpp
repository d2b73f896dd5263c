// SPDX-License-Identifier: GPL-3.0-or-later
//
// UTF-8 validation sixteen bytes at a time: the "lookup" algorithm of John
// Keiser and Daniel Lemire, "Validating UTF-8 in less than one instruction per
// byte" (Software: Practice and Experience 51(5), 2021), as simdjson implements
// it, here with SSSE3 only. Three table lookups on the nibbles of each byte and
// of the byte before it classify every two-byte pair; a second check marks
// where a third or fourth byte of a sequence must follow. Any bit left over is
// an error. It only says valid or not: where it says not, the caller takes the
// exact walk, which also knows where to put U+FFFD.
#include "sse/Utf8.h"

#include <cstring>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define FRAMECAST_UTF8_SSSE3 1
#include <immintrin.h>
#endif

namespace framecast::sse::utf8 {

#ifdef FRAMECAST_UTF8_SSSE3
namespace {

// What a pair of bytes (the one before, the one now) can be wrong with.
constexpr char kTooShort = 1 << 0;   // a lead, then no continuation
constexpr char kTooLong = 1 << 1;    // ASCII, then a continuation
constexpr char kOverlong3 = 1 << 2;  // E0 80..9F
constexpr char kTooLarge = 1 << 3;   // F4 90..BF, F5..FF
constexpr char kSurrogate = 1 << 4;  // ED A0..BF
constexpr char kOverlong2 = 1 << 5;  // C0, C1
constexpr char kTooLarge1000 = 1 << 6; // F5..FF 80..8F
constexpr char kOverlong4 = 1 << 6;  // F0 80..8F
constexpr char kTwoConts = char(1 << 7); // two continuations (fine only inside a 3- or 4-byte sequence)
constexpr char kCarry = kTooShort | kTooLong | kTwoConts;

#define FRAMECAST_SSSE3 __attribute__((target("ssse3")))

/// The running state over a sequence of sixteen-byte blocks.
struct Validator
{
    __m128i previous;
    __m128i previousIncomplete;
    __m128i error;

    FRAMECAST_SSSE3 Validator()
        : previous(_mm_setzero_si128())
        , previousIncomplete(_mm_setzero_si128())
        , error(_mm_setzero_si128())
    {
    }

    FRAMECAST_SSSE3 static __m128i highNibbles(__m128i v)
    {
        return _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0F));
    }

    FRAMECAST_SSSE3 void check(__m128i input)
    {
        if (_mm_movemask_epi8(input) == 0) {
            error = _mm_or_si128(error, previousIncomplete); // ASCII now: nothing may be left open
        } else {
            // First byte of a pair, by its high nibble.
            const __m128i byte1High = _mm_setr_epi8(
                kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, // 0_______
                kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                     // 10______
                char(kTooShort | kOverlong2),                                                   // 1100____
                kTooShort,                                                                      // 1101____
                char(kTooShort | kOverlong3 | kSurrogate),                                      // 1110____
                char(kTooShort | kTooLarge | kTooLarge1000 | kOverlong4));                      // 1111____
            // First byte of a pair, by its low nibble.
            constexpr char big = kCarry | kTooLarge | kTooLarge1000;
            const __m128i byte1Low = _mm_setr_epi8(char(kCarry | kOverlong3 | kOverlong2 | kOverlong4), // ____0000
                                                   char(kCarry | kOverlong2),                           // ____0001
                                                   kCarry, kCarry,                                      // ____001_
                                                   char(kCarry | kTooLarge),                            // ____0100
                                                   big, big, big,                                       // ____0101..0111
                                                   big, big, big, big, big,                             // ____1000..1100
                                                   char(big | kSurrogate),                              // ____1101
                                                   big, big);                                           // ____1110..1111
            // Second byte of a pair, by its high nibble.
            const __m128i byte2High = _mm_setr_epi8(
                kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, // 0_______
                char(kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4),      // 1000____
                char(kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge),                       // 1001____
                char(kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge),                       // 1010____
                char(kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge),                       // 1011____
                kTooShort, kTooShort, kTooShort, kTooShort);                                            // 11______
            const __m128i prev1 = _mm_alignr_epi8(input, previous, 15);
            const __m128i special = _mm_and_si128(
                _mm_and_si128(_mm_shuffle_epi8(byte1High, highNibbles(prev1)),
                              _mm_shuffle_epi8(byte1Low, _mm_and_si128(prev1, _mm_set1_epi8(0x0F)))),
                _mm_shuffle_epi8(byte2High, highNibbles(input)));
            // Where the byte two or three back is a lead of three or four
            // bytes, this one must be a continuation (the only place where
            // kTwoConts is no error).
            const __m128i prev2 = _mm_alignr_epi8(input, previous, 14);
            const __m128i prev3 = _mm_alignr_epi8(input, previous, 13);
            const __m128i mustContinue =
                _mm_and_si128(_mm_or_si128(_mm_subs_epu8(prev2, _mm_set1_epi8(char(0xE0 - 0x80))),
                                           _mm_subs_epu8(prev3, _mm_set1_epi8(char(0xF0 - 0x80)))),
                              _mm_set1_epi8(char(0x80)));
            error = _mm_or_si128(error, _mm_xor_si128(mustContinue, special));
        }
        previousIncomplete = incomplete(input);
        previous = input;
    }

    /// Not zero where a block's last three bytes start a sequence it does not end.
    FRAMECAST_SSSE3 static __m128i incomplete(__m128i input)
    {
        const __m128i incompleteMax =
            _mm_setr_epi8(char(0xFF), char(0xFF), char(0xFF), char(0xFF), char(0xFF), char(0xFF), char(0xFF),
                          char(0xFF), char(0xFF), char(0xFF), char(0xFF), char(0xFF), char(0xFF), char(0xF0 - 1),
                          char(0xE0 - 1), char(0xC0 - 1));
        return _mm_subs_epu8(input, incompleteMax);
    }

    FRAMECAST_SSSE3 bool valid() const
    {
        const __m128i all = _mm_or_si128(error, previousIncomplete);
        return _mm_movemask_epi8(_mm_cmpeq_epi8(all, _mm_setzero_si128())) == 0xFFFF;
    }
};

FRAMECAST_SSSE3 bool validSsse3(const unsigned char *data, qsizetype size)
{
    Validator validator;
    qsizetype offset = 0;
    for (; offset + 16 <= size; offset += 16)
        validator.check(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data + offset)));
    if (offset < size && size >= 32) {
        // The tail as the last sixteen bytes, checked again from the sixteen
        // before them: the bytes both blocks hold get the same answer twice.
        validator.previous = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + size - 32));
        validator.previousIncomplete = Validator::incomplete(validator.previous);
        validator.check(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data + size - 16)));
    } else if (offset < size) {
        // The tail, padded with NUL (ASCII): a sequence it leaves open shows
        // as a lead followed by ASCII.
        alignas(16) unsigned char tail[16] = {};
        std::memcpy(tail, data + offset, size_t(size - offset));
        validator.check(_mm_load_si128(reinterpret_cast<const __m128i *>(tail)));
    }
    return validator.valid();
}

bool haveSsse3()
{
    static const bool have = __builtin_cpu_supports("ssse3");
    return have;
}

} // namespace
#endif

bool isValidFast(const char *data, qsizetype size)
{
#ifdef FRAMECAST_UTF8_SSSE3
    // Below one block the exact walk is as quick (short IDs, event types).
    if (size >= 16 && haveSsse3())
        return validSsse3(reinterpret_cast<const unsigned char *>(data), size);
#endif
    return isValid(data, size);
}

} // namespace framecast::sse::utf8
