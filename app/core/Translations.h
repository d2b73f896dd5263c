// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QTranslator;

namespace framecast {

/// Loads the catalogue for the system's language into `translator` (built
/// into the program under ":/i18n"): Simplified Chinese when the system
/// speaks it, else the English one, which holds only the plurals ("1 prompt",
/// "3 prompts"). False when neither is there (a program without the widgets'
/// resources): then the source texts show.
bool loadCatalogue(QTranslator *translator);

} // namespace framecast
