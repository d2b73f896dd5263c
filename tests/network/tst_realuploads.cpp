// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient::upload against real server stacks, each a small app of ours
// under tests/servers implementing PROTOCOL.md §3.1's upload the way that
// stack is written: Django 4.2 under daphne, FastAPI under uvicorn, express
// with multer. Each row starts the server on a free loopback port, waits
// until it answers, sends 50 real PNG and JPEG images (1 pixel to several
// MiB, one whose bytes hold "--" runs and CRLFs next to boundary-like text)
// and requires all 50 accepted with the bytes intact (the server answers
// with the sha256 and size of what it parsed). A stack that cannot start
// fails the test: it never skips.
#include "api/ApiClient.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QImage>
#include <QImageWriter>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTest>

#include <optional>

using framecast::ApiClient;
using framecast::ApiResponse;

namespace {

constexpr int kUploads = 50;
constexpr int kStartTimeoutMs = 60000;

struct Image
{
    QString fileName;
    QByteArray mimeType;
    QByteArray data;
};

/// Text placed in the images' metadata: what a naive multipart writer or
/// parser trips over, written as it is into a PNG tEXt chunk and a JPEG
/// comment (Qt's writers would compress or tidy it).
const char kTrickyText[] = "\r\n--\r\n------FramecastFormBoundary\r\n--boundary_.oOo._\r\n\r\n"
                           "----WebKitFormBoundary--\r\n--";

quint32 crc32(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (const char c : bytes) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray bigEndian32(quint32 v)
{
    const char bytes[] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    return QByteArray(bytes, 4);
}

/// `png` with a tEXt chunk "Comment" holding kTrickyText after IHDR.
QByteArray withTrickyText(const QByteArray &png)
{
    const QByteArray typeAndData = QByteArray("tEXtComment") + '\0' + kTrickyText;
    const QByteArray chunk = bigEndian32(quint32(typeAndData.size() - 4)) + typeAndData + bigEndian32(crc32(typeAndData));
    constexpr int ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, IHDR length, type, data, CRC
    return png.left(ihdrEnd) + chunk + png.mid(ihdrEnd);
}

/// `jpeg` with a COM segment holding kTrickyText after SOI.
QByteArray withTrickyComment(const QByteArray &jpeg)
{
    const QByteArray text(kTrickyText);
    const int length = int(text.size()) + 2;
    const char marker[] = {char(0xff), char(0xfe), char(length >> 8), char(length & 0xff)};
    return jpeg.left(2) + QByteArray(marker, 4) + text + jpeg.mid(2);
}

QByteArray encode(const QImage &image, const char *format, int quality = -1)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    if (quality >= 0)
        writer.setQuality(quality);
    if (!writer.write(image))
        qFatal("cannot encode a test image as %s: %s", format, qPrintable(writer.errorString()));
    return out;
}

QImage picture(int w, int h, bool noise, QRandomGenerator &rng)
{
    QImage image(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < w; ++x)
            line[x] = noise ? (rng.generate() | 0xff000000u) : qRgb(x * 255 / w, y * 255 / h, (x ^ y) & 0xff);
    }
    return image;
}

/// 50 images, the same on every run.
QList<Image> makeImages()
{
    QRandomGenerator rng(20261201);
    QList<Image> images;
    // A 1×1 PNG, the smallest there is.
    images.append({QStringLiteral("pixel.png"), "image/png", encode(picture(1, 1, false, rng), "png")});
    // Boundary-like text, "--" runs and CRLFs inside the bytes, PNG and JPEG.
    images.append({QStringLiteral("tricky.png"), "image/png", withTrickyText(encode(picture(64, 48, true, rng), "png"))});
    images.append({QStringLiteral("tricky.jpg"), "image/jpeg", withTrickyComment(encode(picture(64, 48, true, rng), "jpeg"))});
    // Noise does not compress: ~5.5 MiB, past Django's in-memory limit (it spools to a file).
    images.append({QStringLiteral("large noise.png"), "image/png", encode(picture(1600, 1150, true, rng), "png")});
    images.append({QStringLiteral("large.jpg"), "image/jpeg", encode(picture(2400, 1600, true, rng), "jpeg", 95)});
    for (int i = int(images.size()); i < kUploads; ++i) {
        const int w = 8 + (i * 97) % 1280;
        const int h = 8 + (i * 53) % 720;
        const bool noise = i % 3 == 0;
        if (i % 2 == 0)
            images.append({QStringLiteral("frame-%1.png").arg(i), "image/png", encode(picture(w, h, noise, rng), "png")});
        else
            images.append({QStringLiteral("frame-%1.jpg").arg(i), "image/jpeg",
                           encode(picture(w, h, noise, rng), "jpeg", 50 + i)});
    }
    return images;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

/// A server process that is ended when the test row ends, pass or fail.
struct ServerProcess
{
    QProcess process;
    ~ServerProcess()
    {
        if (process.state() == QProcess::NotRunning)
            return;
        process.terminate();
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

} // namespace

class TestRealUploads final : public QObject
{
    Q_OBJECT

private:
    QList<Image> m_images;
    QNetworkAccessManager m_nam;

    /// Whether GET /api/v1/health answers 200 now.
    bool answers(const QUrl &base)
    {
        QNetworkRequest request(base.resolved(QUrl(QStringLiteral("/api/v1/health"))));
        request.setTransferTimeout(2000);
        QNetworkReply *reply = m_nam.get(request);
        const bool finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, 3000);
        const bool ok = finished && reply->error() == QNetworkReply::NoError
                        && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
        if (ok)
            qInfo("server up: %s", reply->readAll().constData());
        reply->abort();
        reply->deleteLater();
        return ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_images = makeImages();
        QCOMPARE(m_images.size(), kUploads);
        // The test is only worth something if the tricky bytes are there.
        const QByteArray &png = m_images.at(1).data;
        const QByteArray &jpg = m_images.at(2).data;
        for (const QByteArray &bytes : {png, jpg}) {
            QVERIFY(bytes.contains(kTrickyText));
            // Still an image a server-side decoder would take.
            QVERIFY(!QImage::fromData(bytes).isNull());
        }
        QVERIFY(m_images.at(3).data.size() > 5 * 1024 * 1024);
    }

    void uploads_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("workingDirectory");
        const QString servers = QStringLiteral(FRAMECAST_SERVERS_DIR);
        const QString python = QStringLiteral(FRAMECAST_PYTHON3);
        QTest::newRow("django-daphne") << python << QStringList{servers + QStringLiteral("/django/server.py")}
                                       << servers + QStringLiteral("/django");
        QTest::newRow("fastapi-uvicorn") << python << QStringList{servers + QStringLiteral("/fastapi/server.py")}
                                         << servers + QStringLiteral("/fastapi");
        // Run from the build tree, where the test fixture ran `npm ci`.
        const QString node = QStringLiteral(FRAMECAST_NODE_SERVER_DIR);
        QTest::newRow("express-multer") << QStringLiteral(FRAMECAST_NODE) << QStringList{node + QStringLiteral("/server.js")}
                                        << node;
    }

    void uploads()
    {
        QFETCH(QString, program);
        QFETCH(QStringList, arguments);
        QFETCH(QString, workingDirectory);

        const quint16 port = freePort();
        QVERIFY(port != 0);
        ServerProcess server;
        server.process.setProgram(program);
        server.process.setArguments(arguments << QStringLiteral("--port") << QString::number(port));
        server.process.setWorkingDirectory(workingDirectory);
        server.process.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1")); // nothing into the source tree
        env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
        server.process.setProcessEnvironment(env);
        server.process.start();
        QVERIFY2(server.process.waitForStarted(10000),
                 qPrintable(QStringLiteral("cannot start %1: %2").arg(program, server.process.errorString())));

        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        const bool up = QTest::qWaitFor(
            [&] { return server.process.state() == QProcess::NotRunning || answers(base); }, kStartTimeoutMs);
        QVERIFY2(up && server.process.state() == QProcess::Running,
                 qPrintable(QStringLiteral("the %1 server did not come up (is the stack installed? bash .ci/deps):\n%2")
                                .arg(QString::fromLatin1(QTest::currentDataTag()),
                                     QString::fromLocal8Bit(server.process.readAll()))));

        ApiClient api(base, &m_nam);
        api.setTimeoutMs(60000);
        int accepted = 0;
        QStringList failures;
        for (const Image &image : std::as_const(m_images)) {
            std::optional<ApiResponse> answer;
            api.upload(image.data, image.fileName, image.mimeType, [&](const ApiResponse &r) { answer = r; });
            QVERIFY2(QTest::qWaitFor([&] { return answer.has_value(); }, 90000),
                     qPrintable(QStringLiteral("no answer for %1").arg(image.fileName)));
            const QJsonObject &json = answer->json;
            const QByteArray sha = QCryptographicHash::hash(image.data, QCryptographicHash::Sha256).toHex();
            QString why;
            if (answer->httpStatus != 201 || !answer->ok())
                why = QStringLiteral("HTTP %1: %2 %3")
                          .arg(answer->httpStatus)
                          .arg(answer->error.message, QString::fromUtf8(answer->body.left(300)));
            else if (!json.value(QStringLiteral("url")).toString().startsWith(QLatin1String("/uploads/images/")))
                why = QStringLiteral("no /uploads/images/ url: ") + QString::fromUtf8(answer->body);
            else if (json.value(QStringLiteral("sha256")).toString().toLatin1() != sha
                     || json.value(QStringLiteral("size")).toInteger() != image.data.size())
                why = QStringLiteral("bytes changed: sent %1 bytes %2, the server parsed %3 bytes %4")
                          .arg(image.data.size())
                          .arg(QString::fromLatin1(sha))
                          .arg(json.value(QStringLiteral("size")).toInteger())
                          .arg(json.value(QStringLiteral("sha256")).toString());
            else if (json.value(QStringLiteral("filename")).toString() != image.fileName
                     || json.value(QStringLiteral("content_type")).toString().toLatin1() != image.mimeType)
                why = QStringLiteral("part headers read as filename %1, type %2")
                          .arg(json.value(QStringLiteral("filename")).toString(),
                               json.value(QStringLiteral("content_type")).toString());
            if (why.isEmpty())
                ++accepted;
            else
                failures << image.fileName + QStringLiteral(" (") + QString::number(image.data.size())
                                + QStringLiteral(" bytes): ") + why;
        }
        qInfo("%s: %d/%d uploads accepted with intact bytes", QTest::currentDataTag(), accepted, kUploads);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QCOMPARE(accepted, kUploads);
        QVERIFY2(server.process.state() == QProcess::Running, "the server died during the uploads");
    }
};

QTEST_GUILESS_MAIN(TestRealUploads)
#include "tst_realuploads.moc"
