// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/BrowserSignIn.h"

#include "api/HttpErrorText.h"
#include "auth/OAuthErrorText.h"
#include "core/Logging.h"
#include "security/Redaction.h"
#include "session/ServerProfile.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>

namespace framecast::auth {

namespace {

constexpr qint64 kMaxAnswerBytes = 1 << 20; ///< discovery documents and token answers are a few KiB

QString withoutTrailingSlash(QString s)
{
    while (s.endsWith(QLatin1Char('/')))
        s.chop(1);
    return s;
}

QByteArray formEncode(const QList<std::pair<QByteArray, QByteArray>> &items)
{
    QByteArrayList parts;
    for (const auto &[key, value] : items)
        parts << key + '=' + QUrl::toPercentEncoding(QString::fromUtf8(value));
    return parts.join('&');
}

/// The payload of a JWT, unverified (the backend verifies the signature;
/// the client only checks that the token answers its own request).
QJsonObject jwtPayload(const QByteArray &jwt)
{
    const QList<QByteArray> parts = jwt.split('.');
    if (parts.size() != 3)
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(parts.at(1), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? QJsonDocument::fromJson(*decoded).object() : QJsonObject();
}

/// An endpoint the provider names: https, or http on this computer (a
/// development provider); anything else would carry the code in clear.
bool acceptableEndpoint(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return false;
    if (url.scheme() == QLatin1String("https"))
        return true;
    return url.scheme() == QLatin1String("http") && isLoopbackHost(url.host());
}

} // namespace

BrowserSignIn::BrowserSignIn(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_opener(&BrowserSignIn::openInSystemBrowser)
{
    qRegisterMetaType<SignInResult>();
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        const int s = m_timeoutMs / 1000;
        finish(SignInResult::Status::TimedOut,
               s >= 60 && s % 60 == 0 ? tr("No answer from the browser within %1 min; the sign-in was stopped").arg(s / 60)
                                      : tr("No answer from the browser within %1 s; the sign-in was stopped").arg(s));
    });
}

BrowserSignIn::~BrowserSignIn()
{
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

bool BrowserSignIn::hasDesktopSession()
{
#if defined(Q_OS_WIN) || defined(Q_OS_MACOS)
    return true;
#else
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#endif
}

bool BrowserSignIn::openInSystemBrowser(const QUrl &url)
{
    // QDesktopServices first (it honours QDesktopServices::setUrlHandler),
    // when there is a QGuiApplication; a QCoreApplication (the headless mode)
    // or a platform that cannot open URLs (offscreen) falls back to the
    // desktop's opener.
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance()) && QDesktopServices::openUrl(url))
        return true;
    if (!hasDesktopSession())
        return false;
#if defined(Q_OS_MACOS)
    return QProcess::startDetached(QStringLiteral("open"), {url.toString(QUrl::FullyEncoded)});
#elif defined(Q_OS_UNIX)
    return QProcess::startDetached(QStringLiteral("xdg-open"), {url.toString(QUrl::FullyEncoded)});
#else
    return false;
#endif
}

void BrowserSignIn::start(const OidcProviderInfo &provider)
{
    if (m_running)
        cancel();
    if (m_receiver)
        m_receiver.release()->deleteLater(); // may be inside its own signal
    m_provider = provider;
    m_secrets = PkceSecrets::generate();
    m_running = true;
    m_timeout.start(m_timeoutMs);
    qCDebug(lcAuth).noquote() << "signing in with" << provider.id << "at" << provider.issuer.toString();
    discover();
}

void BrowserSignIn::cancel()
{
    if (m_running)
        finish(SignInResult::Status::Cancelled, tr("The sign-in was cancelled"));
}

QNetworkReply *BrowserSignIn::track(QNetworkReply *reply)
{
    m_reply = reply;
    connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64) {
        if (received > kMaxAnswerBytes)
            reply->abort();
    });
    return reply;
}

void BrowserSignIn::discover()
{
    QUrl url(withoutTrailingSlash(m_provider.issuer.toString()) + QStringLiteral("/.well-known/openid-configuration"));
    QNetworkRequest r(url);
    r.setRawHeader("Accept", "application/json");
    r.setTransferTimeout(m_requestTimeoutMs);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply *reply = track(m_network->get(r));
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onDiscovery(reply); });
}

void BrowserSignIn::onDiscovery(QNetworkReply *reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 0) {
        finish(SignInResult::Status::Failed, tr("Cannot reach the sign-in provider %1: %2").arg(m_provider.issuer.host(), reply->errorString()));
        return;
    }
    if (status != 200) {
        finish(SignInResult::Status::Failed, tr("The sign-in provider's configuration could not be read: %1")
                                                 .arg(HttpErrorText::describe(status, body)));
        return;
    }
    const QJsonObject config = QJsonDocument::fromJson(body).object();
    m_issuer = config.value(QStringLiteral("issuer")).toString();
    m_authorizationEndpoint = QUrl(config.value(QStringLiteral("authorization_endpoint")).toString(), QUrl::StrictMode);
    m_tokenEndpoint = QUrl(config.value(QStringLiteral("token_endpoint")).toString(), QUrl::StrictMode);
    m_issSupported = config.value(QStringLiteral("authorization_response_iss_parameter_supported")).toBool(false);
    const QJsonValue methods = config.value(QStringLiteral("code_challenge_methods_supported"));
    // OpenID Connect Discovery §4.3: the document must be the issuer's own.
    if (withoutTrailingSlash(m_issuer) != withoutTrailingSlash(m_provider.issuer.toString())) {
        finish(SignInResult::Status::Failed, tr("The sign-in provider's configuration names another issuer (%1, not %2)")
                                                 .arg(m_issuer.left(200), m_provider.issuer.toString()));
        return;
    }
    if (!acceptableEndpoint(m_authorizationEndpoint) || !acceptableEndpoint(m_tokenEndpoint)) {
        finish(SignInResult::Status::Failed, tr("The sign-in provider's configuration has no usable authorization or token endpoint (https is required)"));
        return;
    }
    if (methods.isArray() && !methods.toArray().contains(QStringLiteral("S256"))) {
        finish(SignInResult::Status::Failed, tr("The sign-in provider does not support PKCE with S256, which Framecast requires"));
        return;
    }
    openBrowser();
}

void BrowserSignIn::openBrowser()
{
    m_receiver = std::make_unique<LoopbackReceiver>();
    QString error;
    if (!m_receiver->listen(QHostAddress(m_provider.loopbackHost), &error)) {
        finish(SignInResult::Status::Failed, error);
        return;
    }
    m_receiver->expect(m_secrets.state, m_issuer, m_issSupported);
    connect(m_receiver.get(), &LoopbackReceiver::codeReceived, this, &BrowserSignIn::redeem);
    connect(m_receiver.get(), &LoopbackReceiver::refused, this,
            [this](const QString &message, const QString &providerError) { finish(SignInResult::Status::Refused, message, providerError); });

    const QByteArray query = formEncode({{"response_type", "code"},
                                         {"client_id", m_provider.clientId.toUtf8()},
                                         {"redirect_uri", m_receiver->redirectUri().toEncoded()},
                                         {"scope", m_provider.scopes.join(QLatin1Char(' ')).toUtf8()},
                                         {"state", m_secrets.state},
                                         {"nonce", m_secrets.nonceHash},
                                         {"code_challenge", m_secrets.codeChallenge},
                                         {"code_challenge_method", "S256"}});
    const QByteArray endpoint = m_authorizationEndpoint.toEncoded();
    const QByteArray encoded = endpoint + (m_authorizationEndpoint.hasQuery() ? '&' : '?') + query;
    const QUrl url = QUrl::fromEncoded(encoded, QUrl::StrictMode);
    m_authorizationUrl = url;
    Q_EMIT authorizationUrlReady(url);
    if (m_opener && !m_opener(url))
        qCWarning(lcAuth).noquote() << "no browser could be opened; open the sign-in address by hand";
    if (m_running)
        Q_EMIT waitingForBrowser();
}

void BrowserSignIn::redeem(const QByteArray &code)
{
    QList<std::pair<QByteArray, QByteArray>> form{{"grant_type", "authorization_code"},
                                                  {"code", code},
                                                  {"redirect_uri", m_receiver->redirectUri().toEncoded()},
                                                  {"client_id", m_provider.clientId.toUtf8()},
                                                  {"code_verifier", m_secrets.codeVerifier}};
    if (!m_provider.clientSecret.isEmpty())
        form.append({"client_secret", m_provider.clientSecret.toUtf8()});
    QNetworkRequest r(m_tokenEndpoint);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    r.setRawHeader("Accept", "application/json");
    r.setTransferTimeout(m_requestTimeoutMs);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = track(m_network->post(r, formEncode(form)));
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onToken(reply); });
}

void BrowserSignIn::onToken(QNetworkReply *reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    for (const char *name : {"id_token", "access_token", "refresh_token"})
        redaction::registerSecret(json.value(QLatin1String(name)).toString());
    if (status == 0) {
        finish(SignInResult::Status::Failed, tr("Cannot reach the sign-in provider %1: %2").arg(m_tokenEndpoint.host(), reply->errorString()));
        return;
    }
    // RFC 6749 §5.2: the token endpoint's refusal is JSON with `error`.
    if (json.contains(QStringLiteral("error"))) {
        finish(SignInResult::Status::Refused,
               describeOAuthError(json.value(QStringLiteral("error")).toString(), json.value(QStringLiteral("error_description")).toString()),
               json.value(QStringLiteral("error")).toString().left(100));
        return;
    }
    if (status != 200) {
        finish(SignInResult::Status::Failed, tr("The sign-in provider's token endpoint answered: %1").arg(HttpErrorText::describe(status, body)));
        return;
    }
    const QByteArray idToken = json.value(QStringLiteral("id_token")).toString().toUtf8();
    if (idToken.isEmpty()) {
        finish(SignInResult::Status::Failed, tr("The sign-in provider's answer has no id_token (is \"openid\" among the scopes?)"));
        return;
    }
    // Not verified here (the backend does that): only whether the token
    // answers this very request, so a token for another sign-in is not sent.
    if (jwtPayload(idToken).value(QStringLiteral("nonce")).toString().toUtf8() != m_secrets.nonceHash) {
        finish(SignInResult::Status::Refused, tr("The provider's id_token does not belong to this sign-in (its nonce does not match)"));
        return;
    }
    SignInResult result;
    result.status = SignInResult::Status::Succeeded;
    result.idToken = idToken;
    result.nonce = m_secrets.nonce;
    m_running = false;
    m_timeout.stop();
    qCDebug(lcAuth).noquote() << "the provider" << m_provider.id << "signed the user in";
    Q_EMIT finished(result);
}

void BrowserSignIn::finish(SignInResult::Status status, const QString &message, const QString &providerError)
{
    if (!m_running)
        return;
    m_running = false;
    m_timeout.stop();
    if (m_receiver)
        m_receiver->close();
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
    }
    SignInResult result;
    result.status = status;
    result.message = message;
    result.providerError = providerError;
    qCDebug(lcAuth).noquote() << "the sign-in with" << m_provider.id << "ended:" << message;
    Q_EMIT finished(result);
}

} // namespace framecast::auth
