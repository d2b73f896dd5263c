// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop/DesktopNotification.h"

#include <QDesktopServices>
#include <QUrl>

namespace framecast::desktop {

Notifier::~Notifier() = default;

bool Notifier::openVideo(const QString &file)
{
    return !file.isEmpty() && QDesktopServices::openUrl(QUrl::fromLocalFile(file));
}

} // namespace framecast::desktop
