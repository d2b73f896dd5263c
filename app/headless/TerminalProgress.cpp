// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/TerminalProgress.h"

#include "jobs/Job.h"
#include "security/Redaction.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

#ifdef Q_OS_WIN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <io.h>
#include <windows.h>
#else
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace framecast::headless {

namespace {

constexpr int kMinRedrawMs = 100; // at most ten redraws a second
constexpr int kEtaRedrawMs = 1000;

bool isTerminal(FILE *stream)
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stream)) != 0;
#else
    return isatty(fileno(stream)) != 0;
#endif
}

int charWidth(char32_t c)
{
    if (c == 0x200D || (c >= 0x200B && c <= 0x200F) || (c >= 0x0300 && c <= 0x036F) || (c >= 0x20D0 && c <= 0x20FF)
        || (c >= 0xFE00 && c <= 0xFE0F) || c >= 0xE0000)
        return 0; // joiners, combining marks, variation selectors
    // Wide: Hangul Jamo, CJK, fullwidth forms, and the symbols and emoji that
    // terminals draw two columns wide (counted wide when in doubt: a line
    // a column short is better than one that wraps).
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x231A && c <= 0x23FF) || (c >= 0x2600 && c <= 0x27BF)
        || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6)
        || (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return c < 0x20 ? 0 : 1;
}

QString elide(const QString &text, int width)
{
    if (TerminalProgress::displayWidth(text) <= width)
        return text;
    QString out;
    int used = 0;
    for (const char32_t c : text.toUcs4()) {
        const int w = charWidth(c);
        if (used + w > width - 1)
            break;
        used += w;
        out += QString::fromUcs4(&c, 1);
    }
    return out + QChar(0x2026);
}

QString etaText(double seconds)
{
    const long s = std::max(0L, std::lround(seconds));
    return s < 60 ? QStringLiteral("%1s").arg(s) : QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString tr(const char *text)
{
    return QCoreApplication::translate("framecast::headless::HeadlessRunner", text);
}

} // namespace

TerminalProgress::TerminalProgress(FILE *out)
    : m_out(out)
{
    m_tick.setInterval(kMinRedrawMs);
    QObject::connect(&m_tick, &QTimer::timeout, &m_tick, [this] {
        if (!m_job || m_job->isFinal()) {
            clear();
            m_tick.stop();
        } else if (m_sinceDraw.elapsed() >= (m_dirty ? kMinRedrawMs : kEtaRedrawMs)) {
            draw();
        }
    });
}

bool TerminalProgress::wanted(FILE *stream)
{
    return isTerminal(stream) && qEnvironmentVariableIsEmpty("CI") && qgetenv("TERM") != "dumb";
}

int TerminalProgress::columns(FILE *stream)
{
#ifdef Q_OS_WIN
    CONSOLE_SCREEN_BUFFER_INFO info;
    const auto handle = reinterpret_cast<HANDLE>(_get_osfhandle(_fileno(stream)));
    if (GetConsoleScreenBufferInfo(handle, &info))
        return info.srWindow.Right - info.srWindow.Left + 1;
#else
    winsize size{};
    if (ioctl(fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
#endif
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("COLUMNS", &ok);
    return ok && fromEnv > 0 ? fromEnv : 80;
}

int TerminalProgress::displayWidth(QStringView text)
{
    int width = 0;
    for (const char32_t c : text.toUcs4())
        width += charWidth(c);
    return width;
}

QString TerminalProgress::render(const Job &job, int columns)
{
    const int width = std::max(columns - 1, 20); // the last column would wrap on some terminals
    const double percent = std::clamp(job.percent(), 0.0, 100.0);
    const int barWidth = std::clamp(width / 5, 10, 30);
    const int filled = int(std::lround(percent / 100 * barWidth));
    QString line = QLatin1Char('[') + QString(filled, QChar(0x2588)) + QString(barWidth - filled, QChar(0x2591)) + QLatin1Char(']')
                   + QStringLiteral(" %1%").arg(std::lround(percent), 3);
    if (const auto eta = job.etaSeconds(); eta && !job.isFinal() && percent < 100)
        line += QStringLiteral("  ETA ") + etaText(*eta);
    QString step;
    if (job.step() > 0 && job.totalSteps() > 0 && job.step() <= job.totalSteps())
        step = QStringLiteral("%1/%2 ").arg(job.step()).arg(job.totalSteps());
    QString what = job.currentMessage();
    if (what.isEmpty())
        what = job.stepName();
    if (what.isEmpty())
        what = job.state() == Job::State::Submitting ? tr("Uploading…") : tr("Waiting for the server…");
    line += QStringLiteral("  ") + step + redaction::redact(what.simplified()); // a server's words, before they are cut
    return elide(line, width);
}

void TerminalProgress::update(const Job &job)
{
    m_job = &job;
    if (job.isFinal()) {
        clear(); // the summary takes its place
        m_tick.stop();
        m_job = nullptr;
        return;
    }
    m_dirty = true;
    if (!m_drawn || m_sinceDraw.elapsed() >= kMinRedrawMs)
        draw();
    if (!m_tick.isActive())
        m_tick.start();
}

void TerminalProgress::draw()
{
    m_dirty = false;
    if (!m_job)
        return;
    const QString text = render(*m_job, columns(m_out));
    if (m_drawn && text == m_lastText)
        return; // nothing new to show
    const int width = displayWidth(text);
    // Spaces over what the longer line before left behind; no escape codes,
    // so that every console (Windows' too) draws it.
    const QString padding(std::max(0, m_drawnWidth - width), QLatin1Char(' '));
    std::fprintf(m_out, "\r%s%s", text.toUtf8().constData(), padding.toUtf8().constData());
    std::fflush(m_out);
    m_drawn = true;
    m_drawnWidth = width;
    m_lastText = text;
    m_sinceDraw.start();
}

void TerminalProgress::clear()
{
    if (!m_drawn)
        return;
    std::fprintf(m_out, "\r%s\r", QByteArray(m_drawnWidth, ' ').constData());
    std::fflush(m_out);
    m_drawn = false;
    m_drawnWidth = 0;
}

void TerminalProgress::restore()
{
    if (m_job && !m_job->isFinal())
        draw();
}

} // namespace framecast::headless
