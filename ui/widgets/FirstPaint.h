// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QEvent>
#include <QObject>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <functional>

namespace framecast::ui {

/// Runs `then` once, right after `window`'s first paint has been flushed
/// (the window is on screen), then goes away. Start-up work that the first
/// frame does not need waits for it.
class FirstPaint final : public QObject
{
public:
    FirstPaint(QWidget *window, std::function<void()> then)
        : QObject(window)
        , m_then(std::move(then))
    {
        window->installEventFilter(this);
    }

    /// With FRAMECAST_STARTUP_MARKER=1 in the environment, prints
    /// "framecast: first paint" on stderr at that moment (tests/bench/startup.sh
    /// times start-up by it); nothing otherwise.
    static void printMarkerIfAsked()
    {
        if (qEnvironmentVariableIntValue("FRAMECAST_STARTUP_MARKER") == 1) {
            std::fputs("framecast: first paint\n", stderr);
            std::fflush(stderr);
        }
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            watched->removeEventFilter(this);
            // The paint is flushed to the screen when this event returns.
            QTimer::singleShot(0, this, [this] {
                printMarkerIfAsked();
                if (m_then)
                    m_then();
                deleteLater();
            });
        }
        return false;
    }

private:
    std::function<void()> m_then;
    bool m_seen = false;
};

} // namespace framecast::ui
