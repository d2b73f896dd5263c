// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/PkceSecrets.h"

#include "security/Redaction.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace framecast::auth {

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    // system(): the OS's cryptographically secure source, thread-safe.
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / int(sizeof(quint32)));
    for (int i = bytes - bytes % int(sizeof(quint32)); i < bytes; ++i)
        raw[i] = char(QRandomGenerator::system()->bounded(256));
    return base64Url(raw);
}

QByteArray s256(const QByteArray &verifier)
{
    return base64Url(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256));
}

PkceSecrets PkceSecrets::generate()
{
    PkceSecrets s;
    s.codeVerifier = randomToken(kRandomBytes);
    s.codeChallenge = s256(s.codeVerifier);
    s.state = randomToken(kRandomBytes);
    s.nonce = randomToken(kRandomBytes);
    s.nonceHash = s256(s.nonce);
    // The verifier and the raw nonce are secrets of this sign-in: no log
    // line carries them (the challenge, state and hash travel in the URL).
    redaction::registerSecret(s.codeVerifier);
    redaction::registerSecret(s.nonce);
    return s;
}

} // namespace framecast::auth
