// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

namespace framecast {

/// What the connection dot shows.
enum class ConnectionState {
    Idle,         ///< not watching
    Connecting,   ///< grey
    Connected,    ///< green, pulsing
    Reconnecting, ///< amber, with the attempt number
    Failed,       ///< red: gave up or was refused
    Closed,       ///< the stream ended normally after the job's final event
};

QString connectionStateName(ConnectionState state);

/// The connection as the status dot and its tooltip describe it.
struct ConnectionStatus
{
    ConnectionState state = ConnectionState::Idle;
    int attempt = 0;          ///< current reconnect attempt while Reconnecting
    int reconnectCount = 0;   ///< reconnects since watching began
    qint64 connectedSinceMs = -1; ///< monotonic time of the last Connected, -1 if not connected
    QString dialect;
    QString lastError;        ///< why the last connection ended, if it failed

    /// How long the current connection has lasted, or 0.
    qint64 connectedForMs(qint64 nowMs) const
    {
        return state == ConnectionState::Connected && connectedSinceMs >= 0 ? nowMs - connectedSinceMs : 0;
    }
};

} // namespace framecast

Q_DECLARE_METATYPE(framecast::ConnectionStatus)
