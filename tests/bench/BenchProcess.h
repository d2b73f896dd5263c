// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the benchmarks read about their own process (Linux /proc; elsewhere -1).

#include <QEventLoop>
#include <QFile>
#include <QTimer>
#include <QList>
#include <QByteArray>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <ctime>
#include <functional>
#include <vector>

namespace framecast::bench {

/// Resident set size now, in KiB (VmRSS), or -1.
inline qint64 residentKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

/// Bytes malloc has handed out and not had back, in KiB (glibc), or -1:
/// with residentKb() it tells a growing heap from a fragmented one.
inline qint64 heapInUseKb()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 m = mallinfo2();
    return qint64((m.uordblks + m.hblkhd) / 1024);
#else
    return -1;
#endif
}

/// CPU time this process used so far (user + system), in microseconds.
inline qint64 cpuTimeUs()
{
    timespec ts{};
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return -1;
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

/// The value at fraction `p` (0..1) of sorted `values`, or -1 when empty.
template<typename T>
double percentile(std::vector<T> values, double p)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    return double(values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))]);
}

/// Runs the event loop until `done` (checked every `everyMs`) or the
/// timeout; the thread sleeps while there is nothing to do. Returns done().
inline bool runUntil(const std::function<bool()> &done, qint64 timeoutMs, int everyMs = 5)
{
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    check.start(everyMs);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!done())
        loop.exec();
    return done();
}

} // namespace framecast::bench
