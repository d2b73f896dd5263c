// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/SecretStore.h"

#include "core/Logging.h"
#include "security/Redaction.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <utility>

#ifdef FRAMECAST_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace framecast {

QString SecretStore::keyFor(const QString &profile, const QString &user)
{
    return profile + QLatin1Char('/') + user;
}

QByteArray SecretStore::encode(const Credentials &c)
{
    QJsonObject o{{QStringLiteral("token"), QString::fromUtf8(c.token)}};
    if (!c.password.isEmpty())
        o.insert(QStringLiteral("password"), c.password);
    if (!c.username.isEmpty())
        o.insert(QStringLiteral("username"), c.username);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<Credentials> SecretStore::decode(const QByteArray &data)
{
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.isEmpty())
        return std::nullopt;
    Credentials c;
    c.token = o.value(QStringLiteral("token")).toString().toUtf8();
    c.password = o.value(QStringLiteral("password")).toString();
    c.username = o.value(QStringLiteral("username")).toString();
    // Secrets read back are secrets the logs must never show.
    redaction::registerSecret(c.token);
    redaction::registerSecret(c.password);
    return c;
}

MemorySecretStore::MemorySecretStore(QString reason, QObject *parent)
    : SecretStore(parent)
    , m_reason(std::move(reason))
{
}

void MemorySecretStore::read(const QString &profile, const QString &user, ReadCallback callback)
{
    const auto it = m_entries.constFind(keyFor(profile, user));
    const std::optional<Credentials> found = it == m_entries.cend() ? std::nullopt : std::optional<Credentials>(*it);
    // Asynchronous like a keychain, so callers cannot come to rely on anything else.
    QTimer::singleShot(0, this, [callback, found] { callback(found, {}); });
}

void MemorySecretStore::write(const QString &profile, const QString &user, const Credentials &credentials, DoneCallback callback)
{
    m_entries.insert(keyFor(profile, user), credentials);
    if (callback)
        QTimer::singleShot(0, this, [callback] { callback(true, {}); });
}

void MemorySecretStore::remove(const QString &profile, const QString &user, DoneCallback callback)
{
    m_entries.remove(keyFor(profile, user));
    if (callback)
        QTimer::singleShot(0, this, [callback] { callback(true, {}); });
}

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{
#ifndef FRAMECAST_HAVE_KEYCHAIN
    fallBack(tr("this build of Framecast has no keychain support"));
#endif
}

void KeychainSecretStore::fallBack(const QString &reason)
{
    if (m_fallback)
        return;
    m_reason = reason;
    m_fallback = new MemorySecretStore(reason, this);
    qCWarning(lcNet).noquote() << "keychain unavailable, secrets kept in memory:" << reason;
    Q_EMIT becameUnavailable(reason);
}

#ifdef FRAMECAST_HAVE_KEYCHAIN
namespace {

/// Errors that mean "there is no usable keychain here", as opposed to
/// "this entry does not exist".
bool isUnavailable(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
           || error == QKeychain::AccessDenied || error == QKeychain::OtherError;
}

/// Gives a keychain job `timeoutMs` to answer. Returns the flag that the
/// job's answer and the timeout both claim with `std::exchange(*flag, true)`:
/// whichever comes first answers, the other does nothing. The timer lives
/// on the job, so it goes when the job does (answered, or with the store).
std::shared_ptr<bool> armTimeout(QKeychain::Job *job, int timeoutMs, std::function<void(const QString &error)> onTimeout)
{
    auto answered = std::make_shared<bool>(false);
    QTimer::singleShot(timeoutMs, job, [answered, timeoutMs, onTimeout = std::move(onTimeout)] {
        if (std::exchange(*answered, true))
            return;
        qCWarning(lcNet) << "the keychain did not answer within" << timeoutMs << "ms";
        onTimeout(KeychainSecretStore::tr("The keychain did not answer within %1 s").arg(timeoutMs / 1000.0));
    });
    return answered;
}

} // namespace

void KeychainSecretStore::read(const QString &profile, const QString &user, ReadCallback callback)
{
    if (m_fallback) {
        m_fallback->read(profile, user, std::move(callback));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(keyFor(profile, user));
    const auto answered = armTimeout(job, m_timeoutMs, [callback](const QString &error) { callback(std::nullopt, error); });
    connect(job, &QKeychain::Job::finished, this, [this, job, profile, user, callback, answered](QKeychain::Job *) {
        if (std::exchange(*answered, true))
            return; // too late: the caller has been told
        if (job->error() == QKeychain::NoError) {
            callback(decode(job->binaryData()), {});
        } else if (job->error() == QKeychain::EntryNotFound) {
            callback(std::nullopt, {});
        } else if (isUnavailable(job->error())) {
            fallBack(job->errorString());
            m_fallback->read(profile, user, callback);
        } else {
            callback(std::nullopt, job->errorString());
        }
    });
    job->start();
}

void KeychainSecretStore::write(const QString &profile, const QString &user, const Credentials &credentials, DoneCallback callback)
{
    if (m_fallback) {
        m_fallback->write(profile, user, credentials, std::move(callback));
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keyFor(profile, user));
    job->setBinaryData(encode(credentials));
    const auto answered = armTimeout(job, m_timeoutMs, [callback](const QString &error) {
        if (callback)
            callback(false, error);
    });
    connect(job, &QKeychain::Job::finished, this, [this, job, profile, user, credentials, callback, answered](QKeychain::Job *) {
        if (std::exchange(*answered, true))
            return;
        if (job->error() == QKeychain::NoError) {
            if (callback)
                callback(true, {});
        } else if (isUnavailable(job->error())) {
            fallBack(job->errorString());
            m_fallback->write(profile, user, credentials, callback);
        } else if (callback) {
            callback(false, job->errorString());
        }
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &profile, const QString &user, DoneCallback callback)
{
    if (m_fallback) {
        m_fallback->remove(profile, user, std::move(callback));
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keyFor(profile, user));
    const auto answered = armTimeout(job, m_timeoutMs, [callback](const QString &error) {
        if (callback)
            callback(false, error);
    });
    connect(job, &QKeychain::Job::finished, this, [job, callback, answered](QKeychain::Job *) {
        if (std::exchange(*answered, true))
            return;
        const bool ok = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        if (callback)
            callback(ok, ok ? QString() : job->errorString());
    });
    job->start();
}

#else
void KeychainSecretStore::read(const QString &profile, const QString &user, ReadCallback callback)
{
    m_fallback->read(profile, user, std::move(callback));
}
void KeychainSecretStore::write(const QString &profile, const QString &user, const Credentials &credentials, DoneCallback callback)
{
    m_fallback->write(profile, user, credentials, std::move(callback));
}
void KeychainSecretStore::remove(const QString &profile, const QString &user, DoneCallback callback)
{
    m_fallback->remove(profile, user, std::move(callback));
}
#endif

} // namespace framecast
