// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/ServerConnection.h"

#include "auth/BrowserSignIn.h"
#include "core/Logging.h"
#include "jobs/JobLifecycle.h"
#include "jobs/JobQueue.h"
#include "net/ProxyAuthenticator.h"
#include "progress/ProgressTransport.h"

namespace framecast {

ServerConnection::ServerConnection(ServerProfile profile, Options options, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
{
    if (m_profile.wsUrl.isEmpty())
        m_profile.wsUrl = defaultWebSocketUrl(m_profile.baseUrl);
    QString networkError;
    NetworkSettings network = m_profile.networkSettings(&networkError).value_or(NetworkSettings{});
    if (!networkError.isEmpty()) // validated when saved; the file may have gone since
        qCWarning(lcNet).noquote() << m_profile.name << networkError;
    m_proxyAuth = options.proxyAuth;
    if (!m_proxyAuth) {
        m_ownProxyAuth = std::make_unique<ProxyAuthenticator>();
        m_proxyAuth = m_ownProxyAuth.get();
    }
    // Qt itself answers the system proxy with http(s)_proxy's user:password;
    // a proxy URL's are known here, so that a refusal of them is said as such.
    if (network.proxy.type() != QNetworkProxy::DefaultProxy)
        m_proxyAuth->addKnown(QStringLiteral("%1:%2").arg(network.proxy.hostName()).arg(network.proxy.port()),
                              network.proxy.user(), network.proxy.password());
    network.proxyAuth = m_proxyAuth;
    network.apply(m_network);
    m_api = std::make_unique<ApiClient>(m_profile.baseUrl, &m_network);
    m_api->setNetworkSettings(network);
    TransportConfig transport;
    transport.baseUrl = m_profile.baseUrl;
    transport.wsUrl = m_profile.wsUrl;
    transport.dialect = m_profile.dialect;
    transport.tokenInQuery = m_profile.tokenInQuery;
    transport.maxReconnects = options.maxReconnects;
    transport.network = network;
    m_transport = std::make_unique<ProgressTransport>(transport, m_api.get());
    m_transport->shareHttp2With(&m_network);
    m_jobs = std::make_unique<JobLifecycle>(m_api.get(), m_transport.get());
    m_jobs->setLedger(options.ledger);
    m_jobs->setVideoFolder(options.videoFolder);
    m_jobs->setOwner(JobOwner{m_profile.name, serverKey(), {}});
    m_queue = std::make_unique<JobQueue>(m_jobs.get());
    m_signIn = std::make_unique<auth::BrowserSignIn>(&m_network);

    connect(m_api.get(), &ApiClient::unauthorized, this, &ServerConnection::sessionExpired);
    connect(m_transport.get(), &ProgressTransport::unauthorized, this, &ServerConnection::sessionExpired);
    connect(m_jobs.get(), &JobLifecycle::accountChanged, this, &ServerConnection::refreshAccount);
    connect(m_queue.get(), &JobQueue::creditsWanted, this, &ServerConnection::refreshAccount);
}

ServerConnection::~ServerConnection()
{
    // Jobs first (their recorders write what is pending), then what they use.
    m_signIn.reset();
    m_queue.reset();
    m_jobs.reset();
    m_transport.reset();
    m_api.reset();
}

ProxyAuthenticator *ServerConnection::proxyAuth() const
{
    return m_proxyAuth;
}

std::optional<int> ServerConnection::knownCredits() const
{
    const QJsonValue credits = m_user.value(QStringLiteral("credits"));
    return credits.isDouble() ? std::optional<int>(credits.toInt()) : std::nullopt;
}

QString ServerConnection::username() const
{
    return m_user.value(QStringLiteral("username")).toString();
}

void ServerConnection::login(const QString &username, const QString &password, Done done)
{
    m_proxyAuth->allowAsking(); // a login the person started may ask for the proxy's credentials again
    m_api->login(username, password, [this, done](const ApiResponse &r) {
        if (!r.ok()) {
            done(r);
            return;
        }
        afterLogin(done);
    });
}

void ServerConnection::loginWithToken(const QByteArray &token, Done done)
{
    m_api->setToken(token);
    afterLogin(done);
}

void ServerConnection::fetchAuthMethods(MethodsDone done)
{
    m_api->authMethods([done](const ApiResponse &r) {
        if (r.error.kind == ApiError::Kind::NotFound) {
            done(auth::AuthMethods{}, {}); // a server that knows passwords only
            return;
        }
        if (!r.ok()) {
            done(auth::AuthMethods{}, r.error.message);
            return;
        }
        QString error;
        const std::optional<auth::AuthMethods> methods = auth::AuthMethods::fromJson(r.json, &error);
        done(methods.value_or(auth::AuthMethods{}), error);
    });
}

void ServerConnection::signInWithBrowser(const QString &providerId, Done done)
{
    const auto fail = [done](ApiError::Kind kind, const QString &message) {
        ApiResponse r;
        r.error.kind = kind;
        r.error.message = message;
        done(r);
    };
    fetchAuthMethods([this, providerId, done, fail](const auth::AuthMethods &methods, const QString &error) {
        if (!error.isEmpty()) {
            fail(ApiError::Kind::Network, error);
            return;
        }
        const auth::OidcProviderInfo *provider = methods.provider(providerId);
        if (!provider) {
            QStringList ids;
            for (const auth::OidcProviderInfo &p : methods.oidc)
                ids << p.id;
            fail(ApiError::Kind::Validation,
                 ids.isEmpty() ? tr("%1 offers no sign-in through the browser").arg(m_profile.name)
                               : tr("%1 offers no sign-in with \"%2\" (it offers: %3)").arg(m_profile.name, providerId, ids.join(QStringLiteral(", "))));
            return;
        }
        disconnect(m_signInDone);
        m_signInDone = connect(m_signIn.get(), &auth::BrowserSignIn::finished, this,
                               [this, done, fail, id = provider->id](const auth::SignInResult &result) {
            disconnect(m_signInDone);
            using Status = auth::SignInResult::Status;
            switch (result.status) {
            case Status::Succeeded:
                m_api->oidcLogin(id, result.idToken, result.nonce, [this, done](const ApiResponse &r) {
                    if (!r.ok()) {
                        done(r);
                        return;
                    }
                    afterLogin(done);
                });
                return;
            case Status::Refused:
                fail(ApiError::Kind::Unauthorized, result.message);
                return;
            case Status::TimedOut:
                fail(ApiError::Kind::Timeout, result.message);
                return;
            case Status::Cancelled:
            case Status::Failed:
                fail(ApiError::Kind::Network, result.message);
                return;
            }
        });
        m_signIn->start(*provider);
    });
}

void ServerConnection::afterLogin(const Done &done)
{
    // A 401 here means the token was refused, not that a session ended.
    m_api->me([this, done](const ApiResponse &r) {
        if (!r.ok()) {
            done(r);
            return;
        }
        const QString previous = m_jobs->owner().username;
        m_user = r.json;
        if (!previous.isEmpty() && previous != username())
            m_jobs->forgetAll(); // another user's jobs are theirs: picked up when they return
        JobOwner owner = m_jobs->owner();
        owner.username = username();
        m_jobs->setOwner(owner);
        m_transport->setToken(m_api->token());
        m_jobs->rewatch(); // jobs followed before the session expired
        m_queue->setCredits(knownCredits());
        m_queue->setLoggedIn(true); // what waited for the login starts
        Q_EMIT loggedIn(m_user);
        Q_EMIT creditsChanged(credits());
        done(r);
    }, /*checkingLogin=*/true);
}

void ServerConnection::logout()
{
    m_jobs->pause();
    m_queue->setLoggedIn(false); // the items wait for the next login
    m_user = {};
    m_api->setToken({});
    m_transport->setToken({});
    Q_EMIT loggedOut();
}

void ServerConnection::refreshAccount()
{
    // Only the newest answer counts: an older one may predate a charge
    // (the queue would start a job the credits no longer pay for).
    const quint64 request = ++m_accountRequests;
    m_api->me([this, request](const ApiResponse &r) {
        if (!r.ok() || request != m_accountRequests)
            return;
        m_user = r.json;
        m_queue->setCredits(knownCredits());
        Q_EMIT creditsChanged(credits());
    });
}

} // namespace framecast
