// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <cstdio>

namespace framecast {
class Job;
}

namespace framecast::headless {

/// The one live progress line of `framecast --headless` in a terminal:
/// a bar, percent, ETA and the current step, redrawn in place with `\r`,
/// cut to the terminal's width, at most ten times a second (and once a
/// second for the ETA). Other lines are printed above it (clear, print,
/// redraw); when the job ends the line is cleared and the summary follows.
class TerminalProgress final
{
public:
    explicit TerminalProgress(FILE *out);
    Q_DISABLE_COPY_MOVE(TerminalProgress)

    /// Whether `stream` gets the live line: a terminal, not in CI (`CI` set)
    /// and not a dumb one (`TERM=dumb`).
    static bool wanted(FILE *stream);
    /// The terminal's width in columns (`COLUMNS`, else 80, when it says none).
    static int columns(FILE *stream);
    /// The line for `job`, at most `columns - 1` columns wide.
    static QString render(const Job &job, int columns);
    /// Columns `text` takes in a terminal (wide CJK and emoji count two).
    static int displayWidth(QStringView text);

    /// The job moved: redraw (now, or within 100 ms). An ended job clears the line.
    void update(const Job &job);
    /// Removes the line (before other output, or for good).
    void clear();
    /// Draws it again after other output.
    void restore();
    bool drawn() const { return m_drawn; }

private:
    void draw();

    FILE *m_out;
    QPointer<const Job> m_job;
    QTimer m_tick;
    QElapsedTimer m_sinceDraw;
    bool m_dirty = false;
    bool m_drawn = false;
    int m_drawnWidth = 0;
    QString m_lastText;
};

} // namespace framecast::headless
