// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Clock.h"
#include "jobs/ConnectionStatus.h"

#include <QTimer>
#include <QWidget>

namespace framecast::ui {

/// The connection dot: grey connecting, green with a gentle pulse while
/// connected, amber reconnecting, red failed. The pulse repaints ten times a
/// second and only while connected and visible, so it costs next to no CPU.
class ConnectionDot final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionDot)

public:
    explicit ConnectionDot(QWidget *parent = nullptr, Clock *clock = Clock::system());

    void setStatus(const ConnectionStatus &status);
    const ConnectionStatus &status() const { return m_status; }
    QColor color() const;
    bool isPulsing() const { return m_pulse.isActive(); }
    /// Human text: "Connected (videos-sse) for 12 s, 1 reconnect".
    QString describe() const;

    QSize sizeHint() const override { return {16, 16}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool event(QEvent *event) override;

private:
    void updatePulse();

    Clock *m_clock;
    ConnectionStatus m_status;
    QTimer m_pulse;
    int m_phase = 0;
};

} // namespace framecast::ui
