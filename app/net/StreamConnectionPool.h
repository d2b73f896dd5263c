// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/NetworkSettings.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace framecast {

/// Hands out network managers for long-lived streams.
///
/// Qt's QNetworkAccessManager opens at most six HTTP/1.1 connections per host;
/// a seventh request waits in its queue until one of the six finishes, which a
/// stream never does. Twenty jobs watched on one host would stall fourteen of
/// them (and every REST call behind them). The pool gives each stream a
/// manager that carries fewer than six streams and adds managers as needed;
/// REST calls use a separate manager and are never queued behind a stream.
///
/// HTTP/2 has no such limit: one connection carries every stream (up to the
/// server's SETTINGS_MAX_CONCURRENT_STREAMS, 128 on nginx). Once the REST
/// manager is seen talking HTTP/2 to the server (shareHttp2With), every new
/// stream goes through that manager and its one connection.
class StreamConnectionPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamConnectionPool)

public:
    static constexpr int kDefaultStreamsPerManager = 4;

    explicit StreamConnectionPool(int streamsPerManager = kDefaultStreamsPerManager, QObject *parent = nullptr);
    ~StreamConnectionPool() override;

    /// Applied to every manager the pool makes (the server's proxy).
    void setNetworkSettings(const NetworkSettings &settings) { m_settings = settings; }
    /// Watches `rest`'s replies: when one used HTTP/2, new streams share
    /// `rest` (multiplexed on its connection) instead of the pool's managers.
    void shareHttp2With(QNetworkAccessManager *rest);
    bool usesHttp2() const { return !m_http2.isNull(); }

    /// A manager with room for one more stream. Pair every call with release().
    QNetworkAccessManager *acquire();
    void release(QNetworkAccessManager *manager);

    int managerCount() const { return int(m_load.size()); }
    int activeStreams() const;
    int streamsPerManager() const { return m_streamsPerManager; }

private:
    int m_streamsPerManager;
    NetworkSettings m_settings;
    QPointer<QNetworkAccessManager> m_http2;
    QHash<QNetworkAccessManager *, int> m_load;
};

} // namespace framecast
