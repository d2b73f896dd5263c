// SPDX-License-Identifier: GPL-3.0-or-later
#include "thumbnailer/ThumbnailerModuleLoader.h"

#include "demo/RuntimeModule.h"
#include "thumbnailer/ThumbnailerModuleEntry.h"

#include <QCoreApplication>

namespace framecast::thumbnailer {

std::shared_ptr<const FrameGrabber> moduleFrameGrabber()
{
    QString why;
    const auto create = reinterpret_cast<FramecastThumbnailerCreate>(
        resolveModuleSymbol(QStringLiteral(FRAMECAST_THUMBNAILER_MODULE_FILE), kFramecastThumbnailerCreateSymbol, &why));
    if (create)
        return std::shared_ptr<const FrameGrabber>(create());
    return std::make_shared<UnavailableFrameGrabber>(
        QCoreApplication::translate("ThumbnailerModuleLoader", "No thumbnails can be made: %1").arg(why));
}

} // namespace framecast::thumbnailer
