// SPDX-License-Identifier: GPL-3.0-or-later
#include "ledger/HistoryModel.h"

namespace framecast {

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

HistoryModel::~HistoryModel() = default;

void HistoryModel::setLedger(Ledger *ledger)
{
    if (m_ledger)
        m_ledger->disconnect(this);
    m_ledger = ledger;
    if (m_ledger) {
        connect(m_ledger, &Ledger::added, this, &HistoryModel::onAdded);
        connect(m_ledger, &Ledger::updated, this, &HistoryModel::onUpdated);
        connect(m_ledger, &Ledger::removed, this, &HistoryModel::onRemoved);
    }
    reload();
}

void HistoryModel::setSearch(const QString &text)
{
    if (text.trimmed() == m_search)
        return;
    m_search = text.trimmed();
    reload();
}

void HistoryModel::reload()
{
    beginResetModel();
    m_items.clear();
    if (m_ledger && m_ledger->isOpen()) {
        const QList<LedgerEntry> entries = m_ledger->entries(m_search);
        m_items.reserve(entries.size());
        for (const LedgerEntry &e : entries)
            m_items.append(Item{e, std::nullopt});
    }
    endResetModel();
}

bool HistoryModel::matches(const LedgerEntry &entry) const
{
    return m_search.isEmpty() || entry.params.prompt.contains(m_search, Qt::CaseInsensitive);
}

int HistoryModel::insertionRow(const LedgerEntry &entry) const
{
    // Ledger::entries() order: created_at DESC, id DESC.
    auto newer = [](const LedgerEntry &a, const LedgerEntry &b) {
        const qint64 ta = a.createdAt.isValid() ? a.createdAt.toMSecsSinceEpoch() : 0;
        const qint64 tb = b.createdAt.isValid() ? b.createdAt.toMSecsSinceEpoch() : 0;
        return ta != tb ? ta > tb : a.rowId > b.rowId;
    };
    for (int row = 0; row < m_items.size(); ++row) {
        if (newer(entry, m_items.at(row).entry))
            return row;
    }
    return int(m_items.size());
}

void HistoryModel::onAdded(qint64 rowId)
{
    if (rowOf(rowId) >= 0)
        return;
    std::optional<LedgerEntry> e = m_ledger ? m_ledger->summary(rowId) : std::nullopt;
    if (!e || !matches(*e))
        return;
    const int row = insertionRow(*e);
    beginInsertRows({}, row, row);
    m_items.insert(row, Item{std::move(*e), std::nullopt});
    endInsertRows();
}

void HistoryModel::onUpdated(qint64 rowId)
{
    const int row = rowOf(rowId);
    std::optional<LedgerEntry> e = m_ledger ? m_ledger->summary(rowId) : std::nullopt;
    if (row < 0) {
        if (e && matches(*e))
            onAdded(rowId); // it matches the search now
        return;
    }
    if (!e || !matches(*e)) {
        onRemoved(rowId);
        return;
    }
    Item &item = m_items[row];
    if (item.entry.thumbnail != e->thumbnail)
        item.thumbnail.reset(); // a new image: decoded again when next shown
    item.entry = std::move(*e);
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
}

void HistoryModel::onRemoved(qint64 rowId)
{
    const int row = rowOf(rowId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int HistoryModel::rowOf(qint64 rowId) const
{
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).entry.rowId == rowId)
            return row;
    }
    return -1;
}

std::optional<LedgerEntry> HistoryModel::entryAt(int row) const
{
    if (row < 0 || row >= m_items.size())
        return std::nullopt;
    return m_items.at(row).entry;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    const LedgerEntry &e = item.entry;
    switch (role) {
    case Qt::DisplayRole:
    case PromptRole:
        return e.params.prompt;
    case RowIdRole:
        return e.rowId;
    case StateRole:
        return QVariant::fromValue(e.state);
    case CreatedRole:
        return e.createdAt;
    case ThumbnailRole:
        if (!item.thumbnail) {
            QImage image;
            if (!e.thumbnail.isEmpty())
                image.loadFromData(e.thumbnail, "PNG");
            item.thumbnail = image;
        }
        return *item.thumbnail;
    case VideoPathRole:
        return e.videoPath;
    case ErrorMessageRole:
        return e.errorMessage;
    case NeedsArchiveRole:
        return e.needsArchive();
    case FinalRole:
        return e.isFinal();
    default:
        return {};
    }
}

QHash<int, QByteArray> HistoryModel::roleNames() const
{
    return {{RowIdRole, "rowId"},
            {PromptRole, "prompt"},
            {StateRole, "state"},
            {CreatedRole, "createdAt"},
            {ThumbnailRole, "thumbnail"},
            {VideoPathRole, "videoPath"},
            {ErrorMessageRole, "errorMessage"},
            {NeedsArchiveRole, "needsArchive"},
            {FinalRole, "final"}};
}

} // namespace framecast
