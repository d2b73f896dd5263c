// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/DemoOidc.h"

#include "core/Logging.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace framecast::demo {

namespace {
constexpr qint64 kMaxJsonBytes = 1 << 20;

DemoOidc::Verdict refuse(int status, const QString &detail)
{
    DemoOidc::Verdict v;
    v.status = status;
    v.detail = detail;
    return v;
}

QString issuerString(const QUrl &issuer)
{
    return issuer.toString(QUrl::FullyEncoded);
}
} // namespace

DemoOidc::DemoOidc(DemoOidcSpec spec, int clockSkewS, int fetchTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_skewS(clockSkewS)
    , m_fetchTimeoutMs(fetchTimeoutMs)
{
    m_nam.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

QJsonObject DemoOidc::methodEntry() const
{
    return {{QStringLiteral("id"), m_spec.id},
            {QStringLiteral("display_name"), m_spec.displayName},
            {QStringLiteral("issuer"), issuerString(m_spec.issuer)},
            {QStringLiteral("client_id"), m_spec.clientIds.value(0)},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(m_spec.scopes)},
            {QStringLiteral("loopback_host"), QStringLiteral("127.0.0.1")}};
}

void DemoOidc::fetchJson(const QUrl &url, std::function<void(const QJsonObject &, const QString &)> then)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(m_fetchTimeoutMs);
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = m_nam.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, then = std::move(then)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            // The transfer timeout ends a request as "Operation canceled": say what happened.
            const QString why = status ? QStringLiteral("HTTP %1").arg(status)
                                : reply->error() == QNetworkReply::OperationCanceledError
                                    ? QStringLiteral("no answer within %1 ms (timed out)").arg(m_fetchTimeoutMs)
                                    : reply->errorString();
            then({}, QStringLiteral("%1: %2").arg(url.toString(), why));
            return;
        }
        const QByteArray body = reply->read(kMaxJsonBytes + 1);
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (body.size() > kMaxJsonBytes || !doc.isObject()) {
            then({}, QStringLiteral("%1: not a JSON object").arg(url.toString()));
            return;
        }
        then(doc.object(), {});
    });
}

void DemoOidc::refreshKeys(KeysReady ready)
{
    m_waiting.append(std::move(ready));
    if (m_refreshing)
        return; // the fetch under way answers every waiter
    m_refreshing = true;
    auto fetchKeys = [this] {
        ++m_jwksFetches;
        fetchJson(m_jwksUri, [this](const QJsonObject &jwks, const QString &error) {
            if (error.isEmpty()) {
                int skipped = 0;
                m_keys = jws::parseKeySet(jwks, &skipped);
                qCDebug(lcDemo) << "OIDC: JWKS has" << m_keys.size() << "usable keys," << skipped << "skipped";
            }
            finishRefresh(error);
        });
    };
    if (!m_jwksUri.isEmpty()) {
        fetchKeys();
        return;
    }
    QUrl discovery = m_spec.issuer;
    discovery.setPath(discovery.path().chopped(discovery.path().endsWith(QLatin1Char('/')) ? 1 : 0)
                      + QStringLiteral("/.well-known/openid-configuration"));
    fetchJson(discovery, [this, fetchKeys](const QJsonObject &config, const QString &error) {
        if (!error.isEmpty()) {
            finishRefresh(error);
            return;
        }
        // Discovery §4.3: the document's issuer is exactly the one configured.
        if (config.value(QStringLiteral("issuer")).toString() != issuerString(m_spec.issuer)) {
            finishRefresh(QStringLiteral("the provider's discovery names issuer \"%1\", not \"%2\"")
                              .arg(config.value(QStringLiteral("issuer")).toString(), issuerString(m_spec.issuer)));
            return;
        }
        const QUrl jwksUri(config.value(QStringLiteral("jwks_uri")).toString(), QUrl::StrictMode);
        if (!jwksUri.isValid() || (jwksUri.scheme() != QLatin1String("https") && jwksUri.scheme() != m_spec.issuer.scheme())) {
            finishRefresh(QStringLiteral("the provider's discovery has no usable jwks_uri"));
            return;
        }
        m_jwksUri = jwksUri;
        fetchKeys();
    });
}

void DemoOidc::finishRefresh(const QString &error)
{
    if (!error.isEmpty())
        qCWarning(lcDemo) << "OIDC: cannot read the provider's keys:" << error;
    m_refreshing = false;
    const QList<KeysReady> waiting = std::exchange(m_waiting, {});
    for (const KeysReady &ready : waiting)
        ready(error);
}

void DemoOidc::verify(const QByteArray &idToken, const QString &nonce, Done done)
{
    auto answer = [this, done](const Verdict &v) { QTimer::singleShot(0, this, [done, v] { done(v); }); };
    QString why;
    const auto token = jws::parse(idToken, &why);
    if (!token) {
        answer(refuse(401, QStringLiteral("The id_token is malformed: %1").arg(why)));
        return;
    }
    const QString alg = token->alg();
    if (alg != QLatin1String("RS256") && alg != QLatin1String("ES256")) {
        answer(refuse(401, QStringLiteral("The id_token is signed with \"%1\"; only RS256 and ES256 are accepted").arg(alg)));
        return;
    }
    forgetExpiredUses();
    if (m_used.contains(QCryptographicHash::hash(idToken, QCryptographicHash::Sha256))) {
        answer(refuse(401, QStringLiteral("This id_token was already used; sign in again")));
        return;
    }
    if (m_keys.contains(token->kid())) {
        accept(idToken, *token, nonce, answer);
        return;
    }
    // Not seen yet (first sign-in, or the provider rotated its keys): fetch the JWKS again.
    refreshKeys([this, idToken, parsed = *token, nonce, answer](const QString &error) {
        if (!error.isEmpty())
            answer(refuse(503, QStringLiteral("The sign-in provider is unavailable: %1").arg(error)));
        else if (!m_keys.contains(parsed.kid()))
            answer(refuse(401, QStringLiteral("The id_token's signing key (kid \"%1\") is not one of the provider's").arg(parsed.kid())));
        else
            accept(idToken, parsed, nonce, answer);
    });
}

void DemoOidc::accept(const QByteArray &idToken, const jws::Compact &token, const QString &nonce, const Done &done)
{
    if (!m_keys.value(token.kid())->verify(token.alg(), token.signingInput, token.signature)) {
        done(refuse(401, QStringLiteral("The id_token's signature is not valid")));
        return;
    }
    const Verdict verdict = checkClaims(token, nonce);
    const QByteArray hash = QCryptographicHash::hash(idToken, QCryptographicHash::Sha256);
    if (verdict.status == 200) {
        // Checked again here: two copies may have waited for the same key fetch.
        if (m_used.contains(hash)) {
            done(refuse(401, QStringLiteral("This id_token was already used; sign in again")));
            return;
        }
        m_used.insert(hash, token.payload.value(QStringLiteral("exp")).toInteger());
    }
    done(verdict);
}

DemoOidc::Verdict DemoOidc::checkClaims(const jws::Compact &token, const QString &nonce) const
{
    const QJsonObject &c = token.payload;
    if (c.value(QStringLiteral("iss")).toString() != issuerString(m_spec.issuer))
        return refuse(401, QStringLiteral("The id_token was issued by \"%1\", not by the configured provider")
                               .arg(c.value(QStringLiteral("iss")).toString()));
    const QJsonValue aud = c.value(QStringLiteral("aud"));
    QStringList audiences;
    if (aud.isArray()) {
        for (const QJsonValue &a : aud.toArray())
            audiences << a.toString();
    } else {
        audiences << aud.toString();
    }
    const auto allowed = [this](const QString &a) { return m_spec.clientIds.contains(a); };
    // OIDC Core §3.1.3.7: several audiences need an allowed authorized party.
    const QString azp = c.value(QStringLiteral("azp")).toString();
    if (!std::any_of(audiences.cbegin(), audiences.cend(), allowed) || (audiences.size() > 1 && !allowed(azp))
        || (!azp.isEmpty() && !allowed(azp)))
        return refuse(401, QStringLiteral("The id_token is for another application (audience %1)").arg(audiences.join(QLatin1Char(','))));
    const qint64 now = m_clock();
    const QJsonValue exp = c.value(QStringLiteral("exp"));
    const QJsonValue iat = c.value(QStringLiteral("iat"));
    if (!exp.isDouble() || !iat.isDouble())
        return refuse(401, QStringLiteral("The id_token has no exp or iat"));
    if (now > exp.toInteger() + m_skewS)
        return refuse(401, QStringLiteral("The id_token has expired; sign in again"));
    if (iat.toInteger() > now + m_skewS)
        return refuse(401, QStringLiteral("The id_token was issued in the future; check the clocks"));
    const QByteArray expected = jws::base64urlEncode(QCryptographicHash::hash(nonce.toUtf8(), QCryptographicHash::Sha256));
    if (nonce.isEmpty() || c.value(QStringLiteral("nonce")).toString().toLatin1() != expected)
        return refuse(401, QStringLiteral("The id_token's nonce does not match this sign-in"));
    const QString email = c.value(QStringLiteral("email")).toString();
    if (email.isEmpty())
        return refuse(403, QStringLiteral("The provider did not share an email address; allow the email scope"));
    if (c.value(QStringLiteral("email_verified")) != QJsonValue(true))
        return refuse(403, QStringLiteral("The email address %1 is not verified with the provider").arg(email));
    Verdict ok;
    ok.email = email;
    ok.subject = c.value(QStringLiteral("sub")).toString();
    return ok;
}

void DemoOidc::forgetExpiredUses()
{
    // An expired id_token is refused anyway: no need to remember it was used.
    const qint64 now = m_clock();
    for (auto it = m_used.begin(); it != m_used.end();) {
        if (it.value() + m_skewS < now)
            it = m_used.erase(it);
        else
            ++it;
    }
}

} // namespace framecast::demo
