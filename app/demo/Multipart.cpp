// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/Multipart.h"

#include <QRegularExpression>

namespace framecast::demo {

std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &contentType, const QByteArray &body)
{
    static const QRegularExpression boundaryRe(QStringLiteral("boundary=(?:\"([^\"]+)\"|([^;\\s]+))"),
                                               QRegularExpression::CaseInsensitiveOption);
    const auto match = boundaryRe.match(QString::fromLatin1(contentType));
    if (!match.hasMatch() || !contentType.toLower().startsWith("multipart/form-data"))
        return std::nullopt;
    const QByteArray boundary =
        "--" + (match.captured(1).isEmpty() ? match.captured(2) : match.captured(1)).toLatin1();

    QList<MultipartPart> parts;
    qsizetype pos = body.indexOf(boundary);
    if (pos < 0)
        return std::nullopt;
    while (true) {
        pos += boundary.size();
        if (body.mid(pos, 2) == "--")
            return parts; // closing delimiter
        if (body.mid(pos, 2) != "\r\n")
            return std::nullopt;
        pos += 2;
        const qsizetype headerEnd = body.indexOf("\r\n\r\n", pos);
        if (headerEnd < 0)
            return std::nullopt;
        MultipartPart part;
        for (const QByteArray &line : body.mid(pos, headerEnd - pos).split('\n')) {
            const QByteArray l = line.trimmed();
            const qsizetype colon = l.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray key = l.left(colon).trimmed().toLower();
            const QByteArray value = l.mid(colon + 1).trimmed();
            if (key == "content-type") {
                part.contentType = value;
            } else if (key == "content-disposition") {
                for (const QByteArray &param : value.split(';')) {
                    const QByteArray p = param.trimmed();
                    auto unquote = [](QByteArray v) {
                        if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"'))
                            v = v.mid(1, v.size() - 2);
                        return v;
                    };
                    if (p.startsWith("name="))
                        part.name = unquote(p.mid(5));
                    else if (p.startsWith("filename="))
                        part.filename = unquote(p.mid(9));
                }
            }
        }
        const qsizetype next = body.indexOf(QByteArray("\r\n" + boundary), headerEnd + 4);
        if (next < 0)
            return std::nullopt;
        part.body = body.mid(headerEnd + 4, next - headerEnd - 4);
        parts.append(part);
        pos = next + 2;
    }
}

QByteArray sniffImageFormat(const QByteArray &data)
{
    if (data.startsWith("\x89PNG\r\n\x1a\n"))
        return "png";
    if (data.startsWith("\xFF\xD8\xFF"))
        return "jpeg";
    if (data.size() >= 12 && data.startsWith("RIFF") && data.mid(8, 4) == "WEBP")
        return "webp";
    return {};
}

} // namespace framecast::demo
