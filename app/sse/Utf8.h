// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <string>

class QByteArray;

/// UTF-8 as the Encoding Standard decodes it, for the SSE parser and anything
/// that must hand on valid UTF-8.
namespace framecast::sse::utf8 {

/// Appends `size` bytes to `out`, replacing every maximal invalid subpart with
/// U+FFFD as the Encoding Standard's UTF-8 decoder does. Valid input is copied
/// in one go.
void appendSanitized(QByteArray &out, const char *data, qsizetype size);
void appendSanitized(std::string &out, const char *data, qsizetype size);

/// True when the bytes are valid UTF-8: the exact byte-by-byte walk, the
/// reference for isValidFast() (tests and fuzzers check one against the other).
bool isValid(const char *data, qsizetype size);

/// The same answer as isValid(), sixteen bytes at a time where the CPU can
/// (SSSE3, chosen at run time; Keiser and Lemire, "Validating UTF-8 in less
/// than one instruction per byte", 2021), else the exact walk.
bool isValidFast(const char *data, qsizetype size);

} // namespace framecast::sse::utf8
