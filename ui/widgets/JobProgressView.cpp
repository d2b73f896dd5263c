// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/JobProgressView.h"

#include "jobs/Job.h"
#include "progress/Dialect.h"
#include "progress/ProgressDecoder.h"
#include "style/Style.h"
#include "widgets/ConnectionDot.h"

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include <QHash>
#include <QTextDocument>

#include <cmath>

namespace framecast::ui {

JobProgressView::JobProgressView(QWidget *parent)
    : QWidget(parent)
    , m_dot(new ConnectionDot(this))
    , m_connectionLabel(new QLabel(this))
    , m_step(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_eta(new QLabel(this))
    , m_log(new QPlainTextEdit(this))
    , m_text(new QLabel(this))
    , m_pipeline(new QWidget(this))
    , m_download(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_timings(new QPushButton(tr("Timings"), this))
    , m_etaTimer(new QTimer(this))
    , m_logFrame(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_dot);
    style::setMuted(m_connectionLabel);
    top->addWidget(m_connectionLabel, 1);
    m_timings->setCheckable(true);
    m_timings->setAccessibleName(tr("Show step timings"));
    m_timings->setToolTip(tr("Show how long each step took"));
    top->addWidget(m_timings);
    m_retry->setAccessibleName(tr("Retry the job"));
    m_retry->hide();
    top->addWidget(m_retry);
    top->addWidget(m_cancel);
    layout->addLayout(top);
    connect(m_timings, &QPushButton::toggled, this, &JobProgressView::setShowTimings);
    connect(m_retry, &QPushButton::clicked, this, [this] {
        if (m_job)
            Q_EMIT retryRequested(m_job);
    });

    style::setTextRole(m_step, style::TextRole::Title);
    m_step->setWordWrap(true);
    m_step->setAccessibleName(tr("Current step"));
    layout->addWidget(m_step);

    auto *bar = new QHBoxLayout;
    // stages-sse: the five stages as a pipeline.
    auto *pipeline = new QHBoxLayout(m_pipeline);
    pipeline->setContentsMargins(0, 0, 0, 0);
    for (const QString &stage : stagesSseStageNames()) {
        auto *label = new QLabel(stageLabel(stage), m_pipeline);
        label->setObjectName(stage);
        label->setAlignment(Qt::AlignCenter);
        label->setAccessibleName(tr("Stage %1").arg(stage));
        pipeline->addWidget(label, 1);
        m_stages << label;
    }
    m_pipeline->hide();
    layout->addWidget(m_pipeline);
    m_progress->setRange(0, 1000);
    m_progress->setAccessibleName(tr("Progress"));
    bar->addWidget(m_progress, 1);
    m_eta->setAccessibleName(tr("Time left"));
    style::setMuted(m_eta);
    m_eta->setMinimumWidth(m_eta->fontMetrics().horizontalAdvance(tr("ETA 59 min 59 s")));
    m_eta->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    bar->addWidget(m_eta);
    layout->addLayout(bar);

    m_log->setReadOnly(true);
    m_log->setAccessibleName(tr("Job log"));
    m_log->setObjectName(QStringLiteral("jobLog"));
    // The view keeps what the job keeps (its newest lines), not every line ever.
    m_log->setMaximumBlockCount(Job::kMaxLogLines);
    m_logFrame->setSingleShot(true);
    m_logFrame->setInterval(16); // one frame at 60 Hz
    connect(m_logFrame, &QTimer::timeout, this, &JobProgressView::flushLog);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    // Exactly the last five lines visible; older ones a scroll away.
    const QFontMetrics fm(m_log->font());
    const int margins = 2 * (m_log->frameWidth() + int(std::ceil(m_log->document()->documentMargin())));
    m_log->setFixedHeight(fm.lineSpacing() * Job::kVisibleLogLines + margins + 2);
    layout->addWidget(m_log);
    // The prompt rewrite as an LLM streams it (stages-sse), token by token.
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setAccessibleName(tr("Rewritten prompt"));
    m_text->setStyleSheet(QStringLiteral("font-style: italic; padding: 4px;"));
    m_text->hide();
    layout->addWidget(m_text);
    m_download->setAccessibleName(tr("Download"));
    m_download->hide();
    layout->addWidget(m_download);
    layout->addStretch(1);

    m_cancel->setAccessibleName(tr("Cancel job"));
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            Q_EMIT cancelRequested(m_job->id());
    });
    m_etaTimer->setInterval(1000);
    m_etaTimer->setTimerType(Qt::CoarseTimer);
    connect(m_etaTimer, &QTimer::timeout, this, &JobProgressView::refresh);
    refresh();
}

void JobProgressView::setJob(Job *job)
{
    if (m_job)
        m_job->disconnect(this);
    m_job = job;
    if (job) {
        connect(job, &Job::changed, this, &JobProgressView::refresh);
        connect(job, &Job::logAppended, this, [this](const Job::LogEntry &entry) {
            // Lines are added once a frame, however fast they come.
            m_pendingLog << entry.text();
            if (m_pendingLog.size() > Job::kMaxLogLines)
                m_pendingLog.remove(0, m_pendingLog.size() - Job::kMaxLogLines);
            if (!m_logFrame->isActive())
                m_logFrame->start();
        });
        connect(job, &Job::logInserted, this, &JobProgressView::reloadLog);
        connect(job, &Job::finished, this, [this] {
            if (m_timings->isChecked())
                reloadLog(); // the last step's duration is known now
        });
        connect(job, &Job::textChanged, this, [this](const QString &text) {
            m_text->setText(tr("✍️ %1").arg(text.right(600)));
            m_text->setVisible(!text.isEmpty());
        });
        connect(job, &Job::connectionChanged, this, [this](const ConnectionStatus &status) {
            m_dot->setStatus(status);
            refresh();
        });
        m_dot->setStatus(job->connection());
        m_etaTimer->start();
    } else {
        m_etaTimer->stop();
    }
    m_download->hide();
    reloadLog();
    const QString text = job ? job->streamedText() : QString();
    m_text->setText(text.isEmpty() ? QString() : tr("✍️ %1").arg(text.right(600)));
    m_text->setVisible(!text.isEmpty());
    refresh();
}

QString JobProgressView::stepText() const
{
    return m_step->text();
}

QString JobProgressView::etaText() const
{
    return m_eta->text();
}

QString JobProgressView::logText() const
{
    const_cast<JobProgressView *>(this)->flushLog(); // what is shown, or will be within a frame
    return m_log->toPlainText();
}

void JobProgressView::setDownloadProgress(qint64 received, qint64 total)
{
    if (received < 0) {
        m_download->hide();
        return;
    }
    const double mb = double(received) / (1024 * 1024);
    m_download->setText(total > 0 ? tr("⬇ Downloading the video… %1 of %2 MB").arg(mb, 0, 'f', 1).arg(double(total) / (1024 * 1024), 0, 'f', 1)
                                  : tr("⬇ Downloading the video… %1 MB").arg(mb, 0, 'f', 1));
    m_download->show();
}

QString JobProgressView::pipelineText() const
{
    if (m_pipeline->isHidden())
        return {};
    QStringList parts;
    for (const QLabel *label : m_stages)
        parts << label->objectName() + label->property("mark").toString();
    return parts.join(QLatin1Char(' '));
}

QString JobProgressView::streamedText() const
{
    return m_text->isVisibleTo(this) ? m_text->text() : QString();
}

void JobProgressView::setShowTimings(bool show)
{
    if (m_timings->isChecked() != show)
        m_timings->setChecked(show);
    reloadLog();
}

void JobProgressView::flushLog()
{
    m_logFrame->stop();
    if (m_pendingLog.isEmpty())
        return;
    QScrollBar *sb = m_log->verticalScrollBar();
    const bool atBottom = sb->value() == sb->maximum();
    m_log->appendPlainText(m_pendingLog.join(QLatin1Char('\n')));
    m_pendingLog.clear();
    if (atBottom)
        sb->setValue(sb->maximum()); // newest at the bottom unless the user scrolled up
}

void JobProgressView::reloadLog()
{
    m_logFrame->stop();
    m_pendingLog.clear();
    m_log->clear();
    if (!m_job)
        return;
    // Per-step durations, from the job's own timing of each step.
    QHash<int, qint64> durations;
    for (const Job::StepTiming &t : m_job->stepTimings())
        durations.insert(t.step, t.durationMs);
    QStringList lines;
    for (const Job::LogEntry &entry : m_job->log()) {
        QString line = entry.text();
        if (m_timings->isChecked() && durations.value(entry.step, -1) >= 0)
            line += QStringLiteral("  (%1 s)").arg(double(durations.value(entry.step)) / 1000.0, 0, 'f', 1);
        lines << line;
    }
    m_log->setPlainText(lines.join(QLatin1Char('\n')));
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void JobProgressView::refresh()
{
    if (!m_job) {
        m_step->setText(tr("No job selected"));
        m_progress->setValue(0);
        m_progress->setFormat(QStringLiteral("0%"));
        m_dot->setStatus(ConnectionStatus{});
        m_eta->clear();
        m_cancel->setEnabled(false);
        m_retry->hide();
        m_pipeline->hide();
        m_connectionLabel->clear();
        return;
    }
    m_step->setText(m_job->currentMessage().isEmpty() ? tr("Waiting for the server…") : m_job->currentMessage());
    m_progress->setValue(int(std::lround(m_job->percent() * 10)));
    m_progress->setFormat(QStringLiteral("%1%").arg(m_job->percent(), 0, 'f', 0));
    const auto eta = m_job->etaSeconds();
    if (!eta) {
        m_eta->clear();
    } else {
        const long seconds = std::lround(*eta);
        m_eta->setText(seconds >= 60 ? tr("ETA %1 min %2 s").arg(seconds / 60).arg(seconds % 60)
                                     : tr("ETA %1 s").arg(seconds));
    }
    m_cancel->setEnabled(!m_job->isFinal());
    // The pipeline for jobs that report stages: done, current, to come.
    const int current = int(stagesSseStageNames().indexOf(m_job->stage()));
    m_pipeline->setVisible(current >= 0);
    for (int i = 0; i < m_stages.size(); ++i) {
        const bool done = i < current || m_job->state() == Job::State::Completed;
        const bool now = i == current && !done;
        const QString mark = done ? QStringLiteral(">") : now ? QStringLiteral("*") : QString();
        if (m_stages[i]->property("mark").toString() == mark && !m_stages[i]->styleSheet().isEmpty())
            continue; // a style sheet costs a re-polish: only when the mark changes
        m_stages[i]->setProperty("mark", mark);
        m_stages[i]->setStyleSheet(done  ? QStringLiteral("background:#dcfce7;color:#14532d;border-radius:4px;padding:3px;")
                                   : now ? QStringLiteral("background:#dbeafe;color:#1e3a8a;border-radius:4px;padding:3px;font-weight:bold;")
                                         : QStringLiteral("color:palette(mid);padding:3px;"));
    }
    m_retry->setVisible(m_job->state() == Job::State::Failed && m_job->error() && m_job->error()->retryable);
    m_connectionLabel->setText(m_dot->describe().section(QLatin1Char('\n'), 0, 0));
    if (m_job->isFinal())
        m_etaTimer->stop();
}

} // namespace framecast::ui
