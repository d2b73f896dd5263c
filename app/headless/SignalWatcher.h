// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace framecast::headless {

/// Turns SIGINT and SIGTERM (Ctrl+C on Windows consoles) into a Qt signal
/// delivered on the event loop, where it is safe to act on it. Unix uses the
/// self-pipe pattern; the handler itself only writes one byte.
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void interrupted();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace framecast::headless
