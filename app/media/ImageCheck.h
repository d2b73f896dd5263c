// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>

namespace framecast {

/// A reference image checked against PROTOCOL.md §5 before anything is sent:
/// PNG, JPEG or WebP by content (not by file name), at most 20 MB and 8192 px
/// a side, and decodable (a corrupt file is refused here, not by the server).
struct CheckedImage
{
    bool ok = false;
    QString error;        ///< why it was refused, for the user
    QByteArray data;      ///< the file's bytes, when ok
    QByteArray mimeType;  ///< image/png, image/jpeg, image/webp
    QString fileName;     ///< the base name only
    QSize size;
};

constexpr qint64 kMaxImageBytes = 20 * 1024 * 1024;
constexpr int kMaxImageSide = 8192;

CheckedImage checkReferenceImage(const QString &path);
CheckedImage checkReferenceImage(const QByteArray &data, const QString &fileName);

/// PROTOCOL.md §5: 10 to 2000 characters after trimming. Empty when fine.
QString checkPrompt(const QString &prompt);

} // namespace framecast
