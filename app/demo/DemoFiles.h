// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QHttpServerRequest;
class QHttpServerResponder;

namespace framecast::demo {

/// `bytes=a-b`, `bytes=a-`, `bytes=-n` against a file of `size` bytes: false
/// when it cannot be satisfied.
bool parseRange(const QByteArray &header, qint64 size, qint64 *from, qint64 *to);

/// GET or HEAD of /uploads/{folder}/{name} under `dataDir` (folder "images"
/// or "videos"), whole or one Range, as the video player and downloads ask.
void serveUpload(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &dataDir,
                 const QString &folder, const QString &name);

} // namespace framecast::demo
