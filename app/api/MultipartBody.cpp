// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/MultipartBody.h"

#include <QRandomGenerator>

namespace framecast {

namespace {
constexpr char kBoundaryPrefix[] = "----FramecastFormBoundary";
constexpr int kRandomChars = 16;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
} // namespace

QByteArray MultipartBody::makeBoundary(const QByteArray &data, QRandomGenerator *random)
{
    QRandomGenerator *rng = random ? random : QRandomGenerator::system();
    constexpr int alphabetSize = int(sizeof(kAlphabet)) - 1;
    while (true) {
        QByteArray boundary(kBoundaryPrefix);
        for (int i = 0; i < kRandomChars; ++i)
            boundary += kAlphabet[rng->bounded(alphabetSize)];
        // The delimiter in the body is "--" + boundary; checking for the
        // boundary alone is stricter and just as cheap.
        if (!data.contains(boundary))
            return boundary;
    }
}

QByteArray MultipartBody::quotedFileName(const QString &fileName)
{
    QString base = fileName.section(QLatin1Char('/'), -1).section(QLatin1Char('\\'), -1);
    if (base.isEmpty())
        base = QStringLiteral("image");
    QByteArray out = base.toUtf8();
    out.replace('"', "%22");
    out.replace('\r', "%0D");
    out.replace('\n', "%0A");
    return out;
}

MultipartBody MultipartBody::withBoundary(const QByteArray &boundary, const QByteArray &fieldName,
                                          const QString &fileName, const QByteArray &mimeType, const QByteArray &data)
{
    MultipartBody m;
    m.boundary = boundary;
    m.contentType = "multipart/form-data; boundary=" + boundary;
    QByteArray &b = m.body;
    b.reserve(data.size() + 2 * boundary.size() + 256);
    b += "--" + boundary + "\r\n";
    b += "Content-Disposition: form-data; name=\"" + fieldName + "\"; filename=\"" + quotedFileName(fileName)
         + "\"\r\n";
    b += "Content-Type: " + (mimeType.isEmpty() ? QByteArrayLiteral("application/octet-stream") : mimeType) + "\r\n";
    b += "\r\n";
    b += data;
    b += "\r\n--" + boundary + "--\r\n";
    return m;
}

MultipartBody MultipartBody::forFile(const QByteArray &fieldName, const QString &fileName, const QByteArray &mimeType,
                                     const QByteArray &data, QRandomGenerator *random)
{
    return withBoundary(makeBoundary(data, random), fieldName, fileName, mimeType, data);
}

} // namespace framecast
