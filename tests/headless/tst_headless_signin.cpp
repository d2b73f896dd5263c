// SPDX-License-Identifier: GPL-3.0-or-later
// `framecast --headless --sign-in google` end to end (PROTOCOL §6): the demo
// backend trusting a real OpenID provider, the test playing the browser from
// the printed URL (the sign_in JSON line, or the one human line on stderr),
// a job generated after; a declined login is exit 3, --timeout exit 5.
#include "BrowserPlayer.h"
#include "HeadlessFixture.h"
#include "OidcProvider.h"

#include <QRegularExpression>
#include <QUrlQuery>

using namespace framecast;
using namespace framecast::test;

class TestHeadlessSignIn final : public HeadlessFixture
{
    Q_OBJECT

    std::unique_ptr<OidcProvider> m_provider;

    void startWithProvider()
    {
        if (!m_provider) {
            m_provider = std::make_unique<OidcProvider>();
            QString error;
            QVERIFY2(m_provider->start({}, &error), qPrintable(error));
        }
        QVERIFY(m_provider->setLogin(QStringLiteral("term@example.com"), true));
        DemoConfig config;
        demo::DemoOidcSpec oidc;
        oidc.id = QStringLiteral("google");
        oidc.displayName = QStringLiteral("Google");
        oidc.issuer = m_provider->issuer();
        oidc.clientIds = {QStringLiteral("framecast-test")};
        config.oidc = oidc;
        startBackend(config);
    }

    QStringList signInArgs(const QStringList &extra) const
    {
        return QStringList{QStringLiteral("--headless"), QStringLiteral("--server"), m_backend->baseUrl().toString(),
                           QStringLiteral("--progress"), QStringLiteral("videos-sse"), QStringLiteral("--sign-in"),
                           QStringLiteral("google"), QStringLiteral("--no-browser"), QStringLiteral("--no-ledger")}
               + extra;
    }

    /// While the CLI runs: the sign-in URL from stdout (--json) or stderr,
    /// followed by the test browser. `page` gets the loopback's answer.
    /// `consumed`: what was read from the stream meanwhile (not in Run's).
    std::function<void(QProcess &)> browser(bool json, BrowserPlayer::Result *page, QUrl *url, QByteArray *consumed)
    {
        return [json, page, url, consumed](QProcess &p) {
            QByteArray &seen = *consumed;
            const QRegularExpression human(QStringLiteral("open (http://\\S+)"));
            // QTest::qWait, not waitForReadyRead: the in-process backend must
            // keep answering the CLI meanwhile.
            for (int i = 0; i < 400 && url->isEmpty() && p.state() == QProcess::Running; ++i) {
                QTest::qWait(50);
                seen += json ? p.readAllStandardOutput() : p.readAllStandardError();
                for (const QByteArray &line : seen.split('\n')) {
                    if (json) {
                        const QJsonObject o = QJsonDocument::fromJson(line).object();
                        if (o.value(QStringLiteral("event")).toString() == QLatin1String("sign_in")) {
                            QCOMPARE(o.value(QStringLiteral("provider")).toString(), QStringLiteral("google"));
                            *url = QUrl(o.value(QStringLiteral("url")).toString());
                        }
                    } else if (const auto m = human.match(QString::fromUtf8(line)); m.hasMatch()) {
                        *url = QUrl(m.captured(1));
                    }
                }
            }
            if (!url->isEmpty())
                *page = BrowserPlayer().open(*url);
        };
    }

private Q_SLOTS:
    void signsInAndGenerates()
    {
        startWithProvider();
        BrowserPlayer::Result page;
        QUrl url;
        QByteArray printed;
        Run r = run(signInArgs(QStringList{QStringLiteral("--json")} + jobArgs()), {}, 90000, browser(true, &page, &url, &printed));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r.out.prepend(printed);
        QVERIFY(!url.isEmpty());
        QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(page.status, 200);
        QCOMPARE(r.events(QStringLiteral("sign_in")).size(), 1);
        QCOMPARE(r.events(QStringLiteral("completed")).size(), 1);
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("out.mp4"))));
        // Neither the provider's code nor any token reaches the terminal.
        const QByteArray code = QUrlQuery(page.redirect).queryItemValue(QStringLiteral("code")).toLatin1();
        QVERIFY(!code.isEmpty());
        QVERIFY(!r.out.contains(code) && !r.err.contains(code));
        QVERIFY(!r.out.contains("eyJ") && !r.err.contains("eyJ"));
    }

    void humanLineOnStderr()
    {
        startWithProvider();
        BrowserPlayer::Result page;
        QUrl url;
        QByteArray printed;
        Run r = run(signInArgs(jobArgs()), {}, 90000, browser(false, &page, &url, &printed));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r.err.prepend(printed);
        QCOMPARE(page.status, 200);
        QCOMPARE(r.err.count("to sign in with google, open http://"), 1);
        QVERIFY(!r.out.contains(QByteArray("http://127.0.0.1:" + QByteArray::number(m_provider->issuer().port()))));
    }

    void declinedIsExit3()
    {
        startWithProvider();
        QVERIFY(m_provider->denyLogins());
        BrowserPlayer::Result page;
        QUrl url;
        QByteArray printed;
        const Run r = run(signInArgs(QStringList{QStringLiteral("--json")} + jobArgs()), {}, 60000, browser(true, &page, &url, &printed));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("declined in the browser"), r.err.constData());
    }

    void timeoutIsExit5()
    {
        startWithProvider();
        // Nobody opens the URL: --timeout ends the wait.
        const Run r = run(signInArgs(QStringList{QStringLiteral("--timeout"), QStringLiteral("2")} + jobArgs()), {}, 30000);
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("to sign in with google, open http://"));
    }

    void unknownProviderIsExit3()
    {
        startWithProvider();
        QStringList args = signInArgs(jobArgs());
        args[args.indexOf(QStringLiteral("google"))] = QStringLiteral("github");
        const Run r = run(args, {}, 30000);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("no sign-in with \"github\" (it offers: google)"), r.err.constData());
    }

    void usage()
    {
        startWithProvider();
        QCOMPARE(run(QStringList{QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--no-browser")} + jobArgs()).exitCode, 2);
        QCOMPARE(run(signInArgs({QStringLiteral("--user"), QStringLiteral("demo"), QStringLiteral("--password-env"),
                                 QStringLiteral("FC_TEST_PASSWORD")}) + jobArgs()).exitCode, 2);
        const Run help = run({QStringLiteral("--headless"), QStringLiteral("--help")});
        QVERIFY(help.out.contains("--sign-in PROVIDER_ID") && help.out.contains("--no-browser"));
    }
};

QTEST_GUILESS_MAIN(TestHeadlessSignIn)
#include "tst_headless_signin.moc"
