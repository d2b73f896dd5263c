// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoFiles.h"

#include "demo/DemoReplies.h"
#include "demo/DemoWire.h"

#include <QDir>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QRegularExpression>

namespace framecast::demo {

namespace {

using Status = http::Status;
using Method = QHttpServerRequest::Method;

void serveFile(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &path,
               const QByteArray &contentType)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        respondDetail(responder, Status::NotFound, QStringLiteral("Not Found"));
        return;
    }
    const qint64 size = file.size();
    const QByteArray range = request.value("Range");
    const bool head = request.method() == Method::Head;
    if (range.isEmpty()) {
        const QByteArray body = head ? QByteArray() : file.readAll();
        respond(responder, Status::Ok, body, contentType,
                {{"Content-Length", QByteArray::number(size)}, {"Accept-Ranges", "bytes"}});
        return;
    }
    qint64 from = 0;
    qint64 to = 0;
    if (!parseRange(range, size, &from, &to)) {
        respond(responder, Status::RequestRangeNotSatisfiable, wire::detail(QStringLiteral("Range not satisfiable")),
                "application/json", {{"Content-Range", "bytes */" + QByteArray::number(size)}});
        return;
    }
    file.seek(from);
    const QByteArray body = head ? QByteArray() : file.read(to - from + 1);
    respond(responder, Status::PartialContent, body, contentType,
            {{"Content-Length", QByteArray::number(to - from + 1)},
             {"Content-Range", "bytes " + QByteArray::number(from) + '-' + QByteArray::number(to) + '/' + QByteArray::number(size)},
             {"Accept-Ranges", "bytes"}});
}

} // namespace

bool parseRange(const QByteArray &header, qint64 size, qint64 *from, qint64 *to)
{
    static const QRegularExpression re(QStringLiteral("^bytes=(\\d*)-(\\d*)$"));
    const auto m = re.match(QString::fromLatin1(header.trimmed()));
    if (!m.hasMatch() || (m.captured(1).isEmpty() && m.captured(2).isEmpty()) || size <= 0)
        return false;
    if (m.captured(1).isEmpty()) {
        const qint64 suffix = m.captured(2).toLongLong();
        if (suffix <= 0)
            return false;
        *from = std::max<qint64>(0, size - suffix);
        *to = size - 1;
    } else {
        *from = m.captured(1).toLongLong();
        *to = m.captured(2).isEmpty() ? size - 1 : std::min(m.captured(2).toLongLong(), size - 1);
    }
    return *from <= *to && *from < size;
}

void serveUpload(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &dataDir,
                 const QString &folder, const QString &name)
{
    const QString file = QDir(dataDir).filePath(folder + QLatin1Char('/') + name);
    QByteArray type = "video/mp4";
    if (folder != QLatin1String("videos"))
        type = name.endsWith(QLatin1String(".png")) ? "image/png"
               : name.endsWith(QLatin1String(".webp")) ? "image/webp"
                                                      : "image/jpeg";
    serveFile(request, responder, file, type);
}

} // namespace framecast::demo
