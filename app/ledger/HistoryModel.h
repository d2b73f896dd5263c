// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ledger/Ledger.h"

#include <QAbstractListModel>
#include <QImage>
#include <QPointer>

#include <optional>

namespace framecast {

/// The ledger's jobs as a list, newest first, for the history: one row per
/// entry (without its log), optionally only those whose prompt contains a
/// search text (case-insensitive).
///
/// It follows the ledger row by row: a write to one job changes that row
/// (dataChanged for it alone), a new job inserts one row, a deleted one
/// removes one; only a new search or another ledger resets the model. A
/// thumbnail is decoded the first time it is asked for and kept with its
/// row, until the stored image itself changes.
class HistoryModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryModel)

public:
    enum Role {
        RowIdRole = Qt::UserRole + 1, ///< qint64, the ledger's row id
        PromptRole,                   ///< QString
        StateRole,                    ///< Job::State
        CreatedRole,                  ///< QDateTime (UTC)
        ThumbnailRole,                ///< QImage, null when none was stored
        VideoPathRole,                ///< QString, the archived copy
        ErrorMessageRole,             ///< QString, why it failed or was lost
        NeedsArchiveRole,             ///< bool, completed but not archived yet
        FinalRole,                    ///< bool, nothing more happens to it
    };
    Q_ENUM(Role)

    explicit HistoryModel(QObject *parent = nullptr);
    ~HistoryModel() override;

    /// May be null, or closed: the model is then empty.
    void setLedger(Ledger *ledger);
    Ledger *ledger() const { return m_ledger; }
    void setSearch(const QString &text);
    QString search() const { return m_search; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The row showing a ledger row id, or -1.
    int rowOf(qint64 rowId) const;
    /// The entry of a row (without its log), as last read from the ledger.
    std::optional<LedgerEntry> entryAt(int row) const;

private:
    struct Item
    {
        LedgerEntry entry;
        mutable std::optional<QImage> thumbnail; ///< decoded on first use
    };

    void reload();
    bool matches(const LedgerEntry &entry) const;
    /// Where an entry goes in the newest-first order.
    int insertionRow(const LedgerEntry &entry) const;
    void onAdded(qint64 rowId);
    void onUpdated(qint64 rowId);
    void onRemoved(qint64 rowId);

    QPointer<Ledger> m_ledger;
    QString m_search;
    QList<Item> m_items;
};

} // namespace framecast
