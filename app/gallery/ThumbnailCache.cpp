// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallery/ThumbnailCache.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QImageReader>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

namespace framecast {

namespace {

Q_LOGGING_CATEGORY(lcThumbnails, "framecast.thumbnails", QtWarningMsg)

constexpr auto kDurationKey = "framecast-duration-ms";
constexpr int kMemoryKilobytes = 48 * 1024;

int costOf(const Thumbnail &t)
{
    return std::max(1, int(t.image.sizeInBytes() / 1024));
}

std::optional<Thumbnail> readCached(const QString &path)
{
    if (path.isEmpty() || !QFileInfo::exists(path))
        return std::nullopt;
    QImageReader reader(path, "PNG");
    Thumbnail t;
    t.image = reader.read();
    if (t.image.isNull())
        return std::nullopt; // a damaged cache file: made again
    bool ok = false;
    const qint64 duration = t.image.text(QLatin1String(kDurationKey)).toLongLong(&ok);
    t.durationMs = ok ? duration : -1;
    return t;
}

void writeCached(const QString &path, const Thumbnail &t)
{
    if (path.isEmpty() || t.image.isNull())
        return;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage image = t.image;
    image.setText(QLatin1String(kDurationKey), QString::number(t.durationMs));
    QSaveFile file(path); // a crash never leaves half a PNG behind
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
        qCWarning(lcThumbnails) << "cannot write the thumbnail cache" << path << file.errorString();
}

} // namespace

ThumbnailCache::ThumbnailCache(std::shared_ptr<const FrameGrabber> grabber, QString cacheDir, QObject *parent)
    : QObject(parent)
    , m_grabber(std::move(grabber))
    , m_cacheDir(std::move(cacheDir))
    , m_memory(kMemoryKilobytes)
    , m_cancel(std::make_shared<std::atomic_bool>(false))
{
    // Two at a time: enough to fill a screen quickly, and the window (and the
    // other jobs' downloads) keep the rest of the machine.
    m_pool.setMaxThreadCount(2);
}

ThumbnailCache::~ThumbnailCache()
{
    m_cancel->store(true);
    m_pool.clear();
    m_pool.waitForDone();
}

QString ThumbnailCache::defaultCacheDir()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation)).filePath(QStringLiteral("thumbnails"));
}

QString ThumbnailCache::keyOf(const QFileInfo &info)
{
    return info.absoluteFilePath() + QLatin1Char('\n') + QString::number(info.lastModified().toMSecsSinceEpoch())
           + QLatin1Char('\n') + QString::number(info.size());
}

QString ThumbnailCache::cacheName(const QFileInfo &file)
{
    return QString::fromLatin1(QCryptographicHash::hash(keyOf(file).toUtf8(), QCryptographicHash::Sha1).toHex())
           + QStringLiteral(".png");
}

std::optional<Thumbnail> ThumbnailCache::thumbnail(const QString &file)
{
    const QFileInfo info(file);
    if (!info.exists())
        return Thumbnail{{}, -1, tr("The video file is missing")};
    const QString key = keyOf(info);
    if (const Thumbnail *known = m_memory.object(key))
        return *known;
    if (m_pending.contains(key))
        return std::nullopt;
    m_pending.insert(key);
    const QString cached = m_cacheDir.isEmpty() ? QString() : QDir(m_cacheDir).filePath(cacheName(info));
    auto cancel = m_cancel;
    auto grabber = m_grabber;
    m_pool.start([this, file, key, cached, cancel, grabber] {
        bool decoded = false;
        std::optional<Thumbnail> t = readCached(cached);
        if (!t && !cancel->load()) {
            const VideoFrame frame = grabber->grab(file, kSize, cancel.get());
            t = Thumbnail{frame.image, frame.durationMs, frame.error};
            decoded = true;
            if (frame.ok())
                writeCached(cached, *t);
            else
                qCWarning(lcThumbnails) << "no thumbnail for" << file << frame.error;
        }
        if (!t)
            return; // cancelled: the cache is going away
        // Delivered on the cache's thread; the destructor waits for this task,
        // and an event still queued for a deleted object is dropped.
        QMetaObject::invokeMethod(
            this, [this, file, key, t = *t, decoded] { finished(file, key, t, decoded); }, Qt::QueuedConnection);
    });
    return std::nullopt;
}

void ThumbnailCache::finished(const QString &file, const QString &key, const Thumbnail &thumbnail, bool decoded)
{
    m_pending.remove(key);
    if (decoded)
        ++m_decoded;
    m_memory.insert(key, new Thumbnail(thumbnail), costOf(thumbnail));
    Q_EMIT ready(file);
}

bool ThumbnailCache::waitForIdle(int msecs)
{
    return m_pool.waitForDone(msecs);
}

} // namespace framecast
