// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/JobQueue.h"

#include "core/Logging.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"

#include <algorithm>

namespace framecast {

namespace {

constexpr int kMaxRetryDelayMs = 60 * 1000;
/// How long the queue waits for fresh credits before it goes on with what it knows.
constexpr int kStaleCreditsMs = 10 * 1000;
/// Jobs remembered for jobOf() after they started.
constexpr int kRememberStarted = 50;

} // namespace

JobQueue::JobQueue(JobLifecycle *lifecycle, QObject *parent)
    : QObject(parent)
    , m_lifecycle(lifecycle)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (m_refusalHold == Hold::Busy)
            m_refusalHold = Hold::None;
        pump();
    });
    m_staleCredits.setSingleShot(true);
    m_staleCredits.setInterval(kStaleCreditsMs);
    connect(&m_staleCredits, &QTimer::timeout, this, [this] {
        m_creditsStale = false; // no answer: the server's 402 still holds the queue if need be
        pump();
    });
    connect(lifecycle, &JobLifecycle::jobAdded, this, &JobQueue::watchJob);
    for (Job *job : lifecycle->jobs())
        watchJob(job);
    connect(lifecycle, &JobLifecycle::jobsForgotten, this,
            [this] { discardAll(tr("another user signed in to this server")); });
}

JobQueue::~JobQueue() = default;

void JobQueue::setMaxConcurrent(int jobs)
{
    m_maxConcurrent = std::max(1, jobs);
    pump();
}

void JobQueue::setCostPerJob(int credits)
{
    m_costPerJob = std::max(0, credits);
    pump();
}

void JobQueue::setCredits(std::optional<int> credits)
{
    const bool changed = credits != m_creditsAtRefusal;
    m_credits = credits;
    m_creditsStale = false;
    m_staleCredits.stop();
    if (m_refusalHold == Hold::Credits && changed)
        m_refusalHold = Hold::None; // the 402 may no longer hold
    pump();
}

void JobQueue::setLoggedIn(bool loggedIn)
{
    m_loggedIn = loggedIn;
    if (loggedIn && m_refusalHold == Hold::LoggedOut)
        m_refusalHold = Hold::None;
    pump();
}

QList<quint64> JobQueue::enqueue(const QList<JobParams> &jobs)
{
    QList<quint64> ids;
    for (const JobParams &params : jobs) {
        Item item;
        item.id = ++m_nextId;
        item.params = params;
        m_items << item;
        ids << item.id;
    }
    if (!ids.isEmpty())
        pump();
    return ids;
}

QList<quint64> JobQueue::enqueueVariations(const JobParams &params, int count)
{
    return enqueue(QList<JobParams>(std::max(0, count), params));
}

qsizetype JobQueue::indexOf(quint64 id) const
{
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).id == id)
            return i;
    }
    return -1;
}

bool JobQueue::remove(quint64 id)
{
    const qsizetype i = indexOf(id);
    if (i < 0 || m_items.at(i).state != ItemState::Waiting)
        return false;
    m_items.removeAt(i);
    Q_EMIT changed();
    return true;
}

bool JobQueue::move(quint64 id, int index)
{
    const qsizetype from = indexOf(id);
    if (from < 0 || m_items.at(from).state != ItemState::Waiting || index < 0 || index >= m_items.size())
        return false;
    if (index == from)
        return true;
    m_items.move(from, index);
    Q_EMIT changed();
    return true;
}

int JobQueue::clear()
{
    const qsizetype before = m_items.size();
    m_items.erase(
        std::remove_if(m_items.begin(), m_items.end(), [](const Item &i) { return i.state == ItemState::Waiting; }),
        m_items.end());
    const int removed = int(before - m_items.size());
    if (removed > 0)
        Q_EMIT changed();
    return removed;
}

void JobQueue::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused && m_refusalHold == Hold::Paused) { // a 403's pause, lifted by the user
        m_refusalHold = Hold::None;
        m_holdDetail.clear();
    }
    Q_EMIT changed();
    pump();
}

void JobQueue::startNow()
{
    if (m_paused || !m_loggedIn)
        return;
    m_retry.stop();
    m_refusalHold = Hold::None;
    m_holdDetail.clear();
    m_creditsStale = false;
    const auto next
        = std::find_if(m_items.cbegin(), m_items.cend(), [](const Item &i) { return i.state == ItemState::Waiting; });
    if (next == m_items.cend() || activeJobs() >= m_maxConcurrent || waitingCount() != size()) {
        pump();
        return;
    }
    startOne(); // past the credits' prediction: the server decides
    pump();
}

int JobQueue::waitingCount() const
{
    return int(
        std::count_if(m_items.cbegin(), m_items.cend(), [](const Item &i) { return i.state == ItemState::Waiting; }));
}

int JobQueue::activeJobs() const
{
    int active = int(m_items.size()) - waitingCount(); // starting
    if (m_lifecycle) {
        const QList<Job *> jobs = m_lifecycle->jobs();
        active += int(std::count_if(jobs.cbegin(), jobs.cend(), [](const Job *j) { return !j->isFinal(); }));
    }
    return active;
}

JobQueue::Hold JobQueue::gate() const
{
    if (m_paused)
        return Hold::Paused;
    if (!m_loggedIn)
        return Hold::LoggedOut;
    if (m_refusalHold != Hold::None)
        return m_refusalHold;
    const int active = activeJobs();
    if (active >= m_maxConcurrent)
        return Hold::Concurrency;
    if (m_costPerJob > 0 && m_credits) {
        if (m_creditsStale)
            return Hold::Checking;
        // A started job holds its price until it ends (the demo reserves it).
        if (qint64(active + 1) * m_costPerJob > *m_credits)
            return Hold::Credits;
    }
    return Hold::None;
}

JobQueue::Hold JobQueue::hold() const
{
    return waitingCount() > 0 ? gate() : Hold::None;
}

QString JobQueue::status() const
{
    if (waitingCount() == 0)
        return {};
    switch (gate()) {
    case Hold::None:
        return tr("Starting…");
    case Hold::Paused:
        return m_holdDetail.isEmpty() ? tr("Paused") : tr("Paused: %1").arg(m_holdDetail);
    case Hold::LoggedOut:
        return m_holdDetail.isEmpty() ? tr("Waiting for a login") : tr("Waiting for a login: %1").arg(m_holdDetail);
    case Hold::Concurrency:
        return tr("Waiting for a running job to finish (%1 at a time)").arg(m_maxConcurrent);
    case Hold::Credits:
        if (m_refusalHold == Hold::Credits)
            return tr("Waiting for credits: %1").arg(m_holdDetail);
        return tr("Waiting for credits: %1 left, a video costs %2").arg(m_credits.value_or(0)).arg(m_costPerJob);
    case Hold::Checking:
        return tr("Checking the credits…");
    case Hold::Busy:
        return tr("%1; trying again in %2 s").arg(m_holdDetail).arg((m_retry.remainingTime() + 999) / 1000);
    }
    return {};
}

Job *JobQueue::jobOf(quint64 id) const
{
    for (const auto &[itemId, job] : m_started) {
        if (itemId == id)
            return job;
    }
    return nullptr;
}

void JobQueue::pump()
{
    if (m_pumping) {
        m_pumpAgain = true; // a refusal or an acceptance answered synchronously
        return;
    }
    m_pumping = true;
    do {
        m_pumpAgain = false;
        // One at a time, so that the jobs reach the server (and the job
        // list) in the order they were asked for.
        while (gate() == Hold::None && waitingCount() == size() && startOne()) { }
    } while (m_pumpAgain);
    m_pumping = false;
    Q_EMIT changed();
}

bool JobQueue::startOne()
{
    const auto it
        = std::find_if(m_items.begin(), m_items.end(), [](const Item &i) { return i.state == ItemState::Waiting; });
    if (it == m_items.end() || !m_lifecycle)
        return false;
    it->state = ItemState::Starting;
    const quint64 id = it->id;
    const JobParams params = it->params;
    QPointer<JobQueue> self(this);
    QueueHooks hooks;
    hooks.accepted = [self, id](Job *job) {
        if (self)
            self->onAccepted(id, job);
    };
    hooks.refused = [self, id](const Refusal &refusal) {
        if (!self || self->indexOf(id) < 0)
            return false;
        self->onRefused(id, refusal);
        return self->indexOf(id) >= 0; // put back: the job goes unseen
    };
    m_lifecycle->submitFromQueue(params, hooks);
    return true;
}

void JobQueue::onAccepted(quint64 id, Job *job)
{
    const qsizetype i = indexOf(id);
    if (i >= 0)
        m_items.removeAt(i);
    m_started.append({ id, QPointer<Job>(job) });
    if (m_started.size() > kRememberStarted)
        m_started.removeFirst();
    m_retryDelayMs = m_baseRetryMs; // the server takes jobs again
    Q_EMIT started(id, job);
    pump();
}

void JobQueue::onRefused(quint64 id, const Refusal &refusal)
{
    switch (refusal.kind) {
    case Refusal::Kind::Credits:
        putBack(id, refusal.message);
        m_refusalHold = Hold::Credits;
        m_creditsAtRefusal = m_credits;
        m_holdDetail = refusal.message;
        Q_EMIT creditsWanted(); // what the account really has, for the status
        break;
    case Refusal::Kind::Busy:
    case Refusal::Kind::Connection:
        putBack(id, refusal.message);
        m_holdDetail = refusal.message;
        retryLater();
        break;
    case Refusal::Kind::Unauthorized:
        putBack(id, refusal.message);
        m_refusalHold = Hold::LoggedOut;
        m_holdDetail = refusal.message;
        break;
    case Refusal::Kind::Forbidden:
        putBack(id, refusal.message);
        m_refusalHold = Hold::Paused; // the account may not generate: the user decides
        m_paused = true;
        m_holdDetail = refusal.message;
        break;
    case Refusal::Kind::Input:
    case Refusal::Kind::Validation: {
        // This item's own fault: a failed job in the list, as a single
        // Generate would make; the others go on.
        const qsizetype i = indexOf(id);
        if (i >= 0)
            m_items.removeAt(i);
        break;
    }
    }
    qCInfo(lcJobs).noquote() << "queue item" << id << "refused:" << refusal.message;
    QTimer::singleShot(0, this, &JobQueue::pump); // after the lifecycle let go of the refused job
}

void JobQueue::putBack(quint64 id, const QString &refusal)
{
    const qsizetype i = indexOf(id);
    if (i < 0)
        return;
    m_items[i].state = ItemState::Waiting;
    m_items[i].refusal = refusal;
}

void JobQueue::retryLater()
{
    m_refusalHold = Hold::Busy;
    m_retry.start(m_retryDelayMs);
    m_retryDelayMs = std::min(m_retryDelayMs * 2, kMaxRetryDelayMs);
}

void JobQueue::watchJob(Job *job)
{
    connect(job, &Job::finished, this, [this](Job::State state) {
        if (state == Job::State::Completed && m_costPerJob > 0 && m_credits) {
            // Charged: the credits are asked for before another job starts.
            m_creditsStale = true;
            m_staleCredits.start();
            Q_EMIT creditsWanted();
        }
        if (m_refusalHold == Hold::Credits)
            m_refusalHold = Hold::None; // what it held is free again
        pump();
    });
}

void JobQueue::discardAll(const QString &why)
{
    const int count = int(m_items.size());
    m_items.clear();
    m_refusalHold = Hold::None;
    m_holdDetail.clear();
    m_retry.stop();
    if (count > 0) {
        Q_EMIT discarded(count, tr("%n queued job(s) not started: %1", nullptr, count).arg(why));
        Q_EMIT changed();
    }
}

} // namespace framecast
