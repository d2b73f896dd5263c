// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/RuntimeModule.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>

namespace framecast {

QFunctionPointer resolveModuleSymbol(const QString &file, const char *symbol, QString *why)
{
    const QString dir = QCoreApplication::applicationDirPath();
    const QStringList candidates{QDir(dir).filePath(file),
                                 QDir::cleanPath(dir + QLatin1Char('/') + QStringLiteral(FRAMECAST_DEMO_MODULE_DIR)
                                                 + QLatin1Char('/') + file)};
    QString error;
    for (const QString &path : candidates) {
        if (!QFileInfo::exists(path))
            continue;
        auto *library = new QLibrary(path); // never unloaded: its code (and FFmpeg) stays mapped
        if (const QFunctionPointer resolved = library->resolve(symbol))
            return resolved;
        error = library->errorString();
        delete library;
    }
    if (why)
        *why = error.isEmpty() ? QCoreApplication::translate("DemoModuleLoader", "the file %1 is missing").arg(candidates.constLast())
                               : error;
    return nullptr;
}

} // namespace framecast
