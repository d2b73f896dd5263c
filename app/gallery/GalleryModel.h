// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gallery/ThumbnailCache.h"
#include "ledger/Ledger.h"

#include <QPointer>
#include <QSortFilterProxyModel>

#include <optional>

namespace framecast {

class HistoryModel;

/// The finished videos of one server and user, newest first: the ledger's
/// completed jobs of that owner whose archived video file exists, optionally
/// only those whose prompt contains a search text (case-insensitive).
///
/// A view of a HistoryModel of its own, so it follows the ledger row by row
/// as the history does (a job that completes and is archived appears as one
/// inserted row, a deleted one goes as one removed row); another owner,
/// search or ledger resets it. Thumbnails come from a ThumbnailCache once
/// one is set (the gallery sets it when first shown): until then, and while
/// one is made, ThumbnailStateRole says Loading. The reference image is
/// never shown. Rows drag as the video's file URL (text/uri-list).
class GalleryModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryModel)

public:
    enum Role {
        RowIdRole = Qt::UserRole + 100, ///< qint64, the ledger's row id
        PromptRole,                     ///< QString
        VideoPathRole,                  ///< QString, the archived file
        DurationMsRole,                 ///< qint64: the file's own once known, else the one asked for
        FinishedRole,                   ///< QDateTime (UTC): finished, else created
        VideoSizeRole,                  ///< QSize asked for (1280x720...)
        BytesRole,                      ///< qint64, size of the file
        ThumbnailRole,                  ///< QImage, a frame of the video; null while loading or when it failed
        ThumbnailStateRole,             ///< ThumbnailState
        ThumbnailErrorRole,             ///< QString, why there is no frame
    };
    Q_ENUM(Role)
    enum class ThumbnailState { Loading, Ready, Failed };
    Q_ENUM(ThumbnailState)

    explicit GalleryModel(QObject *parent = nullptr);
    ~GalleryModel() override;

    /// May be null, or closed: the model is then empty.
    void setLedger(Ledger *ledger);
    Ledger *ledger() const;
    /// Whose videos: the server (Session::serverKey()) and user. Empty user:
    /// nobody is logged in, and nothing is shown.
    void setOwner(const QString &serverKey, const QString &username);
    QString serverKey() const { return m_serverKey; }
    QString username() const { return m_username; }
    void setSearch(const QString &text);
    QString search() const;
    /// Where thumbnails come from (may be null: none are made).
    void setThumbnails(ThumbnailCache *cache);
    ThumbnailCache *thumbnails() const { return m_thumbnails; }

    /// Whether a ledger entry is one of this model's videos (search aside).
    bool isVideoOfOwner(const LedgerEntry &entry) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    /// The videos' file URLs (a file manager copies them, an editor opens them).
    QMimeData *mimeData(const QModelIndexList &indexes) const override;

    /// The row showing a ledger row id, or -1.
    int rowOf(qint64 rowId) const;
    /// The entry of a row (without its log and without the reference image).
    std::optional<LedgerEntry> entryAt(int row) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void onThumbnailReady(const QString &file);

    HistoryModel *m_history;
    QPointer<ThumbnailCache> m_thumbnails;
    QString m_serverKey;
    QString m_username;
};

} // namespace framecast
