// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QHttpServerRequest;
class QHttpServerResponder;

namespace framecast::demo {

/// POST /api/v1/uploads of an authenticated user: one multipart part `file`,
/// a PNG, JPEG or WebP of at most 20 MB and 8192 pixels a side that decodes
/// whole, stored in `imageDir` under a name the server makes.
void receiveUpload(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &imageDir);

} // namespace framecast::demo
