// SPDX-License-Identifier: GPL-3.0-or-later
// Secrets in the operating system's keychain. `keychainRoundTrip` needs a
// real Secret Service: ctest runs it under dbus-run-session with an unlocked
// gnome-keyring (tests/support/with-keyring.sh); so does `hungKeychainTimesOut`,
// which stops that gnome-keyring (kill -STOP) for a real hung Secret Service.
// `noKeychainFallsBack` runs with no D-Bus session at all.
#include "SecretStoreSync.h"
#include "security/Redaction.h"
#include "security/SecretStore.h"
#include "session/Session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <memory>
#ifdef Q_OS_UNIX
#include <csignal>
#endif

using namespace framecast;

using namespace framecast::test;

namespace {

/// A service name of its own, so a developer's real keychain is not touched.
QString testService()
{
    return QStringLiteral("io.github.framecast.Framecast.test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

class TestSecretStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodeDecode()
    {
        const Credentials c{"tok-123456", QStringLiteral("pässword \"quoted\"")};
        const auto back = SecretStore::decode(SecretStore::encode(c));
        QVERIFY(back);
        QCOMPARE(back->token, c.token);
        QCOMPARE(back->password, c.password);
        QVERIFY(!SecretStore::decode("not json"));
        // What is read back is also known to the redaction point.
        QVERIFY(!redaction::redact(QStringLiteral("x tok-123456 y")).contains(QLatin1String("tok-123456")));
    }

    void memoryRoundTrip()
    {
        MemorySecretStore store(QStringLiteral("tests"));
        QVERIFY(!store.isPersistent());
        QVERIFY(!readBack(store, QStringLiteral("P"), QStringLiteral("u")));
        QVERIFY(writeSync(store, QStringLiteral("P"), QStringLiteral("u"), Credentials{"t1", {}}));
        QVERIFY(writeSync(store, QStringLiteral("P"), QStringLiteral("v"), Credentials{"t2", QStringLiteral("pw")}));
        QCOMPARE(readBack(store, QStringLiteral("P"), QStringLiteral("u"))->token, QByteArray("t1"));
        QCOMPARE(readBack(store, QStringLiteral("P"), QStringLiteral("v"))->password, QStringLiteral("pw"));
        QVERIFY(removeSync(store, QStringLiteral("P"), QStringLiteral("u")));
        QVERIFY(!readBack(store, QStringLiteral("P"), QStringLiteral("u")));
    }

    void keychainRoundTrip()
    {
        const QString service = testService();
        const QString profile = QStringLiteral("Studio Server");
        const QString user = QStringLiteral("mei");
        const Credentials saved{"eyJ.keychain-token.sig", QStringLiteral("Lantern-Harbor-77")};
        {
            KeychainSecretStore store(service);
            QSignalSpy unavailable(&store, &SecretStore::becameUnavailable);
            QString error;
            QVERIFY2(writeSync(store, profile, user, saved, &error), qPrintable(error));
            QVERIFY2(store.isPersistent(), qPrintable(QStringLiteral("no keychain: ") + store.unavailableReason()));
            QCOMPARE(unavailable.size(), 0);
        }
        {
            // Another instance (the next launch) reads it back from the keychain.
            KeychainSecretStore store(service);
            QString error;
            const auto back = readBack(store, profile, user, &error);
            QVERIFY2(back, qPrintable(error));
            QCOMPARE(back->token, saved.token);
            QCOMPARE(back->password, saved.password);
            QVERIFY(store.isPersistent());
            // One entry per profile and user: another user has none.
            QVERIFY(!readBack(store, profile, QStringLiteral("li")));
            QVERIFY(removeSync(store, profile, user));
            QVERIFY(!readBack(store, profile, user));
        }
    }

    /// What the window does with a hung keychain at launch: Session::restore
    /// gives up after the store's timeout and says why, so the login dialog
    /// opens instead of "Connecting to…" for ever.
    void hungKeychainRestoreAsksForTheLogin()
    {
#ifndef Q_OS_UNIX
        QSKIP("stops the Secret Service with SIGSTOP (Linux only)");
#else
        const qint64 pid = qEnvironmentVariableIntValue("FRAMECAST_KEYRING_PID");
        if (pid <= 0)
            QSKIP("needs the gnome-keyring of tests/support/with-keyring.sh");
        KeychainSecretStore store(testService());
        store.setTimeoutMs(400);
        Session session(QDir::tempPath());
        session.setSecretStore(&store);
        ServerProfile profile;
        profile.name = QStringLiteral("Studio Server");
        profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9")); // never reached: the keychain answers first
        QVERIFY(session.setProfile(profile));
        QSignalSpy failed(&session, &Session::restoreFailed);
        QSignalSpy loggedIn(&session, &Session::loggedIn);
        QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
        auto wake = qScopeGuard([pid] { ::kill(pid_t(pid), SIGCONT); });
        session.restore(QStringLiteral("mei"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().first().toString(),
                 QStringLiteral("The keychain could not be read: The keychain did not answer within 0.4 s"));
        QVERIFY(loggedIn.isEmpty());
#endif
    }

    void hungKeychainTimesOut()
    {
#ifndef Q_OS_UNIX
        QSKIP("stops the Secret Service with SIGSTOP (Linux only)");
#else
        const qint64 pid = qEnvironmentVariableIntValue("FRAMECAST_KEYRING_PID");
        if (pid <= 0)
            QSKIP("needs the gnome-keyring of tests/support/with-keyring.sh");
        const QString service = testService();
        const QString profile = QStringLiteral("Studio Server");
        const QString user = QStringLiteral("mei");
        KeychainSecretStore store(service);
        QCOMPARE(store.timeoutMs(), 5000);
        QString error;
        // The Secret Service works...
        QVERIFY2(writeSync(store, profile, user, Credentials{"before-the-hang", {}}, &error), qPrintable(error));
        QVERIFY(store.isPersistent());

        // ...until it hangs: a locked or stuck gnome-keyring answers nothing.
        QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
        auto wake = qScopeGuard([pid] { ::kill(pid_t(pid), SIGCONT); });
        store.setTimeoutMs(400);
        int reads = 0;
        std::optional<Credentials> got;
        QElapsedTimer elapsed;
        elapsed.start();
        store.read(profile, user, [&](std::optional<Credentials> c, const QString &e) {
            ++reads;
            got = c;
            error = e;
        });
        QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 5000);
        QVERIFY2(elapsed.elapsed() >= 400, qPrintable(QString::number(elapsed.elapsed())));
        QVERIFY(!got);
        QCOMPARE(error, QStringLiteral("The keychain did not answer within 0.4 s"));
        QVERIFY(store.isPersistent()); // a hung keychain is not "no keychain"

        int writes = 0;
        bool written = true;
        store.write(profile, user, Credentials{"during-the-hang", {}}, [&](bool ok, const QString &e) {
            ++writes;
            written = ok;
            error = e;
        });
        QTRY_COMPARE_WITH_TIMEOUT(writes, 1, 5000);
        QVERIFY(!written);
        QCOMPARE(error, QStringLiteral("The keychain did not answer within 0.4 s"));

        // A store that is gone before the late answer comes.
        auto gone = std::make_unique<KeychainSecretStore>(service);
        gone->setTimeoutMs(400);
        int goneReads = 0;
        gone->read(profile, user, [&](std::optional<Credentials>, const QString &) { ++goneReads; });
        QTRY_COMPARE_WITH_TIMEOUT(goneReads, 1, 5000);
        gone.reset();

        // The service wakes up and answers the calls it held; those answers
        // are dropped. The next read is queued behind them on the same bus
        // connection, so once it is answered, so are they.
        wake.dismiss();
        QCOMPARE(::kill(pid_t(pid), SIGCONT), 0);
        store.setTimeoutMs(KeychainSecretStore::kDefaultTimeoutMs);
        const auto back = readBack(store, profile, user, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->token, QByteArray("during-the-hang")); // the keychain did the late write
        QCOMPARE(reads, 1);
        QCOMPARE(writes, 1);
        QCOMPARE(goneReads, 1);
        QVERIFY(removeSync(store, profile, user));
#endif
    }

    void noKeychainFallsBack()
    {
        KeychainSecretStore store(QStringLiteral("io.github.framecast.Framecast.test-none"));
        QSignalSpy unavailable(&store, &SecretStore::becameUnavailable);
        QVERIFY(writeSync(store, QStringLiteral("P"), QStringLiteral("u"), Credentials{"kept-in-memory", {}}));
        QVERIFY(!store.isPersistent());
        QCOMPARE(unavailable.size(), 1);
        QVERIFY(!store.unavailableReason().isEmpty());
        qInfo() << "without a keychain:" << store.unavailableReason();
        // For this session the login is still there.
        QCOMPARE(readBack(store, QStringLiteral("P"), QStringLiteral("u"))->token, QByteArray("kept-in-memory"));
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
