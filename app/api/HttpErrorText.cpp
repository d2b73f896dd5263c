// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/HttpErrorText.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringDecoder>

namespace framecast {

namespace {

/// Letters only, lower case: "502 Bad Gateway" and "Bad Gateway (502)" both
/// become "badgateway".
QString lettersOf(const QString &s)
{
    QString out;
    for (const QChar c : s) {
        if (c.isLetter())
            out += c.toLower();
    }
    return out;
}

QString decodeEntities(QString s)
{
    static const QRegularExpression numeric(QStringLiteral("&#(x[0-9a-fA-F]+|[0-9]+);"));
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = numeric.match(s, from)).hasMatch()) {
        const QString n = m.captured(1);
        bool ok = false;
        const char32_t code = n.startsWith(QLatin1Char('x')) ? n.mid(1).toUInt(&ok, 16) : n.toUInt(&ok, 10);
        const QString ch = ok && code > 0 && code <= 0x10FFFF ? QString::fromUcs4(&code, 1) : QString();
        s.replace(m.capturedStart(), m.capturedLength(), ch);
        from = m.capturedStart() + ch.size();
    }
    s.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    s.replace(QLatin1String("&lt;"), QLatin1String("<"));
    s.replace(QLatin1String("&gt;"), QLatin1String(">"));
    s.replace(QLatin1String("&quot;"), QLatin1String("\""));
    s.replace(QLatin1String("&#39;"), QLatin1String("'"));
    s.replace(QLatin1String("&apos;"), QLatin1String("'"));
    s.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return s;
}

QString htmlQuote(const QString &html)
{
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title\\s*>"),
                                          QRegularExpression::CaseInsensitiveOption
                                              | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression h1(QStringLiteral("<h1[^>]*>(.*?)</h1\\s*>"),
                                       QRegularExpression::CaseInsensitiveOption
                                           | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    for (const QRegularExpression *re : {&title, &h1}) {
        const QRegularExpressionMatch m = re->match(html);
        if (m.hasMatch()) {
            QString text = m.captured(1);
            text.remove(tag);
            text = decodeEntities(text).simplified();
            if (!text.isEmpty())
                return text;
        }
    }
    return {};
}

bool looksLikeHtml(const QString &text)
{
    const QString head = text.left(1024).trimmed().toLower();
    return head.startsWith(QLatin1String("<!doctype html")) || head.startsWith(QLatin1String("<html"))
           || head.contains(QLatin1String("<title")) || head.contains(QLatin1String("<body"));
}

QString cut(QString s)
{
    if (s.size() <= HttpErrorText::kMaxQuote)
        return s;
    s.truncate(HttpErrorText::kMaxQuote - 1);
    const qsizetype space = s.lastIndexOf(QLatin1Char(' '));
    if (space > HttpErrorText::kMaxQuote / 2)
        s.truncate(space);
    return s + QChar(0x2026); // …
}

} // namespace

QString HttpErrorText::reasonPhrase(int status)
{
    switch (status) {
    case 400: return QStringLiteral("Bad Request");
    case 401: return QStringLiteral("Unauthorized");
    case 402: return QStringLiteral("Payment Required");
    case 403: return QStringLiteral("Forbidden");
    case 404: return QStringLiteral("Not Found");
    case 405: return QStringLiteral("Method Not Allowed");
    case 406: return QStringLiteral("Not Acceptable");
    case 407: return QStringLiteral("Proxy Authentication Required");
    case 408: return QStringLiteral("Request Timeout");
    case 409: return QStringLiteral("Conflict");
    case 410: return QStringLiteral("Gone");
    case 411: return QStringLiteral("Length Required");
    case 412: return QStringLiteral("Precondition Failed");
    case 413: return QStringLiteral("Content Too Large");
    case 414: return QStringLiteral("URI Too Long");
    case 415: return QStringLiteral("Unsupported Media Type");
    case 416: return QStringLiteral("Range Not Satisfiable");
    case 417: return QStringLiteral("Expectation Failed");
    case 421: return QStringLiteral("Misdirected Request");
    case 422: return QStringLiteral("Unprocessable Content");
    case 425: return QStringLiteral("Too Early");
    case 426: return QStringLiteral("Upgrade Required");
    case 428: return QStringLiteral("Precondition Required");
    case 429: return QStringLiteral("Too Many Requests");
    case 431: return QStringLiteral("Request Header Fields Too Large");
    case 451: return QStringLiteral("Unavailable For Legal Reasons");
    case 500: return QStringLiteral("Internal Server Error");
    case 501: return QStringLiteral("Not Implemented");
    case 502: return QStringLiteral("Bad Gateway");
    case 503: return QStringLiteral("Service Unavailable");
    case 504: return QStringLiteral("Gateway Timeout");
    case 505: return QStringLiteral("HTTP Version Not Supported");
    case 507: return QStringLiteral("Insufficient Storage");
    case 511: return QStringLiteral("Network Authentication Required");
    default: return {};
    }
}

QString HttpErrorText::meaningOf(int status)
{
    switch (status) {
    case 400: return tr("the server could not make sense of the request");
    case 401: return tr("the server wants a login");
    case 403: return tr("the server does not allow this");
    case 404: return tr("the server has nothing at this address; is the API address right?");
    case 405: return tr("the server does not take this request at this address; is the API address right?");
    case 408: return tr("the server gave up waiting for the request");
    case 413: return tr("the image is larger than the server, or a proxy in front of it, accepts");
    case 415: return tr("the server does not take this type of file");
    case 429: return tr("too many requests; try again in a moment");
    case 500: return tr("the server failed while handling the request; its log says why");
    case 501: return tr("the server does not support this request");
    case 502: return tr("a proxy in front of the server got no valid answer from it; the server may be down or restarting");
    case 503: return tr("the server is overloaded or down for maintenance; try again later");
    case 504: return tr("a proxy in front of the server got no answer from it in time");
    default: return {};
    }
}

bool HttpErrorText::onlyRestates(const QString &quote, int status)
{
    const QString q = lettersOf(quote);
    if (q.isEmpty() || q == lettersOf(reasonPhrase(status)))
        return true;
    // Older names of the same reasons, as nginx, Django and Apache print them.
    static const QHash<int, QStringList> older{
        {413, {QStringLiteral("requestentitytoolarge"), QStringLiteral("payloadtoolarge")}},
        {414, {QStringLiteral("requesturitoolarge"), QStringLiteral("requesturitoolong")}},
        {416, {QStringLiteral("requestedrangenotsatisfiable")}},
        {422, {QStringLiteral("unprocessableentity")}},
        {500, {QStringLiteral("servererror"), QStringLiteral("error")}},
    };
    return older.value(status).contains(q);
}

QString HttpErrorText::quoteOf(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty() || trimmed.contains('\0'))
        return {};
    if (trimmed.startsWith('{')) {
        const QJsonObject o = QJsonDocument::fromJson(trimmed).object();
        for (const QLatin1String key : {QLatin1String("message"), QLatin1String("error")}) {
            const QJsonValue v = o.value(key);
            if (v.isString() && !v.toString().trimmed().isEmpty())
                return cut(v.toString().simplified());
        }
        if (!o.isEmpty())
            return {};
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    QString text = utf8.decode(trimmed);
    if (utf8.hasError())
        text = QString::fromLatin1(trimmed);
    qsizetype controls = 0;
    for (const QChar c : std::as_const(text)) {
        if (c.category() == QChar::Other_Control && c != QLatin1Char('\n') && c != QLatin1Char('\r')
            && c != QLatin1Char('\t'))
            ++controls;
    }
    if (controls * 10 > text.size())
        return {}; // binary, not words
    if (looksLikeHtml(text))
        return cut(htmlQuote(text));
    for (const QStringView line : QStringView(text).split(QLatin1Char('\n'))) {
        QString l = line.toString();
        l.remove(QRegularExpression(QStringLiteral("\\p{Cc}")));
        l = l.simplified();
        if (!l.isEmpty())
            return cut(l);
    }
    return {};
}

QString HttpErrorText::describe(int status, const QByteArray &body)
{
    const QString reason = reasonPhrase(status);
    const QString meaning = meaningOf(status);
    QString out;
    if (reason.isEmpty())
        out = tr("Unexpected answer (HTTP %1)").arg(status);
    else if (meaning.isEmpty())
        out = tr("%1 (HTTP %2)").arg(reason).arg(status);
    else
        out = tr("%1 (HTTP %2): %3.").arg(reason).arg(status).arg(meaning);
    const QString quote = quoteOf(body);
    if (!quote.isEmpty() && !onlyRestates(quote, status))
        out += QLatin1Char(' ') + tr("The server said: \u201c%1\u201d").arg(quote);
    return out;
}

} // namespace framecast
