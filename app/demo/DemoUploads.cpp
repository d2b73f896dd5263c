// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoUploads.h"

#include "demo/DemoReplies.h"
#include "demo/DemoWire.h"
#include "demo/Multipart.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QImageReader>

namespace framecast::demo {

namespace {
using Status = http::Status;
constexpr qint64 kMaxUploadBytes = 20 * 1024 * 1024; // PROTOCOL §5: 20 MB
constexpr int kMaxImageSide = 8192;
} // namespace

void receiveUpload(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &imageDir)
{
    const QByteArray body = request.body();
    if (body.size() > kMaxUploadBytes + 64 * 1024) {
        respondDetail(responder, Status::PayloadTooLarge, QStringLiteral("The image is larger than 20 MB"));
        return;
    }
    const auto parts = parseMultipart(request.value("Content-Type"), body);
    if (!parts) {
        respond(responder, Status::UnprocessableEntity,
                wire::validationDetail(QStringLiteral("file"), QStringLiteral("Expected multipart/form-data with a part named file")));
        return;
    }
    const MultipartPart *file = nullptr;
    for (const MultipartPart &part : *parts) {
        if (part.name == "file")
            file = &part;
    }
    if (!file) {
        respond(responder, Status::UnprocessableEntity, wire::validationDetail(QStringLiteral("file"), QStringLiteral("Field required"), QStringLiteral("missing")));
        return;
    }
    if (file->body.size() > kMaxUploadBytes) {
        respondDetail(responder, Status::PayloadTooLarge, QStringLiteral("The image is larger than 20 MB"));
        return;
    }
    const QByteArray format = sniffImageFormat(file->body);
    if (format.isEmpty()) {
        respondDetail(responder, Status::UnsupportedMediaType, QStringLiteral("Only PNG, JPEG and WebP images are accepted"));
        return;
    }
    QBuffer buffer;
    buffer.setData(file->body);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, format);
    const QSize size = reader.size();
    if (!size.isValid()) {
        respondDetail(responder, Status::UnprocessableEntity, QStringLiteral("The image cannot be read: %1").arg(reader.errorString()));
        return;
    }
    if (size.width() > kMaxImageSide || size.height() > kMaxImageSide) {
        respondDetail(responder, Status::UnprocessableEntity,
                      QStringLiteral("The image is %1x%2 pixels; at most %3 pixels a side are accepted")
                          .arg(size.width()).arg(size.height()).arg(kMaxImageSide));
        return;
    }
    if (reader.read().isNull()) {
        respondDetail(responder, Status::UnprocessableEntity, QStringLiteral("The image is damaged: %1").arg(reader.errorString()));
        return;
    }
    // The server makes the name; the client's file name is never used as a path.
    const QString name = randomId("img_") + QLatin1Char('.') + QString::fromLatin1(format == "jpeg" ? "jpg" : format);
    QFile out(QDir(imageDir).filePath(name));
    if (!out.open(QIODevice::WriteOnly) || out.write(file->body) != file->body.size()) {
        respondDetail(responder, Status::InsufficientStorage, QStringLiteral("Could not store the image: %1").arg(out.errorString()));
        out.remove();
        return;
    }
    respondJson(responder, Status::Created,
                {{QStringLiteral("url"), QString(QStringLiteral("/uploads/images/") + name)},
                 {QStringLiteral("width"), size.width()},
                 {QStringLiteral("height"), size.height()}});
}

} // namespace framecast::demo
