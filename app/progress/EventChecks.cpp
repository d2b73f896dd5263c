// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/EventChecks.h"

#include <QCoreApplication>

#include <cmath>

namespace framecast {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ProgressDecoder)
};
} // namespace

/// Replaces unpaired UTF-16 surrogates with U+FFFD. JSON may carry them (an
/// escape of half a pair), and an excerpt cut at 80 units may split a pair;
/// either way the text would not survive the trip to UTF-8 (log, ledger,
/// terminal).
void repairText(QString *s)
{
    const qsizetype n = s->size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = s->at(i);
        if (c.isHighSurrogate() && i + 1 < n && s->at(i + 1).isLowSurrogate())
            ++i;
        else if (c.isSurrogate())
            (*s)[i] = QChar::ReplacementCharacter;
    }
}

/// Holds every decoder to what ProgressEvent promises, whatever the server
/// sent: percent within 0..100 (clamped), ETA finite and >= 0, step >= 0,
/// total steps > 0, step at most total + 1 (videos-sse says "done" with step 9
/// of 8; past that the total is wrong and dropped), and valid text. Each
/// repair is a warning.
DecodeResult checkedEvent(DecodeResult result)
{
    if (result.event) {
        ProgressEvent &e = *result.event;
        if (e.percent && !(*e.percent >= 0 && *e.percent <= 100)) {
            result.warnings.append(Tr::tr("progress %1 is not within 0..100").arg(*e.percent));
            if (std::isfinite(*e.percent))
                e.percent = qBound(0.0, *e.percent, 100.0);
            else
                e.percent.reset();
        }
        if (e.etaSeconds && !(*e.etaSeconds >= 0 && std::isfinite(*e.etaSeconds))) {
            result.warnings.append(Tr::tr("ignored the estimated time %1 s").arg(*e.etaSeconds));
            e.etaSeconds.reset();
        }
        if (e.totalSteps && *e.totalSteps <= 0) {
            result.warnings.append(Tr::tr("ignored the step count %1").arg(*e.totalSteps));
            e.totalSteps.reset();
        }
        if (e.step && *e.step < 0) {
            result.warnings.append(Tr::tr("ignored the step number %1").arg(*e.step));
            e.step.reset();
        }
        if (e.step && e.totalSteps && qint64(*e.step) > qint64(*e.totalSteps) + 1) {
            result.warnings.append(Tr::tr("step %1 is past the step count %2; the count is ignored").arg(*e.step).arg(*e.totalSteps));
            e.totalSteps.reset();
        }
        for (QString *s : {&e.jobId, &e.stepName, &e.stage, &e.message, &e.textDelta, &e.videoUrl})
            repairText(s);
        if (e.text)
            repairText(&*e.text);
        if (e.error) {
            repairText(&e.error->code);
            repairText(&e.error->message);
        }
    }
    for (QString &w : result.warnings)
        repairText(&w);
    return result;
}

} // namespace framecast
