// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "progress/ProgressDecoder.h"

#include <QString>

namespace framecast {

/// Replaces unpaired UTF-16 surrogates with U+FFFD (valid UTF-8 afterwards).
void repairText(QString *s);

/// Holds a decoder's result to what ProgressEvent promises (ranges, valid
/// text), each repair a warning. Every decoder's result passes it.
DecodeResult checkedEvent(DecodeResult result);

} // namespace framecast
