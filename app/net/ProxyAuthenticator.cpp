// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ProxyAuthenticator.h"

#include "core/Logging.h"
#include "security/Redaction.h"
#include "security/SecretStore.h"

#include <QAuthenticator>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QWebSocket>

namespace framecast {

ProxyAuthenticator::ProxyAuthenticator(QObject *parent)
    : QObject(parent)
{
}

ProxyAuthenticator::~ProxyAuthenticator() = default;

QString ProxyAuthenticator::keychainProfile(const QString &hostPort)
{
    return QStringLiteral("proxy:") + hostPort;
}

void ProxyAuthenticator::addKnown(const QString &hostPort, const QString &user, const QString &password)
{
    if (user.isEmpty())
        return;
    redaction::registerSecret(password);
    Entry &e = m_entries[hostPort];
    e.login = ProxyLogin{user, password, false};
}

void ProxyAuthenticator::watch(QNetworkAccessManager *manager)
{
    connect(manager, &QNetworkAccessManager::proxyAuthenticationRequired, this, &ProxyAuthenticator::provide,
            Qt::UniqueConnection);
    connect(manager, &QNetworkAccessManager::authenticationRequired, this, &ProxyAuthenticator::onServerChallenge,
            Qt::UniqueConnection);
}

void ProxyAuthenticator::onServerChallenge(QNetworkReply *reply, QAuthenticator *)
{
    // tinyproxy (1.11) answers refused proxy credentials with 401 and a Basic
    // challenge of its own rather than another 407. Framecast's servers use
    // bearer tokens, never a Basic challenge: after proxy credentials were
    // given for a plain-http request, such a challenge is the proxy's refusal.
    // (Through a CONNECT tunnel the proxy cannot answer for the server.)
    if (reply->url().scheme() != QLatin1String("http"))
        return;
    const QNetworkProxy proxy = reply->manager() ? reply->manager()->proxy() : QNetworkProxy();
    const QString key = proxy.type() == QNetworkProxy::HttpProxy ? QStringLiteral("%1:%2").arg(proxy.hostName()).arg(proxy.port())
                                                               : m_last;
    if (!m_entries.value(key).login)
        return;
    refuse(key);
    // The manager keeps what it was given for the proxy; a new answer needs it gone.
    if (QNetworkAccessManager *manager = reply->manager())
        QMetaObject::invokeMethod(manager, &QNetworkAccessManager::clearAccessCache, Qt::QueuedConnection);
}

void ProxyAuthenticator::refuse(const QString &hostPort)
{
    m_last = hostPort;
    Entry &e = m_entries[hostPort];
    e.login.reset();
    e.refused = true;
    e.why = tr("The proxy refused the user name and password");
    if (m_store)
        m_store->remove(keychainProfile(hostPort), QString());
    qCWarning(lcNet).noquote() << "proxy" << hostPort << "refused the credentials";
    Q_EMIT refused(failureText());
}

void ProxyAuthenticator::watch(QWebSocket *socket)
{
    connect(socket, &QWebSocket::proxyAuthenticationRequired, this, &ProxyAuthenticator::provide, Qt::UniqueConnection);
}

void ProxyAuthenticator::allowAsking()
{
    for (Entry &e : m_entries) {
        e.refused = false;
        e.cancelled = false;
    }
}

QString ProxyAuthenticator::failureText() const
{
    const Entry e = m_entries.value(m_last);
    const QString proxy = m_last.isEmpty() ? tr("(system)") : m_last;
    if (e.refused)
        return tr("The proxy %1 refused the user name and password").arg(proxy);
    if (!m_prompt)
        return tr("The proxy %1 asks for a user name and password: give them in the proxy URL "
                  "(http://user:password@host:port)")
            .arg(proxy);
    return tr("The proxy %1 asks for a user name and password").arg(proxy);
}

void ProxyAuthenticator::provide(const QNetworkProxy &proxy, QAuthenticator *authenticator)
{
    const QString key = QStringLiteral("%1:%2").arg(proxy.hostName()).arg(proxy.port());
    m_last = key;
    const QPointer<ProxyAuthenticator> self(this);
    const std::optional<ProxyLogin> given = m_entries.value(key).login;
    // Qt comes back with what it was given: the proxy refused it.
    if (given && authenticator->user() == given->user && authenticator->password() == given->password) {
        refuse(key);
        return;
    }
    if (m_entries.value(key).asking)
        waitFor(key); // another request asked first
    if (!self)
        return;
    if (!m_entries.value(key).login && !m_entries.value(key).keychainChecked && m_store) {
        readKeychain(key);
        waitFor(key);
        if (!self)
            return;
    }
    const Entry e = m_entries.value(key);
    if (!e.login && !e.refused && !e.cancelled && m_prompt) {
        if (!e.asking)
            ask(key, e.why);
        waitFor(key);
        if (!self)
            return;
    }
    if (const auto login = m_entries.value(key).login) {
        authenticator->setUser(login->user);
        authenticator->setPassword(login->password);
    }
}

void ProxyAuthenticator::waitFor(const QString &hostPort)
{
    if (!m_entries.value(hostPort).asking)
        return;
    // Qt wants the answer before this slot returns (the request's thread
    // waits for it): the prompt and the keychain answer inside this loop.
    QEventLoop loop;
    connect(this, &ProxyAuthenticator::settled, &loop, [&loop, hostPort](const QString &key) {
        if (key == hostPort)
            loop.quit();
    });
    connect(this, &QObject::destroyed, &loop, &QEventLoop::quit);
    loop.exec();
}

void ProxyAuthenticator::readKeychain(const QString &hostPort)
{
    m_entries[hostPort].asking = true;
    const QPointer<ProxyAuthenticator> self(this);
    m_store->read(keychainProfile(hostPort), QString(), [self, hostPort](std::optional<Credentials> c, const QString &error) {
        if (!self)
            return;
        Entry &e = self->m_entries[hostPort];
        e.asking = false;
        e.keychainChecked = true;
        if (!error.isEmpty())
            qCWarning(lcNet).noquote() << "proxy credentials: the keychain answered:" << error;
        if (c && !c->username.isEmpty())
            e.login = ProxyLogin{c->username, c->password, true};
        Q_EMIT self->settled(hostPort);
    });
}

void ProxyAuthenticator::ask(const QString &hostPort, const QString &why)
{
    m_entries[hostPort].asking = true;
    ++m_prompts;
    const QPointer<ProxyAuthenticator> self(this);
    const bool canRemember = m_store && m_store->isPersistent();
    m_prompt(hostPort, why, canRemember, [self, hostPort](std::optional<ProxyLogin> login) {
        if (!self)
            return;
        Entry &e = self->m_entries[hostPort];
        e.asking = false;
        if (login && !login->user.isEmpty()) {
            e.why.clear();
            redaction::registerSecret(login->password);
            e.login = login;
            if (login->remember && self->m_store) {
                Credentials c;
                c.username = login->user;
                c.password = login->password;
                self->m_store->write(keychainProfile(hostPort), QString(), c);
            }
        } else {
            e.cancelled = true;
        }
        Q_EMIT self->settled(hostPort);
    });
}

} // namespace framecast
