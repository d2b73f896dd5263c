// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallery/GalleryModel.h"

#include "gallery/ThumbnailCache.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

#include <algorithm>

namespace framecast {

namespace {

QDateTime shownDate(const LedgerEntry &e)
{
    return e.finishedAt.isValid() ? e.finishedAt : e.createdAt;
}

/// The gallery's order: the newest video first (by when it was finished).
bool showsBefore(const LedgerEntry &a, const LedgerEntry &b)
{
    const qint64 ta = shownDate(a).isValid() ? shownDate(a).toMSecsSinceEpoch() : 0;
    const qint64 tb = shownDate(b).isValid() ? shownDate(b).toMSecsSinceEpoch() : 0;
    return ta != tb ? ta > tb : a.rowId > b.rowId;
}

} // namespace

GalleryModel::GalleryModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

GalleryModel::~GalleryModel() = default;

void GalleryModel::setLedger(Ledger *ledger)
{
    if (m_ledger)
        m_ledger->disconnect(this);
    m_ledger = ledger;
    if (m_ledger) {
        connect(m_ledger, &Ledger::added, this, &GalleryModel::onAdded);
        connect(m_ledger, &Ledger::updated, this, &GalleryModel::onUpdated);
        connect(m_ledger, &Ledger::removed, this, &GalleryModel::onRemoved);
    }
    reload();
}

void GalleryModel::setOwner(const QString &serverKey, const QString &username)
{
    if (serverKey == m_serverKey && username == m_username)
        return;
    m_serverKey = serverKey;
    m_username = username;
    reload();
}

void GalleryModel::setSearch(const QString &text)
{
    if (text.trimmed() == m_search)
        return;
    m_search = text.trimmed();
    reload();
}

void GalleryModel::setThumbnails(ThumbnailCache *cache)
{
    if (m_thumbnails)
        m_thumbnails->disconnect(this);
    m_thumbnails = cache;
    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailCache::ready, this, &GalleryModel::onThumbnailReady);
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_items.size()) - 1),
                           {ThumbnailRole, ThumbnailStateRole, ThumbnailErrorRole, DurationMsRole});
}

bool GalleryModel::isVideoOfOwner(const LedgerEntry &e) const
{
    return !m_username.isEmpty() && e.state == Job::State::Completed && e.baseUrl == m_serverKey
           && e.username == m_username && !e.videoPath.isEmpty() && QFileInfo::exists(e.videoPath);
}

bool GalleryModel::matches(const LedgerEntry &e) const
{
    return isVideoOfOwner(e) && (m_search.isEmpty() || e.params.prompt.contains(m_search, Qt::CaseInsensitive));
}

void GalleryModel::reload()
{
    beginResetModel();
    m_items.clear();
    if (m_ledger && m_ledger->isOpen() && !m_username.isEmpty()) {
        for (LedgerEntry &e : m_ledger->entries(m_search)) {
            if (matches(e)) {
                e.thumbnail.clear(); // the reference image: the gallery shows the video's own frame
                m_items.append(std::move(e));
            }
        }
        std::stable_sort(m_items.begin(), m_items.end(), showsBefore);
    }
    endResetModel();
}

int GalleryModel::insertionRow(const LedgerEntry &entry) const
{
    const auto at = std::upper_bound(m_items.cbegin(), m_items.cend(), entry, showsBefore);
    return int(at - m_items.cbegin());
}

void GalleryModel::onAdded(qint64 rowId)
{
    if (rowOf(rowId) >= 0)
        return;
    std::optional<LedgerEntry> e = m_ledger ? m_ledger->summary(rowId) : std::nullopt;
    if (!e || !matches(*e))
        return;
    e->thumbnail.clear();
    const int row = insertionRow(*e);
    beginInsertRows({}, row, row);
    m_items.insert(row, std::move(*e));
    endInsertRows();
}

void GalleryModel::onUpdated(qint64 rowId)
{
    const int row = rowOf(rowId);
    if (row < 0) {
        onAdded(rowId); // completed and archived just now (if it matches)
        return;
    }
    std::optional<LedgerEntry> e = m_ledger ? m_ledger->summary(rowId) : std::nullopt;
    if (!e || !matches(*e)) {
        onRemoved(rowId);
        return;
    }
    e->thumbnail.clear();
    m_items[row] = std::move(*e);
    Q_EMIT dataChanged(index(row), index(row));
}

void GalleryModel::onRemoved(qint64 rowId)
{
    const int row = rowOf(rowId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
}

void GalleryModel::onThumbnailReady(const QString &file)
{
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).videoPath == file)
            Q_EMIT dataChanged(index(row), index(row), {ThumbnailRole, ThumbnailStateRole, ThumbnailErrorRole, DurationMsRole});
    }
}

int GalleryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int GalleryModel::rowOf(qint64 rowId) const
{
    const auto it = std::find_if(m_items.cbegin(), m_items.cend(), [rowId](const LedgerEntry &e) { return e.rowId == rowId; });
    return it == m_items.cend() ? -1 : int(it - m_items.cbegin());
}

std::optional<LedgerEntry> GalleryModel::entryAt(int row) const
{
    if (row < 0 || row >= m_items.size())
        return std::nullopt;
    return m_items.at(row);
}

QVariant GalleryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LedgerEntry &e = m_items.at(index.row());
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
        return {};
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
    const Qt::ItemFlags base = QAbstractListModel::flags(index);
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
            urls << QUrl::fromLocalFile(m_items.at(i.row()).videoPath);
    }
    if (urls.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setUrls(urls);
    return mime;
}

} // namespace framecast
