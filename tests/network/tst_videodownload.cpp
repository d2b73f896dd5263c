// SPDX-License-Identifier: GPL-3.0-or-later
// Archiving a finished video (PROTOCOL §5): a broken transfer resumes with
// Range, the part file survives for a later resume, servers that ignore Range
// are handled, redirects are capped and never carry the token to another
// origin, and what is not a video is refused.
#include "ScriptedHttpServer.h"
#include "api/ApiClient.h"
#include "media/VideoDownload.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;
using framecast::test::ScriptedHttpServer;
using Script = ScriptedHttpServer::Script;
using Step = ScriptedHttpServer::Step;
using End = ScriptedHttpServer::End;

namespace {

QByteArray videoBytes(int size)
{
    QByteArray out(size, '\0');
    for (int i = 0; i < size; ++i)
        out[i] = char((i * 31 + 7) & 0xff);
    return out;
}

QByteArray head(int status, qint64 length, const QByteArray &extra = {}, const QByteArray &type = "video/mp4")
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + type
           + "\r\nContent-Length: " + QByteArray::number(length) + "\r\nConnection: close\r\n" + extra + "\r\n";
}

/// Serves `video` honouring Range; answers that start before byte
/// `cutBefore` send only `cut` bytes of their body and then close (a broken
/// transfer, however often Qt itself retries).
ScriptedHttpServer::Handler rangeServer(const QByteArray &video, qint64 cutBefore, int cut)
{
    return [video, cutBefore, cut](const ScriptedHttpServer::Request &r, int) {
        qint64 from = 0;
        const QByteArray range = r.headers.value("range");
        if (range.startsWith("bytes="))
            from = range.mid(6, range.indexOf('-') - 6).toLongLong();
        const QByteArray body = video.mid(from);
        QByteArray h = from > 0 ? head(206, body.size(),
                                       "Content-Range: bytes " + QByteArray::number(from) + '-'
                                           + QByteArray::number(video.size() - 1) + '/' + QByteArray::number(video.size())
                                           + "\r\n")
                                : head(200, body.size());
        if (from < cutBefore)
            return Script{{Step{0, h + body.left(cut)}}, End::Close};
        return Script{{Step{0, h + body}}, End::Close};
    };
}

struct Fixture
{
    QTemporaryDir dir;
    QNetworkAccessManager network;
    ScriptedHttpServer server;
    std::unique_ptr<ApiClient> api;

    Fixture()
    {
        server.listen();
        api = std::make_unique<ApiClient>(server.baseUrl(), &network);
        api->setToken("download-token-123");
    }
    QString dest() const { return dir.filePath(QStringLiteral("videos/vid_1.mp4")); }
    std::unique_ptr<VideoDownload> download(const QString &path = QStringLiteral("/videos/vid_1.mp4"))
    {
        auto d = std::make_unique<VideoDownload>(api.get(), path, dest());
        d->setRetryDelayMs(20);
        return d;
    }
};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestVideoDownload final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wholeVideo()
    {
        Fixture fx;
        const QByteArray video = videoBytes(300000);
        fx.server.setHandler(rangeServer(video, 0, 0));
        auto dl = fx.download();
        QSignalSpy finished(dl.get(), &VideoDownload::finished);
        dl->start();
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
        QCOMPARE(readFile(fx.dest()), video);
        QVERIFY(!QFile::exists(VideoDownload::partFileFor(fx.dest())));
        QCOMPARE(fx.server.requests().first().headers.value("authorization"), QByteArray("Bearer download-token-123"));
        QVERIFY(!fx.server.requests().first().headers.contains("range"));
    }

    void brokenTransferResumesWithRange()
    {
        Fixture fx;
        const QByteArray video = videoBytes(200000);
        fx.server.setHandler(rangeServer(video, 140000, 70000)); // breaks at 70000 and 140000
        auto dl = fx.download();
        QSignalSpy finished(dl.get(), &VideoDownload::finished);
        QSignalSpy resumed(dl.get(), &VideoDownload::resumed);
        dl->start();
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
        QCOMPARE(readFile(fx.dest()), video);
        // Qt may retry a request on its own when a connection closes early;
        // whatever it does, each resume asks for exactly what is missing.
        QByteArrayList ranges;
        for (const auto &r : fx.server.requests()) {
            const QByteArray range = r.headers.value("range");
            if (ranges.isEmpty() || ranges.last() != range)
                ranges << range;
        }
        QCOMPARE(ranges, (QByteArrayList{"", "bytes=70000-", "bytes=140000-"}));
        QCOMPARE(resumed.size(), 2);
        QCOMPARE(resumed.at(0).first().toLongLong(), 70000);
    }

    void partSurvivesForALaterResume()
    {
        Fixture fx;
        const QByteArray video = videoBytes(100000);
        fx.server.setHandler(rangeServer(video, 40000, 40000));
        {
            auto dl = fx.download();
            dl->setMaxAttempts(1); // gives up after the first break
            QSignalSpy finished(dl.get(), &VideoDownload::finished);
            dl->start();
            QVERIFY(finished.wait(10000));
            QVERIFY(!finished.first().first().toBool());
            QVERIFY2(finished.first().last().toString().contains(QLatin1String("40000 bytes kept")),
                     qPrintable(finished.first().last().toString()));
        }
        QVERIFY(!QFile::exists(fx.dest()));
        QCOMPARE(readFile(VideoDownload::partFileFor(fx.dest())), video.left(40000));
        // Later (another run of the app): it continues from byte 40000.
        auto again = fx.download();
        QSignalSpy finished(again.get(), &VideoDownload::finished);
        again->start();
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(fx.server.requests().last().headers.value("range"), QByteArray("bytes=40000-"));
        QCOMPARE(readFile(fx.dest()), video);
    }

    void serverIgnoringRangeStartsOver()
    {
        Fixture fx;
        const QByteArray video = videoBytes(50000);
        fx.server.setHandler([video](const ScriptedHttpServer::Request &, int n) {
            if (n == 1)
                return Script{{Step{0, head(200, video.size()) + video.left(10000)}}, End::Close};
            return Script{{Step{0, head(200, video.size()) + video}}, End::Close}; // never 206
        });
        auto dl = fx.download();
        QSignalSpy finished(dl.get(), &VideoDownload::finished);
        dl->start();
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(readFile(fx.dest()), video); // not 10000 bytes twice
    }

    void alreadyCompletePart()
    {
        Fixture fx;
        const QByteArray video = videoBytes(3000);
        QDir().mkpath(fx.dir.filePath(QStringLiteral("videos")));
        QFile part(VideoDownload::partFileFor(fx.dest()));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(video);
        part.close();
        fx.server.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{Step{0, head(416, 0, "Content-Range: bytes */3000\r\n", "application/json")}}, End::Close};
        });
        auto dl = fx.download();
        QSignalSpy finished(dl.get(), &VideoDownload::finished);
        dl->start();
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(readFile(fx.dest()), video);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("message");
        QTest::newRow("html") << head(200, 5, {}, "text/html") + "<html" << "text/html instead of a video";
        QTest::newRow("no type") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
                                 << "no content type";
        QTest::newRow("too big") << head(200, (qint64(2) << 30) + 1) << "larger than 2 GiB";
        QTest::newRow("404") << ScriptedHttpServer::response(404, "{\"detail\": \"Video expired\"}") << "Video expired";
    }
    void refusals()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, message);
        Fixture fx;
        fx.server.setHandler([answer](const ScriptedHttpServer::Request &, int) { return Script{{Step{0, answer}}, End::Close}; });
        auto dl = fx.download();
        QSignalSpy finished(dl.get(), &VideoDownload::finished);
        dl->start();
        QVERIFY(finished.wait(10000));
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(finished.first().last().toString().contains(message), qPrintable(finished.first().last().toString()));
        QVERIFY(!QFile::exists(fx.dest()));
    }

    void redirectToAnotherOriginDropsTheToken()
    {
        Fixture fx;
        ScriptedHttpServer cdn; // another port: another origin
        QVERIFY(cdn.listen());
        const QByteArray video = videoBytes(20000);
        cdn.setHandler(rangeServer(video, 0, 0));
        const QByteArray location = cdn.baseUrl().resolved(QUrl(QStringLiteral("/signed/vid_1.mp4?sig=abc"))).toEncoded();
        fx.server.setHandler([location](const ScriptedHttpServer::Request &r, int) {
            if (r.path() == "/videos/vid_1.mp4") // same origin first
                return Script{{Step{0, "HTTP/1.1 302 Found\r\nLocation: /moved/vid_1.mp4\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"}}, End::Close};
            return Script{{Step{0, "HTTP/1.1 307 Moved\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"}}, End::Close};
        });
        auto dl = fx.download();
        QSignalSpy finished(dl.get(), &VideoDownload::finished);
        dl->start();
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
        QCOMPARE(readFile(fx.dest()), video);
        QCOMPARE(fx.server.requests().size(), 2);
        for (const auto &r : fx.server.requests()) // our own origin: with the token
            QCOMPARE(r.headers.value("authorization"), QByteArray("Bearer download-token-123"));
        QCOMPARE(cdn.requests().size(), 1);
        QVERIFY(!cdn.requests().first().headers.contains("authorization"));
        QCOMPARE(cdn.requests().first().target, QByteArray("/signed/vid_1.mp4?sig=abc"));
    }

    void redirectsAreCapped()
    {
        Fixture fx;
        fx.server.setHandler([](const ScriptedHttpServer::Request &r, int n) {
            Q_UNUSED(r);
            return Script{{Step{0, "HTTP/1.1 302 Found\r\nLocation: /loop/" + QByteArray::number(n)
                                       + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"}},
                          End::Close};
        });
        auto dl = fx.download();
        QSignalSpy finished(dl.get(), &VideoDownload::finished);
        dl->start();
        QVERIFY(finished.wait(10000));
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(finished.first().last().toString().contains(QLatin1String("Too many redirects")),
                 qPrintable(finished.first().last().toString()));
        QCOMPARE(fx.server.requests().size(), VideoDownload::kMaxRedirects + 1);
    }

    void certificateErrorsAreShownNotIgnored()
    {
        // A TLS server whose certificate nobody trusts (self-signed).
        QFile certFile(QStringLiteral(FRAMECAST_TEST_DATA "/selfsigned-cert.pem"));
        QFile keyFile(QStringLiteral(FRAMECAST_TEST_DATA "/selfsigned-key.pem"));
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
        tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        QSslServer server;
        server.setSslConfiguration(tls);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QUrl base(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));

        QNetworkAccessManager network;
        ApiClient api(base, &network);
        api.setToken("tls-token-123456");
        bool done = false;
        ApiResponse got;
        api.me([&](const ApiResponse &r) {
            got = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(got.error.kind, ApiError::Kind::Tls);
        QVERIFY2(got.error.message.contains(QLatin1String("self-signed"), Qt::CaseInsensitive), qPrintable(got.error.message));

        QTemporaryDir dir;
        VideoDownload dl(&api, QStringLiteral("/videos/v.mp4"), dir.filePath(QStringLiteral("v.mp4")));
        dl.setMaxAttempts(1);
        QSignalSpy finished(&dl, &VideoDownload::finished);
        dl.start();
        QVERIFY(finished.wait(10000));
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(finished.first().last().toString().contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
                 qPrintable(finished.first().last().toString()));
    }

    void restRedirectsStayOnTheOrigin()
    {
        Fixture fx;
        ScriptedHttpServer other;
        QVERIFY(other.listen());
        const QByteArray location = other.baseUrl().resolved(QUrl(QStringLiteral("/api/v1/users/me"))).toEncoded();
        fx.server.setHandler([location](const ScriptedHttpServer::Request &, int) {
            return Script{{Step{0, "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"}},
                          End::Close};
        });
        other.setHandler([](const ScriptedHttpServer::Request &, int) {
            return Script{{Step{0, ScriptedHttpServer::response(200, "{\"username\": \"x\"}")}}, End::Close};
        });
        bool done = false;
        ApiResponse got;
        fx.api->me([&](const ApiResponse &r) {
            got = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QVERIFY(!got.ok());
        QVERIFY(other.requests().isEmpty()); // the token never left for the other origin
    }
};

QTEST_GUILESS_MAIN(TestVideoDownload)
#include "tst_videodownload.moc"
