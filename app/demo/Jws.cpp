// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/Jws.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace framecast::demo::jws {

namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kP256Size = 32;

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

Bignum bignum(const QByteArray &bytes)
{
    return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), nullptr));
}

std::optional<QByteArray> member(const QJsonObject &jwk, const char *name)
{
    const QJsonValue v = jwk.value(QLatin1String(name));
    if (!v.isString())
        return std::nullopt;
    return base64urlDecode(v.toString().toLatin1());
}

/// EVP_PKEY_fromdata for a public key of `type` ("RSA", "EC") from `params`.
EVP_PKEY *fromData(const char *type, OSSL_PARAM_BLD *builder)
{
    const Params params(OSSL_PARAM_BLD_to_param(builder));
    const PkeyContext ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return nullptr;
    return pkey;
}

/// JOSE's ES256 signature is r||s, 32 bytes each; libcrypto wants DER.
QByteArray ecdsaDer(const QByteArray &raw)
{
    if (raw.size() != 2 * kP256Size)
        return {};
    EcdsaSig sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()), kP256Size, nullptr);
    BIGNUM *s = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()) + kP256Size, kP256Size, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (size <= 0)
        return {};
    QByteArray der(size, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    i2d_ECDSA_SIG(sig.get(), &out);
    return der;
}

} // namespace

std::optional<QByteArray> base64urlDecode(const QByteArray &text)
{
    if (text.contains('='))
        return std::nullopt;
    auto result = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

QByteArray base64urlEncode(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<Compact> parse(const QByteArray &token, QString *error)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3) {
        *error = QStringLiteral("not a compact JWS (three dot-separated parts)");
        return std::nullopt;
    }
    const auto header = base64urlDecode(parts.at(0));
    const auto payload = base64urlDecode(parts.at(1));
    const auto signature = base64urlDecode(parts.at(2));
    if (!header || !payload || !signature) {
        *error = QStringLiteral("a part is not base64url");
        return std::nullopt;
    }
    const QJsonDocument h = QJsonDocument::fromJson(*header);
    const QJsonDocument p = QJsonDocument::fromJson(*payload);
    if (!h.isObject() || !p.isObject()) {
        *error = QStringLiteral("the header or the payload is not a JSON object");
        return std::nullopt;
    }
    Compact c;
    c.header = h.object();
    c.payload = p.object();
    c.signingInput = parts.at(0) + '.' + parts.at(1);
    c.signature = *signature;
    return c;
}

PublicKey::PublicKey(void *pkey, QString alg)
    : m_pkey(pkey)
    , m_alg(std::move(alg))
{
}

PublicKey::~PublicKey()
{
    EVP_PKEY_free(static_cast<EVP_PKEY *>(m_pkey));
}

std::shared_ptr<const PublicKey> PublicKey::fromJwk(const QJsonObject &jwk, QString *error)
{
    const QString kty = jwk.value(QStringLiteral("kty")).toString();
    const QString declared = jwk.value(QStringLiteral("alg")).toString();
    const ParamBuilder builder(OSSL_PARAM_BLD_new());
    EVP_PKEY *pkey = nullptr;
    QString alg;
    if (kty == QLatin1String("RSA")) {
        alg = QStringLiteral("RS256");
        const auto n = member(jwk, "n");
        const auto e = member(jwk, "e");
        if (!n || !e || n->isEmpty() || e->isEmpty()) {
            *error = QStringLiteral("an RSA key needs base64url n and e");
            return nullptr;
        }
        const Bignum bn = bignum(*n);
        const Bignum be = bignum(*e);
        if (!builder || !bn || !be || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) != 1
            || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, be.get()) != 1)
            return nullptr;
        pkey = fromData("RSA", builder.get());
        if (pkey && EVP_PKEY_get_bits(pkey) < kMinRsaBits) {
            EVP_PKEY_free(pkey);
            *error = QStringLiteral("RSA keys under %1 bits are refused").arg(kMinRsaBits);
            return nullptr;
        }
    } else if (kty == QLatin1String("EC")) {
        alg = QStringLiteral("ES256");
        const auto x = member(jwk, "x");
        const auto y = member(jwk, "y");
        if (jwk.value(QStringLiteral("crv")).toString() != QLatin1String("P-256") || !x || !y
            || x->size() != kP256Size || y->size() != kP256Size) {
            *error = QStringLiteral("only P-256 EC keys (ES256) are supported");
            return nullptr;
        }
        const QByteArray point = QByteArray(1, '\x04') + *x + *y; // uncompressed SEC1 point
        if (!builder
            || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1
            || OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                                size_t(point.size()))
                   != 1)
            return nullptr;
        pkey = fromData("EC", builder.get());
    } else {
        *error = QStringLiteral("key type \"%1\" is not supported (RSA and EC P-256 are)").arg(kty);
        return nullptr;
    }
    if (!pkey) {
        *error = QStringLiteral("libcrypto refused the %1 key").arg(kty);
        return nullptr;
    }
    if (!declared.isEmpty() && declared != alg) {
        EVP_PKEY_free(pkey);
        *error = QStringLiteral("the key is declared for %1, which is not supported").arg(declared);
        return nullptr;
    }
    return std::shared_ptr<const PublicKey>(new PublicKey(pkey, alg));
}

bool PublicKey::verify(const QString &alg, const QByteArray &input, const QByteArray &signature) const
{
    if (alg != m_alg)
        return false; // no algorithm confusion: a key verifies only its own alg
    const QByteArray sig = m_alg == QLatin1String("ES256") ? ecdsaDer(signature) : signature;
    if (sig.isEmpty())
        return false;
    const MdContext md(EVP_MD_CTX_new());
    return md
           && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY *>(m_pkey)) == 1
           && EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char *>(sig.constData()), size_t(sig.size()),
                               reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()))
                  == 1;
}

KeySet parseKeySet(const QJsonObject &jwks, int *skipped)
{
    KeySet keys;
    int left = 0;
    for (const QJsonValue &v : jwks.value(QStringLiteral("keys")).toArray()) {
        const QJsonObject jwk = v.toObject();
        const QString use = jwk.value(QStringLiteral("use")).toString(QStringLiteral("sig"));
        const QString kid = jwk.value(QStringLiteral("kid")).toString();
        QString why;
        auto key = use == QLatin1String("sig") && !kid.isEmpty() ? PublicKey::fromJwk(jwk, &why) : nullptr;
        if (key)
            keys.insert(kid, std::move(key));
        else
            ++left;
    }
    if (skipped)
        *skipped = left;
    return keys;
}

} // namespace framecast::demo::jws
