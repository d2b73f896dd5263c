// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/HeadlessOutput.h"

#include "headless/TerminalProgress.h"
#include "security/Redaction.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>

#include <cmath>

namespace framecast::headless {

namespace {

QJsonValue orNull(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}
QJsonValue orNull(const std::optional<int> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}
QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QString humanBytes(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
    if (bytes >= 1024)
        return QStringLiteral("%1 KB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QStringLiteral("%1 bytes").arg(bytes);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("framecast::headless::HeadlessRunner", text);
}

/// The JSON `connection` states: the dot's names, except that a stream that
/// gave up is "closed" too, and an idle one is not reported.
QString jsonConnectionState(ConnectionState state)
{
    if (state == ConnectionState::Idle)
        return {};
    return state == ConnectionState::Failed ? connectionStateName(ConnectionState::Closed) : connectionStateName(state);
}

} // namespace

HeadlessOutput::HeadlessOutput(FILE *out, FILE *err, bool json, bool quiet, std::optional<bool> live)
    : m_out(out)
    , m_err(err)
    , m_json(json)
    , m_quiet(quiet)
{
    if (!json && !quiet && live.value_or(TerminalProgress::wanted(out)))
        m_live = std::make_unique<TerminalProgress>(out);
}

HeadlessOutput::~HeadlessOutput()
{
    if (m_live)
        m_live->clear();
}

void HeadlessOutput::write(FILE *stream, const QString &text)
{
    // A line above the live one (stderr too: in a terminal it is the same screen).
    if (m_live)
        m_live->clear();
    // The one way out: every line passes the redaction point.
    std::fprintf(stream, "%s\n", redaction::redact(text).toUtf8().constData());
    std::fflush(stream);
    if (m_live)
        m_live->restore();
}

void HeadlessOutput::line(const QString &text)
{
    if (!m_json && !m_quiet)
        write(m_out, text);
}

void HeadlessOutput::result(const QString &text)
{
    if (!m_json)
        write(m_out, text);
}

void HeadlessOutput::event(const QJsonObject &object)
{
    if (m_json)
        write(m_out, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

void HeadlessOutput::error(const QString &message)
{
    if (!message.isEmpty())
        write(m_err, QStringLiteral("framecast: ") + message);
}

void HeadlessOutput::warning(const QString &message)
{
    event({{QStringLiteral("event"), QStringLiteral("warning")}, {QStringLiteral("message"), message}});
    line(QStringLiteral("⚠ ") + message);
}

void HeadlessOutput::signIn(const QString &provider, const QUrl &url, bool browserOpened)
{
    const QString address = url.toString(QUrl::FullyEncoded);
    if (m_json) {
        event({{QStringLiteral("event"), QStringLiteral("sign_in")},
               {QStringLiteral("url"), address},
               {QStringLiteral("provider"), provider}});
        return;
    }
    write(m_err, browserOpened ? tr("framecast: sign in with %1 in the browser that opened, or open %2").arg(provider, address)
                               : tr("framecast: to sign in with %1, open %2").arg(provider, address));
}

void HeadlessOutput::resume(int jobs)
{
    line(jobs == 0 ? tr("Nothing to resume") : QCoreApplication::translate("framecast::headless::HeadlessRunner", "Resuming %n job(s)", nullptr, jobs));
    event({{QStringLiteral("event"), QStringLiteral("resume")}, {QStringLiteral("jobs"), jobs}});
}

void HeadlessOutput::connection(const Job &job, const QString &dialect)
{
    const ConnectionStatus &c = job.connection();
    const QString state = jsonConnectionState(c.state);
    if (state.isEmpty())
        return;
    const QString key = job.id() + state + QString::number(c.attempt);
    if (key == m_lastConnection)
        return;
    m_lastConnection = key;
    event({{QStringLiteral("event"), QStringLiteral("connection")},
           {QStringLiteral("state"), state},
           {QStringLiteral("dialect"), dialect},
           {QStringLiteral("attempt"), c.attempt}});
    if (c.state == ConnectionState::Connected)
        line(tr("● connected (%1)").arg(dialect));
    else if (c.state == ConnectionState::Reconnecting)
        line(tr("↻ reconnecting (attempt %1)%2").arg(c.attempt).arg(c.lastError.isEmpty() ? QString() : QStringLiteral(": ") + c.lastError));
}

void HeadlessOutput::progress(const Job &job, const ProgressEvent &e)
{
    if (m_live)
        m_live->update(job); // percent and ETA move between steps too
    const bool onlyText = (e.text || !e.textDelta.isEmpty()) && e.status == JobStatus::Unknown && !e.percent
                          && e.message.isEmpty() && e.videoUrl.isEmpty() && !e.error;
    if (onlyText)
        return; // streamed text goes out as "text" events, throttled
    event({{QStringLiteral("event"), QStringLiteral("progress")},
           {QStringLiteral("job"), job.id()},
           {QStringLiteral("status"), e.status == JobStatus::Unknown ? QJsonValue() : QJsonValue(jobStatusName(e.status))},
           {QStringLiteral("step"), orNull(e.step)},
           {QStringLiteral("total_steps"), orNull(e.totalSteps)},
           {QStringLiteral("percent"), orNull(e.percent)},
           {QStringLiteral("eta_s"), orNull(e.etaSeconds)},
           {QStringLiteral("stage"), orNull(e.stage)},
           {QStringLiteral("message"), orNull(e.message)}});
}

void HeadlessOutput::logLine(const Job &job, const Job::LogEntry &entry, bool late)
{
    if (m_live) {
        m_live->update(job); // the live line shows the step
        return;
    }
    QString text = entry.step >= 0 && job.totalSteps() > 0 && entry.step <= job.totalSteps()
                       ? QStringLiteral("[%1/%2] %3").arg(entry.step).arg(job.totalSteps()).arg(entry.message)
                       : entry.text();
    if (late) {
        text += tr("  (late)"); // a step that arrived after a later one
    } else {
        text += QStringLiteral("  %1%").arg(std::lround(job.percent()));
        if (const auto eta = job.etaSeconds())
            text += QStringLiteral("  ETA %1s").arg(std::lround(*eta));
    }
    line(text);
}

void HeadlessOutput::text(const Job &job, bool force)
{
    if (!m_json)
        return;
    const QString text = job.streamedText();
    if (text == m_lastText || (!force && text.isEmpty()))
        return;
    m_lastText = text;
    event({{QStringLiteral("event"), QStringLiteral("text")}, {QStringLiteral("job"), job.id()}, {QStringLiteral("text"), text}});
}

void HeadlessOutput::completed(const Job &job, const QString &videoUrl, const QString &file, qint64 bytes)
{
    event({{QStringLiteral("event"), QStringLiteral("completed")},
           {QStringLiteral("job"), job.id()},
           {QStringLiteral("video_url"), videoUrl},
           {QStringLiteral("file"), file},
           {QStringLiteral("bytes"), bytes}});
    result(tr("✔ Saved %1 (%2)").arg(QDir::toNativeSeparators(file), humanBytes(bytes)));
}

void HeadlessOutput::failed(const QString &jobId, const QString &code, const QString &message, bool retryable)
{
    event({{QStringLiteral("event"), QStringLiteral("failed")},
           {QStringLiteral("job"), jobId.isEmpty() ? QJsonValue() : QJsonValue(jobId)},
           {QStringLiteral("code"), orNull(code)},
           {QStringLiteral("message"), message},
           {QStringLiteral("retryable"), retryable}});
}

} // namespace framecast::headless
