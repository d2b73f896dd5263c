// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
class StreamConnectionPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamConnectionPool)

public:
    static constexpr int kDefaultStreamsPerManager = 4;

    explicit StreamConnectionPool(int streamsPerManager = kDefaultStreamsPerManager, QObject *parent = nullptr);
    ~StreamConnectionPool() override;

    /// A manager with room for one more stream. Pair every call with release().
    QNetworkAccessManager *acquire();
    void release(QNetworkAccessManager *manager);

    int managerCount() const { return int(m_load.size()); }
    int activeStreams() const;
    int streamsPerManager() const { return m_streamsPerManager; }

private:
    int m_streamsPerManager;
    QHash<QNetworkAccessManager *, int> m_load;
};

} // namespace framecast
