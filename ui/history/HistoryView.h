// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ledger/HistoryModel.h"
#include "ledger/Ledger.h"
#include "session/Session.h"

#include <QMessageBox>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QAbstractItemModel;
class QLineEdit;
class QListView;
class QPushButton;

namespace framecast::ui {

class EmptyState;

/// Every past job from the ledger: thumbnail, prompt, date and status, with
/// a search over the prompts. Open the video, generate again with the same
/// parameters, or delete a job with its local video (after confirming). The
/// view shows the core's HistoryModel (which follows the ledger row by row)
/// and emits intent; the Session does the work.
class HistoryView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryView)

public:
    explicit HistoryView(QWidget *parent = nullptr);

    /// May be null (the history is off): the view says so.
    void setLedger(Ledger *ledger);
    /// Applies the search field now (typing applies it after a pause).
    void setSearch(const QString &text);

    int count() const;
    /// The row ids shown, top (newest) first.
    QList<qint64> shownRows() const;
    void selectRow(qint64 rowId);
    qint64 selectedRow() const;
    QLineEdit *searchField() const { return m_search; }
    QListView *list() const { return m_list; }
    /// What the list shows (the model, as presented: text, icon, tooltip).
    QAbstractItemModel *items() const { return m_items; }
    HistoryModel *model() const { return m_model; }
    /// Shown instead of the list while it has no row (none yet, none found, history off).
    EmptyState *emptyState() const { return m_empty; }
    QPushButton *openButton() const { return m_open; }
    QPushButton *againButton() const { return m_again; }
    QPushButton *deleteButton() const { return m_delete; }
    /// The open "Delete?" question, if any.
    QMessageBox *confirmation() const { return m_confirm; }

    /// "Completed", "Lost"... as the history shows a state.
    static QString statusText(Job::State state);

Q_SIGNALS:
    void openRequested(const framecast::LedgerEntry &entry);
    void generateAgainRequested(const framecast::JobParams &params);
    void deleteRequested(qint64 rowId);
    /// The search now applied (the window's Gallery follows it).
    void searchApplied(const QString &text);

private:
    void applySearch();
    void updateEmpty();
    void updateButtons();
    void confirmDelete();
    std::optional<LedgerEntry> current() const;

    HistoryModel *m_model;
    QAbstractItemModel *m_items; ///< m_model as the list shows it
    QLineEdit *m_search;
    QListView *m_list;
    EmptyState *m_empty;
    QPushButton *m_open;
    QPushButton *m_again;
    QPushButton *m_delete;
    QPointer<QMessageBox> m_confirm;
    QTimer m_searchDelay;
};

} // namespace framecast::ui
