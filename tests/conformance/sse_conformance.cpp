// SPDX-License-Identifier: GPL-3.0-or-later
//
// sse_conformance: runs the SSE parser over every case of a vectors file in the
// format of tests/data/sse-vectors-public.json (the default; see
// tests/data/sse-vectors.md), with every chunking the file gives
// plus byte-by-byte, every two-way split (inputs up to 4 KiB) and a few seeded
// random chunkings. Prints each failure with the case name and, as its last
// line, "N passed, M failed" (cases). Exits non-zero on any failure.
#include "sse/SseParser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cstdio>

using framecast::sse::SseEvent;
using framecast::sse::SseParser;

namespace {

struct Expected
{
    struct Event
    {
        QString type, data, lastEventId;
    };
    QList<Event> events;
    std::optional<qint64> retryMs;
    QString lastEventId;
};

QString show(const QString &s)
{
    QString out;
    for (const QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F || c.unicode() == 0xFEFF || c.unicode() == 0xFFFD)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out.size() > 120 ? out.left(117) + QStringLiteral("...") : out;
}

QString describeChunking(const QList<qsizetype> &chunks)
{
    QStringList parts;
    for (qsizetype c : chunks)
        parts << QString::number(c);
    QString s = parts.join(QLatin1Char(','));
    return s.size() > 60 ? s.left(57) + QStringLiteral("...") : s;
}

/// Runs one chunking; returns an empty string on success, else what differed.
QString runOnce(const QByteArray &input, const QList<qsizetype> &chunks, const Expected &expected)
{
    QList<SseEvent> got;
    SseParser parser([&got](const framecast::sse::SseEventView &e) { got.append(e.toEvent()); });
    qsizetype offset = 0;
    for (qsizetype len : chunks) {
        if (!parser.feed(QByteArrayView(input.constData() + offset, len)))
            return QStringLiteral("parser error: %1").arg(parser.errorString());
        offset += len;
    }
    parser.finish();

    if (got.size() != expected.events.size())
        return QStringLiteral("expected %1 events, got %2").arg(expected.events.size()).arg(got.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        const auto &e = expected.events.at(i);
        const SseEvent &g = got.at(i);
        if (g.typeText() != e.type)
            return QStringLiteral("event %1: type \"%2\", expected \"%3\"").arg(i).arg(show(g.typeText()), show(e.type));
        if (g.dataText() != e.data)
            return QStringLiteral("event %1: data \"%2\", expected \"%3\"").arg(i).arg(show(g.dataText()), show(e.data));
        if (QString::fromUtf8(g.lastEventId) != e.lastEventId)
            return QStringLiteral("event %1: last event id \"%2\", expected \"%3\"")
                .arg(i)
                .arg(show(QString::fromUtf8(g.lastEventId)), show(e.lastEventId));
    }
    if (parser.retryMs() != expected.retryMs)
        return QStringLiteral("retry %1, expected %2")
            .arg(parser.retryMs() ? QString::number(*parser.retryMs()) : QStringLiteral("null"),
                 expected.retryMs ? QString::number(*expected.retryMs) : QStringLiteral("null"));
    if (QString::fromUtf8(parser.lastEventId()) != expected.lastEventId)
        return QStringLiteral("final last event id \"%1\", expected \"%2\"")
            .arg(show(QString::fromUtf8(parser.lastEventId())), show(expected.lastEventId));
    return {};
}

QList<QList<qsizetype>> chunkingsFor(const QJsonObject &testCase, qsizetype size, QString *error)
{
    QList<QList<qsizetype>> all;
    for (const QJsonValue &chunking : testCase.value(QStringLiteral("chunkings")).toArray()) {
        QList<qsizetype> chunks;
        qsizetype sum = 0;
        for (const QJsonValue &len : chunking.toArray()) {
            chunks << qsizetype(len.toInteger(-1));
            sum += chunks.last();
            if (chunks.last() < 0) {
                *error = QStringLiteral("chunking has a negative or non-integer length");
                return {};
            }
        }
        if (sum != size) {
            *error = QStringLiteral("chunking [%1] sums to %2, input has %3 bytes")
                         .arg(describeChunking(chunks))
                         .arg(sum)
                         .arg(size);
            return {};
        }
        all << chunks;
    }
    // Our own chunkings on top of the file's.
    all << QList<qsizetype>{size};
    all << QList<qsizetype>(size, 1);
    if (size <= 4096) {
        for (qsizetype cut = 1; cut < size; ++cut)
            all << QList<qsizetype>{cut, size - cut};
    }
    QRandomGenerator rng(0xF4A3EC57u ^ quint32(size));
    for (int round = 0; round < 4; ++round) {
        QList<qsizetype> chunks;
        qsizetype left = size;
        while (left > 0) {
            const qsizetype len = qMin(left, qsizetype(rng.bounded(0, 17)));
            chunks << len;
            left -= len;
        }
        all << chunks;
    }
    return all;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Checks the SSE parser against a vectors file."));
    cli.addHelpOption();
    const QCommandLineOption vectorsOption(QStringLiteral("vectors"),
                                           QStringLiteral("Vectors file (default: %1).").arg(QStringLiteral(FRAMECAST_DEFAULT_VECTORS)),
                                           QStringLiteral("FILE"),
                                           QStringLiteral(FRAMECAST_DEFAULT_VECTORS));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"), QStringLiteral("Print every case."));
    cli.addOption(vectorsOption);
    cli.addOption(verboseOption);
    cli.process(app);

    QFile file(cli.value(vectorsOption));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s: %s\n", qPrintable(file.fileName()), qPrintable(file.errorString()));
        std::printf("0 passed, 1 failed\n");
        return 2;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isArray()) {
        std::fprintf(stderr, "%s is not a JSON array of cases: %s\n", qPrintable(file.fileName()),
                     qPrintable(parseError.errorString()));
        std::printf("0 passed, 1 failed\n");
        return 2;
    }

    int passed = 0;
    int failed = 0;
    qsizetype runs = 0;
    for (const QJsonValue &value : doc.array()) {
        const QJsonObject testCase = value.toObject();
        const QString name = testCase.value(QStringLiteral("name")).toString(QStringLiteral("(unnamed)"));
        const QByteArray input = QByteArray::fromBase64(testCase.value(QStringLiteral("input_b64")).toString().toLatin1());

        Expected expected;
        for (const QJsonValue &ev : testCase.value(QStringLiteral("expected_events")).toArray()) {
            const QJsonObject o = ev.toObject();
            expected.events.append({o.value(QStringLiteral("type")).toString(QStringLiteral("message")),
                                    o.value(QStringLiteral("data")).toString(),
                                    o.value(QStringLiteral("last_event_id")).toString()});
        }
        const QJsonValue retry = testCase.value(QStringLiteral("expected_retry_ms"));
        if (retry.isDouble())
            expected.retryMs = retry.toInteger();
        expected.lastEventId = testCase.value(QStringLiteral("expected_last_event_id")).toString();

        QString error;
        const auto chunkings = chunkingsFor(testCase, input.size(), &error);
        if (error.isEmpty()) {
            for (const auto &chunks : chunkings) {
                ++runs;
                error = runOnce(input, chunks, expected);
                if (!error.isEmpty()) {
                    error = QStringLiteral("chunking [%1]: %2").arg(describeChunking(chunks), error);
                    break;
                }
            }
        }
        if (error.isEmpty()) {
            ++passed;
            if (cli.isSet(verboseOption))
                std::printf("PASS %s (%lld chunkings)\n", qPrintable(name), static_cast<long long>(chunkings.size()));
        } else {
            ++failed;
            std::printf("FAIL %s: %s\n", qPrintable(name), qPrintable(error));
        }
    }
    std::printf("%lld runs over %d cases from %s\n", static_cast<long long>(runs), passed + failed,
                qPrintable(file.fileName()));
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
