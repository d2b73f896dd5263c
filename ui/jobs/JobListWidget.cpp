// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/JobListWidget.h"

#include "jobs/Job.h"
#include "style/Style.h"
#include "widgets/EmptyState.h"

#include <QAction>
#include <QFontMetrics>
#include <QPixmap>

#include <cmath>
#include <utility>

namespace framecast::ui {

namespace {
constexpr int kJobRole = Qt::UserRole + 1;
}

JobListWidget::JobListWidget(QWidget *parent)
    : QListWidget(parent)
    , m_empty(new EmptyState(viewport()))
    , m_retry(new QAction(tr("&Retry"), this))
    , m_again(new QAction(tr("Generate &again"), this))
{
    setAccessibleName(tr("Jobs"));
    setIconSize(QSize(64, 36));
    setMinimumWidth(220);
    setWordWrap(true);
    setSpacing(style::spacing(style::Space::Tight));
    m_empty->setTitle(tr("No jobs yet"));
    m_empty->setText(tr("Each video you generate shows here with its progress."));
    m_empty->setObjectName(QStringLiteral("noJobs"));
    m_frame.setSingleShot(true);
    m_frame.setInterval(16); // one frame at 60 Hz
    connect(&m_frame, &QTimer::timeout, this, &JobListWidget::refreshDue);
    connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
        updateActions();
        if (Job *job = jobAt(row))
            Q_EMIT jobSelected(job);
    });
    // The selected job's params queued again: Ctrl+R retries, Ctrl+Shift+G generates again.
    m_retry->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_again->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    for (QAction *action : {m_retry, m_again}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_retry, &QAction::triggered, this, [this] {
        if (Job *job = currentJob(); job && m_retry->isEnabled())
            Q_EMIT retryRequested(job);
    });
    connect(m_again, &QAction::triggered, this, [this] {
        if (Job *job = currentJob(); job && m_again->isEnabled())
            Q_EMIT generateAgainRequested(job);
    });
    updateActions();
    updateEmpty();
}

void JobListWidget::resizeEvent(QResizeEvent *event)
{
    QListWidget::resizeEvent(event);
    m_empty->setGeometry(viewport()->rect());
}

void JobListWidget::updateEmpty()
{
    m_empty->setGeometry(viewport()->rect());
    m_empty->setVisible(count() == 0);
}

void JobListWidget::updateActions()
{
    const Job *job = currentJob();
    const bool ended = job && job->isFinal();
    m_retry->setEnabled(ended && job->state() != Job::State::Completed);
    m_again->setEnabled(ended && job->state() == Job::State::Completed);
}

Job *JobListWidget::jobAt(int row) const
{
    QListWidgetItem *it = item(row);
    return it ? static_cast<Job *>(it->data(kJobRole).value<QObject *>()) : nullptr;
}

void JobListWidget::setJobs(const QList<Job *> &jobs)
{
    for (int row = 0; row < count(); ++row) {
        if (Job *job = jobAt(row))
            disconnect(job, nullptr, this, nullptr);
    }
    m_due.clear();
    clear();
    for (Job *job : jobs)
        addJob(job);
    updateEmpty();
}

Job *JobListWidget::currentJob() const
{
    return jobAt(currentRow());
}

void JobListWidget::selectJob(Job *job)
{
    for (int row = 0; row < count(); ++row) {
        if (jobAt(row) == job) {
            setCurrentRow(row);
            return;
        }
    }
}

void JobListWidget::addJob(Job *job)
{
    auto *item = new QListWidgetItem;
    item->setData(kJobRole, QVariant::fromValue<QObject *>(job));
    const QString image = job->params().imagePath;
    // Drawn for a 3x screen and scaled down for others: sharp at any ratio.
    const QPixmap thumb = style::coverPixmap(QPixmap(image), iconSize() * 3, 1.0);
    if (!thumb.isNull())
        item->setIcon(QIcon(thumb));
    insertItem(0, item); // newest first
    updateEmpty();
    refresh(item, job);
    connect(job, &Job::changed, this, [this, item, job] { scheduleRefresh(item, job); });
    connect(job, &Job::stateChanged, this, [this, item, job] {
        scheduleRefresh(item, job);
        if (item == currentItem())
            updateActions(); // Retry or Generate again, at once
    });
}

void JobListWidget::scheduleRefresh(QListWidgetItem *item, Job *job)
{
    m_due.insert(item, job);
    if (!m_frame.isActive())
        m_frame.start();
}

void JobListWidget::refreshDue()
{
    const auto due = std::exchange(m_due, {});
    for (auto it = due.begin(); it != due.end(); ++it) {
        if (it.value() && row(it.key()) >= 0)
            refresh(it.key(), it.value());
    }
}

void JobListWidget::refresh(QListWidgetItem *item, Job *job)
{
    const QString prompt = fontMetrics().elidedText(job->params().prompt, Qt::ElideRight, 180);
    QString status = job->isRefused() ? tr("refused") : Job::stateText(job->state());
    if (!job->isFinal() && job->state() != Job::State::Submitting)
        status += QStringLiteral(" · %1%").arg(std::lround(job->percent()));
    item->setText(prompt + QLatin1Char('\n') + status);
    item->setToolTip(job->params().prompt);
}

} // namespace framecast::ui
