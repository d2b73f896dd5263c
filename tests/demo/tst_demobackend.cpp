// SPDX-License-Identifier: GPL-3.0-or-later
// The demo backend's REST side over real loopback HTTP: login, account,
// uploads and their refusals, generation and its refusals, status, cancel,
// credits, user isolation, token expiry, Range requests, and the video's
// properties (checked with ffprobe).
#include "DemoTestConfig.h"
#include "HttpTestClient.h"

#include "demo/DemoBackend.h"

#include <QBuffer>
#include <QImage>
#include <QImageWriter>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QWebSocket>

using namespace framecast;
using framecast::demo::DemoBackend;
using framecast::demo::DemoConfig;
using framecast::demo::SeenRequest;
using framecast::test::HttpTestClient;

namespace {

DemoConfig fastConfig()
{
    DemoConfig c = test::fastDemoConfig(5);
    c.users.last().password = QStringLiteral("wonderland");
    c.users.append({QStringLiteral("poor"), QStringLiteral("pw"), 50, true});
    c.users.append({QStringLiteral("lapsed"), QStringLiteral("pw"), 1000, false});
    return c;
}

QByteArray encodeImage(const QImage &image, const char *format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.write(image);
    return bytes;
}

QImage solid(QSize size, QColor color)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

QJsonObject waitForStatus(HttpTestClient &client, const QString &id, const QString &status, int timeoutMs = 30000)
{
    QJsonObject last;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        last = client.get(QStringLiteral("/api/v1/videos/") + id).json();
        if (last.value(QStringLiteral("status")).toString() == status)
            return last;
        QTest::qWait(20);
    }
    return last;
}

QString generate(HttpTestClient &client, QJsonObject body = {})
{
    if (!body.contains(QStringLiteral("prompt")))
        body.insert(QStringLiteral("prompt"), QStringLiteral("A lighthouse at dawn, waves rolling in"));
    const auto r = client.post(QStringLiteral("/api/v1/videos/generate"), body);
    if (r.status != 201)
        qWarning() << "generate failed" << r.status << r.body;
    return r.json().value(QStringLiteral("id")).toString();
}

/// ffprobe's view of a video: codec, width, height, duration.
QJsonObject probe(const QString &file)
{
    QProcess p;
    p.start(QStringLiteral("ffprobe"), {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-select_streams"),
                                        QStringLiteral("v:0"), QStringLiteral("-show_entries"),
                                        QStringLiteral("stream=codec_name,width,height:format=duration"),
                                        QStringLiteral("-of"), QStringLiteral("json"), file});
    p.waitForFinished(30000);
    const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QJsonObject out = o.value(QStringLiteral("streams")).toArray().first().toObject();
    out.insert(QStringLiteral("duration"),
               o.value(QStringLiteral("format")).toObject().value(QStringLiteral("duration")).toString().toDouble());
    return out;
}

} // namespace

class TestDemoBackend final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DemoBackend> m_backend;

private Q_SLOTS:
    void init()
    {
        m_backend = std::make_unique<DemoBackend>(fastConfig());
        QString error;
        QVERIFY2(m_backend->start(&error), qPrintable(error));
    }

    void cleanup() { m_backend.reset(); }

    void loginAndAccount()
    {
        HttpTestClient client(m_backend->baseUrl());
        auto wrong = client.login(QStringLiteral("demo"), QStringLiteral("nope"));
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.detail().toString(), QStringLiteral("Invalid credentials"));
        auto ok = client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        QCOMPARE(ok.json().value(QStringLiteral("expires_in")).toInt(), 3600);
        QVERIFY(client.token().size() > 20);
        const auto me = client.get(QStringLiteral("/api/v1/users/me"));
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("username")).toString(), QStringLiteral("demo"));
        QCOMPARE(me.json().value(QStringLiteral("credits")).toInt(), 1000);
        QCOMPARE(me.json().value(QStringLiteral("subscription_status")).toString(), QStringLiteral("active"));
        QVERIFY(me.json().value(QStringLiteral("avatar_url")).isNull());

        HttpTestClient anonymous(m_backend->baseUrl());
        QCOMPARE(anonymous.get(QStringLiteral("/api/v1/users/me")).status, 401);
        anonymous.setToken("made-up");
        QCOMPARE(anonymous.get(QStringLiteral("/api/v1/users/me")).detail().toString(), QStringLiteral("Invalid token"));
    }

    void tokensExpire()
    {
        m_backend->accounts().setTokenTtl(1);
        HttpTestClient client(m_backend->baseUrl());
        QCOMPARE(client.login(QStringLiteral("demo"), QStringLiteral("demo")).status, 200);
        QCOMPARE(client.get(QStringLiteral("/api/v1/users/me")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(client.get(QStringLiteral("/api/v1/users/me")).status, 401, 3000);
        QCOMPARE(client.get(QStringLiteral("/api/v1/users/me")).detail().toString(), QStringLiteral("Token expired"));
    }

    void uploads_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("detailContains");
        const QImage image = solid(QSize(64, 48), Qt::red);
        QTest::newRow("png") << encodeImage(image, "png") << 201 << QString();
        QTest::newRow("jpeg") << encodeImage(image, "jpeg") << 201 << QString();
        if (QImageWriter::supportedImageFormats().contains("webp"))
            QTest::newRow("webp") << encodeImage(image, "webp") << 201 << QString();
        QTest::newRow("gif refused") << QByteArray("GIF89a\x01\x00\x01\x00") << 415 << QStringLiteral("PNG, JPEG and WebP");
        QTest::newRow("text refused") << QByteArray("hello, not an image") << 415 << QStringLiteral("PNG, JPEG");
        QByteArray truncated = encodeImage(solid(QSize(400, 300), Qt::blue), "png");
        truncated.truncate(truncated.size() / 2);
        QTest::newRow("corrupt png") << truncated << 422 << QStringLiteral("damaged");
        QTest::newRow("9000 px wide") << encodeImage(solid(QSize(9000, 8), Qt::green), "png") << 422
                                      << QStringLiteral("at most 8192");
        QByteArray huge = encodeImage(image, "png");
        huge.append(QByteArray(21 * 1024 * 1024, 'x'));
        QTest::newRow("21 MB") << huge << 413 << QStringLiteral("20 MB");
    }

    void uploads()
    {
        QFETCH(QByteArray, data);
        QFETCH(int, status);
        QFETCH(QString, detailContains);
        HttpTestClient client(m_backend->baseUrl());
        QCOMPARE(client.login(QStringLiteral("demo"), QStringLiteral("demo")).status, 200);
        const auto r = client.upload(data, "../../etc/passwd", "application/octet-stream");
        QCOMPARE(r.status, status);
        if (status == 201) {
            const QString url = r.json().value(QStringLiteral("url")).toString();
            QVERIFY2(url.startsWith(QLatin1String("/uploads/images/img_")), qPrintable(url));
            QVERIFY(!url.contains(QLatin1String("passwd"))); // the server makes the name
            const auto back = client.get(url);
            QCOMPARE(back.status, 200);
            QCOMPARE(back.body, data);
        } else {
            QVERIFY2(QString::fromUtf8(r.body).contains(detailContains), r.body.constData());
        }
    }

    void uploadNeedsAuthAndAFilePart()
    {
        HttpTestClient anonymous(m_backend->baseUrl());
        QCOMPARE(anonymous.upload("x", "a.png", "image/png").status, 401);
        HttpTestClient client(m_backend->baseUrl());
        client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        const auto r = client.postRaw(QStringLiteral("/api/v1/uploads"), "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n",
                                      "multipart/form-data; boundary=b");
        QCOMPARE(r.status, 422);
        QCOMPARE(r.detail().toArray().first().toObject().value(QStringLiteral("loc")).toArray().last().toString(),
                 QStringLiteral("file"));
    }

    void generateRefusals_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field");
        QTest::newRow("short prompt") << "demo" << QByteArray(R"({"prompt": "  too short "})") << 422 << "prompt";
        QTest::newRow("missing prompt") << "demo" << QByteArray(R"({"model": "sora-2"})") << 422 << "prompt";
        QTest::newRow("long prompt") << "demo" << QByteArray("{\"prompt\": \"" + QByteArray(2001, 'a') + "\"}") << 422 << "prompt";
        QTest::newRow("unknown model") << "demo" << QByteArray(R"({"prompt": "a long enough prompt", "model": "dall-e"})") << 422 << "model";
        QTest::newRow("bad size") << "demo" << QByteArray(R"({"prompt": "a long enough prompt", "size": "640x480"})") << 422 << "size";
        QTest::newRow("bad duration") << "demo" << QByteArray(R"({"prompt": "a long enough prompt", "duration": 5})") << 422 << "duration";
        QTest::newRow("invalid json") << "demo" << QByteArray("{not json") << 422 << "body";
        QTest::newRow("no credits") << "poor" << QByteArray(R"({"prompt": "a long enough prompt"})") << 402 << QString();
        QTest::newRow("inactive") << "lapsed" << QByteArray(R"({"prompt": "a long enough prompt"})") << 403 << QString();
    }

    void generateRefusals()
    {
        QFETCH(QString, user);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, field);
        HttpTestClient client(m_backend->baseUrl());
        QCOMPARE(client.login(user, user == QLatin1String("demo") ? QStringLiteral("demo") : QStringLiteral("pw")).status, 200);
        const auto r = client.postRaw(QStringLiteral("/api/v1/videos/generate"), body, "application/json");
        QCOMPARE(r.status, status);
        if (status == 422) {
            // FastAPI's shape: {"detail": [{"loc": ["body", field], "msg": ..., "type": ...}]}
            const QJsonObject item = r.detail().toArray().first().toObject();
            QCOMPARE(item.value(QStringLiteral("loc")).toArray().last().toString(), field);
            QVERIFY(!item.value(QStringLiteral("msg")).toString().isEmpty());
        } else if (status == 402) {
            QCOMPARE(r.detail().toString(), QStringLiteral("Insufficient credits"));
        } else {
            QCOMPARE(r.detail().toString(), QStringLiteral("Subscription inactive"));
        }
        QCOMPARE(m_backend->jobs().size(), 0);
    }

    void busyGeneratesAnswer429ThenTakeJobs()
    {
        m_backend->config().busyGenerates = 2;
        HttpTestClient client(m_backend->baseUrl());
        client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        const QByteArray body(R"({"prompt": "a long enough prompt"})");
        for (int i = 0; i < 2; ++i) {
            const auto r = client.postRaw(QStringLiteral("/api/v1/videos/generate"), body, "application/json");
            QCOMPARE(r.status, 429);
            QVERIFY(!r.detail().toString().isEmpty());
        }
        QCOMPARE(m_backend->jobs().size(), 0);
        QVERIFY(generate(client).startsWith(QLatin1String("vid_"))); // then taken
    }

    void completionCostsCreditsAndSurvivesNoWatcher()
    {
        HttpTestClient client(m_backend->baseUrl());
        client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        const QString id = generate(client);
        QVERIFY(id.startsWith(QLatin1String("vid_")));
        // Nobody watches: the job still runs to completion.
        const QJsonObject done = waitForStatus(client, id, QStringLiteral("completed"));
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(done.value(QStringLiteral("progress")).toInt(), 100);
        QCOMPARE(done.value(QStringLiteral("step")).toInt(), 9);
        QCOMPARE(done.value(QStringLiteral("video_url")).toString(), QStringLiteral("/uploads/videos/%1.mp4").arg(id));
        QCOMPARE(client.get(QStringLiteral("/api/v1/users/me")).json().value(QStringLiteral("credits")).toInt(), 900);
    }

    void cancelAndItsEdges()
    {
        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 2000;
        HttpTestClient client(m_backend->baseUrl());
        client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        const QString id = generate(client);
        QTRY_COMPARE(client.get(QStringLiteral("/api/v1/videos/") + id).json().value(QStringLiteral("status")).toString(),
                     QStringLiteral("processing"));
        auto r = client.post(QStringLiteral("/api/v1/videos/%1/cancel").arg(id), {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(client.get(QStringLiteral("/api/v1/videos/") + id).json().value(QStringLiteral("status")).toString(),
                 QStringLiteral("cancelled"));
        QCOMPARE(client.post(QStringLiteral("/api/v1/videos/%1/cancel").arg(id), {}).status, 200); // idempotent
        QCOMPARE(client.get(QStringLiteral("/api/v1/users/me")).json().value(QStringLiteral("credits")).toInt(), 1000);

        m_backend->config().stepDelayMinMs = m_backend->config().stepDelayMaxMs = 5;
        const QString done = generate(client);
        waitForStatus(client, done, QStringLiteral("completed"));
        r = client.post(QStringLiteral("/api/v1/videos/%1/cancel").arg(done), {});
        QCOMPARE(r.status, 409);
        QCOMPARE(client.post(QStringLiteral("/api/v1/videos/vid_nonexistent/cancel"), {}).status, 404);
    }

    void usersAreIsolated()
    {
        HttpTestClient demo(m_backend->baseUrl());
        demo.login(QStringLiteral("demo"), QStringLiteral("demo"));
        const QString id = generate(demo);
        HttpTestClient alice(m_backend->baseUrl());
        QCOMPARE(alice.login(QStringLiteral("alice"), QStringLiteral("wonderland")).status, 200);
        for (const QString &path : {QStringLiteral("/api/v1/videos/%1"), QStringLiteral("/api/v1/videos/%1/stream"),
                                    QStringLiteral("/api/v1/sse/tasks/%1/progress"), QStringLiteral("/api/v1/sse/projects/%1/")}) {
            const auto r = alice.get(path.arg(id));
            QCOMPARE(r.status, 404);
            QCOMPARE(r.detail().toString(), QStringLiteral("Video not found"));
        }
        QCOMPARE(alice.post(QStringLiteral("/api/v1/videos/%1/cancel").arg(id), {}).status, 404);
        QCOMPARE(demo.get(QStringLiteral("/api/v1/videos/") + id).status, 200);
        QVERIFY(m_backend->job(id)->status() != demo::DemoJob::Status::Cancelled);
    }

    void rangeRequests()
    {
        HttpTestClient client(m_backend->baseUrl());
        client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        const QString id = generate(client);
        const QString url = waitForStatus(client, id, QStringLiteral("completed")).value(QStringLiteral("video_url")).toString();
        const auto full = client.get(url);
        QCOMPARE(full.status, 200);
        QCOMPARE(full.header("Content-Type"), QByteArray("video/mp4"));
        QCOMPARE(full.header("Accept-Ranges"), QByteArray("bytes"));
        QVERIFY(full.body.size() > 1000);
        QCOMPARE(full.body.mid(4, 4), QByteArray("ftyp")); // an MP4

        const auto head = client.get(url, {{"Range", "bytes=0-99"}});
        QCOMPARE(head.status, 206);
        QCOMPARE(head.body, full.body.left(100));
        QCOMPARE(head.header("Content-Range"), "bytes 0-99/" + QByteArray::number(full.body.size()));
        const auto tail = client.get(url, {{"Range", "bytes=-10"}});
        QCOMPARE(tail.status, 206);
        QCOMPARE(tail.body, full.body.right(10));
        const auto rest = client.get(url, {{"Range", "bytes=100-"}});
        QCOMPARE(rest.body, full.body.mid(100));
        const auto bad = client.get(url, {{"Range", "bytes=999999999-"}});
        QCOMPARE(bad.status, 416);
        QCOMPARE(bad.header("Content-Range"), "bytes */" + QByteArray::number(full.body.size()));
        QCOMPARE(client.get(QStringLiteral("/uploads/videos/nope.mp4")).status, 404);
        QCOMPARE(client.get(QStringLiteral("/uploads/videos/..%2F..%2Fetc%2Fpasswd")).status, 404);
    }

    void realVideoFromTheReferenceImage_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<int>("duration");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("landscape 4 s") << QStringLiteral("1280x720") << 4 << 1280 << 720;
        QTest::newRow("portrait 8 s") << QStringLiteral("720x1280") << 8 << 720 << 1280;
    }

    void realVideoFromTheReferenceImage()
    {
        QFETCH(QString, size);
        QFETCH(int, duration);
        QFETCH(int, width);
        QFETCH(int, height);
        if (QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty())
            QFAIL("ffprobe is missing: run bash .ci/deps");
        m_backend->config().tinyVideos = false;
        HttpTestClient client(m_backend->baseUrl());
        client.login(QStringLiteral("demo"), QStringLiteral("demo"));
        // A reference image that is red on the left, blue on the right.
        QImage image(800, 600, QImage::Format_RGB32);
        image.fill(Qt::red);
        for (int y = 0; y < 600; ++y)
            for (int x = 400; x < 800; ++x)
                image.setPixel(x, y, qRgb(0, 0, 255));
        const auto up = client.upload(encodeImage(image, "png"), "ref.png", "image/png");
        QCOMPARE(up.status, 201);
        const QString id = generate(client, {{QStringLiteral("prompt"), QStringLiteral("A red and blue flag waving slowly")},
                                             {QStringLiteral("reference_image_url"), up.json().value(QStringLiteral("url")).toString()},
                                             {QStringLiteral("size"), size},
                                             {QStringLiteral("duration"), duration}});
        const QJsonObject done = waitForStatus(client, id, QStringLiteral("completed"), 90000);
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        const QString file = m_backend->job(id)->videoPath();
        qInfo("encoding %s, %d s took %lld ms", qPrintable(size), duration, m_backend->job(id)->encodeMs());
        const QJsonObject p = probe(file);
        QCOMPARE(p.value(QStringLiteral("codec_name")).toString(), QStringLiteral("h264"));
        QCOMPARE(p.value(QStringLiteral("width")).toInt(), width);
        QCOMPARE(p.value(QStringLiteral("height")).toInt(), height);
        QVERIFY2(qAbs(p.value(QStringLiteral("duration")).toDouble() - duration) < 0.1,
                 qPrintable(QString::number(p.value(QStringLiteral("duration")).toDouble())));

        // The first frame shows the image: red on the left, blue on the right (landscape).
        QProcess ff;
        const QString png = file + QStringLiteral(".png");
        ff.start(QStringLiteral("ffmpeg"), {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y"), QStringLiteral("-i"),
                                            file, QStringLiteral("-frames:v"), QStringLiteral("1"), png});
        QVERIFY(ff.waitForFinished(30000));
        const QImage frame(png);
        QCOMPARE(frame.size(), QSize(width, height));
        if (width > height) {
            const QColor left = frame.pixelColor(width / 8, height / 3);
            const QColor right = frame.pixelColor(width * 7 / 8, height / 3);
            QVERIFY2(left.red() > 180 && left.blue() < 80, qPrintable(left.name()));
            QVERIFY2(right.blue() > 180 && right.red() < 80, qPrintable(right.name()));
        }
    }

    void recordsTheTokensItSaw()
    {
        // What a test needs to prove a token never reached the wrong server:
        // each request with its method, path and token, by every way a token
        // can come (header, ?token=, the WebSocket handshake and auth message).
        HttpTestClient demo(m_backend->baseUrl());
        QCOMPARE(demo.login(QStringLiteral("demo"), QStringLiteral("demo")).status, 200);
        QCOMPARE(demo.get(QStringLiteral("/api/v1/users/me")).status, 200);
        HttpTestClient alice(m_backend->baseUrl());
        QCOMPARE(alice.login(QStringLiteral("alice"), QStringLiteral("wonderland")).status, 200);
        HttpTestClient byQuery(m_backend->baseUrl());
        QCOMPARE(byQuery.get(QStringLiteral("/api/v1/videos/nope/stream?token=") + QString::fromUtf8(alice.token())).status, 404);

        QNetworkRequest handshake(m_backend->webSocketUrl());
        handshake.setRawHeader("Authorization", "Bearer handshake-token");
        QWebSocket ws;
        QSignalSpy connected(&ws, &QWebSocket::connected);
        ws.open(handshake);
        QVERIFY(connected.wait(5000));
        ws.sendTextMessage(QStringLiteral(R"({"type": "auth", "payload": {"token": "ws-auth-token"}})"));
        QTRY_VERIFY(m_backend->sawToken("ws-auth-token"));

        const QList<SeenRequest> seen = m_backend->seenRequests();
        auto has = [&seen](const QByteArray &method, const QString &path, const QByteArray &token) {
            return std::any_of(seen.begin(), seen.end(), [&](const SeenRequest &r) {
                return r.method == method && r.path == path && r.token == token;
            });
        };
        QVERIFY(has("POST", QStringLiteral("/api/v1/auth/login"), QByteArray()));
        QVERIFY(has("GET", QStringLiteral("/api/v1/users/me"), demo.token()));
        QVERIFY(has("GET", QStringLiteral("/api/v1/videos/nope/stream"), alice.token()));
        QVERIFY(has("GET", QStringLiteral("/ws"), "handshake-token"));
        QVERIFY(has("WS", QStringLiteral("/ws"), "ws-auth-token"));
        QVERIFY(m_backend->sawToken(demo.token()));
        QVERIFY(m_backend->sawToken(alice.token()));
        QVERIFY(!m_backend->sawToken("never-sent"));
        QVERIFY(!m_backend->sawToken(QByteArray()));

        // Another server saw only what was sent to it.
        DemoBackend other(fastConfig());
        QVERIFY(other.start());
        HttpTestClient elsewhere(other.baseUrl());
        QCOMPARE(elsewhere.get(QStringLiteral("/health")).status, 200);
        QCOMPARE(other.seenRequests().size(), 1);
        QVERIFY(!other.sawToken(demo.token()));
        QVERIFY(!other.sawToken(alice.token()));
    }

    void seenRequestsAreBounded()
    {
        HttpTestClient client(m_backend->baseUrl());
        client.setToken("first-token");
        QCOMPARE(client.get(QStringLiteral("/health")).status, 200);
        client.setToken({});
        for (int i = 0; i < DemoBackend::kMaxSeenRequests; ++i)
            QCOMPARE(client.get(QStringLiteral("/health?n=%1").arg(i)).status, 200);
        QCOMPARE(m_backend->seenRequests().size(), DemoBackend::kMaxSeenRequests);
        QCOMPARE(m_backend->droppedSeenRequests(), 1);
        QVERIFY(!m_backend->sawToken("first-token")); // the oldest went first
        QCOMPARE(m_backend->seenRequests().last().path, QStringLiteral("/health"));
    }

    void unknownRoutesAndHealth()
    {
        HttpTestClient client(m_backend->baseUrl());
        QCOMPARE(client.get(QStringLiteral("/nope")).status, 404);
        const auto health = client.get(QStringLiteral("/health"));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    }
};

QTEST_MAIN(TestDemoBackend)
#include "tst_demobackend.moc"
