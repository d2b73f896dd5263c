// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace framecast::demo {

struct MultipartPart
{
    QByteArray name;        ///< form field name
    QByteArray filename;
    QByteArray contentType;
    QByteArray body;
};

/// Parses a multipart/form-data body (RFC 7578). `contentType` is the
/// request's Content-Type header with its boundary. Empty on malformed input.
std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &contentType, const QByteArray &body);

/// The image format by magic bytes: "png", "jpeg", "webp", or empty.
QByteArray sniffImageFormat(const QByteArray &data);

} // namespace framecast::demo
