// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/ApiClient.h"
#include "auth/AuthMethods.h"
#include "session/ServerProfile.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace framecast {

namespace auth {
class BrowserSignIn;
}
class JobLifecycle;
class JobQueue;
class Ledger;
class ProgressTransport;
class ProxyAuthenticator;

/// Everything of one server, for one user at a time: its network manager,
/// REST client, progress transport (SSE streams or its WebSocket), the jobs
/// and their downloads (JobLifecycle). Nothing of it is ever sent to another
/// origin; logging out of it, or switching to another server, leaves other
/// connections alone.
class ServerConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerConnection)

public:
    struct Options
    {
        QString videoFolder;
        Ledger *ledger = nullptr;
        /// Failed reconnects in a row before a stream gives up.
        int maxReconnects = 10;
        /// Answers the proxy's 407 (the window's prompt and keychain);
        /// null: the connection's own, with what the proxy URL or
        /// http(s)_proxy carry and no prompt (the headless mode).
        ProxyAuthenticator *proxyAuth = nullptr;
    };

    /// `profile` with its URLs resolved (the built-in demo's already running).
    ServerConnection(ServerProfile profile, Options options, QObject *parent = nullptr);
    ~ServerConnection() override;

    const ServerProfile &profile() const { return m_profile; }
    QString serverKey() const { return m_profile.serverKey(); }
    ApiClient *api() const { return m_api.get(); }
    JobLifecycle *jobs() const { return m_jobs.get(); }
    /// Jobs asked for and not started yet: started through jobs() as this
    /// server and the account's credits allow.
    JobQueue *queue() const { return m_queue.get(); }
    ProgressTransport *transport() const { return m_transport.get(); }
    ProxyAuthenticator *proxyAuth() const;

    /// Logs in; `done` gets the answer (also on success, after users/me).
    using Done = std::function<void(const ApiResponse &)>;
    void login(const QString &username, const QString &password, Done done);
    /// Checks a token (typed, or kept from an earlier launch) with users/me.
    void loginWithToken(const QByteArray &token, Done done);
    /// GET /auth/methods; a 404 is "passwords only" (no error). `error`
    /// says why the methods are unknown (unreachable, malformed).
    using MethodsDone = std::function<void(const auth::AuthMethods &methods, const QString &error)>;
    void fetchAuthMethods(MethodsDone done);
    /// PROTOCOL §2.1: the server's provider `providerId` in the system
    /// browser (browserSignIn() does it), then /auth/oidc/token and users/me;
    /// `done` as for login(). The browser part's refusal comes as
    /// Unauthorized, its timeout as Timeout, a cancel or an unreachable
    /// provider as Network, each with its message in words.
    void signInWithBrowser(const QString &providerId, Done done);
    /// The browser part of signInWithBrowser (its URL, its cancel, its timeout).
    auth::BrowserSignIn *browserSignIn() const { return m_signIn.get(); }
    /// Stops following jobs and forgets the token; the jobs stay.
    void logout();

    bool isLoggedIn() const { return !m_user.isEmpty(); }
    QJsonObject user() const { return m_user; }
    QString username() const;
    int credits() const { return m_user.value(QStringLiteral("credits")).toInt(); }
    /// The credits, when the server says how many (users/me).
    std::optional<int> knownCredits() const;
    /// users/me again (after a video was charged).
    void refreshAccount();

Q_SIGNALS:
    void loggedIn(const QJsonObject &user);
    void loggedOut();
    void creditsChanged(int credits);
    /// A call or a stream answered 401 after login: log in again (jobs are kept).
    void sessionExpired(const QString &message);

private:
    void afterLogin(const Done &done);

    ServerProfile m_profile;
    std::unique_ptr<ProxyAuthenticator> m_ownProxyAuth;
    QPointer<ProxyAuthenticator> m_proxyAuth;
    QNetworkAccessManager m_network;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<ProgressTransport> m_transport;
    std::unique_ptr<JobLifecycle> m_jobs;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<auth::BrowserSignIn> m_signIn;
    QMetaObject::Connection m_signInDone;
    QJsonObject m_user;
    quint64 m_accountRequests = 0; ///< users/me asked for by refreshAccount
};

} // namespace framecast
