// SPDX-License-Identifier: GPL-3.0-or-later
#include "queue/QueueView.h"

#include "jobs/JobQueue.h"

#include <QCloseEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include <algorithm>

namespace framecast::ui {

namespace {

constexpr int kIdRole = Qt::UserRole + 1;
/// Rows shown before the list scrolls.
constexpr int kVisibleRows = 4;

/// What a waiting item waits for, short enough for its row.
QString waitingFor(JobQueue::Hold hold)
{
    switch (hold) {
    case JobQueue::Hold::None:
        return QueueView::tr("Next");
    case JobQueue::Hold::Paused:
        return QueueView::tr("Paused");
    case JobQueue::Hold::LoggedOut:
        return QueueView::tr("Waiting for a login");
    case JobQueue::Hold::Concurrency:
        return QueueView::tr("Waiting for a free slot");
    case JobQueue::Hold::Credits:
        return QueueView::tr("Waiting for credits");
    case JobQueue::Hold::Checking:
        return QueueView::tr("Checking the credits");
    case JobQueue::Hold::Busy:
        return QueueView::tr("Server busy");
    }
    return {};
}

} // namespace

QueueView::QueueView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_retry(new QPushButton(tr("&Retry now"), this))
    , m_pause(new QPushButton(tr("Pa&use"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_clear(new QPushButton(tr("Clear"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title->setAccessibleName(tr("Queue"));
    layout->addWidget(m_title);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Why the queued jobs wait"));
    layout->addWidget(m_status);
    m_notice->setWordWrap(true);
    m_notice->setAccessibleName(tr("Queue notice"));
    m_notice->setStyleSheet(QStringLiteral("background:#fff4ce;color:#7a4b00;padding:4px;border-radius:4px;"));
    m_notice->hide();
    layout->addWidget(m_notice);
    m_list->setAccessibleName(tr("Queued jobs"));
    m_list->setWordWrap(true);
    m_list->setIconSize(QSize(48, 27));
    m_list->setSpacing(1);
    layout->addWidget(m_list);
    auto *buttons = new QHBoxLayout;
    m_retry->setAccessibleName(tr("Retry the first queued job now"));
    m_retry->setToolTip(tr("Send the first waiting job now; the server decides"));
    m_pause->setAccessibleName(tr("Pause or resume the queue"));
    m_remove->setAccessibleName(tr("Remove the selected queued job"));
    m_remove->setToolTip(tr("Remove (Delete); Alt+Up and Alt+Down move it"));
    m_clear->setAccessibleName(tr("Remove every waiting job from the queue"));
    for (QPushButton *b : { m_retry, m_pause, m_remove, m_clear })
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    connect(m_retry, &QPushButton::clicked, this, [this] {
        if (m_queue)
            m_queue->startNow();
    });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_queue)
            m_queue->setPaused(!m_queue->isPaused());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_queue)
            m_queue->remove(currentId());
    });
    connect(m_clear, &QPushButton::clicked, this, [this] {
        if (m_queue)
            m_queue->clear();
    });
    connect(m_list, &QListWidget::currentRowChanged, this, &QueueView::refresh);
    const auto listShortcut = [this](const QKeySequence &keys, auto action) {
        auto *s = new QShortcut(keys, m_list);
        s->setContext(Qt::WidgetShortcut);
        connect(s, &QShortcut::activated, this, action);
    };
    listShortcut(QKeySequence::Delete, [this] { m_remove->click(); });
    listShortcut(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { moveCurrent(-1); });
    listShortcut(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { moveCurrent(1); });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &QueueView::refresh);
    if (parent)
        window()->installEventFilter(this); // closing the window asks while jobs wait
    refresh();
}

bool QueueView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::Close || watched != window() || !m_queue || m_queue->waitingCount() == 0)
        return QWidget::eventFilter(watched, event);
    const int waiting = m_queue->waitingCount();
    const auto answer = QMessageBox::question(
        window(), tr("Quit Framecast?"),
        tr("%n job(s) still wait in the queue and will not be started. Quit anyway?", nullptr, waiting),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) {
        event->ignore();
        return true; // the window stays, and so does the queue
    }
    return QWidget::eventFilter(watched, event);
}

void QueueView::setQueue(JobQueue *queue)
{
    if (queue == m_queue)
        return;
    for (const auto &c : std::as_const(m_watching))
        disconnect(c);
    m_watching.clear();
    m_queue = queue;
    m_notice->clear();
    if (queue) {
        m_watching << connect(queue, &JobQueue::changed, this, &QueueView::refresh)
                   << connect(queue, &JobQueue::discarded, this, [this](int, const QString &why) {
                          m_notice->setText(why);
                          refresh();
                      });
    }
    refresh();
}

QString QueueView::statusText() const
{
    return m_status->text();
}

QString QueueView::noticeText() const
{
    return m_notice->text();
}

quint64 QueueView::currentId() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(kIdRole).toULongLong() : 0;
}

void QueueView::moveCurrent(int by)
{
    if (!m_queue || !m_list->currentItem())
        return;
    const quint64 id = currentId();
    if (m_queue->move(id, m_list->currentRow() + by)) {
        for (int row = 0; row < m_list->count(); ++row) {
            if (m_list->item(row)->data(kIdRole).toULongLong() == id)
                m_list->setCurrentRow(row);
        }
    }
}

QIcon QueueView::thumbnail(const QString &imagePath)
{
    auto it = m_thumbnails.find(imagePath);
    if (it == m_thumbnails.end()) {
        const QPixmap image(imagePath);
        it = m_thumbnails.insert(imagePath,
                                 image.isNull() ? QIcon()
                                                : QIcon(image.scaled(m_list->iconSize(), Qt::KeepAspectRatioByExpanding,
                                                                     Qt::SmoothTransformation)));
    }
    return it.value();
}

void QueueView::refresh()
{
    const QList<JobQueue::Item> items = m_queue ? m_queue->items() : QList<JobQueue::Item>();
    setVisible(!items.isEmpty() || !m_notice->text().isEmpty());
    m_notice->setVisible(!m_notice->text().isEmpty());
    const quint64 selected = currentId();
    const JobQueue::Hold hold = m_queue ? m_queue->hold() : JobQueue::Hold::None;
    const int waiting = m_queue ? m_queue->waitingCount() : 0;
    m_title->setText(tr("<b>Queue</b> · %n waiting", nullptr, waiting));
    m_status->setText(m_queue ? m_queue->status() : QString());
    {
        const QSignalBlocker block(m_list);
        m_list->clear();
        int position = 0;
        for (const JobQueue::Item &item : items) {
            const bool starting = item.state == JobQueue::ItemState::Starting;
            const QString state = starting ? tr("Starting…") : tr("#%1 · %2").arg(++position).arg(waitingFor(hold));
            auto *row = new QListWidgetItem(fontMetrics().elidedText(item.params.prompt, Qt::ElideRight, 220)
                                            + QLatin1Char('\n') + state);
            row->setData(kIdRole, item.id);
            row->setIcon(thumbnail(item.params.imagePath));
            if (starting) {
                QFont font = row->font();
                font.setItalic(true);
                row->setFont(font);
            }
            row->setToolTip(item.refusal.isEmpty()
                                ? item.params.prompt
                                : tr("%1\n\nThe server said: %2").arg(item.params.prompt, item.refusal));
            if (starting)
                row->setFlags(row->flags() & ~Qt::ItemIsSelectable);
            m_list->addItem(row);
            if (item.id == selected)
                m_list->setCurrentItem(row);
        }
    }
    // As tall as its rows, up to kVisibleRows; then it scrolls.
    const int rowHeight = m_list->count() > 0 ? m_list->sizeHintForRow(0) + 2 * m_list->spacing() : 0;
    m_list->setFixedHeight(std::min<int>(int(m_list->count()), kVisibleRows) * rowHeight + 2 * m_list->frameWidth()
                           + 2);
    const bool paused = m_queue && m_queue->isPaused();
    m_pause->setText(paused ? tr("Res&ume") : tr("Pa&use"));
    m_pause->setEnabled(m_queue);
    m_retry->setEnabled(waiting > 0 && (hold == JobQueue::Hold::Credits || hold == JobQueue::Hold::Busy));
    m_remove->setEnabled(currentId() != 0);
    m_clear->setEnabled(waiting > 0);
    if (hold == JobQueue::Hold::Busy)
        m_tick.start(); // the countdown in the status
    else
        m_tick.stop();
}

} // namespace framecast::ui
