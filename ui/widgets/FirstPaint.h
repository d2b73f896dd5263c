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
    /// `then` also runs when no paint came within `fallbackMs` (a window
    /// started minimized, a platform that paints elsewhere): the app must not
    /// wait for a frame that never comes.
    FirstPaint(QWidget *window, std::function<void()> then, int fallbackMs = 2000)
        : QObject(window)
        , m_then(std::move(then))
    {
        window->installEventFilter(this);
        QTimer::singleShot(fallbackMs, this, [this, window] {
            window->removeEventFilter(this);
            fire(false);
        });
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
            watched->removeEventFilter(this);
            // The paint is flushed to the screen when this event returns.
            QTimer::singleShot(0, this, [this] { fire(true); });
        }
        return false;
    }

private:
    void fire(bool painted)
    {
        if (m_seen)
            return;
        m_seen = true;
        if (painted)
            printMarkerIfAsked(); // the fallback is no paint: startup.sh must not count it
        if (m_then)
            m_then();
        deleteLater();
    }

    std::function<void()> m_then;
    bool m_seen = false;
};

} // namespace framecast::ui
