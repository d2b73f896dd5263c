// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/JobParams.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace framecast {

class Job;
class JobLifecycle;
struct Refusal;

/// Jobs asked for but not started yet, for one server (owned by its
/// ServerConnection, next to its JobLifecycle): several prompts at once,
/// N variations of one, a Retry or a "Generate again". They start in order,
/// through the lifecycle, as the server and the credits allow:
///
/// - no more than maxConcurrent() jobs of this server at once (every
///   unfinished job counts, also those picked up after a restart);
/// - no more than the credits pay for: a job costs costPerJob() credits
///   (the demo backend's 100, PROTOCOL §2) and a started job holds them
///   until it ends; the credits are asked for again after each completion
///   before another job starts;
/// - a 402 puts the item back and waits for the credits to change, a 429
///   or 503 or an unreachable server puts it back and tries again later, a
///   401 waits for the next login, a 403 pauses the queue: never one
///   refusal per queued item. An item whose own input is refused (422)
///   becomes a failed job in the job list, as a single Generate does.
///
/// Nothing is dropped without a word: logging out keeps the items (they
/// wait for the next login); another user signing in to this server
/// discards them with `discarded`.
class JobQueue final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobQueue)

public:
    enum class ItemState {
        Waiting, ///< in line; reason() says for what
        Starting, ///< being uploaded and submitted
    };
    Q_ENUM(ItemState)

    struct Item
    {
        quint64 id = 0;
        JobParams params;
        ItemState state = ItemState::Waiting;
        /// Why this item was put back (the server's refusal), empty otherwise.
        QString refusal;
    };

    /// Why the waiting items wait.
    enum class Hold {
        None, ///< they start now
        Paused, ///< by the user (or a 403: the account may not generate)
        LoggedOut, ///< no login, or the session ended
        Concurrency, ///< maxConcurrent() jobs are running
        Credits, ///< the credits do not pay for another job
        Checking, ///< the credits are being asked for again
        Busy, ///< the server refused for now (429, 503, unreachable): a retry is timed
    };
    Q_ENUM(Hold)

    static constexpr int kDefaultMaxConcurrent = 3;
    static constexpr int kDefaultCostPerJob = 100;

    explicit JobQueue(JobLifecycle *lifecycle, QObject *parent = nullptr);
    ~JobQueue() override;

    void setMaxConcurrent(int jobs);
    int maxConcurrent() const { return m_maxConcurrent; }
    /// 0: the credits are not predicted (only the server's 402 holds the queue).
    void setCostPerJob(int credits);
    int costPerJob() const { return m_costPerJob; }
    /// The account's credits (users/me); empty when the server does not say.
    void setCredits(std::optional<int> credits);
    void setLoggedIn(bool loggedIn);
    /// The first wait after a 429/503/unreachable server; it doubles up to a minute.
    void setRetryDelayMs(int ms) { m_retryDelayMs = m_baseRetryMs = ms; }

    /// Appends jobs in order (one item each) and starts what may start now.
    /// Returns their ids.
    QList<quint64> enqueue(const QList<JobParams> &jobs);
    /// `count` items of the same params (variations of one prompt).
    QList<quint64> enqueueVariations(const JobParams &params, int count);
    /// Removes a waiting item (not one already starting).
    bool remove(quint64 id);
    /// Moves a waiting item to `index` among the items; false if it cannot.
    bool move(quint64 id, int index);
    /// Removes every waiting item; returns how many.
    int clear();
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Tries the first waiting item now, past a timed retry or a credits
    /// hold (the server decides); a no-op while paused or logged out.
    void startNow();

    QList<Item> items() const { return m_items; }
    int size() const { return int(m_items.size()); }
    int waitingCount() const;
    Hold hold() const;
    /// Why the waiting items wait, in words (empty when nothing waits).
    QString status() const;
    /// The job an item became once its server accepted it.
    Job *jobOf(quint64 id) const;

Q_SIGNALS:
    /// Items, their states or status() changed.
    void changed();
    /// The server accepted item `id`: it is `job` now (and in the job list).
    void started(quint64 id, framecast::Job *job);
    /// Items were dropped without being started, and why (another user signed in).
    void discarded(int count, const QString &why);
    /// The credits are wanted again (users/me) before another job starts.
    void creditsWanted();

private:
    void pump();
    bool startOne();
    int activeJobs() const;
    /// What keeps the next item waiting, computed (not the refusal holds).
    Hold gate() const;
    void onRefused(quint64 id, const Refusal &refusal);
    void onAccepted(quint64 id, Job *job);
    void watchJob(Job *job);
    void putBack(quint64 id, const QString &refusal);
    void retryLater();
    qsizetype indexOf(quint64 id) const;
    void discardAll(const QString &why);

    QPointer<JobLifecycle> m_lifecycle;
    QList<Item> m_items;
    QList<QPair<quint64, QPointer<Job>>> m_started; ///< recent: jobOf()
    quint64 m_nextId = 0;
    int m_maxConcurrent = kDefaultMaxConcurrent;
    int m_costPerJob = kDefaultCostPerJob;
    std::optional<int> m_credits;
    bool m_loggedIn = false;
    bool m_paused = false;
    bool m_creditsStale = false;
    /// A refusal's hold: Credits (until the credits change or a job ends), Busy (the timer), LoggedOut (the next
    /// login).
    Hold m_refusalHold = Hold::None;
    std::optional<int> m_creditsAtRefusal;
    QString m_holdDetail;
    int m_baseRetryMs = 5000;
    int m_retryDelayMs = 5000;
    QTimer m_retry;
    QTimer m_staleCredits;
    bool m_pumping = false;
    bool m_pumpAgain = false;
};

} // namespace framecast
