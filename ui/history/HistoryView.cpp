// SPDX-License-Identifier: GPL-3.0-or-later
#include "history/HistoryView.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace framecast::ui {

namespace {
constexpr int kRowRole = Qt::UserRole + 1;
}

HistoryView::HistoryView(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_list(new QListWidget(this))
    , m_empty(new QLabel(this))
    , m_open(new QPushButton(tr("&Open video"), this))
    , m_again(new QPushButton(tr("Generate &again"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_search->setPlaceholderText(tr("Search prompts"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the history by prompt"));
    layout->addWidget(m_search);
    m_list->setIconSize(QSize(64, 64));
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(true);
    m_list->setAccessibleName(tr("Past jobs"));
    layout->addWidget(m_list, 1);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setAccessibleName(tr("History status"));
    layout->addWidget(m_empty);
    auto *buttons = new QHBoxLayout;
    m_open->setAccessibleName(tr("Open the selected job's video"));
    m_again->setAccessibleName(tr("Generate the selected job again"));
    m_delete->setAccessibleName(tr("Delete the selected job and its video"));
    buttons->addWidget(m_open);
    buttons->addWidget(m_again);
    buttons->addWidget(m_delete);
    layout->addLayout(buttons);

    // Many ledger writes (one per progress event) make one reload.
    m_reload.setSingleShot(true);
    m_reload.setInterval(150);
    connect(&m_reload, &QTimer::timeout, this, &HistoryView::reload);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_reload.start(); });
    connect(m_list, &QListWidget::currentRowChanged, this, &HistoryView::updateButtons);
    connect(m_list, &QListWidget::itemActivated, this, [this] {
        if (m_open->isEnabled())
            m_open->click();
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const auto e = current())
            Q_EMIT openRequested(*e);
    });
    connect(m_again, &QPushButton::clicked, this, [this] {
        if (const auto e = current())
            Q_EMIT generateAgainRequested(Session::paramsOf(*e));
    });
    connect(m_delete, &QPushButton::clicked, this, &HistoryView::confirmDelete);
    reload();
}

void HistoryView::setLedger(Ledger *ledger)
{
    if (m_ledger)
        m_ledger->disconnect(this);
    m_ledger = ledger;
    if (m_ledger)
        connect(m_ledger, &Ledger::changed, this, [this] {
            // A running job writes often; a hidden view catches up when shown.
            if (isVisible())
                m_reload.start();
            else
                m_stale = true;
        });
    reload();
}

void HistoryView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
}

void HistoryView::setSearch(const QString &text)
{
    m_search->setText(text);
    reload();
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

void HistoryView::reload()
{
    m_reload.stop();
    m_stale = false;
    const qint64 selected = selectedRow();
    m_list->clear();
    if (!m_ledger || !m_ledger->isOpen()) {
        m_empty->setText(tr("The job history is off."));
        m_empty->show();
        updateButtons();
        return;
    }
    const QList<LedgerEntry> entries = m_ledger->entries(m_search->text());
    const QLocale locale;
    for (const LedgerEntry &e : entries) {
        QPixmap thumb;
        if (!e.thumbnail.isEmpty())
            thumb.loadFromData(e.thumbnail, "PNG");
        if (thumb.isNull()) {
            thumb = QPixmap(64, 64);
            thumb.fill(palette().color(QPalette::Mid));
        }
        const QString prompt = e.params.prompt.isEmpty() ? tr("(no prompt recorded)") : e.params.prompt;
        const QString when = locale.toString(e.createdAt.toLocalTime(), QLocale::ShortFormat);
        QString status = statusText(e.state);
        if (e.state == Job::State::Completed && e.videoPath.isEmpty())
            status = tr("Completed, video not saved yet");
        auto *item = new QListWidgetItem(QIcon(thumb), QStringLiteral("%1\n%2 · %3").arg(prompt, when, status), m_list);
        item->setData(kRowRole, e.rowId);
        QString tip = prompt;
        if (!e.errorMessage.isEmpty())
            tip += QStringLiteral("\n") + e.errorMessage; // why it failed, or that the server forgot it
        item->setToolTip(tip);
        if (e.state == Job::State::Lost || e.state == Job::State::Failed)
            item->setForeground(QColor(0xb4, 0x53, 0x09));
    }
    if (entries.isEmpty()) {
        m_empty->setText(m_search->text().trimmed().isEmpty() ? tr("No jobs yet. Generated videos appear here.")
                                                              : tr("No job's prompt contains \"%1\".").arg(m_search->text().trimmed()));
        m_empty->show();
    } else {
        m_empty->hide();
    }
    if (selected > 0)
        selectRow(selected);
    updateButtons();
}

int HistoryView::count() const
{
    return m_list->count();
}

QList<qint64> HistoryView::shownRows() const
{
    QList<qint64> rows;
    for (int i = 0; i < m_list->count(); ++i)
        rows << m_list->item(i)->data(kRowRole).toLongLong();
    return rows;
}

void HistoryView::selectRow(qint64 rowId)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kRowRole).toLongLong() == rowId) {
            m_list->setCurrentRow(i);
            return;
        }
    }
}

qint64 HistoryView::selectedRow() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(kRowRole).toLongLong() : 0;
}

std::optional<LedgerEntry> HistoryView::current() const
{
    const qint64 row = selectedRow();
    if (!m_ledger || row <= 0)
        return std::nullopt;
    return m_ledger->entry(row);
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
