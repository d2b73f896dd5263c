// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QtGlobal>

#include <optional>

class QRandomGenerator;

namespace framecast {

/// When and how often a dropped stream is opened again: capped exponential
/// backoff with jitter, or a fixed list of delays (the stages-sse web client
/// waits 1 s, 2 s, 3 s and then gives up).
struct ReconnectPolicy
{
    int maxAttempts = -1;           ///< consecutive failed attempts before giving up; -1: never
    qint64 initialDelayMs = 1000;   ///< first delay, unless the server sent `retry:`
    qint64 maxDelayMs = 30000;      ///< cap for the exponential growth
    double multiplier = 2.0;
    double jitter = 0.2;            ///< each delay is spread by ±this fraction
    QList<qint64> fixedDelaysMs;    ///< when set: delay of attempt n is entry n-1 (last repeats)

    /// Delay before attempt `attempt` (1-based). `serverRetryMs` is the
    /// stream's `retry:` value; it replaces the initial delay.
    qint64 delayMs(int attempt, std::optional<qint64> serverRetryMs = std::nullopt,
                   QRandomGenerator *rng = nullptr) const;
    bool exhausted(int attempt) const { return maxAttempts >= 0 && attempt > maxAttempts; }

    static ReconnectPolicy standard();
    /// The seed web client's policy for stages-sse: 3 tries, 1 s, 2 s, 3 s apart.
    static ReconnectPolicy stagesSse();
};

} // namespace framecast
