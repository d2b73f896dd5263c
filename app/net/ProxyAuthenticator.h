// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include "security/SecretStore.h"

#include <functional>
#include <optional>

class QAuthenticator;
class QNetworkAccessManager;
class QNetworkProxy;
class QNetworkReply;
class QWebSocket;

namespace framecast {

/// A proxy's user name and password.
struct ProxyLogin
{
    QString user;
    QString password;
    bool remember = false; ///< kept in the keychain (asked by the prompt)
};

/// Answers a proxy that asks for credentials (HTTP 407) for every network
/// manager and socket it watches — a server's REST manager (also its
/// downloads), its SSE stream pool and its WebSocket — from one place, so a
/// person is asked once per proxy, not once per request or per connection.
///
/// Credentials come, in this order, from what is already known (a proxy URL's
/// user:password, http_proxy/https_proxy, an earlier answer), from the
/// keychain (kept per proxy host:port when the person ticked "remember"),
/// and last from the prompt (the window's dialog; none in the headless mode).
/// Credentials the proxy refuses are forgotten (also from the keychain) and
/// said in words; they are not asked for again until allowAsking() (a login
/// the person started), so a refusal never becomes a loop of prompts.
class ProxyAuthenticator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyAuthenticator)

public:
    using Answer = std::function<void(std::optional<ProxyLogin> login)>;
    /// Asks a person for `proxy`'s credentials (host:port); `why` is set when
    /// earlier ones were refused. Must answer once, later (nullopt: cancelled).
    using Prompt = std::function<void(const QString &proxy, const QString &why, bool canRemember, Answer answer)>;

    explicit ProxyAuthenticator(QObject *parent = nullptr);
    ~ProxyAuthenticator() override;

    void setPrompt(Prompt prompt) { m_prompt = std::move(prompt); }
    /// Where remembered credentials are kept (may be null: nowhere).
    void setSecretStore(SecretStore *store) { m_store = store; }
    /// Credentials known without asking (a proxy URL's).
    void addKnown(const QString &hostPort, const QString &user, const QString &password);

    void watch(QNetworkAccessManager *manager);
    void watch(QWebSocket *socket);

    /// The words for a request the proxy refused for want of credentials.
    QString failureText() const;
    /// Whether the proxy that asked last refused what it was given.
    bool lastRefused() const { return m_entries.value(m_last).refused; }
    /// After a refusal or a cancelled prompt: the next 407 may ask again.
    void allowAsking();
    int promptCount() const { return m_prompts; }

    /// The keychain entry of a proxy's credentials ("proxy:host:port").
    static QString keychainProfile(const QString &hostPort);

Q_SIGNALS:
    /// The proxy refused the credentials it was given (`message` in words).
    void refused(const QString &message);
    /// A prompt was answered or cancelled; waiting requests go on.
    void settled(const QString &hostPort);

private:
    struct Entry
    {
        std::optional<ProxyLogin> login;
        bool refused = false;   ///< the last credentials were refused
        bool cancelled = false; ///< the person did not give any
        bool asking = false;    ///< a prompt (or the keychain) is answering
        bool keychainChecked = false;
        QString why;            ///< why the last credentials are gone
    };

    void provide(const QNetworkProxy &proxy, QAuthenticator *authenticator);
    void onServerChallenge(QNetworkReply *reply, QAuthenticator *authenticator);
    void refuse(const QString &hostPort);
    /// Runs a local event loop until `hostPort` is settled (or this dies).
    void waitFor(const QString &hostPort);
    void readKeychain(const QString &hostPort);
    void ask(const QString &hostPort, const QString &why);

    Prompt m_prompt;
    QPointer<SecretStore> m_store;
    QHash<QString, Entry> m_entries;
    QString m_last; ///< the proxy that asked last
    int m_prompts = 0;
};

} // namespace framecast
