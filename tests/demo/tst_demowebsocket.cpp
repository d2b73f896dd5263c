// SPDX-License-Identifier: GPL-3.0-or-later
// The demo backend's WebSocket progress dialect on the wire (QWebSocket):
// the full flow, refusals, heartbeats on a separate port, the fault
// switches, and unsubscribing.
#include "DemoDialectFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QWebSocket>

#include <algorithm>

using namespace framecast;
using namespace framecast::test;

namespace {

/// A WebSocket client that records every message.
class WsClient final : public QObject
{
public:
    explicit WsClient(const QUrl &url)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            texts.append(text);
            const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
            if (doc.isObject())
                messages.append(doc.object());
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
        });
        socket.open(url);
    }
    bool waitConnected() { return socket.state() == QAbstractSocket::ConnectedState || QSignalSpy(&socket, &QWebSocket::connected).wait(5000); }
    void send(const QString &type, const QJsonObject &payload, const QString &id = {})
    {
        QJsonObject o{{QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}};
        if (!id.isEmpty())
            o.insert(QStringLiteral("id"), id);
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : messages) {
            if (m.value(QStringLiteral("type")).toString() == type)
                out.append(m);
        }
        return out;
    }
    QWebSocket socket;
    QList<QJsonObject> messages;
    QStringList texts;
    bool closed = false;
    int closeCode = 0;
};

/// What a DemoBackend::webSocketPushed spy says of job `id`: whether its
/// final record went out, and to how many sockets its records went in all.
struct Pushes
{
    bool final = false;
    int recipients = 0;
};

Pushes pushesOf(const QSignalSpy &spy, const QString &id)
{
    Pushes p;
    for (const QList<QVariant> &args : spy) {
        if (args.at(0).toString() != id)
            continue;
        p.final = p.final || args.at(2).toBool();
        p.recipients += args.at(3).toInt();
    }
    return p;
}

/// Everything the server wrote to `ws` before now has arrived once its pong
/// for this ping has: a WebSocket keeps order.
bool drained(WsClient &ws, const QString &pingId)
{
    ws.send(QStringLiteral("ping"), {}, pingId);
    return QTest::qWaitFor([&] {
        return std::any_of(ws.messages.cbegin(), ws.messages.cend(), [&](const QJsonObject &m) {
            return m.value(QStringLiteral("type")).toString() == QLatin1String("pong") && m.value(QStringLiteral("id")).toString() == pingId;
        });
    });
}

} // namespace

class TestDemoWebSocket final : public DemoDialectFixture
{
    Q_OBJECT

private Q_SLOTS:
    void webSocketFullFlow()
    {
        const QString id = generate(*m_client);
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}}, QStringLiteral("req-1"));
        QTRY_COMPARE(ws.ofType(QStringLiteral("authSuccess")).size(), 1);
        const QJsonObject auth = ws.ofType(QStringLiteral("authSuccess")).first();
        QCOMPARE(auth.value(QStringLiteral("id")).toString(), QStringLiteral("req-1"));
        QCOMPARE(auth.value(QStringLiteral("payload")).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("demo"));
        ws.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}}, QStringLiteral("req-2"));
        QTRY_COMPARE_WITH_TIMEOUT(ws.ofType(QStringLiteral("taskCompleted")).size(), 1, 20000);
        QCOMPARE(ws.ofType(QStringLiteral("subscribeSuccess")).first().value(QStringLiteral("payload")).toObject().value(QStringLiteral("subscribed")).toBool(), true);
        double progress = -1;
        for (const QJsonObject &m : ws.ofType(QStringLiteral("taskProgress"))) {
            const QJsonObject p = m.value(QStringLiteral("payload")).toObject();
            QCOMPARE(p.value(QStringLiteral("videoId")).toString(), id);
            QVERIFY(p.value(QStringLiteral("progress")).toDouble() >= progress);
            progress = p.value(QStringLiteral("progress")).toDouble();
            QCOMPARE(p.value(QStringLiteral("totalSteps")).toInt(), 8);
            QVERIFY(m.value(QStringLiteral("timestamp")).toDouble() > 0);
        }
        const QJsonObject done = ws.ofType(QStringLiteral("taskCompleted")).first().value(QStringLiteral("payload")).toObject();
        QCOMPARE(done.value(QStringLiteral("result")).toObject().value(QStringLiteral("videoUrl")).toString(),
                 QStringLiteral("/uploads/videos/%1.mp4").arg(id));
        QVERIFY(done.value(QStringLiteral("result")).toObject().value(QStringLiteral("fileSize")).toDouble() > 0);
        QVERIFY(done.contains(QStringLiteral("metrics")));
    }

    void webSocketRefusals()
    {
        WsClient bad(m_backend->webSocketUrl());
        QVERIFY(bad.waitConnected());
        bad.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), QStringLiteral("x")}});
        QTRY_COMPARE(bad.ofType(QStringLiteral("error")).size(), 1);
        QCOMPARE(bad.ofType(QStringLiteral("error")).first().value(QStringLiteral("payload")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("NOT_AUTHENTICATED"));
        bad.send(QStringLiteral("auth"), {{QStringLiteral("token"), QStringLiteral("wrong")}}, QStringLiteral("a1"));
        QTRY_VERIFY(bad.closed);
        QCOMPARE(bad.closeCode, 4001);
        QCOMPARE(bad.ofType(QStringLiteral("authError")).first().value(QStringLiteral("id")).toString(), QStringLiteral("a1"));

        m_backend->config().authTimeoutMs = 200;
        WsClient silent(m_backend->webSocketUrl());
        QVERIFY(silent.waitConnected());
        QTRY_VERIFY_WITH_TIMEOUT(silent.closed, 3000);
        QCOMPARE(silent.closeCode, 4001);

        // Someone else's job cannot be watched.
        QSignalSpy pushed(m_backend.get(), &DemoBackend::webSocketPushed);
        const QString id = generate(*m_client);
        HttpTestClient alice(m_backend->baseUrl());
        alice.login(QStringLiteral("alice"), QStringLiteral("pw"));
        WsClient other(m_backend->webSocketUrl());
        QVERIFY(other.waitConnected());
        other.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(alice.token())}});
        QTRY_COMPARE(other.ofType(QStringLiteral("authSuccess")).size(), 1);
        other.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_COMPARE(other.ofType(QStringLiteral("error")).size(), 1);
        QCOMPARE(other.ofType(QStringLiteral("error")).first().value(QStringLiteral("payload")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("NOT_FOUND"));
        // The server says it has pushed the job's last record, to nobody;
        // once a later pong is back nothing of the job is still on its way.
        QTRY_VERIFY_WITH_TIMEOUT(pushesOf(pushed, id).final, 20000);
        QCOMPARE(pushesOf(pushed, id).recipients, 0);
        QVERIFY(drained(other, QStringLiteral("p1")));
        QCOMPARE(other.ofType(QStringLiteral("taskProgress")).size(), 0);
        QCOMPARE(other.ofType(QStringLiteral("taskCompleted")).size(), 0);
    }

    void webSocketHeartbeatsAndSeparatePort()
    {
        DemoConfig c = fastConfig();
        c.heartbeatMs = 100;
        c.wsPort = quint16(0); // replaced below by a free port
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        c.wsPort = probe.serverPort();
        probe.close();
        m_client.reset();
        m_backend = std::make_unique<DemoBackend>(c);
        QVERIFY(m_backend->start());
        QCOMPARE(m_backend->webSocketUrl().port(), int(*c.wsPort));
        m_client = std::make_unique<HttpTestClient>(m_backend->baseUrl());
        m_client->login(QStringLiteral("demo"), QStringLiteral("demo"));
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_VERIFY_WITH_TIMEOUT(ws.ofType(QStringLiteral("heartbeat")).size() >= 2, 2000);
        const QJsonObject hb = ws.ofType(QStringLiteral("heartbeat")).first().value(QStringLiteral("payload")).toObject();
        QCOMPARE(hb.value(QStringLiteral("connectedClients")).toInt(), 1);
        QVERIFY(hb.contains(QStringLiteral("uptime")));
    }

    void webSocketFaults()
    {
        m_backend->config().garbage = true;
        m_backend->config().dropAfter = 4;
        m_backend->config().failAtStep = 6;
        m_backend->config().failRetryable = true;
        const QString id = generate(*m_client);
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_COMPARE(ws.ofType(QStringLiteral("authSuccess")).size(), 1);
        ws.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_VERIFY_WITH_TIMEOUT(ws.closed, 10000); // dropped after four task messages
        QCOMPARE(ws.texts.size() - ws.messages.size(), 1); // one message was not JSON
        // A new socket catches up: subscribe again and see the failure.
        WsClient again(m_backend->webSocketUrl());
        QVERIFY(again.waitConnected());
        again.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_COMPARE(again.ofType(QStringLiteral("authSuccess")).size(), 1);
        again.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_COMPARE_WITH_TIMEOUT(again.ofType(QStringLiteral("taskFailed")).size(), 1, 20000);
        const QJsonObject error = again.ofType(QStringLiteral("taskFailed")).first().value(QStringLiteral("payload")).toObject()
                                      .value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("GENERATION_FAILED"));
        QCOMPARE(error.value(QStringLiteral("retryable")).toBool(), true);
    }

    void webSocketUnsubscribe()
    {
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 100;
        QSignalSpy pushed(m_backend.get(), &DemoBackend::webSocketPushed);
        const QString id = generate(*m_client);
        WsClient ws(m_backend->webSocketUrl());
        QVERIFY(ws.waitConnected());
        ws.send(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(m_client->token())}});
        QTRY_COMPARE(ws.ofType(QStringLiteral("authSuccess")).size(), 1);
        ws.send(QStringLiteral("subscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_VERIFY(ws.ofType(QStringLiteral("taskProgress")).size() >= 1);
        ws.send(QStringLiteral("unsubscribe_task"), {{QStringLiteral("videoId"), id}});
        QTRY_COMPARE(ws.ofType(QStringLiteral("unsubscribeSuccess")).size(), 1);
        const auto seen = ws.ofType(QStringLiteral("taskProgress")).size();
        // The job runs to its end; its last record reached no socket, and
        // nothing reached this one after the unsubscribe.
        QTRY_VERIFY_WITH_TIMEOUT(pushesOf(pushed, id).final, 20000);
        QCOMPARE(pushed.last().at(3).toInt(), 0);
        QVERIFY(drained(ws, QStringLiteral("p1")));
        QCOMPARE(ws.ofType(QStringLiteral("taskProgress")).size(), seen);
        QCOMPARE(ws.ofType(QStringLiteral("taskCompleted")).size(), 0);
    }
};

QTEST_MAIN(TestDemoWebSocket)
#include "tst_demowebsocket.moc"
