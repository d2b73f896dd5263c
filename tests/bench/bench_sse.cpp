// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-bench-sse FILE [--chunk BYTES]
// Feeds FILE to the SSE parser in chunks (default 64 KiB) and prints one JSON
// line: {"events":…, "bytes":…, "seconds":…, "mb_per_s":…, "events_per_s":…,
// "data_bytes":…, "max_rss_kb":…}; with --repeat N the figures are those of
// the median of N passes. The file is read into memory first so that
// only parsing (including UTF-8 validation/decoding) is timed. With --stream
// it is read from disk chunk by chunk instead, so max_rss_kb shows what the
// parser itself holds (flat, whatever the file size).
#include "sse/SseParser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <vector>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Measures the SSE parser's throughput on a stream file."));
    cli.addHelpOption();
    cli.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A text/event-stream file."));
    const QCommandLineOption chunkOption(QStringLiteral("chunk"), QStringLiteral("Chunk size in bytes (default 65536)."),
                                         QStringLiteral("BYTES"), QStringLiteral("65536"));
    const QCommandLineOption repeatOption(QStringLiteral("repeat"), QStringLiteral("Parse the file N times and report the median pass (default 1)."),
                                          QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption streamOption(QStringLiteral("stream"),
                                          QStringLiteral("Read the file chunk by chunk (measures memory, includes I/O)."));
    cli.addOption(chunkOption);
    cli.addOption(repeatOption);
    cli.addOption(streamOption);
    cli.process(app);
    if (cli.positionalArguments().size() != 1)
        cli.showHelp(2);

    QFile file(cli.positionalArguments().constFirst());
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s: %s\n", qPrintable(file.fileName()), qPrintable(file.errorString()));
        return 1;
    }
    const bool streaming = cli.isSet(streamOption);
    const QByteArray input = streaming ? QByteArray() : file.readAll();
    const qsizetype chunk = qMax<qsizetype>(1, cli.value(chunkOption).toLongLong());
    const int repeat = streaming ? 1 : qMax(1, cli.value(repeatOption).toInt());

    qint64 events = 0;
    qint64 dataBytes = 0;
    framecast::sse::SseParser parser([&](const framecast::sse::SseEventView &e) {
        ++events;
        dataBytes += e.data.size();
    });
    QElapsedTimer timer;
    timer.start();
    qint64 streamed = 0;
    if (streaming) {
        QByteArray buffer(chunk, Qt::Uninitialized);
        qint64 n = 0;
        while ((n = file.read(buffer.data(), chunk)) > 0) {
            streamed += n;
            if (!parser.feed(QByteArrayView(buffer.constData(), n))) {
                std::fprintf(stderr, "parse error: %s\n", qPrintable(parser.errorString()));
                return 1;
            }
        }
        parser.finish();
    }
    std::vector<qint64> passNs; // memory mode: each pass timed, the median reported
    for (int r = 0; r < repeat && !streaming; ++r) {
        QElapsedTimer pass;
        pass.start();
        parser.reset();
        for (qsizetype off = 0; off < input.size(); off += chunk) {
            if (!parser.feed(QByteArrayView(input.constData() + off, qMin(chunk, input.size() - off)))) {
                std::fprintf(stderr, "parse error: %s\n", qPrintable(parser.errorString()));
                return 1;
            }
        }
        parser.finish();
        passNs.push_back(pass.nsecsElapsed());
    }
    double seconds = double(timer.nsecsElapsed()) / 1e9;
    double bytes = double(streamed);
    if (!streaming) {
        // The median pass: one slow pass (another process on the core) does
        // not move the figure. Events and data bytes are per pass too.
        std::sort(passNs.begin(), passNs.end());
        seconds = double(passNs[passNs.size() / 2]) / 1e9;
        bytes = double(input.size());
        events /= repeat;
        dataBytes /= repeat;
    }
    long maxRssKb = 0;
#ifdef Q_OS_UNIX
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    maxRssKb = usage.ru_maxrss;
#endif
    std::printf("{\"mode\":\"%s\",\"events\":%lld,\"bytes\":%.0f,\"seconds\":%.6f,\"mb_per_s\":%.1f,\"events_per_s\":%.0f,"
                "\"data_bytes\":%lld,\"chunk\":%lld,\"max_rss_kb\":%ld}\n",
                streaming ? "stream" : "memory", static_cast<long long>(events), bytes, seconds, bytes / 1e6 / seconds, double(events) / seconds,
                static_cast<long long>(dataBytes), static_cast<long long>(chunk), maxRssKb);
    return 0;
}
