// SPDX-License-Identifier: GPL-3.0-or-later
// The upload body byte for byte: what browsers send (RFC 7578), so that
// every server stack reads it (tests/network/tst_realuploads.cpp sends it to
// Django, FastAPI and express).
#include "api/MultipartBody.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using framecast::MultipartBody;

class TestMultipartBody final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactBytes()
    {
        const QByteArray data("\x89PNG\r\n\x1a\n--not a boundary--\r\n", 28);
        const MultipartBody m = MultipartBody::withBoundary("----FramecastFormBoundaryAbC123dEf456GhI7", "file",
                                                            QStringLiteral("cat.png"), "image/png", data);
        QCOMPARE(m.contentType, QByteArray("multipart/form-data; boundary=----FramecastFormBoundaryAbC123dEf456GhI7"));
        const QByteArray expected = QByteArray("------FramecastFormBoundaryAbC123dEf456GhI7\r\n"
                                               "Content-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
                                               "Content-Type: image/png\r\n"
                                               "\r\n")
                                    + data
                                    + QByteArray("\r\n------FramecastFormBoundaryAbC123dEf456GhI7--\r\n");
        QCOMPARE(m.body, expected);
    }

    void boundaryIsBrowserLike()
    {
        const MultipartBody m = MultipartBody::forFile("file", QStringLiteral("x.jpg"), "image/jpeg", "data");
        QVERIFY2(QRegularExpression(QStringLiteral("^----FramecastFormBoundary[A-Za-z0-9]{16}$"))
                     .match(QString::fromLatin1(m.boundary))
                     .hasMatch(),
                 m.boundary.constData());
        // Unquoted: nothing in it needs quoting (RFC 2046 bchars minus tspecials).
        QVERIFY(!m.contentType.contains('"'));
        QVERIFY(m.body.startsWith(QByteArray("--" + m.boundary + "\r\n")));
        QVERIFY(m.body.endsWith(QByteArray("\r\n--" + m.boundary + "--\r\n")));
        // Two bodies never share a boundary.
        QVERIFY(MultipartBody::forFile("file", QStringLiteral("x.jpg"), "image/jpeg", "data").boundary != m.boundary);
    }

    void boundaryNeverOccursInTheData()
    {
        // The first boundary a seeded generator draws, planted in the data:
        // the same generator must draw again and pick another one.
        QRandomGenerator first(42);
        const QByteArray planted = MultipartBody::makeBoundary({}, &first);
        const QByteArray data = "head\r\n--" + planted + "\r\ntail";
        QRandomGenerator again(42);
        const QByteArray chosen = MultipartBody::makeBoundary(data, &again);
        QVERIFY(chosen != planted);
        QVERIFY(!data.contains(chosen));
    }

    void fileNames_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QByteArray>("sent");
        QTest::newRow("plain") << QStringLiteral("cat.png") << QByteArray("cat.png");
        QTest::newRow("unix path") << QStringLiteral("/home/u/Pictures/cat.png") << QByteArray("cat.png");
        QTest::newRow("windows path") << QStringLiteral("C:\\Users\\u\\cat.png") << QByteArray("cat.png");
        QTest::newRow("quote") << QStringLiteral("a\"b.png") << QByteArray("a%22b.png");
        QTest::newRow("CR LF") << QStringLiteral("a\r\nContent-Type: x.png") << QByteArray("a%0D%0AContent-Type: x.png");
        QTest::newRow("UTF-8, as browsers") << QStringLiteral("k\u00e4tzchen.png") << QByteArray("k\xc3\xa4tzchen.png");
        QTest::newRow("empty") << QString() << QByteArray("image");
    }

    void fileNames()
    {
        QFETCH(QString, given);
        QFETCH(QByteArray, sent);
        QCOMPARE(MultipartBody::quotedFileName(given), sent);
        const MultipartBody m = MultipartBody::forFile("file", given, "image/png", "x");
        QVERIFY(m.body.contains(QByteArray("; filename=\"" + sent + "\"\r\n")));
    }
};

QTEST_GUILESS_MAIN(TestMultipartBody)
#include "tst_multipartbody.moc"
