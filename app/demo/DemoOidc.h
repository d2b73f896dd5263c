// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoConfig.h"
#include "demo/Jws.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>

#include <functional>

namespace framecast::demo {

/// The demo backend's side of signing in through the browser (PROTOCOL.md
/// §2.1 step 4): it checks an id_token from the configured OpenID provider
/// for real. Discovery and the JWKS are fetched asynchronously (the server's
/// event loop never blocks) and cached; an unknown `kid` fetches the JWKS
/// again once (the provider rotated its keys). Concurrent checks that need
/// the keys share one fetch.
class DemoOidc final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoOidc)

public:
    /// A check's outcome: 200 with the verified email and subject, or the
    /// status (401 invalid, 403 no account may sign in this way, 503 the
    /// provider cannot be reached) and a `detail` for the user.
    struct Verdict
    {
        int status = 200;
        QString detail;
        QString email;
        QString subject;
    };
    using Done = std::function<void(const Verdict &)>;
    /// The clock, for tests; seconds since the epoch.
    using Clock = std::function<qint64()>;

    DemoOidc(DemoOidcSpec spec, int clockSkewS, int fetchTimeoutMs, QObject *parent = nullptr);

    const DemoOidcSpec &spec() const { return m_spec; }
    /// This provider's entry in GET /api/v1/auth/methods.
    QJsonObject methodEntry() const;
    /// Checks `idToken` and its raw `nonce`; `done` runs later, from the event loop.
    void verify(const QByteArray &idToken, const QString &nonce, Done done);
    void setClock(Clock clock) { m_clock = std::move(clock); }
    /// How many times the JWKS was fetched.
    int jwksFetches() const { return m_jwksFetches; }

private:
    using KeysReady = std::function<void(const QString &error)>;
    /// Fetches discovery (once) and the JWKS, then calls every waiter.
    void refreshKeys(KeysReady ready);
    void fetchJson(const QUrl &url, std::function<void(const QJsonObject &, const QString &error)> then);
    void finishRefresh(const QString &error);
    Verdict checkClaims(const jws::Compact &token, const QString &nonce) const;
    void accept(const QByteArray &idToken, const jws::Compact &token, const QString &nonce, const Done &done);
    void forgetExpiredUses();

    DemoOidcSpec m_spec;
    int m_skewS;
    int m_fetchTimeoutMs;
    Clock m_clock = [] { return QDateTime::currentSecsSinceEpoch(); };
    QNetworkAccessManager m_nam;
    QUrl m_jwksUri; ///< from discovery; empty until read
    jws::KeySet m_keys;
    bool m_refreshing = false;
    QList<KeysReady> m_waiting;
    int m_jwksFetches = 0;
    QHash<QByteArray, qint64> m_used; ///< SHA-256 of accepted id_tokens → their exp
};

} // namespace framecast::demo
