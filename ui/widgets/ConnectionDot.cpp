// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/ConnectionDot.h"

#include <QEvent>
#include <QPainter>
#include <QToolTip>
#include <QtMath>

namespace framecast::ui {

namespace {
constexpr int kPulseIntervalMs = 100;
constexpr int kPulsePhases = 16; // 1.6 s per pulse
} // namespace

ConnectionDot::ConnectionDot(QWidget *parent, Clock *clock)
    : QWidget(parent)
    , m_clock(clock)
{
    setAccessibleName(tr("Connection status"));
    setFixedSize(sizeHint());
    m_pulse.setInterval(kPulseIntervalMs);
    m_pulse.setTimerType(Qt::CoarseTimer);
    connect(&m_pulse, &QTimer::timeout, this, [this] {
        m_phase = (m_phase + 1) % kPulsePhases;
        update();
    });
}

void ConnectionDot::setStatus(const ConnectionStatus &status)
{
    m_status = status;
    setAccessibleDescription(describe());
    updatePulse();
    update();
}

QColor ConnectionDot::color() const
{
    switch (m_status.state) {
    case ConnectionState::Connected:
        return QColor(0x22, 0xC5, 0x5E); // green
    case ConnectionState::Reconnecting:
        return QColor(0xF5, 0x9E, 0x0B); // amber
    case ConnectionState::Failed:
        return QColor(0xEF, 0x44, 0x44); // red
    case ConnectionState::Connecting:
    case ConnectionState::Idle:
    case ConnectionState::Closed:
        break;
    }
    return QColor(0x9C, 0xA3, 0xAF); // grey
}

QString ConnectionDot::describe() const
{
    const QString dialect = m_status.dialect.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_status.dialect);
    QString text;
    switch (m_status.state) {
    case ConnectionState::Idle:
        text = tr("Not connected");
        break;
    case ConnectionState::Connecting:
        text = tr("Connecting%1…").arg(dialect);
        break;
    case ConnectionState::Connected:
        text = tr("Connected%1 for %2 s").arg(dialect).arg(m_status.connectedForMs(m_clock->monotonicMs()) / 1000);
        break;
    case ConnectionState::Reconnecting:
        text = tr("Reconnecting%1, attempt %2").arg(dialect).arg(m_status.attempt);
        break;
    case ConnectionState::Failed:
        text = tr("Connection failed%1").arg(dialect);
        break;
    case ConnectionState::Closed:
        text = tr("Finished%1").arg(dialect);
        break;
    }
    text += QLatin1Char('\n') + tr("%n reconnect(s)", nullptr, m_status.reconnectCount);
    if (!m_status.lastError.isEmpty())
        text += QLatin1Char('\n') + m_status.lastError;
    return text;
}

void ConnectionDot::updatePulse()
{
    const bool pulse = m_status.state == ConnectionState::Connected && isVisible();
    if (pulse && !m_pulse.isActive())
        m_pulse.start();
    else if (!pulse)
        m_pulse.stop();
}

void ConnectionDot::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updatePulse();
}

void ConnectionDot::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updatePulse();
}

bool ConnectionDot::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        setToolTip(describe()); // fresh "connected for" each time
    }
    return QWidget::event(event);
}

void ConnectionDot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(1, 1, -1, -1);
    const QColor c = color();
    if (m_pulse.isActive()) {
        const double t = double(m_phase) / kPulsePhases;
        QColor halo = c;
        halo.setAlphaF(0.45 * (1.0 - t));
        p.setPen(Qt::NoPen);
        p.setBrush(halo);
        const double grow = 0.5 + 0.5 * t;
        const double d = r.width() * grow;
        p.drawEllipse(QRectF(r.center().x() - d / 2, r.center().y() - d / 2, d, d));
    }
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    const double d = r.width() * 0.55;
    p.drawEllipse(QRectF(r.center().x() - d / 2, r.center().y() - d / 2, d, d));
}

} // namespace framecast::ui
