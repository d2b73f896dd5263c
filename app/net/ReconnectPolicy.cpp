// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ReconnectPolicy.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace framecast {

qint64 ReconnectPolicy::delayMs(int attempt, std::optional<qint64> serverRetryMs, QRandomGenerator *rng) const
{
    attempt = std::max(attempt, 1);
    double delay = 0;
    if (!fixedDelaysMs.isEmpty()) {
        delay = double(fixedDelaysMs.at(std::min<qsizetype>(attempt - 1, fixedDelaysMs.size() - 1)));
    } else {
        const double base = double(serverRetryMs.value_or(initialDelayMs));
        delay = std::min(double(maxDelayMs), base * std::pow(multiplier, attempt - 1));
        delay = std::max(delay, 0.0);
    }
    if (jitter > 0 && delay > 0) {
        QRandomGenerator *gen = rng ? rng : QRandomGenerator::global();
        const double spread = (gen->generateDouble() * 2.0 - 1.0) * jitter;
        delay *= 1.0 + spread;
        if (fixedDelaysMs.isEmpty())
            delay = std::min(delay, double(maxDelayMs));
    }
    return qint64(std::llround(delay));
}

ReconnectPolicy ReconnectPolicy::standard()
{
    return ReconnectPolicy{};
}

ReconnectPolicy ReconnectPolicy::stagesSse()
{
    ReconnectPolicy p;
    p.maxAttempts = 3;
    p.fixedDelaysMs = {1000, 2000, 3000};
    p.jitter = 0;
    return p;
}

} // namespace framecast
