// SPDX-License-Identifier: GPL-3.0-or-later
// Secrets in the operating system's keychain. `keychainRoundTrip` needs a
// real Secret Service: ctest runs it under dbus-run-session with an unlocked
// gnome-keyring (tests/support/with-keyring.sh). `noKeychainFallsBack` runs
// with no D-Bus session at all.
#include "SecretStoreSync.h"
#include "security/Redaction.h"
#include "security/SecretStore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace framecast;

using namespace framecast::test;

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
        // A service name of its own, so a developer's real keychain is not touched.
        const QString service = QStringLiteral("io.github.framecast.Framecast.test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
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
