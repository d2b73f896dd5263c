// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/AuthMethods.h"
#include "auth/LoopbackReceiver.h"
#include "auth/PkceSecrets.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace framecast::auth {

/// How a browser sign-in ended (qBittorrent's DownloadResult shape).
struct SignInResult
{
    enum class Status {
        Succeeded,
        Refused,   ///< by the provider (access_denied, invalid_grant…) or by Framecast (state, iss)
        TimedOut,
        Cancelled,
        Failed,    ///< the provider could not be reached, or answered out of contract
    };
    Status status = Status::Failed;
    QString message;      ///< in words, for the user
    QString providerError; ///< the OAuth `error` code, when there was one
    QByteArray idToken;   ///< Succeeded: to be sent once to the backend
    QByteArray nonce;     ///< Succeeded: the raw nonce, for the backend
};

/// PROTOCOL §2.1 steps 2–3, RFC 8252: discovery, a loopback listener, the
/// system browser at the authorization endpoint (PKCE S256, state, the
/// nonce's hash), one callback, the code redeemed with the code_verifier.
/// The backend call (step 4) is the caller's (ServerConnection).
///
/// Nothing is logged but the steps; code, tokens, verifier and raw nonce are
/// registered with the redaction point as soon as they exist.
class BrowserSignIn final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserSignIn)

public:
    /// Opens the URL in the system browser; false when none could be opened.
    using BrowserOpener = std::function<bool(const QUrl &url)>;
    static constexpr int kDefaultTimeoutMs = 5 * 60 * 1000;

    explicit BrowserSignIn(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~BrowserSignIn() override;

    /// Default: QDesktopServices::openUrl. Null: the browser is not opened
    /// (--no-browser); the URL still comes through authorizationUrlReady.
    void setBrowserOpener(BrowserOpener opener) { m_opener = std::move(opener); }
    /// The whole sign-in, from discovery to the token (default 5 minutes).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    /// Every request to the provider (discovery, token endpoint).
    void setRequestTimeoutMs(int ms) { m_requestTimeoutMs = ms; }

    void start(const OidcProviderInfo &provider);
    /// Stops waiting, closes the port; finished(Cancelled).
    void cancel();
    bool isRunning() const { return m_running; }
    const OidcProviderInfo &provider() const { return m_provider; }
    /// The authorization URL of the current (or last) sign-in.
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    /// The listener, while it waits (tests look at its address).
    const LoopbackReceiver *receiver() const { return m_receiver.get(); }

    /// The system browser's default opener (QDesktopServices::openUrl, which
    /// needs a QGuiApplication; xdg-open/open otherwise).
    static bool openInSystemBrowser(const QUrl &url);
    /// Whether a desktop session exists to open a browser in.
    static bool hasDesktopSession();

Q_SIGNALS:
    /// The authorization URL (shown in the terminal, or to copy by hand).
    void authorizationUrlReady(const QUrl &url);
    /// The browser was opened (or the URL printed): waiting for its answer.
    void waitingForBrowser();
    void finished(const framecast::auth::SignInResult &result);

private:
    void discover();
    void onDiscovery(QNetworkReply *reply);
    void openBrowser();
    void redeem(const QByteArray &code);
    void onToken(QNetworkReply *reply);
    void finish(SignInResult::Status status, const QString &message, const QString &providerError = {});
    QNetworkReply *track(QNetworkReply *reply);

    QPointer<QNetworkAccessManager> m_network;
    BrowserOpener m_opener;
    int m_timeoutMs = kDefaultTimeoutMs;
    int m_requestTimeoutMs = 30000;
    bool m_running = false;
    OidcProviderInfo m_provider;
    PkceSecrets m_secrets;
    QUrl m_authorizationEndpoint;
    QUrl m_tokenEndpoint;
    QUrl m_authorizationUrl;
    QString m_issuer;
    bool m_issSupported = false;
    std::unique_ptr<LoopbackReceiver> m_receiver;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timeout;
};

} // namespace framecast::auth

Q_DECLARE_METATYPE(framecast::auth::SignInResult)
