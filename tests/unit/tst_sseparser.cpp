// SPDX-License-Identifier: GPL-3.0-or-later
// What the shared vectors do not cover: the limits of PROTOCOL.md §5, UTF-8
// edge cases, reconnect (reset) semantics, and chunking independence on
// streams we generate.
#include "sse/SseParser.h"

#include <QRandomGenerator>
#include <QTest>

using framecast::sse::SseEvent;
using framecast::sse::SseLimits;
using framecast::sse::SseParser;

namespace {

struct Collected
{
    QList<SseEvent> events;
    SseParser parser;
    explicit Collected(SseLimits limits = {})
        : parser([this](const framecast::sse::SseEventView &e) { events.append(e.toEvent()); }, limits)
    {
    }
};

QList<SseEvent> parseAll(const QByteArray &input, const QList<qsizetype> &chunks = {})
{
    Collected c;
    qsizetype offset = 0;
    for (qsizetype len : chunks) {
        c.parser.feed(QByteArrayView(input.constData() + offset, len));
        offset += len;
    }
    c.parser.feed(QByteArrayView(input.constData() + offset, input.size() - offset));
    c.parser.finish();
    return c.events;
}

/// Feeds `input` in chunks of random sizes in [minLen, maxLen); true when
/// every feed succeeded.
bool feedInRandomChunks(SseParser &parser, const QByteArray &input, QRandomGenerator &rng, int minLen, int maxLen)
{
    bool ok = true;
    qsizetype offset = 0;
    while (offset < input.size()) {
        const qsizetype len = qMin<qsizetype>(input.size() - offset, rng.bounded(minLen, maxLen));
        ok = parser.feed(QByteArrayView(input.constData() + offset, len)) && ok;
        offset += len;
    }
    parser.finish();
    return ok;
}

} // namespace

class TestSseParser final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lineAtLimitIsAccepted()
    {
        SseLimits limits;
        limits.maxLineBytes = 1024;
        Collected c(limits);
        const QByteArray line = "data:" + QByteArray(1024 - 5, 'a');
        QVERIFY(c.parser.feed(QByteArray(line + "\n\n")));
        QCOMPARE(c.events.size(), 1);
        QCOMPARE(c.events.first().data.size(), 1024 - 5);
    }

    void lineOverLimitIsAnErrorInOneChunk()
    {
        Collected c; // default 1 MiB
        const QByteArray line = "data:" + QByteArray((1 << 20) - 4, 'a'); // 1 MiB + 1
        QVERIFY(!c.parser.feed(QByteArray(line + "\n\n")));
        QCOMPARE(c.parser.error(), SseParser::Error::LineTooLong);
        QVERIFY(!c.parser.errorString().isEmpty());
        QCOMPARE(c.events.size(), 0);
    }

    void lineOverLimitIsDetectedBeforeItEnds()
    {
        // A line that never ends must not be buffered without bound: the error
        // comes as soon as the pending line passes the limit, in small chunks.
        SseLimits limits;
        limits.maxLineBytes = 4096;
        Collected c(limits);
        QVERIFY(c.parser.feed("data: "));
        bool ok = true;
        int fed = 0;
        while (ok && fed < 100) {
            ok = c.parser.feed(QByteArray(100, 'x'));
            ++fed;
        }
        QVERIFY(!ok);
        QCOMPARE(c.parser.error(), SseParser::Error::LineTooLong);
        QVERIFY(fed <= 41); // 4096 / 100 + 1
        // Once failed, input is ignored until reset().
        QVERIFY(!c.parser.feed("\n\ndata: x\n\n"));
        QCOMPARE(c.events.size(), 0);
        c.parser.reset();
        QVERIFY(c.parser.feed("data: after\n\n"));
        QCOMPARE(c.events.size(), 1);
        QCOMPARE(c.events.first().data, QByteArray("after"));
    }

    void tenMegabyteLineInSmallChunks()
    {
        Collected c;
        const QByteArray chunk(64 * 1024, 'z');
        QVERIFY(c.parser.feed("data: "));
        bool ok = true;
        qint64 fed = 0;
        while (ok && fed < 10 * 1024 * 1024) {
            ok = c.parser.feed(chunk);
            fed += chunk.size();
        }
        QVERIFY(!ok);
        QCOMPARE(c.parser.error(), SseParser::Error::LineTooLong);
        QVERIFY(fed <= (1 << 20) + chunk.size());
    }

    void eventOverLimitIsAnError()
    {
        SseLimits limits;
        limits.maxEventBytes = 1000;
        Collected c(limits);
        QByteArray input;
        for (int i = 0; i < 20; ++i)
            input += "data: " + QByteArray(60, char('a' + i)) + '\n';
        input += '\n';
        QVERIFY(!c.parser.feed(input));
        QCOMPARE(c.parser.error(), SseParser::Error::EventTooLarge);
        QCOMPARE(c.events.size(), 0);
    }

    void eventJustUnderLimitIsDispatched()
    {
        SseLimits limits;
        limits.maxEventBytes = 1000;
        Collected c(limits);
        QByteArray input;
        for (int i = 0; i < 10; ++i)
            input += "data: " + QByteArray(99, 'q') + '\n'; // 10 x (99 + LF) = 1000
        input += '\n';
        QVERIFY(c.parser.feed(input));
        QCOMPARE(c.events.size(), 1);
        QCOMPARE(c.events.first().data.size(), 999);
    }

    void eventLimitCountsDecodedBytes()
    {
        // Found by the fuzzer: each invalid byte decodes to U+FFFD (three
        // bytes), so 400 raw bytes can become 1200; the limit is on what is kept.
        SseLimits limits;
        limits.maxEventBytes = 1000;
        Collected c(limits);
        const QByteArray input = "data: " + QByteArray(400, '\xFF') + "\n\n";
        QVERIFY(!c.parser.feed(input));
        QCOMPARE(c.parser.error(), SseParser::Error::EventTooLarge);
        QCOMPARE(c.events.size(), 0);
    }

    void defaultLimitsFollowTheProtocol()
    {
        const SseLimits limits;
        QCOMPARE(limits.maxLineBytes, qsizetype(1024 * 1024));
        QCOMPARE(limits.maxEventBytes, qsizetype(8 * 1024 * 1024));
    }

    void utf8_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("expected");
        const QString r = QString(QChar(0xFFFD));
        QTest::newRow("ascii") << QByteArray("plain") << QStringLiteral("plain");
        QTest::newRow("emoji") << QByteArray("\xF0\x9F\x8E\x89 ok") << QStringLiteral("🎉 ok");
        QTest::newRow("lone continuation") << QByteArray("a\x80z") << (QStringLiteral("a") + r + QStringLiteral("z"));
        QTest::newRow("overlong 2-byte") << QByteArray("\xC0\xAF") << (r + r);
        QTest::newRow("overlong 3-byte E0 80") << QByteArray("\xE0\x80\xAF") << (r + r + r);
        QTest::newRow("surrogate ED A0 80") << QByteArray("\xED\xA0\x80") << (r + r + r);
        QTest::newRow("truncated 3-byte") << QByteArray("\xE2\x82x") << (r + QStringLiteral("x"));
        QTest::newRow("truncated 4-byte") << QByteArray("\xF0\x9F\x8E!") << (r + QStringLiteral("!"));
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << (r + r + r + r);
        QTest::newRow("F5 lead") << QByteArray("\xF5\x80") << (r + r);
        QTest::newRow("FF byte") << QByteArray("\xFF") << r;
        QTest::newRow("max code point") << QByteArray("\xF4\x8F\xBF\xBF") << QString::fromUcs4(U"\U0010FFFF");
        QTest::newRow("truncated at end") << QByteArray("ok\xE2\x82") << (QStringLiteral("ok") + r);
    }

    void utf8()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, expected);
        const QByteArray input = "data: " + value + "\n\n";
        // Every single cut must give the same result (a sequence split across chunks).
        for (qsizetype cut = 0; cut <= input.size(); ++cut) {
            const auto events = parseAll(input, {cut});
            QCOMPARE(events.size(), 1);
            QCOMPARE(events.first().dataText(), expected);
            QVERIFY(framecast::sse::utf8::isValid(events.first().data.constData(), events.first().data.size()));
        }
    }

    void bomOnlyAtStreamStartAndAgainAfterReset()
    {
        Collected c;
        QVERIFY(c.parser.feed("\xEF\xBB\xBF"
                              "data: 1\n\n\xEF\xBB\xBF"
                              "data: 2\n\n"));
        QCOMPARE(c.events.size(), 1); // the second BOM spoils its field name
        c.parser.reset();             // a new response body starts at byte 0 again
        QVERIFY(c.parser.feed("\xEF\xBB"));
        QVERIFY(c.parser.feed("\xBF"
                              "data: 3\n\n"));
        QCOMPARE(c.events.size(), 2);
        QCOMPARE(c.events.last().data, QByteArray("3"));
    }

    void resetKeepsLastEventIdAndRetry()
    {
        Collected c;
        QVERIFY(c.parser.feed("retry: 2500\nid: 7\ndata: a\n\nid: 8\ndata: half"));
        c.parser.reset(); // connection dropped mid-event
        QCOMPARE(c.parser.lastEventId(), QByteArray("7"));
        QCOMPARE(c.parser.retryMs(), std::optional<qint64>(2500));
        QVERIFY(c.parser.feed("data: b\n\n"));
        QCOMPARE(c.events.size(), 2);
        QCOMPARE(c.events.last().data, QByteArray("b")); // "half" was dropped
        QCOMPARE(c.events.last().lastEventId, QByteArray("7"));
        c.parser.clear();
        QCOMPARE(c.parser.lastEventId(), QByteArray());
        QCOMPARE(c.parser.retryMs(), std::nullopt);
    }

    void retryOverflowSaturates()
    {
        Collected c;
        QVERIFY(c.parser.feed("retry: 99999999999999999999999999\n\n"));
        QVERIFY(c.parser.retryMs().has_value());
        QVERIFY(*c.parser.retryMs() > 0);
    }

    void chunkingIndependence()
    {
        // A mixed stream (CR, LF, CRLF, comments, ids, emoji) cut at random points.
        QByteArray input;
        for (int i = 0; i < 200; ++i) {
            const char *eol = (i % 3 == 0) ? "\r\n" : (i % 3 == 1 ? "\n" : "\r");
            input += QByteArray(": keep-alive") + eol;
            input += "id: " + QByteArray::number(i) + eol;
            input += "event: step" + QByteArray::number(i % 4) + eol;
            input += "data: {\"step\":" + QByteArray::number(i) + ",\"message\":\"\xF0\x9F\xA4\x96 Calling\"}" + eol;
            input += "data: second line" + QByteArray(eol) + eol;
        }
        const QList<SseEvent> reference = parseAll(input);
        QCOMPARE(reference.size(), 200);
        QRandomGenerator rng(42);
        for (int round = 0; round < 50; ++round) {
            Collected c;
            feedInRandomChunks(c.parser, input, rng, 0, 40);
            QCOMPARE(c.events.size(), reference.size());
            for (qsizetype i = 0; i < reference.size(); ++i) {
                QCOMPARE(c.events.at(i).data, reference.at(i).data);
                QCOMPARE(c.events.at(i).type, reference.at(i).type);
                QCOMPARE(c.events.at(i).lastEventId, reference.at(i).lastEventId);
            }
        }
    }

    void shortIdsAtEveryLengthAndPlace()
    {
        // IDs of up to 16 bytes are read as two words: in place when sixteen
        // bytes lie in the chunk, byte by byte near its end. Every length,
        // ASCII, UTF-8 and with a NUL (ignored: the ID before stays), both ways.
        QByteArray input;
        QList<QByteArray> expected;
        QByteArray current;
        for (int length = 0; length <= 20; ++length) {
            const QByteArray ascii = QByteArray("0123456789abcdefghij").left(length);
            QByteArray utf8 = QByteArray("\xC3\xA9").repeated((length + 1) / 2).left(length & ~1);
            QByteArray withNul = ascii;
            if (length > 0)
                withNul[length - 1] = '\0';
            for (const QByteArray &id : {ascii, utf8, withNul}) {
                input += "id: " + id + "\ndata: x\n\n";
                if (!id.contains('\0'))
                    current = id;
                expected << current;
            }
        }
        const auto check = [&](const QList<SseEvent> &events) {
            QCOMPARE(events.size(), expected.size());
            for (qsizetype i = 0; i < expected.size(); ++i)
                QCOMPARE(events.at(i).lastEventId, expected.at(i));
        };
        check(parseAll(input)); // one chunk: in place
        // Each `id:` line the last of its chunk: no sixteen bytes after it.
        QList<qsizetype> cuts;
        qsizetype from = 0;
        for (qsizetype at = input.indexOf("\ndata:"); at >= 0; at = input.indexOf("\ndata:", at + 1)) {
            cuts << at + 1 - from;
            from = at + 1;
        }
        check(parseAll(input, cuts));
    }

    void dataLinesAcrossChunksMatchOneChunk()
    {
        // Data lines longer than a chunk go straight into the event's buffer
        // (one copy): split anywhere, even inside a UTF-8 sequence, next to
        // invalid bytes, with several data lines and any line end, the events
        // must be the ones a single chunk gives.
        QByteArray input;
        for (int i = 0; i < 60; ++i) {
            const char *eol = (i % 3 == 0) ? "\r\n" : (i % 3 == 1 ? "\n" : "\r");
            QByteArray text = QByteArray::number(i) + " \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x8E\xAC ";
            if (i % 4 == 0)
                text += "broken \xE2\x82 and \xFF here ";
            input += "id: " + QByteArray::number(i) + eol;
            input += "data: " + text.repeated(1 + i % 7) + eol;
            if (i % 2)
                input += "data:" + text + eol; // no space after the colon
            input += eol;
        }
        const QList<SseEvent> reference = parseAll(input);
        QCOMPARE(reference.size(), 60);
        QVERIFY(reference.at(0).data.contains("\xEF\xBF\xBD")); // the broken bytes became U+FFFD
        QVERIFY(reference.at(1).data.contains('\n'));             // two data lines joined
        QRandomGenerator rng(7);
        for (int round = 0; round < 60; ++round) {
            Collected c;
            QVERIFY(feedInRandomChunks(c.parser, input, rng, 1, 300));
            QCOMPARE(c.events.size(), reference.size());
            for (qsizetype i = 0; i < reference.size(); ++i) {
                QCOMPARE(c.events.at(i).data, reference.at(i).data);
                QCOMPARE(c.events.at(i).lastEventId, reference.at(i).lastEventId);
            }
        }
    }

    void dataLineAcrossChunksKeepsTheLimits()
    {
        SseLimits limits;
        limits.maxEventBytes = 1000;
        Collected c(limits);
        QVERIFY(c.parser.feed(QByteArray("id: 1\ndata: " + QByteArray(500, 'a'))));
        QVERIFY(!c.parser.feed(QByteArray(QByteArray(600, 'b') + "\n\n"))); // the event passes 1000 in its second chunk
        QCOMPARE(c.parser.error(), SseParser::Error::EventTooLarge);
        QCOMPARE(c.events.size(), 0);
        // Invalid bytes count as the three bytes of U+FFFD they become.
        Collected d(limits);
        QVERIFY(d.parser.feed(QByteArray("id: 2\ndata: " + QByteArray(300, '\xFF'))));
        QVERIFY(!d.parser.feed(QByteArray(QByteArray(100, '\xFF') + "\n\n")));
        QCOMPARE(d.parser.error(), SseParser::Error::EventTooLarge);
        QCOMPARE(d.events.size(), 0);
        QCOMPARE(d.parser.lastEventId(), QByteArray()); // a reconnect must not resume after it
        // An event ended in the next chunk, the split inside "€".
        Collected e;
        QVERIFY(e.parser.feed("id: 3\ndata: ab\xE2\x82"));
        QVERIFY(e.parser.feed("\xAC cd\n\n"));
        QCOMPARE(e.events.size(), 1);
        QCOMPARE(e.events.first().data, QByteArray("ab\xE2\x82\xAC cd"));
    }

    void whichLimitAStreamBreaksDoesNotDependOnChunking_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("error");
        const QByteArray full = QByteArray("data: " + QByteArray(244, 'a') + "\n").repeated(4); // 980 bytes of data
        // The last line would take the event past 1000 bytes but never ends:
        // the unfinished event is dropped with no error, however it is cut.
        QTest::newRow("unfinished line past the event limit")
            << QByteArray(full + "data: " + QByteArray(50, 'b')) << int(SseParser::Error::None);
        // A line over both limits is too long, even when its first part
        // alone already takes the event past its limit.
        QTest::newRow("line over both limits")
            << QByteArray(full + "data: " + QByteArray(400, 'b') + "\n\n") << int(SseParser::Error::LineTooLong);
        QTest::newRow("line over the event limit only")
            << QByteArray(full + "data: " + QByteArray(50, 'b') + "\n\n") << int(SseParser::Error::EventTooLarge);
    }

    void whichLimitAStreamBreaksDoesNotDependOnChunking()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, error);
        SseLimits limits;
        limits.maxLineBytes = 300;
        limits.maxEventBytes = 1000;
        const auto errorOf = [&](const QList<qsizetype> &cuts) {
            Collected c(limits);
            qsizetype from = 0;
            for (qsizetype cut : cuts) {
                c.parser.feed(QByteArrayView(input.constData() + from, cut - from));
                from = cut;
            }
            c.parser.feed(QByteArrayView(input.constData() + from, input.size() - from));
            c.parser.finish();
            return int(c.parser.error());
        };
        QCOMPARE(errorOf({}), error);
        for (qsizetype cut = 1; cut < input.size(); ++cut)
            QVERIFY2(errorOf({ cut }) == error, qPrintable(QStringLiteral("cut at %1").arg(cut)));
        QList<qsizetype> everyByte;
        for (qsizetype cut = 1; cut < input.size(); ++cut)
            everyByte << cut;
        QCOMPARE(errorOf(everyByte), error);
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
