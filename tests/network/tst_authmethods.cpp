// SPDX-License-Identifier: GPL-3.0-or-later
// GET /api/v1/auth/methods through ServerConnection (PROTOCOL §2.1 step 1):
// a 404 is "passwords only", the providers are read, a broken answer is said
// in words; and an unknown provider id is refused before any browser opens.
#include "ScriptedHttpServer.h"
#include "auth/BrowserSignIn.h"
#include "session/ServerConnection.h"

#include <QSignalSpy>
#include <QTest>

using namespace framecast;
using framecast::test::ScriptedHttpServer;

class TestAuthMethods final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("providers");
        QTest::addColumn<bool>("password");
        QTest::addColumn<QString>("error");
        QTest::newRow("404: passwords only") << 404 << QByteArray("{\"detail\":\"Not Found\"}") << 0 << true << QString();
        QTest::newRow("google") << 200
                                << QByteArray("{\"password\":false,\"oidc\":[{\"id\":\"google\",\"display_name\":\"Google\","
                                              "\"issuer\":\"https://accounts.google.com\",\"client_id\":\"1.apps\"}]}")
                                << 1 << false << QString();
        QTest::newRow("502 page") << 502 << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>") << 0 << true
                                  << QStringLiteral("Bad Gateway");
        QTest::newRow("not json") << 200 << QByteArray("hello") << 0 << true << QStringLiteral("not a JSON object");
        QTest::newRow("all interfaces") << 200
                                        << QByteArray("{\"oidc\":[{\"id\":\"x\",\"issuer\":\"https://id.example\",\"client_id\":\"c\","
                                                      "\"loopback_host\":\"0.0.0.0\"}]}")
                                        << 0 << true << QStringLiteral("only a loopback address");
    }
    void answers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, providers);
        QFETCH(bool, password);
        QFETCH(QString, error);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&](const ScriptedHttpServer::Request &, int) {
            ScriptedHttpServer::Script s;
            s.steps << ScriptedHttpServer::Step{0, ScriptedHttpServer::response(status, body,
                                                                               body.startsWith('<') ? "text/html" : "application/json")};
            return s;
        });
        ServerProfile p;
        p.name = QStringLiteral("s");
        p.baseUrl = server.baseUrl();
        ServerConnection connection(p, {});
        bool done = false;
        auth::AuthMethods methods;
        QString problem;
        connection.fetchAuthMethods([&](const auth::AuthMethods &m, const QString &e) {
            methods = m;
            problem = e;
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(server.requests().first().path(), QByteArray("/api/v1/auth/methods"));
        QVERIFY(!server.requests().first().headers.contains("authorization"));
        QCOMPARE(methods.oidc.size(), providers);
        QCOMPARE(methods.password, password);
        if (error.isEmpty())
            QCOMPARE(problem, QString());
        else
            QVERIFY2(problem.contains(error), qPrintable(problem));
    }

    void unknownProviderRefused()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const ScriptedHttpServer::Request &, int) {
            ScriptedHttpServer::Script s;
            s.steps << ScriptedHttpServer::Step{0, ScriptedHttpServer::response(404, "{}")};
            return s;
        });
        ServerProfile p;
        p.name = QStringLiteral("Plain");
        p.baseUrl = server.baseUrl();
        ServerConnection connection(p, {});
        bool opened = false;
        connection.browserSignIn()->setBrowserOpener([&](const QUrl &) { return opened = true; });
        ApiResponse answer;
        bool done = false;
        connection.signInWithBrowser(QStringLiteral("google"), [&](const ApiResponse &r) {
            answer = r;
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(int(answer.error.kind), int(ApiError::Kind::Validation));
        QCOMPARE(answer.error.message, QStringLiteral("Plain offers no sign-in through the browser"));
        QVERIFY(!opened);
    }
};

QTEST_GUILESS_MAIN(TestAuthMethods)
#include "tst_authmethods.moc"
