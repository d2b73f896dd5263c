// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/JobProgressView.h"

#include "jobs/Job.h"
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
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_etaTimer(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_dot);
    top->addWidget(m_connectionLabel, 1);
    top->addWidget(m_cancel);
    layout->addLayout(top);

    QFont big = m_step->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    m_step->setFont(big);
    m_step->setWordWrap(true);
    m_step->setAccessibleName(tr("Current step"));
    layout->addWidget(m_step);

    auto *bar = new QHBoxLayout;
    m_progress->setRange(0, 1000);
    m_progress->setAccessibleName(tr("Progress"));
    bar->addWidget(m_progress, 1);
    m_eta->setAccessibleName(tr("Time left"));
    m_eta->setMinimumWidth(m_eta->fontMetrics().horizontalAdvance(tr("ETA 59 min 59 s")));
    m_eta->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    bar->addWidget(m_eta);
    layout->addLayout(bar);

    m_log->setReadOnly(true);
    m_log->setAccessibleName(tr("Job log"));
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
            QScrollBar *sb = m_log->verticalScrollBar();
            const bool atBottom = sb->value() == sb->maximum();
            m_log->appendPlainText(entry.text());
            if (atBottom)
                sb->setValue(sb->maximum()); // newest at the bottom unless the user scrolled up
        });
        connect(job, &Job::logInserted, this, &JobProgressView::reloadLog);
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
    return m_log->toPlainText();
}

QString JobProgressView::streamedText() const
{
    return m_text->isVisibleTo(this) ? m_text->text() : QString();
}

void JobProgressView::reloadLog()
{
    m_log->clear();
    if (!m_job)
        return;
    QStringList lines;
    for (const Job::LogEntry &entry : m_job->log())
        lines << entry.text();
    m_log->setPlainText(lines.join(QLatin1Char('\n')));
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void JobProgressView::refresh()
{
    if (!m_job) {
        m_step->setText(tr("No job selected"));
        m_progress->setValue(0);
        m_eta->clear();
        m_cancel->setEnabled(false);
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
    m_connectionLabel->setText(m_dot->describe().section(QLatin1Char('\n'), 0, 0));
    if (m_job->isFinal())
        m_etaTimer->stop();
}

} // namespace framecast::ui
