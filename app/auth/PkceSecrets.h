// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace framecast::auth {

/// base64url without padding (RFC 7636 Appendix A, RFC 4648 §5).
QByteArray base64Url(const QByteArray &bytes);
/// `bytes` random bytes from the operating system's generator
/// (QRandomGenerator::system(): getrandom/CryptGenRandom/arc4random), never
/// a seeded pseudo-random one, as base64url.
QByteArray randomToken(int bytes);
/// The S256 code challenge of a PKCE verifier: base64url(SHA-256(verifier)).
QByteArray s256(const QByteArray &verifier);

/// The one-use values of one browser sign-in (PROTOCOL §2.1).
struct PkceSecrets
{
    /// 32 random bytes → 43 characters, the RFC 7636 §4.1 minimum of entropy.
    QByteArray codeVerifier;
    QByteArray codeChallenge; ///< s256(codeVerifier)
    /// 32 random bytes (256 bits, ≥128 as PROTOCOL §2.1 asks).
    QByteArray state;
    /// The raw nonce, sent to the backend only; the provider gets nonceHash.
    QByteArray nonce;
    QByteArray nonceHash; ///< base64url(SHA-256(nonce))

    static constexpr int kRandomBytes = 32;
    /// Fresh values; each is also registered with the redaction point.
    static PkceSecrets generate();
};

} // namespace framecast::auth
