// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/JobParams.h"
#include "session/ServerConnection.h"

#include <QTest>

namespace framecast::test {

/// Logs `c` in as demo/demo and waits for the answer.
inline ApiResponse loginAsDemo(ServerConnection *c)
{
    ApiResponse answer;
    bool done = false;
    c->login(QStringLiteral("demo"), QStringLiteral("demo"), [&](const ApiResponse &r) {
        answer = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 15000))
        answer.error.message = QStringLiteral("no answer to the login");
    return answer;
}

/// A valid job with the reference image `image`.
inline JobParams heronJob(const QString &image)
{
    JobParams p;
    p.prompt = QStringLiteral("A heron taking off from a misty lake");
    p.imagePath = image;
    return p;
}

} // namespace framecast::test
