// SPDX-License-Identifier: GPL-3.0-or-later
// `framecast --headless` as a subprocess against a demo backend in this
// process: every dialect's full flow, the JSON schema line by line, every
// exit code, the fault switches, --watch, --demo, SIGINT, and no token in
// any output.
#include "HttpTestClient.h"

#include "demo/DemoBackend.h"
#include "ledger/Ledger.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>
#include <csignal>
#include <utility>

using namespace framecast;
using framecast::demo::DemoBackend;
using framecast::demo::DemoConfig;
using framecast::test::HttpTestClient;

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

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QList<QJsonObject> json() const
    {
        QList<QJsonObject> lines;
        for (const QByteArray &line : out.split('\n')) {
            if (!line.trimmed().isEmpty())
                lines << QJsonDocument::fromJson(line).object();
        }
        return lines;
    }
    QList<QJsonObject> events(const QString &name) const
    {
        QList<QJsonObject> matching;
        for (const QJsonObject &o : json()) {
            if (o.value(QStringLiteral("event")).toString() == name)
                matching << o;
        }
        return matching;
    }
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

class TestHeadless final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DemoBackend> m_backend;
    QTemporaryDir m_dir;
    QString m_image;

    void startBackend(DemoConfig config = {})
    {
        if (config.stepDelayMinMs == 2000 && config.stepDelayMaxMs == 3000) // the default pacing: speed it up
            config.stepDelayMinMs = config.stepDelayMaxMs = 20;
        config.tinyVideos = true;
        m_backend = std::make_unique<DemoBackend>(config);
        QVERIFY(m_backend->start());
    }

    QStringList serverArgs(const QString &dialect = QStringLiteral("videos-sse")) const
    {
        return {QStringLiteral("--headless"), QStringLiteral("--server"), m_backend->baseUrl().toString(),
                QStringLiteral("--progress"), dialect, QStringLiteral("--user"), QStringLiteral("demo"),
                QStringLiteral("--password-env"), QStringLiteral("FC_TEST_PASSWORD")};
    }

    QStringList jobArgs(const QString &prompt = QStringLiteral("A glass city under the sea")) const
    {
        return {QStringLiteral("--prompt"), prompt, QStringLiteral("--image"), m_image, QStringLiteral("--output"),
                m_dir.filePath(QStringLiteral("out.mp4"))};
    }

    /// Runs the CLI; the event loop keeps serving the in-process backend meanwhile.
    Run run(const QStringList &args, const QHash<QString, QString> &env = {}, int timeoutMs = 60000,
            const std::function<void(QProcess &)> &during = {})
    {
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("FC_TEST_PASSWORD"), QStringLiteral("demo"));
        e.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        // The job history goes to this test's folder, never the user's.
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            e.insert(it.key(), it.value());
        p.setProcessEnvironment(e);
        p.setWorkingDirectory(m_dir.path());
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(QStringLiteral(FRAMECAST_EXE), args);
        if (!p.waitForStarted(10000)) {
            noteRunFailure(QStringLiteral("%1 did not start: %2").arg(QStringLiteral(FRAMECAST_EXE), p.errorString()));
            return Run{kDidNotFinish, {}, p.errorString().toUtf8()};
        }
        if (during)
            during(p);
        if (finished.isEmpty() && !finished.wait(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            Run r{kDidNotFinish, p.readAllStandardOutput(), p.readAllStandardError()};
            noteRunFailure(QStringLiteral("framecast %1 did not finish within %2 ms; killed. stderr: %3")
                               .arg(args.join(QLatin1Char(' ')))
                               .arg(timeoutMs)
                               .arg(QString::fromUtf8(r.err.right(2000))));
            return r;
        }
        Run r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    /// The exit code of a run that did not start or did not finish in time:
    /// no test accepts it, and cleanup() fails the test function as well, so
    /// even a caller that accepts several exit codes cannot pass with a hung
    /// or missing binary.
    static constexpr int kDidNotFinish = -1000;
    QStringList m_runFailures;

    void noteRunFailure(const QString &what)
    {
        qWarning().noquote() << what;
        m_runFailures << what;
    }

    QString ledgerPath() const { return m_dir.filePath(QStringLiteral("history.sqlite")); }

    /// Starts a job with the CLI and kills the process (SIGKILL: no clean-up
    /// of any kind) once it has printed step `killAt`. Returns the job id.
    QString startAndKill(int killAt)
    {
        QString jobId;
        const QByteArray marker = "[" + QByteArray::number(killAt) + "/";
        const Run r = run(serverArgs() + QStringList{QStringLiteral("--prompt"), QStringLiteral("A lighthouse in a storm"),
                                                     QStringLiteral("--image"), m_image, QStringLiteral("--ledger"), ledgerPath()},
                          {}, 60000, [&](QProcess &p) {
                              QByteArray seen;
                              QElapsedTimer t;
                              t.start();
                              while (t.elapsed() < 30000 && p.state() != QProcess::NotRunning) {
                                  p.waitForReadyRead(50);
                                  QCoreApplication::processEvents(); // the backend lives in this process
                                  seen += p.readAllStandardOutput();
                                  if (seen.contains(marker)) {
                                      p.kill();
                                      p.waitForFinished(5000);
                                      break;
                                  }
                              }
                              const int at = seen.indexOf("Job ");
                              if (at >= 0)
                                  jobId = QString::fromUtf8(seen.mid(at + 4, seen.indexOf('\n', at) - at - 4)).trimmed();
                          });
        if (r.exitCode != -1)
            qWarning() << "the first run was not killed:" << r.exitCode << r.err;
        return jobId;
    }

    LedgerEntry ledgerEntry(const QString &jobId) const
    {
        Ledger ledger;
        if (!ledger.open(ledgerPath()))
            return {};
        return ledger.findByServerId(m_backend->baseUrl().toString(), jobId).value_or(LedgerEntry());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(30, 120, 200));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
        QFile notes(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("shopping list: milk, film, batteries\n");
    }

    void cleanup()
    {
        const QStringList runFailures = std::exchange(m_runFailures, {});
        m_backend.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("out.mp4")));
        QVERIFY2(runFailures.isEmpty(), qPrintable(runFailures.join(QLatin1Char('\n'))));
    }

    void restartResumesAKilledJob()
    {
        DemoConfig config;
        config.stepDelayMinMs = config.stepDelayMaxMs = 150;
        startBackend(config);
        const QString jobId = startAndKill(3);
        QVERIFY(!jobId.isEmpty());
        LedgerEntry before = ledgerEntry(jobId);
        QCOMPARE(before.serverId, jobId);
        // Recorded as it happened; killed mid-job (the events being handled
        // at the kill may be missing: the resume replays them).
        QVERIFY2(!before.isFinal(), qPrintable(Job::stateName(before.state)));
        QVERIFY(before.step < 9);
        QCOMPARE(before.params.prompt, QStringLiteral("A lighthouse in a storm"));
        QVERIFY(!before.thumbnail.isEmpty());

        // Started again: the job resumes, completes and its video is archived.
        const Run r = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath(),
                                                     QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.events(QStringLiteral("resume")).first().value(QStringLiteral("jobs")).toInt(), 1);
        const QJsonObject done = r.events(QStringLiteral("completed")).value(0);
        QCOMPARE(done.value(QStringLiteral("job")).toString(), jobId);
        const LedgerEntry after = ledgerEntry(jobId);
        QCOMPARE(after.state, Job::State::Completed);
        QCOMPARE(after.videoPath, done.value(QStringLiteral("file")).toString());
        QVERIFY(QFileInfo(after.videoPath).size() > 0);
        QCOMPARE(after.videoBytes, QFileInfo(after.videoPath).size());
        // Every step in the log once, in order.
        QList<int> steps;
        for (const Job::LogEntry &l : after.log)
            steps << l.step;
        QCOMPARE(steps, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
        // Nothing left to resume.
        const Run again = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath()});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains("Nothing to resume"), again.out.constData());
    }

    void resumeAJobThatCompletedMeanwhile()
    {
        DemoConfig config;
        config.stepDelayMinMs = config.stepDelayMaxMs = 100;
        startBackend(config);
        const QString jobId = startAndKill(2);
        QVERIFY(!jobId.isEmpty());
        // The app is closed; the server finishes the job.
        HttpTestClient client(m_backend->baseUrl());
        client.setToken(client.login(QStringLiteral("demo"), QStringLiteral("demo")).json().value(QStringLiteral("access_token")).toString().toUtf8());
        QTRY_COMPARE_WITH_TIMEOUT(client.get(QStringLiteral("/api/v1/videos/") + jobId).json().value(QStringLiteral("status")).toString(),
                                  QStringLiteral("completed"), 30000);
        QVERIFY(!ledgerEntry(jobId).isFinal()); // the ledger does not know yet

        const Run r = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath(),
                                                     QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.events(QStringLiteral("connection")).isEmpty()); // nothing to watch: straight to the video
        const LedgerEntry after = ledgerEntry(jobId);
        QCOMPARE(after.state, Job::State::Completed);
        QVERIFY(QFileInfo::exists(after.videoPath));
    }

    void resumeAJobTheServerForgot()
    {
        DemoConfig config;
        config.stepDelayMinMs = config.stepDelayMaxMs = 150;
        startBackend(config);
        const QString jobId = startAndKill(2);
        QVERIFY(!jobId.isEmpty());
        // The server restarts on the same address and has no trace of the job.
        const quint16 port = quint16(m_backend->baseUrl().port());
        m_backend.reset();
        config.port = port;
        startBackend(config);
        QCOMPARE(m_backend->baseUrl().port(), int(port));

        const Run r = run(serverArgs() + QStringList{QStringLiteral("--resume"), QStringLiteral("--ledger"), ledgerPath(),
                                                     QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject failed = r.events(QStringLiteral("failed")).value(0);
        QCOMPARE(failed.value(QStringLiteral("code")).toString(), QStringLiteral("LOST"));
        QVERIFY(r.events(QStringLiteral("completed")).isEmpty()); // never shown as done
        QCOMPARE(ledgerEntry(jobId).state, Job::State::Lost);
    }

    void ledgerByDefaultAndNoLedger()
    {
        startBackend();
        const QString defaultLedger = m_dir.filePath(QStringLiteral("xdg-data/Framecast/Framecast/ledger.sqlite"));
        QFile::remove(defaultLedger);
        const Run off = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--no-ledger")});
        QCOMPARE(off.exitCode, 0);
        QVERIFY(!QFileInfo::exists(defaultLedger));
        const Run on = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")});
        QCOMPARE(on.exitCode, 0);
        QVERIFY(QFileInfo::exists(defaultLedger));
        Ledger ledger;
        QVERIFY(ledger.open(defaultLedger));
        const QList<LedgerEntry> all = ledger.entries();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().state, Job::State::Completed);
        QCOMPARE(all.first().videoPath, m_dir.filePath(QStringLiteral("out.mp4")));
        QCOMPARE(all.first().username, QStringLiteral("demo"));
    }

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

    void usageErrorsSendNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("short prompt") << QStringList{QStringLiteral("--prompt"), QStringLiteral("too short")} << QStringLiteral("at least 10");
        QTest::newRow("missing image") << QStringList{QStringLiteral("--image"), QStringLiteral("/nonexistent.png")} << QStringLiteral("does not exist");
        QTest::newRow("not an image") << QStringList{QStringLiteral("--image"), m_dir.filePath(QStringLiteral("notes.txt"))}
                                      << QStringLiteral("not a PNG");
        QTest::newRow("bad duration") << QStringList{QStringLiteral("--duration"), QStringLiteral("5")} << QStringLiteral("--duration");
        QTest::newRow("bad flag") << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("password on the command line") << QStringList{QStringLiteral("--password"), QStringLiteral("demo")}
                                                       << QStringLiteral("show in ps");
        QTest::newRow("empty password variable") << QStringList{QStringLiteral("--password-env"), QStringLiteral("FC_UNSET_VARIABLE")}
                                                 << QStringLiteral("empty or not set");
        QTest::newRow("ca file that is not PEM") << QStringList{QStringLiteral("--ca-file"), m_dir.filePath(QStringLiteral("notes.txt"))}
                                                 << QStringLiteral("is not a PEM certificate file");
        QTest::newRow("missing ca file") << QStringList{QStringLiteral("--ca-file"), QStringLiteral("/nonexistent/ca.pem")}
                                         << QStringLiteral("Cannot read the certificate file");
        QTest::newRow("bad proxy") << QStringList{QStringLiteral("--proxy"), QStringLiteral("proxy:3128")}
                                   << QStringLiteral("The proxy must be");
    }

    void usageErrorsSendNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        startBackend();
        // Later options override the defaults given first.
        QStringList all = serverArgs();
        QStringList job = jobArgs();
        for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
            const qsizetype at = all.indexOf(args.at(i));
            if (at >= 0)
                all[at + 1] = args.at(i + 1);
            const qsizetype jat = job.indexOf(args.at(i));
            if (jat >= 0)
                job[jat + 1] = args.at(i + 1);
            if (at < 0 && jat < 0)
                all << args.at(i) << args.at(i + 1);
        }
        if (args.size() % 2)
            all << args.last();
        const Run r = run(all + job);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QCOMPARE(m_backend->jobs().size(), 0); // nothing was sent
    }

    void wrongPasswordIs3()
    {
        startBackend();
        const Run r = run(serverArgs() + jobArgs(), {{QStringLiteral("FC_TEST_PASSWORD"), QStringLiteral("wrong")}});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("Invalid credentials"));
    }

    void badTokenIs3()
    {
        startBackend();
        const Run r = run(QStringList{QStringLiteral("--headless"), QStringLiteral("--server"), m_backend->baseUrl().toString(),
                                      QStringLiteral("--progress"), QStringLiteral("websocket"), QStringLiteral("--token-env"),
                                      QStringLiteral("FC_TOKEN")}
                              + jobArgs(),
                          {{QStringLiteral("FC_TOKEN"), QStringLiteral("forged")}});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!r.err.contains("forged"));
    }

    void failedJobIs1()
    {
        DemoConfig c;
        c.failAtStep = 3;
        c.failRetryable = true;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject failed = r.events(QStringLiteral("failed")).first();
        QVERIFY(failed.value(QStringLiteral("message")).toString().contains(QLatin1String("step 3")));
        QVERIFY(failed.value(QStringLiteral("retryable")).isBool());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("out.mp4"))));
    }

    void serverGoneIs4()
    {
        startBackend();
        const QString url = m_backend->baseUrl().toString();
        m_backend.reset(); // nobody listens there any more
        QStringList args = {QStringLiteral("--headless"), QStringLiteral("--server"), url, QStringLiteral("--progress"),
                            QStringLiteral("videos-sse"), QStringLiteral("--user"), QStringLiteral("demo"),
                            QStringLiteral("--password-env"), QStringLiteral("FC_TEST_PASSWORD")};
        const Run r = run(args + jobArgs());
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("Cannot reach the server"));
    }

    void timeoutIs5()
    {
        DemoConfig c;
        c.stepDelayMinMs = c.stepDelayMaxMs = 5000;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--timeout"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("--timeout"));
    }

    void interruptCancelsOnTheServer()
    {
        DemoConfig c;
        c.stepDelayMinMs = c.stepDelayMaxMs = 3000;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")}, {}, 60000, [this](QProcess &p) {
            // Once the job is running, Ctrl+C.
            QTRY_VERIFY_WITH_TIMEOUT(!m_backend->jobs().isEmpty() && m_backend->jobs().first()->step() >= 1, 20000);
            // The CLI watches the job's progress stream: it knows the job, so
            // its interrupt can cancel it on the server.
            QTRY_VERIFY_WITH_TIMEOUT(m_backend->openStreams() >= 1, 20000);
            ::kill(pid_t(p.processId()), SIGINT);
        });
        QCOMPARE(r.exitCode, 130);
        QCOMPARE(m_backend->jobs().size(), 1);
        QCOMPARE(m_backend->jobs().first()->status(), demo::DemoJob::Status::Cancelled);
        QVERIFY(r.err.contains("cancelled on the server"));
    }

    void dropsAreSurvived()
    {
        DemoConfig c;
        c.dropAfter = 3;
        startBackend(c);
        const Run r = run(serverArgs() + jobArgs() + QStringList{QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        bool reconnected = false;
        for (const QJsonObject &o : r.events(QStringLiteral("connection")))
            reconnected |= o.value(QStringLiteral("state")).toString() == QLatin1String("reconnecting");
        QVERIFY(reconnected);
        QSet<int> steps;
        for (const QJsonObject &o : r.events(QStringLiteral("progress")))
            steps.insert(o.value(QStringLiteral("step")).toInt());
        for (int s = 1; s <= 9; ++s)
            QVERIFY2(steps.contains(s), qPrintable(QString::number(s)));
    }

    void everyFaultSwitch_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<int>("exitCode");
        // --stall-ms stalls SSE streams (a WebSocket stall is a heartbeat stop,
        // tested in tst_websocketchannel).
        QTest::addRow("stall videos-sse") << "stall" << "videos-sse" << 0;
        for (const char *d : {"videos-sse", "websocket"}) {
            QTest::addRow("garbage %s", d) << "garbage" << d << 0;
            QTest::addRow("oversized %s", d) << "oversized" << d << 0;
            QTest::addRow("restart %s", d) << "restart" << d << 0;
            QTest::addRow("token expires %s", d) << "ttl" << d << 3;
        }
    }

    void everyFaultSwitch()
    {
        QFETCH(QString, fault);
        QFETCH(QString, dialect);
        QFETCH(int, exitCode);
        DemoConfig c;
        c.stepDelayMinMs = c.stepDelayMaxMs = 100;
        if (fault == QLatin1String("stall"))
            c.stallMs = 1500; // longer than nothing, shorter than the client's patience
        else if (fault == QLatin1String("garbage"))
            c.garbage = true;
        else if (fault == QLatin1String("oversized"))
            c.oversized = true;
        else if (fault == QLatin1String("restart")) {
            c.restartAfterMs = 500;
            c.refuseMs = 700;
        } else if (fault == QLatin1String("ttl")) {
            c.tokenTtlS = 1;
            c.stepDelayMinMs = c.stepDelayMaxMs = 400;
            c.dropAfter = 3; // a reconnect after the token expired meets a 401
        }
        startBackend(c);
        const Run r = run(serverArgs(dialect) + jobArgs() + QStringList{QStringLiteral("--json")});
        QVERIFY2(r.exitCode == exitCode, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
        if (exitCode == 0) {
            QCOMPARE(r.events(QStringLiteral("completed")).size(), 1);
            QSet<int> steps;
            for (const QJsonObject &o : r.events(QStringLiteral("progress")))
                steps.insert(o.value(QStringLiteral("step")).toInt());
            // SSE resumes exactly (Last-Event-ID): every step is there. A
            // WebSocket reconnect races the socket's replay against the REST
            // catch-up; when the catch-up finds the job completed, the video
            // is saved and the run may end before the replayed steps are read.
            const bool exact = dialect != QLatin1String("websocket") || (fault != QLatin1String("restart") && fault != QLatin1String("oversized"));
            for (int s = 1; s <= 8; ++s) {
                if (exact || s == 1)
                    QVERIFY2(steps.contains(s), qPrintable(QStringLiteral("step %1 missing").arg(s)));
            }
        }
        if (fault == QLatin1String("garbage"))
            QVERIFY(!r.events(QStringLiteral("warning")).isEmpty());
        if (fault == QLatin1String("restart") || fault == QLatin1String("oversized")) {
            bool reconnected = false;
            for (const QJsonObject &o : r.events(QStringLiteral("connection")))
                reconnected |= o.value(QStringLiteral("state")).toString() == QLatin1String("reconnecting");
            QVERIFY(reconnected);
        }
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
        // A profile as the desktop app saves it, in a settings folder of our own.
        QTemporaryDir config;
        QDir().mkpath(config.filePath(QStringLiteral("Framecast")));
        QFile ini(config.filePath(QStringLiteral("Framecast/Framecast.conf")));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[profiles]\nmy%20server\\baseUrl=" + m_backend->baseUrl().toString().toUtf8()
                  + "\nmy%20server\\progress=tasks-sse\nmy%20server\\tokenInQuery=true\n");
        ini.close();
        const Run r = run(QStringList{QStringLiteral("--headless"), QStringLiteral("--profile"), QStringLiteral("my server"),
                                      QStringLiteral("--user"), QStringLiteral("demo"), QStringLiteral("--password-stdin"),
                                      QStringLiteral("--json")}
                              + jobArgs(),
                          {{QStringLiteral("XDG_CONFIG_HOME"), config.path()}}, 60000,
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
                                {{QStringLiteral("XDG_CONFIG_HOME"), config.path()}});
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
