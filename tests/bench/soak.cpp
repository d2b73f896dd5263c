// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-soak --server URL --ws-url URL --user NAME --password-env VAR
//                [--jobs 50] [--minutes 60] [--dialect all|NAME] [--round-timeout-s 300]
//
// The client half of tests/bench/soak.sh: the core's one job lifecycle (a
// ServerConnection per dialect, a ledger, the downloads) against a demo
// backend whose fault switches are on. Rounds of `--jobs` jobs at once until
// the minutes are up, each round on the next dialect; after each round every
// job must have completed with its video, every step shown exactly once, and
// then the jobs are let go (as the window's "clear" would) and the resident
// memory sampled. Prints one JSON line per round on stderr and a summary on
// stdout:
// {"minutes":…, "rounds":…, "jobs":…, "completed":…, "lost":…, "failed":…,
//  "refused":…, "unfinished":…, "steps_missing":…, "steps_repeated":…, "videos_missing":…,
//  "reconnects":…, "warnings":…, "rss_start_kb":…, "rss_baseline_kb":…,
//  "rss_end_kb":…, "rss_max_kb":…, "rss_drift_pct":…, "heap_baseline_kb":…,
//  "heap_end_kb":…, "ok":…} (heap: what malloc has handed out, against RSS)
#include "BenchProcess.h"
#include "jobs/Job.h"
#include "jobs/JobLifecycle.h"
#include "ledger/Ledger.h"
#include "session/ServerConnection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

using namespace framecast;

namespace {

struct Totals
{
    int rounds = 0, jobs = 0, completed = 0, lost = 0, failed = 0, refused = 0, unfinished = 0;
    int stepsMissing = 0, stepsRepeated = 0, videosMissing = 0;
    qint64 reconnects = 0, warnings = 0;
};

/// The steps a completed job's log shows: eight and the completion where the
/// dialect names steps (PROTOCOL.md §4); tasks-sse sends none, stages-sse its
/// own stage lines (only "no repeats" applies to those).
int expectedSteps(Dialect d)
{
    return d == Dialect::VideosSse || d == Dialect::WebSocket ? 9 : 0;
}

void waitFor(const std::function<bool()> &done, qint64 timeoutMs)
{
    bench::runUntil(done, timeoutMs, 50);
}

/// Counts what the user would have seen wrong in one finished job.
void judge(const Job &job, const JobLifecycle &jobs, int expected, const QString &refusal, Totals *t, QStringList *problems)
{
    ++t->jobs;
    if (!refusal.isEmpty()) {
        // Never accepted (the server was restarting while it was sent): the
        // window says so and offers Retry; not a lost job.
        ++t->refused;
        problems->append(job.id() + QStringLiteral(" refused: ") + refusal);
        return;
    }
    switch (job.state()) {
    case Job::State::Completed: ++t->completed; break;
    case Job::State::Lost: ++t->lost; break;
    case Job::State::Failed:
    case Job::State::Cancelled: ++t->failed; break;
    default: ++t->unfinished; break;
    }
    if (job.state() != Job::State::Completed)
        problems->append(job.id() + QLatin1Char(' ') + Job::stateName(job.state())
                         + (job.error() ? QStringLiteral(": ") + job.error()->message : QString()));
    QSet<QString> seen;
    int steps = 0;
    for (const Job::LogEntry &e : job.log()) {
        const QString key = e.prefix() + e.message;
        if (seen.contains(key)) {
            ++t->stepsRepeated;
            problems->append(job.id() + QStringLiteral(" repeated: ") + key);
        }
        seen.insert(key);
        ++steps;
    }
    if (steps < expected) {
        t->stepsMissing += expected - steps;
        problems->append(job.id() + QStringLiteral(" shows %1 of %2 steps").arg(steps).arg(expected));
    }
    const QString video = jobs.videoFile(job.id());
    if (job.state() == Job::State::Completed && (video.isEmpty() || QFileInfo(video).size() <= 0)) {
        ++t->videosMissing;
        problems->append(job.id() + QStringLiteral(" has no video"));
    }
    t->reconnects += job.connection().reconnectCount;
    t->warnings += job.warnings().size();
    if (!video.isEmpty())
        QFile::remove(video); // the disk stays small for an hour
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Soak: rounds of jobs against a demo backend with faults on."));
    cli.addHelpOption();
    auto opt = [&](const char *name, const char *help, const char *value, const char *def = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value));
        if (def)
            o.setDefaultValue(QString::fromLatin1(def));
        cli.addOption(o);
    };
    opt("server", "The demo backend's base URL.", "URL");
    opt("ws-url", "Its WebSocket URL.", "URL");
    opt("user", "User name.", "NAME", "demo");
    opt("password-env", "The environment variable holding the password.", "VAR");
    opt("jobs", "Jobs at once in each round (default 50).", "N", "50");
    opt("minutes", "How long to run (default 60).", "N", "60");
    opt("dialect", "all (one after another per round) or one dialect.", "NAME", "all");
    opt("round-timeout-s", "A round that takes longer counts its jobs unfinished (default 300).", "S", "300");
    cli.process(app);

    const QUrl server(cli.value(QStringLiteral("server")));
    const int jobCount = std::max(1, cli.value(QStringLiteral("jobs")).toInt());
    const double minutes = cli.value(QStringLiteral("minutes")).toDouble();
    const int roundTimeoutS = std::max(10, cli.value(QStringLiteral("round-timeout-s")).toInt());
    const QByteArray password = qgetenv(cli.value(QStringLiteral("password-env")).toLocal8Bit().constData());
    if (!server.isValid() || server.scheme().isEmpty() || minutes <= 0 || password.isEmpty()) {
        std::fprintf(stderr, "framecast-soak: give --server URL, --minutes > 0 and --password-env VAR (set)\n");
        return 2;
    }
    QList<Dialect> dialects;
    if (cli.value(QStringLiteral("dialect")) == QLatin1String("all")) {
        dialects = {Dialect::VideosSse, Dialect::WebSocket, Dialect::TasksSse, Dialect::StagesSse};
    } else if (const auto d = parseDialect(cli.value(QStringLiteral("dialect")))) {
        dialects = {*d};
    } else {
        std::fprintf(stderr, "framecast-soak: unknown dialect %s\n", qPrintable(cli.value(QStringLiteral("dialect"))));
        return 2;
    }

    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("ref.png"));
    QImage(96, 54, QImage::Format_RGB32).save(image);
    Ledger ledger;
    if (!ledger.open(dir.filePath(QStringLiteral("ledger.sqlite")))) {
        std::fprintf(stderr, "framecast-soak: cannot open the ledger\n");
        return 1;
    }
    std::vector<std::unique_ptr<ServerConnection>> connections;
    for (Dialect d : dialects) {
        ServerProfile p;
        p.name = QStringLiteral("soak ") + dialectName(d);
        p.baseUrl = server;
        p.wsUrl = QUrl(cli.value(QStringLiteral("ws-url")));
        p.dialect = d;
        ServerConnection::Options o;
        o.videoFolder = dir.filePath(QStringLiteral("videos"));
        o.ledger = &ledger;
        auto c = std::make_unique<ServerConnection>(p, o);
        bool done = false, ok = false;
        QString why;
        c->login(cli.value(QStringLiteral("user")), QString::fromUtf8(password), [&](const ApiResponse &r) {
            done = true;
            ok = r.ok();
            why = r.error.message;
        });
        waitFor([&] { return done; }, 20000);
        if (!ok) {
            std::fprintf(stderr, "framecast-soak: login failed: %s\n", qPrintable(why));
            return 3;
        }
        connections.push_back(std::move(c));
    }

    Totals t;
    std::vector<qint64> rss;
    std::vector<qint64> heap;
    const qint64 rssStart = bench::residentKb();
    QElapsedTimer clock;
    clock.start();
    const qint64 endMs = qint64(minutes * 60000);
    QStringList problems;
    while (clock.elapsed() < endMs) {
        ServerConnection &c = *connections[size_t(t.rounds) % connections.size()];
        JobLifecycle *lifecycle = c.jobs();
        QList<Job *> round;
        for (int i = 0; i < jobCount; ++i) {
            JobParams p;
            p.prompt = QStringLiteral("Soak round %1 job %2: a heron over a misty lake").arg(t.rounds).arg(i);
            p.imagePath = image;
            p.durationSeconds = 4;
            round.append(lifecycle->submit(p));
        }
        // Final and, when completed, its video archived (or given up on).
        QSet<QString> archived;
        QObject context;
        QObject::connect(lifecycle, &JobLifecycle::videoReady, &context,
                         [&](Job *job, const QString &, qint64) { archived.insert(job->id()); });
        QHash<const Job *, QString> refused;
        QObject::connect(lifecycle, &JobLifecycle::jobRefused, &context,
                         [&](Job *job, const Refusal &r) { refused.insert(job, r.message); });
        QObject::connect(lifecycle, &JobLifecycle::videoFailed, &context,
                         [&](Job *job, const QString &) { archived.insert(job->id()); });
        auto roundDone = [&] {
            for (Job *job : std::as_const(round)) {
                if (!job->isFinal() || (job->state() == Job::State::Completed && !archived.contains(job->id())))
                    return false;
            }
            return true;
        };
        waitFor(roundDone, qint64(roundTimeoutS) * 1000);
        const int problemsBefore = int(problems.size());
        const Totals before = t;
        for (Job *job : std::as_const(round))
            judge(*job, *lifecycle, expectedSteps(c.profile().dialect), refused.value(job), &t, &problems);
        lifecycle->forgetAll();
        // Let the deleteLater()s and closed sockets go before sampling.
        waitFor([] { return false; }, 500);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        rss.push_back(bench::residentKb());
        heap.push_back(bench::heapInUseKb());
        ++t.rounds;
        QJsonObject line{{QStringLiteral("round"), t.rounds},
                         {QStringLiteral("dialect"), dialectName(c.profile().dialect)},
                         {QStringLiteral("seconds"), double(clock.elapsed()) / 1000.0},
                         {QStringLiteral("completed"), t.completed - before.completed},
                         {QStringLiteral("refused"), t.refused - before.refused},
                         {QStringLiteral("reconnects"), qint64(t.reconnects - before.reconnects)},
                         {QStringLiteral("steps_repeated"), t.stepsRepeated - before.stepsRepeated},
                         {QStringLiteral("steps_missing"), t.stepsMissing - before.stepsMissing},
                         {QStringLiteral("problems"), QJsonArray::fromStringList(problems.mid(problemsBefore, 5))},
                         {QStringLiteral("rss_kb"), rss.back()},
                         {QStringLiteral("heap_kb"), heap.back()}};
        std::fprintf(stderr, "%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    }

    // Flat: the last tenth of the run against its second tenth (the first
    // fills caches, the pool, the ledger's pages).
    auto medianOf = [&](const std::vector<qint64> &v, size_t from, size_t to) {
        return bench::percentile(std::vector<qint64>(v.begin() + qint64(from), v.begin() + qint64(to)), 0.5);
    };
    const size_t n = rss.size();
    const size_t tenth = std::max<size_t>(1, n / 10);
    auto baselineOf = [&](const std::vector<qint64> &v) {
        return n >= 3 ? medianOf(v, std::min(tenth, n - 1), std::min(2 * tenth, n)) : double(v.front());
    };
    const double baseline = baselineOf(rss);
    const double end = medianOf(rss, n - tenth, n);
    const double drift = baseline > 0 ? (end - baseline) * 100.0 / baseline : 0;
    const bool ok = t.completed + t.refused == t.jobs && t.stepsMissing == 0 && t.stepsRepeated == 0 && t.videosMissing == 0
                    && std::abs(drift) <= 5.0;
    QJsonObject summary{{QStringLiteral("minutes"), double(clock.elapsed()) / 60000.0},
                        {QStringLiteral("rounds"), t.rounds},
                        {QStringLiteral("jobs"), t.jobs},
                        {QStringLiteral("completed"), t.completed},
                        {QStringLiteral("lost"), t.lost},
                        {QStringLiteral("failed"), t.failed},
                        {QStringLiteral("refused"), t.refused},
                        {QStringLiteral("unfinished"), t.unfinished},
                        {QStringLiteral("steps_missing"), t.stepsMissing},
                        {QStringLiteral("steps_repeated"), t.stepsRepeated},
                        {QStringLiteral("videos_missing"), t.videosMissing},
                        {QStringLiteral("reconnects"), t.reconnects},
                        {QStringLiteral("warnings"), t.warnings},
                        {QStringLiteral("rss_start_kb"), rssStart},
                        {QStringLiteral("rss_baseline_kb"), baseline},
                        {QStringLiteral("rss_end_kb"), end},
                        {QStringLiteral("rss_max_kb"), bench::percentile(rss, 1.0)},
                        {QStringLiteral("rss_drift_pct"), drift},
                        {QStringLiteral("heap_baseline_kb"), baselineOf(heap)},
                        {QStringLiteral("heap_end_kb"), medianOf(heap, n - tenth, n)},
                        {QStringLiteral("problems"), QJsonArray::fromStringList(problems.mid(0, 20))},
                        {QStringLiteral("ok"), ok}};
    std::printf("%s\n", QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
    return ok ? 0 : 1;
}
