// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient against a byte-exact HTTP server on loopback (ScriptedHttpServer):
// the size cap on REST answers (announced by Content-Length, or streamed
// without one) and what a destroyed client does to its calls under way.
#include "ScriptedHttpServer.h"

#include "api/ApiClient.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace framecast;
using framecast::test::ScriptedHttpServer;
using Script = ScriptedHttpServer::Script;
using Step = ScriptedHttpServer::Step;
constexpr auto kHold = ScriptedHttpServer::End::Hold;
constexpr auto kClose = ScriptedHttpServer::End::Close;

namespace {

constexpr qint64 kCap = ApiClient::kMaxAnswerBytes;

QByteArray head(const QByteArray &extraHeaders)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extraHeaders + "Connection: close\r\n\r\n";
}

/// A JSON object of exactly `size` bytes.
QByteArray jsonOfSize(qint64 size)
{
    const QByteArray open = "{\"pad\": \"";
    const QByteArray close = "\"}";
    return open + QByteArray(size - open.size() - close.size(), 'x') + close;
}

} // namespace

class TestApiClient final : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    /// Calls `me` and waits for its answer.
    std::optional<ApiResponse> me(ApiClient &api, int timeoutMs = 5000)
    {
        std::optional<ApiResponse> out;
        api.me([&](const ApiResponse &r) { out = r; });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs))
            qWarning("no answer from the ApiClient");
        return out;
    }

private Q_SLOTS:
    void answerAtTheCapIsTaken()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, ScriptedHttpServer::response(200, jsonOfSize(kCap))}}, kClose};
        });
        ApiClient api(server.baseUrl(), &m_nam);
        const auto r = me(api, 20000);
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error.message));
        QCOMPARE(r->body.size(), kCap);
        QCOMPARE(r->json.value(QStringLiteral("pad")).toString().size(), kCap - 11);
    }

    void oversizedContentLengthIsRefusedAtOnce()
    {
        // Only the head and a few bytes come, then the server holds the
        // connection: the announced length alone must end the call.
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, head("Content-Length: " + QByteArray::number(kCap + 1) + "\r\n")}, {0, "{\"pad\": \"xxxx"}},
                          kHold};
        });
        ApiClient api(server.baseUrl(), &m_nam);
        api.setTimeoutMs(60000); // not what ends it
        const auto r = me(api);
        QVERIFY(r);
        QCOMPARE(r->error.kind, ApiError::Kind::Protocol);
        QCOMPARE(r->error.message, QStringLiteral("The server's answer is larger than 8 MiB"));
        QVERIFY(r->body.isEmpty());
        QTRY_COMPARE(server.openConnections(), 0); // the client hung up
    }

    void oversizedStreamIsRefusedAsItArrives()
    {
        // No Content-Length (the body ends with the connection): 12 MiB in
        // 256 KiB pieces, and then the server would hold the connection open.
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            QList<Step> steps{{0, head({})}, {0, "{\"pad\": \""}};
            const QByteArray chunk(256 * 1024, 'x');
            for (int i = 0; i < 48; ++i)
                steps << Step{10, chunk};
            return Script{steps, kHold};
        });
        ApiClient api(server.baseUrl(), &m_nam);
        api.setTimeoutMs(60000);
        const auto r = me(api);
        QVERIFY(r);
        QCOMPARE(r->error.kind, ApiError::Kind::Protocol);
        QCOMPARE(r->error.message, QStringLiteral("The server's answer is larger than 8 MiB"));
        QTRY_COMPARE(server.openConnections(), 0);
        // The client hung up before the server got to the end of its 12 MiB.
        QCOMPARE(server.scriptsSent(), 0);
    }

    void destroyedClientAbortsItsCalls()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) { return Script{{}, kHold}; });
        auto api = std::make_unique<ApiClient>(server.baseUrl(), &m_nam);
        api->setTimeoutMs(60000);
        bool called = false;
        api->status(QStringLiteral("v1"), [&](const ApiResponse &) { called = true; });
        api->me([&](const ApiResponse &) { called = true; });
        QTRY_COMPARE(server.requests().size(), 2);
        QCOMPARE(server.openConnections(), 2);
        api.reset();
        // Both connections are closed by the client, with no callback.
        QTRY_COMPARE(server.openConnections(), 0);
        QVERIFY(!called);
        // The network manager is still usable for the next client.
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{{0, ScriptedHttpServer::response(200, R"({"username": "demo"})")}}, kClose};
        });
        ApiClient next(server.baseUrl(), &m_nam);
        const auto r = me(next);
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error.message));
        QCOMPARE(r->json.value(QStringLiteral("username")).toString(), QStringLiteral("demo"));
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
