// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/StreamConnectionPool.h"

#include "core/Logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace framecast {

StreamConnectionPool::StreamConnectionPool(int streamsPerManager, QObject *parent)
    : QObject(parent)
    , m_streamsPerManager(qBound(1, streamsPerManager, 6))
{
}

StreamConnectionPool::~StreamConnectionPool() = default;

void StreamConnectionPool::shareHttp2With(QNetworkAccessManager *rest)
{
    connect(rest, &QNetworkAccessManager::finished, this, [this, rest](QNetworkReply *reply) {
        if (m_http2 || !reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool())
            return;
        qCDebug(lcNet) << "stream pool: the server speaks HTTP/2, streams share one connection";
        m_http2 = rest;
    });
}

QNetworkAccessManager *StreamConnectionPool::acquire()
{
    if (m_http2)
        return m_http2;
    QNetworkAccessManager *best = nullptr;
    int bestLoad = m_streamsPerManager;
    for (auto it = m_load.cbegin(); it != m_load.cend(); ++it) {
        if (it.value() < bestLoad) {
            best = it.key();
            bestLoad = it.value();
        }
    }
    if (!best) {
        best = new QNetworkAccessManager(this);
        m_settings.apply(*best);
        best->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
        m_load.insert(best, 0);
        qCDebug(lcNet) << "stream pool: new network manager, now" << m_load.size();
    }
    ++m_load[best];
    return best;
}

void StreamConnectionPool::release(QNetworkAccessManager *manager)
{
    if (manager == m_http2)
        return; // not the pool's
    auto it = m_load.find(manager);
    if (it == m_load.end())
        return;
    if (--it.value() <= 0 && m_load.size() > 1) {
        m_load.erase(it);
        manager->deleteLater();
    }
}

int StreamConnectionPool::activeStreams() const
{
    int total = 0;
    for (int load : m_load)
        total += load;
    return total;
}

} // namespace framecast
