// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace framecast {

/// What Framecast keeps secret for one server profile and user, or for a
/// proxy (ProxyAuthenticator: `username` and `password`, no token).
struct Credentials
{
    QByteArray token;
    QString password; ///< only when the user asked to remember it
    QString username{}; ///< a proxy's user name
    bool isEmpty() const { return token.isEmpty() && password.isEmpty(); }
};

/// Where tokens and remembered passwords live: one entry per server profile
/// and user, never in settings, the ledger or a log. Asynchronous, as the
/// operating system's keychains are.
class SecretStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    using ReadCallback = std::function<void(std::optional<Credentials> credentials, const QString &error)>;
    using DoneCallback = std::function<void(bool ok, const QString &error)>;

    explicit SecretStore(QObject *parent = nullptr)
        : QObject(parent)
    {
    }

    /// `credentials` is empty (without error) when nothing is stored.
    virtual void read(const QString &profile, const QString &user, ReadCallback callback) = 0;
    virtual void write(const QString &profile, const QString &user, const Credentials &credentials,
                       DoneCallback callback = {}) = 0;
    virtual void remove(const QString &profile, const QString &user, DoneCallback callback = {}) = 0;
    /// False when secrets only last as long as this process.
    virtual bool isPersistent() const = 0;
    /// Why secrets are not persistent (shown to the user), else empty.
    virtual QString unavailableReason() const { return {}; }

    /// The entry name: "<profile>/<user>".
    static QString keyFor(const QString &profile, const QString &user);
    static QByteArray encode(const Credentials &credentials);
    static std::optional<Credentials> decode(const QByteArray &data);

Q_SIGNALS:
    /// The keychain could not be used; from now on secrets stay in memory.
    void becameUnavailable(const QString &reason);
};

/// Secrets for this process only: the fallback where no keychain exists,
/// and what tests use.
class MemorySecretStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemorySecretStore)

public:
    explicit MemorySecretStore(QString reason = {}, QObject *parent = nullptr);
    void read(const QString &profile, const QString &user, ReadCallback callback) override;
    void write(const QString &profile, const QString &user, const Credentials &credentials, DoneCallback callback = {}) override;
    void remove(const QString &profile, const QString &user, DoneCallback callback = {}) override;
    bool isPersistent() const override { return false; }
    QString unavailableReason() const override { return m_reason; }

private:
    QHash<QString, Credentials> m_entries;
    QString m_reason;
};

/// The operating system's keychain through QtKeychain (Windows Credential
/// Manager, macOS Keychain, Secret Service on Linux). When the keychain
/// cannot be reached (no D-Bus session, no Secret Service, access denied for
/// good) it says so once and keeps secrets in memory for the session.
/// Every call answers once: a keychain that does not answer in time (a
/// locked or hung Secret Service) is an error that says so, and its late
/// answer is dropped.
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainSecretStore)

public:
    static constexpr int kDefaultTimeoutMs = 5000;

    explicit KeychainSecretStore(QString service = QStringLiteral("io.github.framecast.Framecast"), QObject *parent = nullptr);
    /// How long read, write and remove wait for the keychain.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    void read(const QString &profile, const QString &user, ReadCallback callback) override;
    void write(const QString &profile, const QString &user, const Credentials &credentials, DoneCallback callback = {}) override;
    void remove(const QString &profile, const QString &user, DoneCallback callback = {}) override;
    bool isPersistent() const override { return !m_fallback; }
    QString unavailableReason() const override { return m_reason; }

private:
    void fallBack(const QString &reason);

    QString m_service;
    QString m_reason;
    MemorySecretStore *m_fallback = nullptr;
    int m_timeoutMs = kDefaultTimeoutMs;
};

} // namespace framecast
