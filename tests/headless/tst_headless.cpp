// SPDX-License-Identifier: GPL-3.0-or-later
// `framecast --headless` as a subprocess against a demo backend in this
// process: every dialect's full flow, the JSON schema line by line, the human
// and quiet output, --watch, --profile, the token in the query and --ws-url,
// --demo, plain http refused, and no token or password in any output.
// Exit codes: tst_headless_exitcodes; the restart: tst_headless_restart.
#include "HeadlessFixture.h"
#include "HttpTestClient.h"
#include "demo/DemoAccounts.h"
#include "session/ProfileStore.h"

#include <QDir>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>
#include <utility>

using namespace framecast;
using namespace framecast::test;

namespace {

/// A TCP pass-through to the demo backend that keeps every byte the clients
/// sent: the backend records a request's token but not where it came from
/// (header or query), the raw request lines do.
class RecordingProxy final : public QObject
{
public:
    explicit RecordingProxy(quint16 target)
        : m_target(target)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &RecordingProxy::accept);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

    /// The request targets ("/path?query") of every HTTP request line seen.
    QList<QUrl> requestTargets(const QByteArray &method) const
    {
        // A request line may follow the previous request's body on the same
        // line (a JSON body ends without a newline): match it anywhere.
        const QRegularExpression line(QStringLiteral("%1 (\\S+) HTTP/1\\.[01]\r\n").arg(QString::fromLatin1(method)));
        QList<QUrl> targets;
        for (auto it = line.globalMatch(QString::fromLatin1(m_sent)); it.hasNext();)
            targets << QUrl::fromEncoded(it.next().captured(1).toLatin1());
        return targets;
    }

private:
    void accept()
    {
        while (QTcpSocket *in = m_server.nextPendingConnection()) {
            auto *out = new QTcpSocket(in);
            auto *pending = new QByteArray;
            connect(in, &QObject::destroyed, this, [pending] { delete pending; });
            connect(in, &QTcpSocket::readyRead, out, [this, in, out, pending] {
                const QByteArray data = in->readAll();
                m_sent += data;
                if (out->state() == QAbstractSocket::ConnectedState)
                    out->write(data);
                else
                    *pending += data;
            });
            connect(out, &QTcpSocket::connected, out, [out, pending] { out->write(std::exchange(*pending, {})); });
            connect(out, &QTcpSocket::readyRead, in, [in, out] { in->write(out->readAll()); });
            connect(out, &QTcpSocket::disconnected, in, &QTcpSocket::disconnectFromHost);
            connect(in, &QTcpSocket::disconnected, out, &QTcpSocket::disconnectFromHost);
            connect(in, &QTcpSocket::disconnected, in, &QObject::deleteLater);
            out->connectToHost(QHostAddress::LocalHost, m_target);
        }
    }

    QTcpServer m_server;
    quint16 m_target;
    QByteArray m_sent;
};

/// The documented keys of each JSON event.
const QHash<QString, QStringList> &schema()
{
    static const QHash<QString, QStringList> s{
        {QStringLiteral("connection"), {QStringLiteral("event"), QStringLiteral("state"), QStringLiteral("dialect"), QStringLiteral("attempt")}},
        {QStringLiteral("progress"), {QStringLiteral("event"), QStringLiteral("job"), QStringLiteral("status"), QStringLiteral("step"),
                                      QStringLiteral("total_steps"), QStringLiteral("percent"), QStringLiteral("eta_s"),
                                      QStringLiteral("stage"), QStringLiteral("message")}},
        {QStringLiteral("text"), {QStringLiteral("event"), QStringLiteral("job"), QStringLiteral("text")}},
        {QStringLiteral("warning"), {QStringLiteral("event"), QStringLiteral("message")}},
        {QStringLiteral("completed"), {QStringLiteral("event"), QStringLiteral("job"), QStringLiteral("video_url"), QStringLiteral("file"), QStringLiteral("bytes")}},
        {QStringLiteral("failed"), {QStringLiteral("event"), QStringLiteral("job"), QStringLiteral("code"), QStringLiteral("message"), QStringLiteral("retryable")}},
    };
    return s;
}

} // namespace

class TestHeadless final : public HeadlessFixture
{
    Q_OBJECT

private Q_SLOTS:
    void plainHttpToAnotherHostIsRefused()
    {
        const QStringList args{QStringLiteral("--headless"), QStringLiteral("--server"), QStringLiteral("http://192.0.2.10:8000"),
                               QStringLiteral("--progress"), QStringLiteral("videos-sse"), QStringLiteral("--token-env"),
                               QStringLiteral("FC_TOKEN")};
        const Run refused = run(args + jobArgs(), {{QStringLiteral("FC_TOKEN"), QStringLiteral("t0k3n-value")}});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("https://"), refused.err.constData());
        // Explicitly allowed: it tries (and warns), then gives up on the unreachable host.
        const Run allowed = run(args + jobArgs() + QStringList{QStringLiteral("--allow-insecure-http"), QStringLiteral("--timeout"), QStringLiteral("2")},
                                {{QStringLiteral("FC_TOKEN"), QStringLiteral("t0k3n-value")}});
        QVERIFY2(allowed.exitCode == 4 || allowed.exitCode == 5, allowed.err.constData());
        QVERIFY2(allowed.out.contains("Insecure connection"), allowed.out.constData());
    }

    void noSecretInAnyOutput_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::newRow("videos-sse") << QStringLiteral("videos-sse");
        QTest::newRow("websocket") << QStringLiteral("websocket");
    }

    void noSecretInAnyOutput()
    {
        QFETCH(QString, dialect);
        DemoConfig config;
        config.users.append({QStringLiteral("mei"), QStringLiteral("Lantern-Harbor-77"), 1000, true});
        startBackend(config);
        QStringList args = serverArgs(dialect);
        args[args.indexOf(QStringLiteral("demo"))] = QStringLiteral("mei");
        // Every log category at every level, the token in stream URLs too.
        const Run r = run(args + jobArgs() + QStringList{QStringLiteral("--token-in-query")},
                          {{QStringLiteral("FC_TEST_PASSWORD"), QStringLiteral("Lantern-Harbor-77")},
                           {QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true")}});
        QVERIFY2(r.exitCode == 0, QByteArray(QByteArray::number(r.exitCode) + " " + r.out.right(1500)).constData());
        const QByteArray all = r.out + r.err;
        QVERIFY2(r.err.contains("framecast.net") && r.err.contains("framecast.progress"), "debug logging was on");
        const QList<QByteArray> tokens = m_backend->accounts().issuedTokens();
        QCOMPARE(tokens.size(), 1);
        QVERIFY2(!all.contains(tokens.first()), "the token reached the output");
        QVERIFY2(!all.contains("Lantern-Harbor-77"), "the password reached the output");
    }

    void fullFlowJsonSchema_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const char *d : {"videos-sse", "tasks-sse", "stages-sse", "websocket"})
            QTest::newRow(d) << QString::fromLatin1(d);
    }

    void fullFlowJsonSchema()
    {
        QFETCH(QString, dialect);
        startBackend();
        const Run r = run(serverArgs(dialect) + jobArgs() + QStringList{QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> lines = r.json();
        QVERIFY(lines.size() >= 5);
        for (const QByteArray &raw : r.out.split('\n')) {
            if (raw.trimmed().isEmpty())
                continue;
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
            QVERIFY2(doc.isObject(), raw.constData()); // one JSON object per line
            const QJsonObject o = doc.object();
            const QString event = o.value(QStringLiteral("event")).toString();
            QVERIFY2(schema().contains(event), raw.constData());
            QStringList keys = o.keys();
            QStringList expected = schema().value(event);
            keys.sort();
            expected.sort();
            QCOMPARE(keys, expected);
        }
        QCOMPARE(r.events(QStringLiteral("connection")).first().value(QStringLiteral("dialect")).toString(), dialect);
        QVERIFY(!r.events(QStringLiteral("progress")).isEmpty());
        const QJsonObject done = lines.last();
        QCOMPARE(done.value(QStringLiteral("event")).toString(), QStringLiteral("completed"));
        const QString file = done.value(QStringLiteral("file")).toString();
        QCOMPARE(file, m_dir.filePath(QStringLiteral("out.mp4")));
        QFile video(file);
        QVERIFY(video.open(QIODevice::ReadOnly));
        QCOMPARE(done.value(QStringLiteral("bytes")).toInteger(), video.size());
        QCOMPARE(video.read(8).mid(4), QByteArray("ftyp"));
        if (dialect == QLatin1String("stages-sse"))
            QVERIFY(!r.events(QStringLiteral("text")).isEmpty());
        // The token never reaches any output.
        for (const QByteArray &token : m_backend->accounts().issuedTokens()) {
            QVERIFY(!r.out.contains(token));
            QVERIFY(!r.err.contains(token));
        }
    }

    void severalPromptsAndVariationsGoThroughTheQueue()
    {
        startBackend();
        QStringList jobs{QStringLiteral("--prompt"), QStringLiteral("A glass city under the sea"), QStringLiteral("--prompt"),
                         QStringLiteral("A paper boat on a canal"), QStringLiteral("--variations"), QStringLiteral("2"),
                         QStringLiteral("--image"), m_image, QStringLiteral("--json")};
        QCOMPARE(run(serverArgs() + jobs + QStringList{QStringLiteral("--output"), QStringLiteral("x.mp4")}).exitCode, 2);
        // Credits for two of the four: two are made, two are said not to start.
        m_backend->accounts().userByName(QStringLiteral("demo"))->credits = 250;
        Run r = run(serverArgs() + jobs);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.events(QStringLiteral("completed")).size(), 2);
        const QList<QJsonObject> failed = r.events(QStringLiteral("failed"));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().value(QStringLiteral("code")).toString(), QStringLiteral("INSUFFICIENT_CREDITS"));
        QVERIFY2(failed.first().value(QStringLiteral("message")).toString().startsWith(QLatin1String("2 queued jobs not started: Waiting for credits")),
                 r.out.constData());
        QCOMPARE(m_backend->jobs().size(), 2); // nothing more was sent
        // Enough credits: all four, each its own file.
        m_backend->accounts().userByName(QStringLiteral("demo"))->credits = 1000;
        r = run(serverArgs() + jobs);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> done = r.events(QStringLiteral("completed"));
        QCOMPARE(done.size(), 4);
        QSet<QString> files;
        for (const QJsonObject &o : done)
            files << o.value(QStringLiteral("file")).toString();
        QCOMPARE(files.size(), 4);
        for (const QString &file : files)
            QVERIFY2(QFile::exists(file), qPrintable(file));
    }

    void humanOutput()
    {
        startBackend();
        const Run r = run(serverArgs() + jobArgs());
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QStringLiteral("● connected (videos-sse)")), r.out.constData());
        QVERIFY(out.contains(QStringLiteral("[3/8] 🤖 Calling Sora 2 API...  20%")));
        QVERIFY(out.contains(QStringLiteral("✔ Saved ")));
        QVERIFY(!out.contains(QStringLiteral("demo_"))); // no token
    }

    void quietPrintsOnlyTheResult()
    {
        startBackend();
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--quiet")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = QString::fromUtf8(r.out).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines.first().startsWith(QStringLiteral("✔ Saved")));
    }

    void watchAnExistingJob()
    {
        startBackend();
        HttpTestClient client(m_backend->baseUrl());
        client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        const QString id = client.post(QStringLiteral("/api/v1/videos/generate"), {{QStringLiteral("prompt"), QStringLiteral("Made elsewhere, watched here")}})
                               .json()
                               .value(QStringLiteral("id"))
                               .toString();
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--server"), m_backend->baseUrl().toString(),
                           QStringLiteral("--progress"), QStringLiteral("tasks-sse"), QStringLiteral("--token-env"),
                           QStringLiteral("FC_TOKEN"), QStringLiteral("--watch"), id, QStringLiteral("--json")},
                          {{QStringLiteral("FC_TOKEN"), QString::fromUtf8(client.token())}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject done = r.events(QStringLiteral("completed")).first();
        QCOMPARE(done.value(QStringLiteral("job")).toString(), id);
        QCOMPARE(done.value(QStringLiteral("file")).toString(), m_dir.filePath(id + QStringLiteral(".mp4"))); // ./<job id>.mp4
        QVERIFY(QFile::exists(done.value(QStringLiteral("file")).toString()));
        QVERIFY(!r.out.contains(client.token()));
    }

    void profilePasswordStdinAndTokenInQuery()
    {
        startBackend();
        // A profile as the desktop app saves it, in a settings file of our own
        // (FRAMECAST_SETTINGS: an INI file on every platform).
        QTemporaryDir config;
        const QString settingsFile = config.filePath(QStringLiteral("Framecast.ini"));
        QFile ini(settingsFile);
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[profiles]\nmy%20server\\baseUrl=" + m_backend->baseUrl().toString().toUtf8()
                  + "\nmy%20server\\progress=tasks-sse\nmy%20server\\tokenInQuery=true\n");
        ini.close();
        const Run r = run(QStringList{QStringLiteral("--headless"), QStringLiteral("--profile"), QStringLiteral("my server"),
                                      QStringLiteral("--user"), QStringLiteral("demo"), QStringLiteral("--password-stdin"),
                                      QStringLiteral("--json")}
                              + jobArgs(),
                          {{QString::fromLatin1(ProfileStore::kSettingsEnvironmentVariable), settingsFile}}, 60000,
                          [](QProcess &p) {
                              p.write("demo\n");
                              p.closeWriteChannel();
                          });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.events(QStringLiteral("connection")).first().value(QStringLiteral("dialect")).toString(), QStringLiteral("tasks-sse"));

        const Run missing = run(QStringList{QStringLiteral("--headless"), QStringLiteral("--profile"), QStringLiteral("nope"),
                                            QStringLiteral("--user"), QStringLiteral("demo"), QStringLiteral("--password-env"),
                                            QStringLiteral("FC_TEST_PASSWORD")}
                                    + jobArgs(),
                                {{QString::fromLatin1(ProfileStore::kSettingsEnvironmentVariable), settingsFile}});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("no saved server profile"));
    }

    void tokenInQueryAndWsUrl()
    {
        startBackend();
        // Through a proxy that keeps the raw request lines.
        RecordingProxy proxy(m_backend->port());
        QVERIFY(proxy.listen());
        QStringList args = serverArgs();
        args[args.indexOf(QStringLiteral("--server")) + 1] = proxy.url().toString();
        const Run sse = run(args + jobArgs() + QStringList{QStringLiteral("--token-in-query")});
        QVERIFY2(sse.exitCode == 0, sse.err.constData());
        const QList<QByteArray> tokens = m_backend->accounts().issuedTokens();
        QCOMPARE(tokens.size(), 1);
        const QRegularExpression streamPath(QStringLiteral("^/api/v1/videos/[^/]+/stream$"));
        // The backend saw the stream request with this run's token ...
        const QList<demo::SeenRequest> seen = m_backend->seenRequests();
        QVERIFY(std::any_of(seen.cbegin(), seen.cend(), [&](const demo::SeenRequest &r) {
            return r.method == "GET" && streamPath.match(r.path).hasMatch() && r.token == tokens.first();
        }));
        // ... and the request line shows it travelled as ?token=, on the stream only.
        int streamsWithToken = 0;
        for (const QUrl &target : proxy.requestTargets("GET")) {
            const QString inQuery = QUrlQuery(target).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
            if (streamPath.match(target.path()).hasMatch()) {
                QCOMPARE(inQuery.toUtf8(), tokens.first());
                ++streamsWithToken;
            } else {
                QVERIFY2(inQuery.isEmpty(), qPrintable(target.toString())); // never in REST URLs
            }
        }
        QVERIFY(streamsWithToken >= 1);
        for (const QUrl &target : proxy.requestTargets("POST"))
            QVERIFY2(!target.hasQuery(), qPrintable(target.toString()));

        QUrl ws = m_backend->webSocketUrl();
        const Run socket = run(serverArgs(QStringLiteral("websocket")) + jobArgs()
                               + QStringList{QStringLiteral("--ws-url"), ws.toString()});
        QVERIFY2(socket.exitCode == 0, socket.err.constData());
        // The socket at --ws-url was authenticated with the token of that run.
        const QList<QByteArray> wsTokens = m_backend->accounts().issuedTokens();
        QCOMPARE(wsTokens.size(), 2);
        const QList<demo::SeenRequest> seenWs = m_backend->seenRequests();
        QVERIFY(std::any_of(seenWs.cbegin(), seenWs.cend(), [&](const demo::SeenRequest &r) {
            return r.method == "WS" && r.path == ws.path() && r.token == wsTokens.last();
        }));
        ws.setPath(QStringLiteral("/nowhere"));
        const Run wrong = run(serverArgs(QStringLiteral("websocket")) + jobArgs()
                              + QStringList{QStringLiteral("--ws-url"), ws.toString(), QStringLiteral("--timeout"), QStringLiteral("3")});
        QVERIFY2(wrong.exitCode == 4 || wrong.exitCode == 5, wrong.err.constData());
    }

    void builtInDemo()
    {
        const Run r = run(QStringList{QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--json")} + jobArgs(),
                          {{QStringLiteral("FRAMECAST_DEMO_STEP_DELAY_MS"), QStringLiteral("20")},
                           {QStringLiteral("FRAMECAST_DEMO_TINY_VIDEOS"), QStringLiteral("1")}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.events(QStringLiteral("completed")).size(), 1);
    }
};

QTEST_MAIN(TestHeadless)
#include "tst_headless.moc"
