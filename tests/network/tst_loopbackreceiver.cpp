// SPDX-License-Identifier: GPL-3.0-or-later
// The loopback redirect (RFC 8252 §7.3) against real sockets: bound to
// 127.0.0.1 only, one callback then closed, wrong path, state, iss, and the
// provider's errors.
#include "auth/LoopbackReceiver.h"

#include "HttpTestClient.h"

#include <QNetworkInterface>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace framecast;
using namespace framecast::auth;
using framecast::test::HttpTestClient;

namespace {

const QByteArray kState = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";
const QString kIssuer = QStringLiteral("http://127.0.0.1:4000");

/// Whether a TCP connection to `address:port` is accepted.
bool connects(const QHostAddress &address, quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(address, port);
    const bool ok = socket.waitForConnected(3000);
    socket.abort();
    return ok;
}

HttpTestClient::Reply callback(const LoopbackReceiver &r, const QByteArray &query)
{
    HttpTestClient client(r.redirectUri().adjusted(QUrl::RemovePath | QUrl::RemoveQuery));
    return client.get(QStringLiteral("/callback?") + QString::fromLatin1(query));
}

} // namespace

class TestLoopbackReceiver final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundTo127001Only()
    {
        LoopbackReceiver r;
        QString error;
        QVERIFY2(r.listen(QHostAddress(QHostAddress::LocalHost), &error), qPrintable(error));
        QCOMPARE(r.serverAddress(), QHostAddress(QStringLiteral("127.0.0.1")));
        const QUrl uri = r.redirectUri();
        QCOMPARE(uri.scheme(), QStringLiteral("http"));
        QCOMPARE(uri.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(uri.path(), QStringLiteral("/callback"));
        QVERIFY(uri.port() > 0);
        const quint16 port = quint16(uri.port());
        QVERIFY(connects(QHostAddress(QStringLiteral("127.0.0.1")), port));
        // Another loopback address of 127/8 (Linux routes the whole block to
        // lo), IPv6's ::1, and every address of the machine's interfaces:
        // none reaches a listener bound to 127.0.0.1 alone.
        QList<QHostAddress> others{QHostAddress(QStringLiteral("127.0.0.2")), QHostAddress::LocalHostIPv6};
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (!a.isLoopback() && a.scopeId().isEmpty())
                others << a;
        }
        qInfo() << "checked against" << others;
        for (const QHostAddress &a : std::as_const(others))
            QVERIFY2(!connects(a, port), qPrintable(a.toString()));
    }

    void refusesNonLoopback()
    {
        LoopbackReceiver r;
        QString error;
        QVERIFY(!r.listen(QHostAddress::Any, &error));
        QVERIFY(error.contains(QLatin1String("loopback")));
        QVERIFY(!r.listen(QHostAddress(QStringLiteral("192.168.1.10")), &error));
        QVERIFY(!r.isListening());
    }

    void oneCallbackThenClosed()
    {
        LoopbackReceiver r;
        QString error;
        QVERIFY(r.listen(QHostAddress(QHostAddress::LocalHost), &error));
        r.expect(kState, kIssuer, false);
        QSignalSpy codes(&r, &LoopbackReceiver::codeReceived);
        QSignalSpy refusals(&r, &LoopbackReceiver::refused);
        const quint16 port = quint16(r.redirectUri().port());

        // A stray request (a favicon) is not the answer: 404, still waiting.
        HttpTestClient client(r.redirectUri().adjusted(QUrl::RemovePath));
        const auto favicon = client.get(QStringLiteral("/favicon.ico"));
        QCOMPARE(favicon.status, 404);
        QVERIFY(r.isListening());
        QCOMPARE(codes.size() + refusals.size(), 0);

        const auto page = callback(r, "code=SplxlOBeZQQYbYS6WxSbIA&state=" + kState);
        QCOMPARE(page.status, 200);
        QVERIFY2(page.body.contains("go back to Framecast"), page.body.constData());
        QCOMPARE(page.header("Cache-Control"), QByteArray("no-store"));
        QCOMPARE(codes.size(), 1);
        QCOMPARE(codes.first().first().toByteArray(), QByteArray("SplxlOBeZQQYbYS6WxSbIA"));
        // The port is closed: a second answer cannot even connect.
        QVERIFY(!r.isListening());
        QVERIFY(!connects(QHostAddress(QHostAddress::LocalHost), port));
        QCOMPARE(codes.size(), 1);
        QCOMPARE(refusals.size(), 0);
        // The redirect URI stays what was sent (QtNetworkAuth's said port 0).
        QCOMPARE(r.redirectUri().port(), int(port));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<bool>("issRequired");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("providerError");
        QTest::newRow("wrong state") << QByteArray("code=abc123456&state=forged") << false << "state does not match" << "";
        QTest::newRow("no state") << QByteArray("code=abc123456") << false << "state does not match" << "";
        QTest::newRow("wrong iss") << QByteArray("code=abc123456&iss=http%3A%2F%2Fevil.example&state=" + kState) << false
                                   << "another provider (http://evil.example" << "";
        QTest::newRow("missing iss announced") << QByteArray("code=abc123456&state=" + kState) << true << "no iss" << "";
        QTest::newRow("access_denied")
            << QByteArray("error=access_denied&error_description=End-User+aborted+interaction&state=" + kState) << false
            << "declined in the browser: End-User aborted interaction (access_denied)" << "access_denied";
        QTest::newRow("server_error") << QByteArray("error=server_error&state=" + kState) << false
                                      << "internal error (server_error)" << "server_error";
        QTest::newRow("no code") << QByteArray("state=" + kState) << false << "no authorization code" << "";
    }
    void refusals()
    {
        QFETCH(QByteArray, query);
        QFETCH(bool, issRequired);
        QFETCH(QString, message);
        QFETCH(QString, providerError);
        LoopbackReceiver r;
        QString error;
        QVERIFY(r.listen(QHostAddress(QHostAddress::LocalHost), &error));
        r.expect(kState, kIssuer, issRequired);
        QSignalSpy codes(&r, &LoopbackReceiver::codeReceived);
        QSignalSpy refused(&r, &LoopbackReceiver::refused);
        const auto page = callback(r, query);
        QCOMPARE(page.status, 400);
        QVERIFY(page.body.contains("Go back to Framecast"));
        QCOMPARE(refused.size(), 1);
        QVERIFY2(refused.first().at(0).toString().contains(message), qPrintable(refused.first().at(0).toString()));
        QCOMPARE(refused.first().at(1).toString(), providerError);
        QCOMPARE(codes.size(), 0);
        QVERIFY(!r.isListening());
    }

    void rightIssAccepted()
    {
        LoopbackReceiver r;
        QString error;
        QVERIFY(r.listen(QHostAddress(QHostAddress::LocalHost), &error));
        r.expect(kState, kIssuer, true);
        QSignalSpy codes(&r, &LoopbackReceiver::codeReceived);
        QCOMPARE(callback(r, "code=c0de-value&iss=http%3A%2F%2F127.0.0.1%3A4000&state=" + kState).status, 200);
        QCOMPARE(codes.size(), 1);
    }

    void garbageDoesNotEndTheWait()
    {
        LoopbackReceiver r;
        QString error;
        QVERIFY(r.listen(QHostAddress(QHostAddress::LocalHost), &error));
        r.expect(kState, kIssuer, false);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(r.redirectUri().port()));
        QVERIFY(socket.waitForConnected(3000));
        socket.write("NOT HTTP AT ALL\r\n\r\n");
        QTRY_VERIFY(socket.state() == QAbstractSocket::UnconnectedState || socket.bytesAvailable() > 0);
        QVERIFY(socket.readAll().startsWith("HTTP/1.1 400"));
        QVERIFY(r.isListening());
        QTcpSocket post;
        post.connectToHost(QHostAddress::LocalHost, quint16(r.redirectUri().port()));
        QVERIFY(post.waitForConnected(3000));
        post.write("POST /callback HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        QTRY_VERIFY(post.bytesAvailable() > 0);
        QVERIFY(post.readAll().startsWith("HTTP/1.1 405"));
        QVERIFY(r.isListening());
    }
};

QTEST_GUILESS_MAIN(TestLoopbackReceiver)
#include "tst_loopbackreceiver.moc"
