// SPDX-License-Identifier: GPL-3.0-or-later
#include "thumbnailer/ThumbnailerModuleLoader.h"

#include "thumbnailer/ThumbnailerModuleEntry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>

namespace framecast::thumbnailer {

namespace {

QStringList candidates()
{
    const QString dir = QCoreApplication::applicationDirPath();
    const QString file = QStringLiteral(FRAMECAST_THUMBNAILER_MODULE_FILE);
    return {QDir(dir).filePath(file), QDir::cleanPath(dir + QLatin1Char('/') + QStringLiteral(FRAMECAST_DEMO_MODULE_DIR)
                                                      + QLatin1Char('/') + file)};
}

} // namespace

std::shared_ptr<const FrameGrabber> moduleFrameGrabber()
{
    QString why;
    for (const QString &path : candidates()) {
        if (!QFileInfo::exists(path))
            continue;
        auto *library = new QLibrary(path); // never unloaded: FFmpeg stays mapped for the grabber
        const auto create = reinterpret_cast<FramecastThumbnailerCreate>(library->resolve(kFramecastThumbnailerCreateSymbol));
        if (create)
            return std::shared_ptr<const FrameGrabber>(create());
        why = library->errorString();
        delete library;
    }
    if (why.isEmpty())
        why = QCoreApplication::translate("ThumbnailerModuleLoader", "the file %1 is missing").arg(candidates().constLast());
    return std::make_shared<UnavailableFrameGrabber>(
        QCoreApplication::translate("ThumbnailerModuleLoader", "No thumbnails can be made: %1").arg(why));
}

} // namespace framecast::thumbnailer
