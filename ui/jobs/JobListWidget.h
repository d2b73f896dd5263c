// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QListWidget>
#include <QHash>
#include <QPointer>
#include <QTimer>

namespace framecast {
class Job;
}

namespace framecast::ui {

class EmptyState;

/// Every job of the session with its prompt, thumbnail, status and progress.
class JobListWidget final : public QListWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobListWidget)

public:
    explicit JobListWidget(QWidget *parent = nullptr);

    void addJob(Job *job);
    /// Shows exactly these jobs (another server became current).
    void setJobs(const QList<Job *> &jobs);
    Job *currentJob() const;
    Job *jobAt(int row) const;
    void selectJob(Job *job);
    /// Shown over the list while it has no job.
    EmptyState *emptyState() const { return m_empty; }

Q_SIGNALS:
    void jobSelected(framecast::Job *job);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateEmpty();
    void refresh(QListWidgetItem *item, Job *job);
    /// Marks a row for the next frame: a hundred jobs with ten events a
    /// second each repaint the list once a frame, not a thousand times.
    void scheduleRefresh(QListWidgetItem *item, Job *job);
    void refreshDue();

    EmptyState *m_empty;
    QTimer m_frame;
    QHash<QListWidgetItem *, QPointer<Job>> m_due;
};

} // namespace framecast::ui
