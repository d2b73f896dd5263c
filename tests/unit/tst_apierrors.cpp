// SPDX-License-Identifier: GPL-3.0-or-later
// Error answers as real servers and proxies send them, and the words a user
// reads for each (PROTOCOL.md §2): FastAPI's detail as it is; for HTML, plain
// text and empty bodies the status, its reason, what it means and what a
// short body says.
#include "api/ApiClient.h"

#include <QTest>

using framecast::ApiClient;
using framecast::ApiError;

namespace {
// django/views/defaults.py ERROR_PAGE_TEMPLATE, as Django 4.2 sends it for a
// request it cannot read (DEBUG off).
const QByteArray kDjango400 = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Bad Request (400)</title>\n"
                              "</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n";
const QByteArray kDjango500 = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n"
                              "</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n";
QByteArray nginxPage(const char *statusLine)
{
    return QByteArray("<html>\r\n<head><title>") + statusLine + "</title></head>\r\n<body>\r\n<center><h1>" + statusLine
           + "</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
}
} // namespace

class TestApiErrors final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorFor_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ApiError::Kind>("kind");
        QTest::addColumn<QString>("message");

        QTest::newRow("FastAPI detail")
            << 402 << QByteArray(R"({"detail":"Insufficient credits"})") << ApiError::Kind::PaymentRequired
            << "Insufficient credits";
        QTest::newRow("FastAPI validation list")
            << 422
            << QByteArray(R"({"detail":[{"loc":["body","prompt"],"msg":"ensure this value has at least 10 characters",)"
                          R"("type":"value_error.any_str.min_length","ctx":{"limit_value":10}},)"
                          R"({"loc":["body"],"msg":"field required","type":"value_error.missing"}]})")
            << ApiError::Kind::Validation << "prompt: ensure this value has at least 10 characters; field required";
        QTest::newRow("Django 400 HTML")
            << 400 << kDjango400 << ApiError::Kind::Validation
            << "Bad Request (HTTP 400): the server could not make sense of the request.";
        QTest::newRow("Django 500 HTML")
            << 500 << kDjango500 << ApiError::Kind::Server
            << "Internal Server Error (HTTP 500): the server failed while handling the request; its log says why.";
        QTest::newRow("nginx 502 HTML")
            << 502 << nginxPage("502 Bad Gateway") << ApiError::Kind::Server
            << "Bad Gateway (HTTP 502): a proxy in front of the server got no valid answer from it; "
               "the server may be down or restarting.";
        QTest::newRow("nginx 504 HTML")
            << 504 << nginxPage("504 Gateway Time-out") << ApiError::Kind::Server
            << "Gateway Timeout (HTTP 504): a proxy in front of the server got no answer from it in time.";
        QTest::newRow("proxy 413 HTML (nginx client_max_body_size)")
            << 413 << nginxPage("413 Request Entity Too Large") << ApiError::Kind::Validation
            << "Content Too Large (HTTP 413): the image is larger than the server, or a proxy in front of it, accepts.";
        QTest::newRow("proxy 413 plain text")
            << 413 << QByteArray("request body too large: limit is 10485760 bytes\n") << ApiError::Kind::Validation
            << "Content Too Large (HTTP 413): the image is larger than the server, or a proxy in front of it, accepts. "
               "The server said: \u201crequest body too large: limit is 10485760 bytes\u201d";
        QTest::newRow("Envoy 503 plain text, first line")
            << 503
            << QByteArray("upstream connect error or disconnect/reset before headers. reset reason: connection failure\n"
                          "second line\n")
            << ApiError::Kind::Server
            << "Service Unavailable (HTTP 503): the server is overloaded or down for maintenance; try again later. "
               "The server said: \u201cupstream connect error or disconnect/reset before headers. reset reason: "
               "connection failure\u201d";
        QTest::newRow("API gateway 502 JSON message")
            << 502 << QByteArray(R"({"message": "Internal server error"})") << ApiError::Kind::Server
            << "Bad Gateway (HTTP 502): a proxy in front of the server got no valid answer from it; "
               "the server may be down or restarting. The server said: \u201cInternal server error\u201d";
        QTest::newRow("empty 500")
            << 500 << QByteArray() << ApiError::Kind::Server
            << "Internal Server Error (HTTP 500): the server failed while handling the request; its log says why.";
        QTest::newRow("long text body, cut")
            << 500 << QByteArray(400, 'x') + "\nmore" << ApiError::Kind::Server
            << "Internal Server Error (HTTP 500): the server failed while handling the request; its log says why. "
               "The server said: \u201c"
                   + QString(159, QLatin1Char('x')) + QChar(0x2026) + QChar(0x201d);
        QTest::newRow("not UTF-8 (Latin-1 text)")
            << 400 << QByteArray("Ung\xfcltige Anfrage: Datei zu gro\xdf\r\n") << ApiError::Kind::Validation
            << "Bad Request (HTTP 400): the server could not make sense of the request. "
               "The server said: \u201cUng\u00fcltige Anfrage: Datei zu gro\u00df\u201d";
        QTest::newRow("binary body")
            << 502 << QByteArray("\x00\x01\x02\x03\xff\xfe garbage", 14) << ApiError::Kind::Server
            << "Bad Gateway (HTTP 502): a proxy in front of the server got no valid answer from it; "
               "the server may be down or restarting.";
        QTest::newRow("HTML entities in the title")
            << 403 << QByteArray("<!DOCTYPE html><html><head><title>Blocked by policy &amp; rules &#8212; "
                                 "ask the admin</title></head><body>...</body></html>")
            << ApiError::Kind::Forbidden
            << "Forbidden (HTTP 403): the server does not allow this. "
               "The server said: \u201c" "Blocked by policy & rules \u2014 ask the admin\u201d";
        QTest::newRow("status without a reason phrase")
            << 599 << QByteArray() << ApiError::Kind::Server << "Unexpected answer (HTTP 599)";
    }

    void errorFor()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ApiError::Kind, kind);
        QFETCH(QString, message);
        const ApiError e = ApiClient::errorFor(status, body);
        QCOMPARE(e.httpStatus, status);
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.message, message);
        QVERIFY(!e.message.contains(QLatin1String("answered HTTP")));
    }

    void successIsNoError()
    {
        QVERIFY(!ApiClient::errorFor(201, kDjango400).isError());
        QVERIFY(ApiClient::errorFor(201, kDjango400).message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestApiErrors)
#include "tst_apierrors.moc"
