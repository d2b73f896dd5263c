// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

namespace framecast {

/// Loads the program's module `file` (never unloaded) and resolves `symbol`
/// in it: next to the program (the build tree), else in the install tree's
/// FRAMECAST_DEMO_MODULE_DIR. Null with `why` (the loader's error, or the
/// missing file) when it cannot. The demo's and the gallery's loaders use it.
QFunctionPointer resolveModuleSymbol(const QString &file, const char *symbol, QString *why);

} // namespace framecast
