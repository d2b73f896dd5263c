// SPDX-License-Identifier: GPL-3.0-or-later
// The sixteen-bytes-at-a-time UTF-8 check must answer as the exact walk does,
// for every kind of sequence, at every place a block boundary can cut it, and
// the parser must still turn what is invalid into U+FFFD on every path.
#include "sse/SseParser.h"
#include "sse/Utf8.h"

#include <QRandomGenerator>
#include <QTest>

using namespace framecast::sse;

namespace {

// Bytes that stand for every class the validator tells apart.
const QByteArray kProbeBytes = QByteArray::fromHex("00417f808f909fa0bfc0c1c2dfe0e1ecedeef0f1f3f4f5ff");

bool agree(const QByteArray &bytes)
{
    return utf8::isValid(bytes.constData(), bytes.size()) == utf8::isValidFast(bytes.constData(), bytes.size());
}

} // namespace

class TestUtf8 : public QObject
{
    Q_OBJECT

private slots:
    void knownAnswers_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        const QByteArray pad(20, 'a'); // long enough for the vector path
        QTest::newRow("ascii") << pad << true;
        QTest::newRow("chinese") << QByteArray(pad + "正在渲染视频帧") << true;
        QTest::newRow("emoji") << QByteArray(pad + "🎬🎞️✅") << true;
        QTest::newRow("overlong 2") << QByteArray(pad + "\xC0\xAF") << false;
        QTest::newRow("overlong 3") << QByteArray(pad + "\xE0\x80\xAF") << false;
        QTest::newRow("overlong 4") << QByteArray(pad + "\xF0\x80\x80\xAF") << false;
        QTest::newRow("surrogate") << QByteArray(pad + "\xED\xA0\x80") << false;
        QTest::newRow("too large") << QByteArray(pad + "\xF4\x90\x80\x80") << false;
        QTest::newRow("F5") << QByteArray(pad + "\xF5\x80\x80\x80") << false;
        QTest::newRow("lone continuation") << QByteArray(pad + "\x80") << false;
        QTest::newRow("truncated at end") << QByteArray(pad + "\xE6\xAD") << false;
        QTest::newRow("truncated mid") << QByteArray(pad + "\xE6\xAD" + pad) << false;
        QTest::newRow("largest") << QByteArray(pad + "\xF4\x8F\xBF\xBF") << true;
        QTest::newRow("U+FFFD") << QByteArray(pad + "\xEF\xBF\xBD") << true;
    }

    void knownAnswers()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(utf8::isValid(bytes.constData(), bytes.size()), valid);
        QCOMPARE(utf8::isValidFast(bytes.constData(), bytes.size()), valid);
    }

    // Every lead byte with every second byte and probe third and fourth
    // bytes, placed so that a block boundary falls before, inside and after
    // the sequence, and at the very end of the input.
    void everySequenceAtEveryCut()
    {
        int checked = 0;
        for (int lead = 0x80; lead <= 0xFF; ++lead) {
            for (int second = 0; second <= 0xFF; ++second) {
                for (char third : kProbeBytes) {
                    for (char fourth : {char(0x41), char(0x80), char(0xBF), char(0xC0)}) {
                        QByteArray seq;
                        seq.append(char(lead)).append(char(second)).append(third).append(fourth);
                        for (int at : {0, 12, 13, 14, 15, 16, 29}) {
                            QByteArray bytes = QByteArray(at, 'x') + seq + QByteArray(3, 'y');
                            if (!agree(bytes))
                                QFAIL(qPrintable(QStringLiteral("disagree on %1 at %2").arg(QString::fromLatin1(seq.toHex()), QString::number(at))));
                            bytes.chop(3 + 4 - 2); // the sequence cut after two bytes, at the end
                            if (!agree(bytes))
                                QFAIL(qPrintable(QStringLiteral("disagree on %1 cut at %2").arg(QString::fromLatin1(seq.toHex()), QString::number(at))));
                            checked += 2;
                        }
                    }
                }
            }
        }
        QVERIFY(checked > 1000000);
    }

    // Real text with random damage, of every length around the block sizes.
    void randomDamage()
    {
        QRandomGenerator rng(15);
        const QByteArray text = QByteArray("🔍 正在验证请求参数... ok 📸 处理参考图片 🎞️ Encoding") + QByteArray::fromHex("c3a9e282ac");
        int invalidSeen = 0;
        for (int i = 0; i < 200000; ++i) {
            QByteArray bytes;
            const int length = int(rng.bounded(1, 80));
            while (bytes.size() < length)
                bytes += text.mid(int(rng.bounded(text.size())), int(rng.bounded(1, 12)));
            bytes.truncate(length);
            if (rng.bounded(2))
                bytes[int(rng.bounded(bytes.size()))] = char(rng.bounded(256));
            invalidSeen += utf8::isValid(bytes.constData(), bytes.size()) ? 0 : 1;
            if (!agree(bytes))
                QFAIL(qPrintable(QStringLiteral("disagree on %1").arg(QString::fromLatin1(bytes.toHex()))));
        }
        QVERIFY(invalidSeen > 10000); // the damage did make invalid input
    }

    // The parser's output: an invalid sequence in a data line of the vector
    // path's size becomes U+FFFD, a valid one passes as it is.
    void parserReplacesOnTheFastPath()
    {
        QList<QByteArray> data;
        SseParser parser([&](const SseEventView &e) { data.append(e.data.toByteArray()); });
        const QByteArray pad(24, 'a');
        parser.feed(QByteArray("id: 7\ndata: " + pad + "\xE6\xAD" + pad + "\n\nid: 8\ndata: " + pad + "正在" + "\n\n"));
        QCOMPARE(data.size(), 2);
        QCOMPARE(data.at(0), QByteArray(pad + "\xEF\xBF\xBD" + pad));
        QCOMPARE(data.at(1), QByteArray(pad + "正在"));
        QCOMPARE(parser.lastEventId(), QByteArray("8"));
    }

    // IDs take a short path of their own: ASCII, NUL, non-ASCII and long.
    void idPaths()
    {
        QList<QByteArray> ids;
        SseParser parser([&](const SseEventView &e) { ids.append(e.lastEventId.toByteArray()); });
        parser.feed(QByteArray("id: 1000000\ndata: a\n\n"));
        static const char withNul[] = "id: 12\0" "3\ndata: b\n\n";
        parser.feed(QByteArray(withNul, sizeof withNul - 1)); // NUL: ignored, the ID stays
        parser.feed(QByteArray("id: 任务\xFF\ndata: c\n\n"));
        parser.feed(QByteArray("id: " + QByteArray(40, 'k') + "\ndata: d\n\n"));
        parser.feed(QByteArray("data: e\n\n")); // no id line: the last one stays
        parser.feed(QByteArray("id\ndata: f\n\n")); // empty ID
        QCOMPARE(ids, (QList<QByteArray>{"1000000", "1000000", "任务\xEF\xBF\xBD", QByteArray(40, 'k'),
                                         QByteArray(40, 'k'), QByteArray()}));
        parser.finish();
        parser.reset();
        QCOMPARE(parser.lastEventId(), QByteArray()); // reconnect keeps the committed (empty) ID
    }
};

QTEST_GUILESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
