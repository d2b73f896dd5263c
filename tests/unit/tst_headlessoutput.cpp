// SPDX-License-Identifier: GPL-3.0-or-later
// Every line the headless mode prints passes the redaction point: a server's
// `detail` or error text that carries a token never reaches the terminal.
#include "headless/HeadlessOutput.h"
#include "security/Redaction.h"

#include <QTest>

#include <cstdio>

using namespace framecast;
using namespace framecast::headless;

namespace {
QByteArray contents(FILE *f)
{
    std::fflush(f);
    std::rewind(f);
    QByteArray out;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
        out.append(buffer, qsizetype(n));
    return out;
}
} // namespace

class TestHeadlessOutput final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyLineIsRedacted_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("human") << false;
        QTest::newRow("json") << true;
    }

    void everyLineIsRedacted()
    {
        QFETCH(bool, json);
        const QByteArray secret = "tok-7f3a9c1e55d24b8e";
        redaction::registerSecret(secret);
        FILE *out = std::tmpfile();
        FILE *err = std::tmpfile();
        QVERIFY(out && err);
        {
            HeadlessOutput o(out, err, json, false);
            o.error(QStringLiteral("The server said: invalid token ") + QString::fromLatin1(secret));
            o.warning(QStringLiteral("retrying with Authorization: Bearer ") + QString::fromLatin1(secret));
            o.failed(QStringLiteral("vid_1"), QStringLiteral("GENERATION_FAILED"),
                     QStringLiteral("upstream rejected ") + QString::fromLatin1(secret), false);
            o.line(QStringLiteral("GET /stream?token=") + QString::fromLatin1(secret));
        }
        const QByteArray printed = contents(out) + contents(err);
        std::fclose(out);
        std::fclose(err);
        QVERIFY2(!printed.contains(secret), printed.constData());
        QVERIFY(printed.contains("REDACTED"));
        QVERIFY(printed.contains("framecast: The server said")); // the line itself is kept
        if (json)
            QVERIFY(printed.contains("\"event\":\"failed\""));
    }
};

QTEST_GUILESS_MAIN(TestHeadlessOutput)
#include "tst_headlessoutput.moc"
