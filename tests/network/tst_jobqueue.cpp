// SPDX-License-Identifier: GPL-3.0-or-later
// The job queue against the demo backend: items start in order, never more
// at once than the cap or than the credits pay for; a 402 or a 429 puts the
// item back (no refused job, nothing lost) and the queue starts again when
// the credits change or the server takes jobs again; a 403 pauses it; an
// item with bad input fails alone; logging out keeps the items, another
// user signing in discards them with a word; Retry and Generate again are
// the same params queued again.
#include "DemoTestConfig.h"
#include "demo/DemoAccounts.h"
#include "demo/DemoBackend.h"
#include "demo/DemoJob.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "jobs/JobQueue.h"
#include "session/ServerConnection.h"

#include <QImage>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace framecast;

class TestJobQueue final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_image;

    static demo::DemoConfig config(int stepDelayMs = 20)
    {
        demo::DemoConfig c = test::fastDemoConfig(stepDelayMs);
        c.users.append({ QStringLiteral("poor"), QStringLiteral("pw"), 300, true });
        c.users.append({ QStringLiteral("lapsed"), QStringLiteral("pw"), 1000, false });
        return c;
    }

    static bool login(ServerConnection *c, const QString &user, const QString &password)
    {
        bool done = false;
        bool ok = false;
        c->login(user, password, [&](const ApiResponse &r) {
            done = true;
            ok = r.ok();
        });
        return QTest::qWaitFor([&] { return done; }, 10000) && ok;
    }

    std::unique_ptr<ServerConnection> connect(const demo::DemoBackend &server,
                                              const QString &user = QStringLiteral("demo"),
                                              const QString &password = QStringLiteral("demo"))
    {
        ServerProfile p;
        p.name = QStringLiteral("demo under test");
        p.baseUrl = server.baseUrl();
        p.wsUrl = server.webSocketUrl();
        ServerConnection::Options o;
        o.videoFolder = m_dir.filePath(QStringLiteral("videos"));
        auto c = std::make_unique<ServerConnection>(p, o);
        if (!user.isEmpty() && !login(c.get(), user, password))
            return nullptr;
        return c;
    }

    JobParams params(const QString &prompt) const
    {
        JobParams p;
        p.prompt = prompt;
        p.imagePath = m_image;
        return p;
    }

    QList<JobParams> prompts(int n) const
    {
        QList<JobParams> out;
        for (int i = 1; i <= n; ++i)
            out << params(QStringLiteral("Queued prompt number %1").arg(i));
        return out;
    }

    static int unfinished(const JobLifecycle *jobs)
    {
        const QList<Job *> all = jobs->jobs();
        return int(std::count_if(all.cbegin(), all.cend(), [](const Job *j) { return !j->isFinal(); }));
    }

    static bool allCompleted(const JobLifecycle *jobs, int count)
    {
        const QList<Job *> all = jobs->jobs();
        return all.size() == count
            && std::all_of(all.cbegin(), all.cend(), [](const Job *j) { return j->state() == Job::State::Completed; });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(160, 90, 30));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
    }

    void startsInOrderNeverMoreThanTheCap()
    {
        demo::DemoBackend server(config(40));
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        JobQueue *queue = c->queue();
        queue->setMaxConcurrent(2);
        QStringList order;
        int most = 0;
        QObject::connect(queue, &JobQueue::started, this, [&](quint64, Job *job) {
            order << job->params().prompt;
            most = std::max(most, unfinished(c->jobs()));
        });
        QObject::connect(queue, &JobQueue::changed, this, [&] { most = std::max(most, unfinished(c->jobs())); });
        const QList<quint64> ids = queue->enqueue(prompts(5));
        QCOMPARE(ids.size(), 5);
        QTRY_VERIFY_WITH_TIMEOUT(queue->hold() == JobQueue::Hold::Concurrency, 5000);
        QVERIFY2(queue->status().contains(QLatin1String("2 at a time")), qPrintable(queue->status()));
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 5), 60000);
        QCOMPARE(queue->size(), 0);
        QCOMPARE(most, 2);
        QStringList expected;
        for (const JobParams &p : prompts(5))
            expected << p.prompt;
        QCOMPARE(order, expected);
        QCOMPARE(queue->jobOf(ids.first())->params().prompt, expected.first());
    }

    void variationsAreJobsOfOnePrompt()
    {
        demo::DemoBackend server(config());
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        const QList<quint64> ids = c->queue()->enqueueVariations(params(QStringLiteral("A lighthouse in a storm")), 3);
        QCOMPARE(ids.size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 3), 60000);
        QSet<QString> serverIds;
        for (Job *job : c->jobs()->jobs()) {
            QCOMPARE(job->params().prompt, QStringLiteral("A lighthouse in a storm"));
            serverIds << job->id();
        }
        QCOMPARE(serverIds.size(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(c->credits(), 700, 10000);
    }

    void creditsHoldTheRestWithoutARefusal()
    {
        demo::DemoBackend server(config(60));
        QVERIFY(server.start());
        auto c = connect(server, QStringLiteral("poor"), QStringLiteral("pw")); // 300 credits
        QVERIFY(c);
        JobQueue *queue = c->queue();
        queue->setMaxConcurrent(10);
        QSignalSpy refused(c->jobs(), &JobLifecycle::jobRefused);
        QSignalSpy generates(&server, &demo::DemoBackend::jobCreated);
        queue->enqueue(prompts(5));
        // Three are paid for; two wait, and say why.
        QTRY_COMPARE_WITH_TIMEOUT(generates.size(), 3, 10000);
        QCOMPARE(queue->waitingCount(), 2);
        QCOMPARE(queue->hold(), JobQueue::Hold::Credits);
        QVERIFY2(queue->status().startsWith(QLatin1String("Waiting for credits: 300 left, a video costs 100")),
                 qPrintable(queue->status()));
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 3), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(c->credits(), 0, 10000);
        QTRY_VERIFY2(queue->status().startsWith(QLatin1String("Waiting for credits: 0 left")),
                     qPrintable(queue->status()));
        // Nothing else was sent, nothing refused, nothing lost.
        QCOMPARE(generates.size(), 3);
        QCOMPARE(refused.size(), 0);
        QCOMPARE(queue->waitingCount(), 2);
        // Credits bought: the two start.
        server.accounts().userByName(QStringLiteral("poor"))->credits = 200;
        c->refreshAccount();
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 5), 60000);
        QCOMPARE(queue->size(), 0);
    }

    void paymentRequiredPutsTheItemBack()
    {
        demo::DemoBackend server(config(60));
        QVERIFY(server.start());
        auto c = connect(server); // the client believes 1000 credits
        QVERIFY(c);
        server.accounts().userByName(QStringLiteral("demo"))->credits = 150; // spent elsewhere meanwhile
        JobQueue *queue = c->queue();
        queue->setMaxConcurrent(10);
        QSignalSpy refused(c->jobs(), &JobLifecycle::jobRefused);
        QSignalSpy added(c->jobs(), &JobLifecycle::jobAdded);
        queue->enqueue(prompts(3));
        // One is accepted; the two refused with 402 are back in the queue,
        // waiting for credits, and the real credits were asked for.
        QTRY_COMPARE_WITH_TIMEOUT(c->credits(), 150, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(queue->waitingCount(), 2, 10000);
        QCOMPARE(queue->hold(), JobQueue::Hold::Credits);
        QVERIFY2(queue->status().startsWith(QLatin1String("Waiting for credits")), qPrintable(queue->status()));
        QCOMPARE(queue->items().first().params.prompt, QStringLiteral("Queued prompt number 2")); // order kept
        QCOMPARE(refused.size(), 0);
        QCOMPARE(added.size(), 1); // no failed job for a refusal the queue took back
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 1), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(c->credits(), 50, 10000);
        QCOMPARE(queue->waitingCount(), 2);
        server.accounts().userByName(QStringLiteral("demo"))->credits = 1000;
        c->refreshAccount();
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 3), 60000);
        QCOMPARE(refused.size(), 0);
    }

    void busyServerIsTriedAgain()
    {
        demo::DemoConfig cfg = config();
        cfg.busyGenerates = 2; // two 429s, then jobs are taken
        demo::DemoBackend server(cfg);
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        JobQueue *queue = c->queue();
        queue->setRetryDelayMs(100);
        QSignalSpy refused(c->jobs(), &JobLifecycle::jobRefused);
        queue->enqueue({ params(QStringLiteral("A tram at night in the rain")) });
        QTRY_COMPARE_WITH_TIMEOUT(queue->hold(), JobQueue::Hold::Busy, 10000);
        QVERIFY2(queue->status().contains(QLatin1String("busy"))
                     && queue->status().contains(QLatin1String("trying again")),
                 qPrintable(queue->status()));
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 1), 30000);
        QCOMPARE(server.config().busyGenerates, 0);
        QCOMPARE(refused.size(), 0);
    }

    void forbiddenPausesTheQueue()
    {
        demo::DemoBackend server(config());
        QVERIFY(server.start());
        auto c = connect(server, QStringLiteral("lapsed"), QStringLiteral("pw"));
        QVERIFY(c);
        JobQueue *queue = c->queue();
        QSignalSpy refused(c->jobs(), &JobLifecycle::jobRefused);
        queue->enqueue(prompts(3));
        QTRY_VERIFY_WITH_TIMEOUT(queue->isPaused(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(queue->waitingCount(), 3, 10000);
        QCOMPARE(queue->status(), QStringLiteral("Paused: Subscription inactive"));
        QCOMPARE(refused.size(), 0);
        QCOMPARE(c->jobs()->jobs().size(), 0);
    }

    void badInputFailsAloneTheRestGoOn()
    {
        demo::DemoBackend server(config());
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        QSignalSpy refused(c->jobs(), &JobLifecycle::jobRefused);
        QList<JobParams> jobs = prompts(2);
        jobs.insert(1, params(QStringLiteral("short")));
        c->queue()->enqueue(jobs);
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(c->jobs()->jobs().size(), 3, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(unfinished(c->jobs()), 0, 30000);
        int completed = 0;
        for (Job *job : c->jobs()->jobs())
            completed += job->state() == Job::State::Completed;
        QCOMPARE(completed, 2);
        QCOMPARE(c->queue()->size(), 0);
    }

    void orderPauseRemoveAndLogin()
    {
        demo::DemoBackend server(config());
        QVERIFY(server.start());
        auto c = connect(server, QString()); // not logged in yet
        QVERIFY(c);
        JobQueue *queue = c->queue();
        const QList<quint64> ids = queue->enqueue(prompts(4));
        QCOMPARE(queue->hold(), JobQueue::Hold::LoggedOut);
        QCOMPARE(queue->status(), QStringLiteral("Waiting for a login"));
        QVERIFY(queue->move(ids.at(3), 0));
        QVERIFY(queue->remove(ids.at(1)));
        QVERIFY(!queue->remove(12345));
        QVERIFY(!queue->move(ids.at(0), 7));
        QStringList order;
        for (const JobQueue::Item &item : queue->items())
            order << item.params.prompt.right(1);
        QCOMPARE(order, (QStringList { QStringLiteral("4"), QStringLiteral("1"), QStringLiteral("3") }));
        queue->setPaused(true);
        QVERIFY(login(c.get(), QStringLiteral("demo"), QStringLiteral("demo")));
        QCOMPARE(queue->status(), QStringLiteral("Paused"));
        QTest::qWait(200); // long enough for a start that should not happen
        QCOMPARE(c->jobs()->jobs().size(), 0);
        QStringList started;
        QObject::connect(queue, &JobQueue::started, this,
                         [&](quint64, Job *job) { started << job->params().prompt.right(1); });
        queue->setPaused(false);
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 3), 60000);
        QCOMPARE(started, order);
    }

    void logoutKeepsAnotherUserDiscards()
    {
        demo::DemoBackend server(config());
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        JobQueue *queue = c->queue();
        c->logout();
        queue->enqueue(prompts(2));
        QCOMPARE(queue->waitingCount(), 2);
        // Back as the same user: they start.
        QVERIFY(login(c.get(), QStringLiteral("demo"), QStringLiteral("demo")));
        QTRY_VERIFY_WITH_TIMEOUT(allCompleted(c->jobs(), 2), 60000);
        // Queued for demo, then alice signs in here: not started on her account, and said.
        c->logout();
        queue->enqueue(prompts(3));
        QSignalSpy discarded(queue, &JobQueue::discarded);
        QVERIFY(login(c.get(), QStringLiteral("alice"), QStringLiteral("pw")));
        QCOMPARE(discarded.size(), 1);
        QCOMPARE(discarded.first().at(0).toInt(), 3);
        QCOMPARE(discarded.first().at(1).toString(),
                 QStringLiteral("3 queued job(s) not started: another user signed in to this server"));
        QCOMPARE(queue->size(), 0);
        QTest::qWait(100);
        QCOMPARE(c->jobs()->jobs().size(), 0);
    }

    void retryAndGenerateAgainQueueTheSameParams()
    {
        demo::DemoConfig cfg = config();
        cfg.failAtStep = 2;
        demo::DemoBackend server(cfg);
        QVERIFY(server.start());
        auto c = connect(server);
        QVERIFY(c);
        JobQueue *queue = c->queue();
        JobParams asked = params(QStringLiteral("Snow falling on a quiet village"));
        asked.durationSeconds = 8;
        asked.size = QSize(720, 1280);
        const quint64 first = queue->enqueue({ asked }).first();
        QTRY_VERIFY_WITH_TIMEOUT(queue->jobOf(first) && queue->jobOf(first)->state() == Job::State::Failed, 30000);
        Job *failed = queue->jobOf(first);
        server.config().failAtStep = 0;
        // Retry: the failed job's params, queued again.
        const quint64 retry = queue->enqueue({ failed->params() }).first();
        QTRY_VERIFY_WITH_TIMEOUT(queue->jobOf(retry) && queue->jobOf(retry)->state() == Job::State::Completed, 30000);
        Job *again = queue->jobOf(retry);
        QVERIFY(again != failed);
        QCOMPARE(again->params(), failed->params());
        QCOMPARE(server.job(again->id())->params().durationSeconds, 8);
        QCOMPARE(server.job(again->id())->params().size, QSize(720, 1280));
        // Generate again: the finished job's params, queued again.
        const quint64 third = queue->enqueue({ again->params() }).first();
        QTRY_VERIFY_WITH_TIMEOUT(queue->jobOf(third) && queue->jobOf(third)->state() == Job::State::Completed, 30000);
        QCOMPARE(queue->jobOf(third)->params(), asked);
        QCOMPARE(c->jobs()->jobs().size(), 3);
    }
};

QTEST_MAIN(TestJobQueue)
#include "tst_jobqueue.moc"
