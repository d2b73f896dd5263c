// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QTimeZone>

namespace framecast {

/// Time source handed to objects that record timestamps or measure
/// durations, so tests can move time by hand instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
    /// Monotonic milliseconds since some fixed point.
    virtual qint64 monotonicMs() const = 0;

    /// The process-wide real clock.
    static Clock *system();
};

/// A clock that only moves when told to.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start = QDateTime(QDate(2025, 11, 13), QTime(10, 0), QTimeZone::utc()))
        : m_now(std::move(start))
    {
    }
    QDateTime now() const override { return m_now.addMSecs(m_elapsedMs); }
    qint64 monotonicMs() const override { return m_elapsedMs; }
    void advance(qint64 ms) { m_elapsedMs += ms; }

private:
    QDateTime m_now;
    qint64 m_elapsedMs = 0;
};

} // namespace framecast
