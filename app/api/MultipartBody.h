// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QRandomGenerator;

namespace framecast {

/// A multipart/form-data request body with one file part, written the way
/// browsers write it (RFC 7578, WHATWG "multipart/form-data encoding"):
///
///     ------FramecastFormBoundaryXXXXXXXXXXXXXXXX\r\n
///     Content-Disposition: form-data; name="file"; filename="x.png"\r\n
///     Content-Type: image/png\r\n
///     \r\n
///     <data>\r\n
///     ------FramecastFormBoundaryXXXXXXXXXXXXXXXX--\r\n
///
/// with `Content-Type: multipart/form-data; boundary=...` unquoted. The
/// boundary is only letters, digits and dashes, so no server stack needs to
/// unquote it, and it never occurs in the data. The body is one buffer, so the
/// request carries an exact Content-Length.
struct MultipartBody
{
    QByteArray boundary;
    QByteArray contentType; ///< the request's Content-Type header value
    QByteArray body;

    /// A body for `data` under a fresh boundary from `random` (the system
    /// generator when null) that does not occur in `data`.
    static MultipartBody forFile(const QByteArray &fieldName, const QString &fileName, const QByteArray &mimeType,
                                 const QByteArray &data, QRandomGenerator *random = nullptr);
    /// The same with a given boundary (which the caller made sure is absent
    /// from `data`): the exact bytes, for tests.
    static MultipartBody withBoundary(const QByteArray &boundary, const QByteArray &fieldName, const QString &fileName,
                                      const QByteArray &mimeType, const QByteArray &data);

    /// `----FramecastFormBoundary` and 16 random letters and digits, drawn
    /// again while the `--`-prefixed delimiter occurs in `data`.
    static QByteArray makeBoundary(const QByteArray &data, QRandomGenerator *random = nullptr);
    /// A file name as it goes into `filename="..."`: only the base name,
    /// `"`, CR and LF percent-encoded as browsers do; `image` when empty.
    static QByteArray quotedFileName(const QString &fileName);
};

} // namespace framecast
