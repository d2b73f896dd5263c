// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/ImageCheck.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

namespace framecast {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ImageCheck)
};
} // namespace

CheckedImage checkReferenceImage(const QString &path)
{
    CheckedImage result;
    QFile file(path);
    const QFileInfo info(path);
    if (!info.exists()) {
        result.error = Tr::tr("%1 does not exist").arg(path);
        return result;
    }
    if (info.size() > kMaxImageBytes) {
        result.error = Tr::tr("%1 is %2 MB; images of at most 20 MB are accepted")
                           .arg(info.fileName())
                           .arg(double(info.size()) / (1024 * 1024), 0, 'f', 1);
        return result;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = Tr::tr("Cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    return checkReferenceImage(file.readAll(), info.fileName());
}

CheckedImage checkReferenceImage(const QByteArray &data, const QString &fileName)
{
    CheckedImage result;
    result.fileName = fileName;
    if (data.size() > kMaxImageBytes) {
        result.error = Tr::tr("%1 is larger than 20 MB").arg(fileName);
        return result;
    }
    QByteArray format;
    if (data.startsWith("\x89PNG\r\n\x1a\n")) {
        format = "png";
        result.mimeType = "image/png";
    } else if (data.startsWith("\xFF\xD8\xFF")) {
        format = "jpeg";
        result.mimeType = "image/jpeg";
    } else if (data.size() >= 12 && data.startsWith("RIFF") && data.mid(8, 4) == "WEBP") {
        format = "webp";
        result.mimeType = "image/webp";
    } else {
        result.error = Tr::tr("%1 is not a PNG, JPEG or WebP image").arg(fileName);
        return result;
    }
    QBuffer buffer;
    buffer.setData(data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, format);
    result.size = reader.size();
    if (!result.size.isValid()) {
        result.error = Tr::tr("%1 cannot be read as an image: %2").arg(fileName, reader.errorString());
        return result;
    }
    if (result.size.width() > kMaxImageSide || result.size.height() > kMaxImageSide) {
        result.error = Tr::tr("%1 is %2x%3 pixels; at most %4 pixels a side are accepted")
                           .arg(fileName)
                           .arg(result.size.width())
                           .arg(result.size.height())
                           .arg(kMaxImageSide);
        return result;
    }
    if (reader.read().isNull()) {
        result.error = Tr::tr("%1 is damaged: %2").arg(fileName, reader.errorString());
        return result;
    }
    result.ok = true;
    result.data = data;
    return result;
}

QString checkPrompt(const QString &prompt)
{
    const qsizetype n = prompt.trimmed().size();
    if (n < 10)
        return Tr::tr("The prompt needs at least 10 characters (it has %1)").arg(n);
    if (n > 2000)
        return Tr::tr("The prompt may have at most 2000 characters (it has %1)").arg(n);
    return {};
}

} // namespace framecast
