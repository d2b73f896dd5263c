// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace framecast {

/// Words for an HTTP error whose body is not the protocol's JSON `detail`:
/// Django's HTML 400 page, nginx's 502/504 pages, a proxy's 413, plain text,
/// an empty body (PROTOCOL.md §2). The status, its reason phrase, what it
/// usually means, and what a short body says (its HTML <title> or its first
/// line), so that a user never sees only a number.
class HttpErrorText final
{
    Q_DECLARE_TR_FUNCTIONS(framecast::HttpErrorText)

public:
    /// The longest quote taken from a body, in characters.
    static constexpr int kMaxQuote = 160;

    /// "Bad Gateway (HTTP 502): a proxy in front of the server got no valid
    /// answer from it. The server said: ..." (the quote only when it adds
    /// something to the reason phrase).
    static QString describe(int httpStatus, const QByteArray &body);
    /// RFC 9110's reason phrase ("Bad Gateway"), empty for a status it has none for.
    static QString reasonPhrase(int httpStatus);
    /// What a non-FastAPI body says in one line: the <title> (or first <h1>)
    /// of an HTML page, a JSON `message` or `error`, or the first non-empty
    /// line of text; cut to kMaxQuote; bytes that are not UTF-8 read as
    /// Latin-1; empty for an empty or binary body.
    static QString quoteOf(const QByteArray &body);

private:
    static QString meaningOf(int httpStatus);
    static bool onlyRestates(const QString &quote, int httpStatus);
};

} // namespace framecast
