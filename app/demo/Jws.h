// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Compact JWS (RFC 7515) and JWK (RFC 7517) for the demo backend's id_token
// check (PROTOCOL.md §2.1): RS256 and ES256 only, verified with OpenSSL's
// libcrypto. Why libcrypto: it is maintained, it is already in Framecast's
// dependency set (Qt's TLS backend is OpenSSL), and Debian 12 packs no
// maintained C/C++ JOSE library (libcjose is unmaintained upstream).

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

namespace framecast::demo::jws {

/// A compact JWS taken apart (nothing verified yet).
struct Compact
{
    QJsonObject header;
    QJsonObject payload;
    QByteArray signingInput; ///< "base64url(header).base64url(payload)", what the signature covers
    QByteArray signature;    ///< decoded
    QString alg() const { return header.value(QStringLiteral("alg")).toString(); }
    QString kid() const { return header.value(QStringLiteral("kid")).toString(); }
};

/// Splits and decodes `token`; nullopt with the reason in `error` when it is
/// not three base64url parts holding a JSON header and payload.
std::optional<Compact> parse(const QByteArray &token, QString *error);

/// Strict base64url without padding (RFC 7515 §2); nullopt on anything else.
std::optional<QByteArray> base64urlDecode(const QByteArray &text);
QByteArray base64urlEncode(const QByteArray &data);

/// A public signing key from a JWK: RSA (at least 2048 bits) for RS256, or
/// EC P-256 for ES256.
class PublicKey final
{
public:
    ~PublicKey();
    PublicKey(const PublicKey &) = delete;
    PublicKey &operator=(const PublicKey &) = delete;

    /// Null with the reason in `error` for a key this cannot use.
    static std::shared_ptr<const PublicKey> fromJwk(const QJsonObject &jwk, QString *error);

    /// "RS256" or "ES256".
    QString alg() const { return m_alg; }
    /// Whether `signature` (JOSE form: PKCS#1 v1.5 for RS256, r||s for ES256)
    /// signs `input` with this key under `alg`; false for any other alg.
    bool verify(const QString &alg, const QByteArray &input, const QByteArray &signature) const;

private:
    PublicKey(void *pkey, QString alg);
    void *m_pkey; ///< EVP_PKEY, kept out of this header
    QString m_alg;
};

using KeySet = QHash<QString, std::shared_ptr<const PublicKey>>;

/// The signing keys of a JWKS document by kid (keys for encryption, of other
/// types or without a kid are left out; `skipped` counts them).
KeySet parseKeySet(const QJsonObject &jwks, int *skipped = nullptr);

} // namespace framecast::demo::jws
