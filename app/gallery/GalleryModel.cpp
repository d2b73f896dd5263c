// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallery/GalleryModel.h"

#include "ledger/HistoryModel.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

namespace framecast {

namespace {

QDateTime shownDate(const LedgerEntry &e)
{
    return e.finishedAt.isValid() ? e.finishedAt : e.createdAt;
}

} // namespace

GalleryModel::GalleryModel(QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_history(new HistoryModel(this))
{
    setSourceModel(m_history);
    setDynamicSortFilter(true); // a job that completes is filtered in, in its place
    sort(0);
}

GalleryModel::~GalleryModel() = default;

void GalleryModel::setLedger(Ledger *ledger)
{
    m_history->setLedger(ledger);
}

Ledger *GalleryModel::ledger() const
{
    return m_history->ledger();
}

void GalleryModel::setOwner(const QString &serverKey, const QString &username)
{
    if (serverKey == m_serverKey && username == m_username)
        return;
    m_serverKey = serverKey;
    m_username = username;
    invalidateFilter();
}

void GalleryModel::setSearch(const QString &text)
{
    m_history->setSearch(text);
}

QString GalleryModel::search() const
{
    return m_history->search();
}

void GalleryModel::setThumbnails(ThumbnailCache *cache)
{
    if (m_thumbnails)
        m_thumbnails->disconnect(this);
    m_thumbnails = cache;
    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailCache::ready, this, &GalleryModel::onThumbnailReady);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0),
                           {ThumbnailRole, ThumbnailStateRole, ThumbnailErrorRole, DurationMsRole});
}

bool GalleryModel::isVideoOfOwner(const LedgerEntry &e) const
{
    return !m_username.isEmpty() && e.state == Job::State::Completed && e.baseUrl == m_serverKey
           && e.username == m_username && !e.videoPath.isEmpty() && QFileInfo::exists(e.videoPath);
}

bool GalleryModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const auto e = m_history->entryAt(sourceRow);
    return e && isVideoOfOwner(*e);
}

bool GalleryModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // "Less" shows first: the newest video (by when it was finished).
    const auto a = m_history->entryAt(left.row());
    const auto b = m_history->entryAt(right.row());
    if (!a || !b)
        return false;
    const qint64 ta = shownDate(*a).isValid() ? shownDate(*a).toMSecsSinceEpoch() : 0;
    const qint64 tb = shownDate(*b).isValid() ? shownDate(*b).toMSecsSinceEpoch() : 0;
    return ta != tb ? ta > tb : a->rowId > b->rowId;
}

void GalleryModel::onThumbnailReady(const QString &file)
{
    for (int row = 0; row < rowCount(); ++row) {
        const QModelIndex i = index(row, 0);
        if (i.data(VideoPathRole).toString() == file)
            Q_EMIT dataChanged(i, i, {ThumbnailRole, ThumbnailStateRole, ThumbnailErrorRole, DurationMsRole});
    }
}

int GalleryModel::rowOf(qint64 rowId) const
{
    const int source = m_history->rowOf(rowId);
    return source < 0 ? -1 : mapFromSource(m_history->index(source)).row();
}

std::optional<LedgerEntry> GalleryModel::entryAt(int row) const
{
    const QModelIndex i = index(row, 0);
    std::optional<LedgerEntry> e = i.isValid() ? m_history->entryAt(mapToSource(i).row()) : std::nullopt;
    if (e)
        e->thumbnail.clear(); // the reference image: the gallery shows the video's own frame
    return e;
}

QVariant GalleryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto found = m_history->entryAt(mapToSource(index).row());
    if (!found)
        return {};
    const LedgerEntry &e = *found;
    // Asking starts the work; `ready` brings the answer.
    const auto thumbnail = [&] { return m_thumbnails ? m_thumbnails->thumbnail(e.videoPath) : std::nullopt; };
    switch (role) {
    case Qt::DisplayRole:
    case PromptRole:
        return e.params.prompt;
    case RowIdRole:
        return e.rowId;
    case VideoPathRole:
        return e.videoPath;
    case DurationMsRole: {
        const auto t = thumbnail();
        return t && t->durationMs > 0 ? t->durationMs : qint64(e.params.durationSeconds) * 1000;
    }
    case FinishedRole:
        return shownDate(e);
    case VideoSizeRole:
        return e.params.size;
    case BytesRole:
        return e.videoBytes > 0 ? e.videoBytes : QFileInfo(e.videoPath).size();
    case ThumbnailRole: {
        const auto t = thumbnail();
        return t ? t->image : QImage();
    }
    case ThumbnailStateRole: {
        const auto t = thumbnail();
        return QVariant::fromValue(!t ? ThumbnailState::Loading : t->failed() ? ThumbnailState::Failed : ThumbnailState::Ready);
    }
    case ThumbnailErrorRole: {
        const auto t = thumbnail();
        return t ? t->error : QString();
    }
    default:
        return {}; // nothing of the history's own roles (its thumbnail is the reference image)
    }
}

QHash<int, QByteArray> GalleryModel::roleNames() const
{
    return {{RowIdRole, "rowId"},           {PromptRole, "prompt"},       {VideoPathRole, "videoPath"},
            {DurationMsRole, "durationMs"}, {FinishedRole, "finishedAt"}, {VideoSizeRole, "videoSize"},
            {BytesRole, "bytes"},           {ThumbnailRole, "thumbnail"}, {ThumbnailStateRole, "thumbnailState"},
            {ThumbnailErrorRole, "thumbnailError"}};
}

Qt::ItemFlags GalleryModel::flags(const QModelIndex &index) const
{
    const Qt::ItemFlags base = QSortFilterProxyModel::flags(index);
    return index.isValid() ? base | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren : base;
}

QStringList GalleryModel::mimeTypes() const
{
    return {QStringLiteral("text/uri-list")};
}

QMimeData *GalleryModel::mimeData(const QModelIndexList &indexes) const
{
    QList<QUrl> urls;
    for (const QModelIndex &i : indexes) {
        if (i.isValid() && i.model() == this)
            urls << QUrl::fromLocalFile(i.data(VideoPathRole).toString());
    }
    if (urls.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setUrls(urls);
    return mime;
}

} // namespace framecast
