// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSize>
#include <QString>

namespace framecast {

/// What a job was asked to make: read by type on the job, in the ledger, in
/// the job list and the history, by Retry and by "Generate again".
struct JobParams
{
    QString prompt;
    QString imagePath; ///< the reference image as the user chose it
    int durationSeconds = 4;
    QSize size{1280, 720};
    QString model = QStringLiteral("sora-2");
    /// Where the finished video goes when the user asked for a place
    /// (headless `--output`); empty: the app's video archive.
    QString outputPath;

    friend bool operator==(const JobParams &a, const JobParams &b)
    {
        return a.prompt == b.prompt && a.imagePath == b.imagePath && a.durationSeconds == b.durationSeconds
               && a.size == b.size && a.model == b.model && a.outputPath == b.outputPath;
    }
    friend bool operator!=(const JobParams &a, const JobParams &b) { return !(a == b); }
};

} // namespace framecast
