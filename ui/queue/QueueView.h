// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/JobQueue.h"

#include <QHash>
#include <QIcon>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace framecast::ui {

/// The current server's queue: the jobs asked for and not started yet, in
/// order, each with what it waits for ("Waiting for credits", "Starting…"),
/// and why in one line above them. Retry now (past a credits or busy hold),
/// Pause/Resume, Remove (Delete), Clear; Alt+Up/Alt+Down move an item.
/// Shown only while something is queued or a notice is up. It only calls
/// the core's JobQueue. Closing its window while jobs wait asks first: a
/// queue is not kept across launches.
class QueueView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueView)

public:
    explicit QueueView(QWidget *parent = nullptr);

    /// Shows `queue` (another server became current); may be null.
    void setQueue(JobQueue *queue);
    JobQueue *queue() const { return m_queue; }

    QListWidget *list() const { return m_list; }
    QString statusText() const;
    /// What was said last about items dropped unstarted (empty: nothing).
    QString noticeText() const;
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *clearButton() const { return m_clear; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void moveCurrent(int by);
    quint64 currentId() const;
    QIcon thumbnail(const QString &imagePath);

    QPointer<JobQueue> m_queue;
    QLabel *m_title;
    QLabel *m_status;
    QLabel *m_notice;
    QListWidget *m_list;
    QPushButton *m_retry;
    QPushButton *m_pause;
    QPushButton *m_remove;
    QPushButton *m_clear;
    QTimer m_tick; ///< the retry countdown
    QHash<QString, QIcon> m_thumbnails; ///< by reference image
    QList<QMetaObject::Connection> m_watching;
};

} // namespace framecast::ui
