// SPDX-License-Identifier: GPL-3.0-or-later
// What the demo backend's dialect tests share: a fast demo backend per test
// function with the demo user logged in (m_client), and generate(), which
// starts a job on it.
#pragma once

#include "DemoTestConfig.h"
#include "HttpTestClient.h"

#include "demo/DemoBackend.h"

#include <QTest>

#include <memory>

namespace framecast::test {

using framecast::demo::DemoBackend;
using framecast::demo::DemoConfig;

inline DemoConfig fastConfig()
{
    return test::fastDemoConfig();
}

inline QString generate(HttpTestClient &client)
{
    return client
        .post(QStringLiteral("/api/v1/videos/generate"), {{QStringLiteral("prompt"), QStringLiteral("A paper boat on a rainy street")}})
        .json()
        .value(QStringLiteral("id"))
        .toString();
}

/// The fixture: derived test classes inherit init() and cleanup().
class DemoDialectFixture : public QObject
{
    Q_OBJECT

protected:
    std::unique_ptr<DemoBackend> m_backend;
    std::unique_ptr<HttpTestClient> m_client;

private Q_SLOTS:
    void init()
    {
        m_backend = std::make_unique<DemoBackend>(fastConfig());
        QVERIFY(m_backend->start());
        m_client = std::make_unique<HttpTestClient>(m_backend->baseUrl());
        QCOMPARE(m_client->login(QStringLiteral("demo"), QStringLiteral("demo")).status, 200);
    }

    void cleanup()
    {
        m_client.reset();
        m_backend.reset();
    }
};

} // namespace framecast::test
