// SPDX-License-Identifier: GPL-3.0-or-later
// The gallery's thumbnails: FFmpeg takes a frame of a real video (one the
// demo backend's renderer encodes) that is the video's own picture, not the
// reference image and not blank; damaged, truncated, empty and missing files
// answer with an error promptly; the cache makes each thumbnail once, keeps
// it on disk for the next run and makes it again when the file changes.
#include "demo/VideoRenderer.h"
#include "gallery/ThumbnailCache.h"
#include "thumbnailer/FfmpegFrameGrabber.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace framecast;

namespace {

constexpr QSize kVideoSize{320, 180};
constexpr int kSeconds = 3;
constexpr int kFps = 24;
const QString kCaption = QStringLiteral("Lanterns drifting over a harbour");

/// Four coloured quadrants: where each colour lands shows the frame is upright and in RGB order.
QImage reference()
{
    QImage image(640, 360, QImage::Format_RGB32);
    image.fill(Qt::black);
    const QColor colours[] = {QColor(220, 40, 30), QColor(30, 180, 60), QColor(40, 60, 220), QColor(230, 210, 40)};
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const int quadrant = (y >= image.height() / 2 ? 2 : 0) + (x >= image.width() / 2 ? 1 : 0);
            image.setPixelColor(x, y, colours[quadrant]);
        }
    }
    return image;
}

double meanDifference(const QImage &a, const QImage &b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB32).scaled(kVideoSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const QImage y = b.convertToFormat(QImage::Format_RGB32).scaled(kVideoSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    double sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const QRgb *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const QRgb *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col)
            sum += std::abs(qRed(p[col]) - qRed(q[col])) + std::abs(qGreen(p[col]) - qGreen(q[col]))
                   + std::abs(qBlue(p[col]) - qBlue(q[col]));
    }
    return sum / (3.0 * x.width() * x.height());
}

double greySpread(const QImage &image)
{
    double sum = 0, squares = 0;
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const double g = qGray(image.pixel(x, y));
            sum += g;
            squares += g * g;
            ++n;
        }
    const double mean = sum / n;
    return std::sqrt(squares / n - mean * mean);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray randomBytes(int n)
{
    QByteArray bytes(n, Qt::Uninitialized);
    QRandomGenerator gen(1234);
    for (char &c : bytes)
        c = char(gen.bounded(256));
    return bytes;
}

} // namespace

class TestThumbnailer final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_video;
    QByteArray m_videoBytes;

    QString file(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        demo::VideoSpec spec;
        spec.image = reference();
        spec.size = kVideoSize;
        spec.durationSeconds = kSeconds;
        spec.fps = kFps;
        spec.caption = kCaption;
        spec.outputPath = m_video = file(QStringLiteral("real.mp4"));
        const demo::VideoResult result = demo::renderVideo(spec);
        QVERIFY2(result.ok, qPrintable(result.error));
        QFile f(m_video);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_videoBytes = f.readAll();
    }

    void frameOfARealVideo()
    {
        const thumbnailer::FfmpegFrameGrabber grabber;
        QElapsedTimer timer;
        timer.start();
        const VideoFrame frame = grabber.grab(m_video, ThumbnailCache::kSize, nullptr);
        const qint64 ms = timer.elapsed();
        QVERIFY2(frame.ok(), qPrintable(frame.error));
        qInfo("one frame of a %dx%d %d s video in %lld ms", kVideoSize.width(), kVideoSize.height(), kSeconds, ms);
        QCOMPARE(frame.image.size(), kVideoSize); // fits the box, never scaled up
        QVERIFY2(std::abs(frame.durationMs - kSeconds * 1000) < 100, qPrintable(QString::number(frame.durationMs)));
        // Not blank: the quadrants and the caption.
        QVERIFY2(greySpread(frame.image) > 20, qPrintable(QString::number(greySpread(frame.image))));
        // Upright and in RGB order: red top left, yellow bottom right.
        const QColor topLeft = frame.image.pixelColor(kVideoSize.width() / 5, kVideoSize.height() / 5);
        QVERIFY2(topLeft.red() > topLeft.green() + 80 && topLeft.red() > topLeft.blue() + 80, qPrintable(topLeft.name()));
        const QColor bottomRight = frame.image.pixelColor(kVideoSize.width() * 9 / 10, kVideoSize.height() * 3 / 5);
        QVERIFY2(bottomRight.red() > 150 && bottomRight.green() > 150 && bottomRight.blue() < 100, qPrintable(bottomRight.name()));
        // The video's own frame a third of the way in (the pan and zoom with
        // the caption), not the reference image it was made from.
        const int frames = kSeconds * kFps;
        const int index = frames / 3;
        const QImage cover = demo::prepareCoverSource(reference(), kVideoSize);
        const double toVideo = meanDifference(frame.image, demo::renderFrame(cover, kVideoSize, kCaption, index, frames));
        const double toStart = meanDifference(frame.image, demo::renderFrame(cover, kVideoSize, kCaption, 0, frames));
        const double toReference = meanDifference(frame.image, reference());
        qInfo("mean difference to the video's frame %d: %.2f, to its first frame: %.2f, to the reference image: %.2f", index,
              toVideo, toStart, toReference);
        QVERIFY2(toVideo < 6, qPrintable(QString::number(toVideo)));
        QVERIFY2(toReference > 2 * toVideo, qPrintable(QString::number(toReference)));
        QVERIFY2(toStart > toVideo, "the first frame was taken, not one a third in");
    }

    void smallAndPortraitVideos_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QSize>("expected");
        QTest::newRow("tiny landscape") << QSize(160, 90) << QSize(160, 90);
        QTest::newRow("tiny portrait") << QSize(90, 160) << QSize(90, 160);
        QTest::newRow("odd widths") << QSize(34, 62) << QSize(34, 62);
        QTest::newRow("portrait, scaled") << QSize(360, 640) << QSize(101, 180);
        QTest::newRow("HD, scaled") << QSize(1280, 720) << QSize(320, 180);
    }

    void smallAndPortraitVideos()
    {
        QFETCH(QSize, size);
        QFETCH(QSize, expected);
        demo::VideoSpec spec;
        spec.image = reference();
        spec.size = size;
        spec.durationSeconds = 1;
        spec.fps = 8;
        spec.outputPath = file(QStringLiteral("video-%1x%2.mp4").arg(size.width()).arg(size.height()));
        const demo::VideoResult result = demo::renderVideo(spec);
        QVERIFY2(result.ok, qPrintable(result.error));
        QElapsedTimer timer;
        timer.start();
        const VideoFrame frame = thumbnailer::FfmpegFrameGrabber().grab(spec.outputPath, ThumbnailCache::kSize, nullptr);
        qInfo("%dx%d: a frame in %lld ms", size.width(), size.height(), timer.elapsed());
        QVERIFY2(frame.ok(), qPrintable(frame.error));
        QCOMPARE(frame.image.size(), expected);
        QVERIFY(greySpread(frame.image) > 10);
    }

    void damagedFilesAnswerPromptly_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("mayHaveFrame");
        QTest::newRow("random bytes") << "random.mp4" << randomBytes(256 * 1024) << false;
        QTest::newRow("empty file") << "empty.mp4" << QByteArray() << false;
        QTest::newRow("text") << "notes.mp4" << QByteArray("not a video at all\n").repeated(100) << false;
        QTest::newRow("header then garbage") << "garbage.mp4" << m_videoBytes.left(2048) + randomBytes(64 * 1024) << false;
        // The renderer writes the index first (faststart): half a file still has frames.
        QTest::newRow("truncated") << "truncated.mp4" << m_videoBytes.left(m_videoBytes.size() / 2) << true;
        QTest::newRow("index only") << "index.mp4" << m_videoBytes.left(m_videoBytes.size() / 20) << true;
        QTest::newRow("damaged middle") << "damaged.mp4"
                                        << m_videoBytes.left(m_videoBytes.size() / 4) + randomBytes(m_videoBytes.size() / 2)
                                               + m_videoBytes.mid(m_videoBytes.size() * 3 / 4)
                                        << true;
    }

    void damagedFilesAnswerPromptly()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, mayHaveFrame);
        const QString path = file(name);
        QVERIFY(writeFile(path, bytes));
        const thumbnailer::FfmpegFrameGrabber grabber(5000);
        QElapsedTimer timer;
        timer.start();
        const VideoFrame frame = grabber.grab(path, ThumbnailCache::kSize, nullptr);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        if (!mayHaveFrame)
            QVERIFY(!frame.ok());
        QVERIFY(frame.ok() || !frame.error.isEmpty());
        qInfo("%s: %s", qPrintable(name), frame.ok() ? "a frame" : qPrintable(frame.error));
    }

    void missingFile()
    {
        const thumbnailer::FfmpegFrameGrabber grabber;
        const VideoFrame frame = grabber.grab(file(QStringLiteral("nowhere.mp4")), ThumbnailCache::kSize, nullptr);
        QVERIFY(!frame.ok());
        QVERIFY(!frame.error.isEmpty());
    }

    void cancelledGrabStops()
    {
        const thumbnailer::FfmpegFrameGrabber grabber;
        const std::atomic_bool cancel{true};
        QElapsedTimer timer;
        timer.start();
        const VideoFrame frame = grabber.grab(m_video, ThumbnailCache::kSize, &cancel);
        QVERIFY(!frame.ok());
        QVERIFY(timer.elapsed() < 1000);
    }

    void cacheMakesOnceAndKeepsOnDisk()
    {
        QTemporaryDir cacheDir;
        auto grabber = thumbnailer::makeFfmpegFrameGrabber();
        QImage first;
        {
            ThumbnailCache cache(grabber, cacheDir.path());
            QSignalSpy ready(&cache, &ThumbnailCache::ready);
            QVERIFY(!cache.thumbnail(m_video)); // made off the GUI thread
            QVERIFY(!cache.thumbnail(m_video)); // asked again while it is made: still one job
            QVERIFY(ready.wait(10000));
            QCOMPARE(ready.count(), 1);
            QCOMPARE(ready.at(0).at(0).toString(), m_video);
            const auto t = cache.thumbnail(m_video);
            QVERIFY(t && !t->failed());
            QVERIFY(std::abs(t->durationMs - kSeconds * 1000) < 100);
            QCOMPARE(cache.decodedCount(), 1);
            first = t->image;
        }
        QCOMPARE(QDir(cacheDir.path()).entryList({QStringLiteral("*.png")}, QDir::Files).size(), 1);
        // The next run reads it from disk: nothing is decoded.
        ThumbnailCache again(grabber, cacheDir.path());
        QSignalSpy ready(&again, &ThumbnailCache::ready);
        QVERIFY(!again.thumbnail(m_video));
        QVERIFY(ready.wait(10000));
        const auto t = again.thumbnail(m_video);
        QVERIFY(t && !t->failed());
        QCOMPARE(again.decodedCount(), 0);
        QCOMPARE(t->image.size(), first.size());
        QVERIFY(meanDifference(t->image, first) < 1);
        QVERIFY(std::abs(t->durationMs - kSeconds * 1000) < 100);
    }

    void changedFileIsMadeAgain()
    {
        QTemporaryDir cacheDir;
        const QString copy = file(QStringLiteral("copy.mp4"));
        QFile::remove(copy);
        QVERIFY(QFile::copy(m_video, copy));
        ThumbnailCache cache(thumbnailer::makeFfmpegFrameGrabber(), cacheDir.path());
        QSignalSpy ready(&cache, &ThumbnailCache::ready);
        QVERIFY(!cache.thumbnail(copy));
        QVERIFY(ready.wait(10000));
        QVERIFY(cache.thumbnail(copy));
        QFile f(copy);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
        f.close();
        QVERIFY(!cache.thumbnail(copy)); // another version of the file
        QVERIFY(ready.wait(10000));
        QCOMPARE(cache.decodedCount(), 2);
    }

    void corruptFileIsAPlaceholderNotAHang()
    {
        const QString path = file(QStringLiteral("corrupt.mp4"));
        QVERIFY(writeFile(path, randomBytes(128 * 1024)));
        QTemporaryDir cacheDir;
        ThumbnailCache cache(thumbnailer::makeFfmpegFrameGrabber(), cacheDir.path());
        QSignalSpy ready(&cache, &ThumbnailCache::ready);
        QVERIFY(!cache.thumbnail(path));
        QVERIFY(ready.wait(10000));
        const auto t = cache.thumbnail(path);
        QVERIFY(t);
        QVERIFY(t->failed());
        QVERIFY(!t->error.isEmpty());
        // Known to fail: not tried again, and nothing was written to the disk cache.
        QVERIFY(cache.thumbnail(path));
        QCOMPARE(cache.decodedCount(), 1);
        QVERIFY(QDir(cacheDir.path()).entryList({QStringLiteral("*.png")}, QDir::Files).isEmpty());
        const auto missing = cache.thumbnail(file(QStringLiteral("gone.mp4")));
        QVERIFY(missing && missing->failed() && !missing->error.isEmpty());
    }

    void deletedWhileWorking()
    {
        QTemporaryDir cacheDir;
        QElapsedTimer timer;
        timer.start();
        {
            ThumbnailCache cache(thumbnailer::makeFfmpegFrameGrabber(), cacheDir.path());
            for (const QString &name : {QStringLiteral("real.mp4"), QStringLiteral("copy.mp4"), QStringLiteral("corrupt.mp4")})
                cache.thumbnail(file(name));
        } // waits for the workers, cancelling them
        QVERIFY(timer.elapsed() < 5000);
        QCoreApplication::processEvents(); // nothing is delivered to the deleted cache
    }
};

QTEST_MAIN(TestThumbnailer)
#include "tst_thumbnailer.moc"
