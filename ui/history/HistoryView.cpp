// SPDX-License-Identifier: GPL-3.0-or-later
#include "history/HistoryView.h"

#include "style/Style.h"
#include "widgets/EmptyState.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QIdentityProxyModel>
#include <QKeySequence>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QPixmap>
#include <QPixmapCache>
#include <QPushButton>
#include <QVBoxLayout>

namespace framecast::ui {

namespace {

constexpr int kIconSide = 64;

/// The core's HistoryModel as the list shows it: one text with prompt, date
/// and status, the thumbnail as an icon, the error as a tooltip. Rows,
/// inserts and changes pass through as the model makes them.
class HistoryItems final : public QIdentityProxyModel
{
    Q_DISABLE_COPY_MOVE(HistoryItems)

public:
    HistoryItems(HistoryModel *model, const QColor &placeholder, QObject *parent)
        : QIdentityProxyModel(parent)
        , m_placeholder(kIconSide, kIconSide)
    {
        m_placeholder.fill(placeholder);
        setSourceModel(model);
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::AccessibleTextRole:
            return text(index);
        case Qt::DecorationRole:
            return icon(index);
        case Qt::ToolTipRole: {
            QString tip = prompt(index);
            const QString error = index.data(HistoryModel::ErrorMessageRole).toString();
            if (!error.isEmpty())
                tip += QStringLiteral("\n") + error; // why it failed, or that the server forgot it
            return tip;
        }
        case Qt::ForegroundRole: {
            const auto state = index.data(HistoryModel::StateRole).value<Job::State>();
            if (state == Job::State::Lost || state == Job::State::Failed)
                return QColor(0xb4, 0x53, 0x09);
            return {};
        }
        default:
            return QIdentityProxyModel::data(index, role);
        }
    }

private:
    static QString prompt(const QModelIndex &index)
    {
        const QString prompt = index.data(HistoryModel::PromptRole).toString();
        return prompt.isEmpty() ? HistoryView::tr("(no prompt recorded)") : prompt;
    }

    static QString text(const QModelIndex &index)
    {
        const QString when = QLocale().toString(index.data(HistoryModel::CreatedRole).toDateTime().toLocalTime(),
                                                QLocale::ShortFormat);
        const QString status = index.data(HistoryModel::NeedsArchiveRole).toBool()
                                   ? HistoryView::tr("Completed, video not saved yet")
                                   : HistoryView::statusText(index.data(HistoryModel::StateRole).value<Job::State>());
        return QStringLiteral("%1\n%2 · %3").arg(prompt(index), when, status);
    }

    QIcon icon(const QModelIndex &index) const
    {
        // The model decodes each thumbnail once; its pixmap is kept by key.
        const QImage image = index.data(HistoryModel::ThumbnailRole).value<QImage>();
        if (image.isNull())
            return QIcon(m_placeholder);
        const QString key = QStringLiteral("framecast-history-%1").arg(image.cacheKey());
        QPixmap pixmap;
        if (!QPixmapCache::find(key, &pixmap)) {
            pixmap = QPixmap::fromImage(image);
            QPixmapCache::insert(key, pixmap);
        }
        return QIcon(pixmap);
    }

    QPixmap m_placeholder;
};

} // namespace

HistoryView::HistoryView(QWidget *parent)
    : QWidget(parent)
    , m_model(new HistoryModel(this))
    , m_items(new HistoryItems(m_model, palette().color(QPalette::Mid), this))
    , m_search(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_empty(new EmptyState(this))
    , m_open(new QPushButton(tr("&Open video"), this))
    , m_again(new QPushButton(tr("Generate &again"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(style::spacing(style::Space::Related));
    m_search->setPlaceholderText(tr("Search prompts"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the history and the gallery by prompt"));
    layout->addWidget(m_search);
    m_list->setModel(m_items);
    m_list->setIconSize(QSize(kIconSide, kIconSide));
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setAccessibleName(tr("Past jobs"));
    layout->addWidget(m_list, 1);
    m_empty->setIcon(style::icon(QStringLiteral("empty-history")));
    m_empty->setObjectName(QStringLiteral("historyEmpty"));
    // On the list's background, as the Jobs tab shows its empty list.
    m_empty->setBackgroundRole(QPalette::Base);
    m_empty->setAutoFillBackground(true);
    layout->addWidget(m_empty, 1);
    auto *buttons = new QHBoxLayout;
    m_open->setAccessibleName(tr("Open the selected job's video"));
    m_again->setAccessibleName(tr("Generate the selected job again"));
    m_delete->setAccessibleName(tr("Delete the selected job and its video"));
    buttons->addWidget(m_open);
    buttons->addWidget(m_again);
    buttons->addWidget(m_delete);
    layout->addLayout(buttons);

    // Typing searches after a pause; the ledger's writes reach the model row
    // by row, with no reload.
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(150);
    connect(&m_searchDelay, &QTimer::timeout, this, &HistoryView::applySearch);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &HistoryView::updateButtons);
    // The selected job may finish, be archived or go away.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &HistoryView::updateButtons);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, [this] {
            updateEmpty();
            updateButtons();
        });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateEmpty();
        updateButtons();
    });
    connect(m_list, &QListView::activated, this, [this] {
        if (m_open->isEnabled())
            m_open->click();
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const auto e = current())
            Q_EMIT openRequested(*e);
    });
    connect(m_again, &QPushButton::clicked, this, [this] {
        if (const auto e = current())
            Q_EMIT generateAgainRequested(e->params);
    });
    connect(m_delete, &QPushButton::clicked, this, &HistoryView::confirmDelete);
    updateEmpty();
    updateButtons();
}

void HistoryView::setLedger(Ledger *ledger)
{
    m_model->setLedger(ledger);
}

void HistoryView::setSearch(const QString &text)
{
    m_search->setText(text);
    applySearch();
}

void HistoryView::applySearch()
{
    m_searchDelay.stop();
    const qint64 selected = selectedRow();
    m_model->setSearch(m_search->text());
    if (selected > 0)
        selectRow(selected);
    Q_EMIT searchApplied(m_model->search());
}

QString HistoryView::statusText(Job::State state)
{
    switch (state) {
    case Job::State::Submitting:
    case Job::State::Queued:
        return tr("Queued");
    case Job::State::Running:
        return tr("Running");
    case Job::State::Completed:
        return tr("Completed");
    case Job::State::Failed:
        return tr("Failed");
    case Job::State::Cancelled:
        return tr("Cancelled");
    case Job::State::Lost:
        return tr("Lost");
    }
    return {};
}

void HistoryView::updateEmpty()
{
    const Ledger *ledger = m_model->ledger();
    if (!ledger || !ledger->isOpen()) {
        m_empty->setTitle(tr("The job history is off."));
        m_empty->setText(tr("Jobs of this session are in the Jobs tab; they are not kept after Framecast closes."));
    } else if (m_model->rowCount() == 0 && m_model->search().isEmpty()) {
        m_empty->setTitle(tr("No jobs yet"));
        m_empty->setText(tr("Every video you generate is kept here with its prompt, to play, generate again or delete. "
                            "Write a prompt and press Generate (%1).")
                             .arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    } else if (m_model->rowCount() == 0) {
        m_empty->setTitle(tr("Nothing found"));
        m_empty->setText(tr("No job's prompt contains \"%1\".").arg(m_model->search()));
    }
    const bool empty = !ledger || !ledger->isOpen() || m_model->rowCount() == 0;
    m_empty->setVisible(empty);
    m_list->setVisible(!empty);
    m_search->setVisible(!empty || !m_model->search().isEmpty()); // nothing to search yet
    for (QPushButton *button : {m_open, m_again, m_delete})
        button->setVisible(!empty); // nothing to act on
}

int HistoryView::count() const
{
    return m_model->rowCount();
}

QList<qint64> HistoryView::shownRows() const
{
    QList<qint64> rows;
    for (int i = 0; i < m_model->rowCount(); ++i)
        rows << m_model->index(i).data(HistoryModel::RowIdRole).toLongLong();
    return rows;
}

void HistoryView::selectRow(qint64 rowId)
{
    const int row = m_model->rowOf(rowId);
    if (row >= 0)
        m_list->setCurrentIndex(m_items->index(row, 0));
}

qint64 HistoryView::selectedRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(HistoryModel::RowIdRole).toLongLong() : 0;
}

std::optional<LedgerEntry> HistoryView::current() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? m_model->entryAt(current.row()) : std::nullopt;
}

void HistoryView::updateButtons()
{
    const auto e = current();
    m_open->setEnabled(e && !e->videoPath.isEmpty() && QFileInfo::exists(e->videoPath));
    m_again->setEnabled(e && !e->params.prompt.isEmpty());
    m_delete->setEnabled(e && e->isFinal());
    m_delete->setToolTip(e && !e->isFinal() ? tr("Cancel the job before deleting it") : QString());
}

void HistoryView::confirmDelete()
{
    const auto e = current();
    if (!e || !e->isFinal())
        return;
    if (m_confirm)
        m_confirm->deleteLater();
    m_confirm = new QMessageBox(QMessageBox::Question, tr("Delete job — Framecast"),
                                e->videoPath.isEmpty()
                                    ? tr("Delete \"%1\" from the history?").arg(e->params.prompt)
                                    : tr("Delete \"%1\" from the history, and its video %2?")
                                          .arg(e->params.prompt, QFileInfo(e->videoPath).fileName()),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirm->setDefaultButton(QMessageBox::Cancel);
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    const qint64 row = e->rowId;
    connect(m_confirm, &QMessageBox::finished, this, [this, row](int result) {
        if (result == QMessageBox::Yes)
            Q_EMIT deleteRequested(row);
    });
    m_confirm->open();
}

} // namespace framecast::ui
