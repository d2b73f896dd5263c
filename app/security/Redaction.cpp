// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/Redaction.h"

#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <atomic>

namespace framecast::redaction {

namespace {

// Everything here is deliberately never destroyed: Qt logs during exit,
// after static destructors have run, and those lines pass through here too.
QMutex &secretsMutex()
{
    static auto *mutex = new QMutex;
    return *mutex;
}

QSet<QString> &secrets()
{
    static auto *set = new QSet<QString>;
    return *set;
}

const QRegularExpression &authorizationHeader()
{
    // "Authorization: Bearer abc", "authorization=Basic xyz", "Authorization" "Bearer abc" (QDebug quoting)
    static const auto *re = new QRegularExpression(QStringLiteral(R"re((authorization"?\s*[:=,]?\s*"?)(?:(bearer|basic|token)\s+)?[^\s",;]+)re"),
                                       QRegularExpression::CaseInsensitiveOption);
    return *re;
}

const QRegularExpression &bearer()
{
    static const auto *re = new QRegularExpression(QStringLiteral(R"re(\b(bearer)\s+(?!REDACTED)[A-Za-z0-9._~+/=\-]+)re"),
                                       QRegularExpression::CaseInsensitiveOption);
    return *re;
}

const QRegularExpression &queryItem()
{
    static const auto *re = new QRegularExpression(
        QStringLiteral(R"re(([?&;](?:access_token|refresh_token|id_token|token|password|passwd|api_key|apikey|key|code|code_verifier|client_secret)=)[^&\s#"']*)re"),
        QRegularExpression::CaseInsensitiveOption);
    return *re;
}

const QRegularExpression &jsonMember()
{
    static const auto *re = new QRegularExpression(
        QStringLiteral(R"re(("(?:access_token|refresh_token|id_token|token|password|api_key|secret|client_secret|code_verifier)"\s*:\s*")(?:[^"\\]|\\.)*")re"),
        QRegularExpression::CaseInsensitiveOption);
    return *re;
}

const QRegularExpression &urlPassword()
{
    // scheme://user:password@host (a proxy URL): the password, up to the last
    // '@' before the host, which may itself contain ':' or an encoded '@'.
    static const auto *re = new QRegularExpression(QStringLiteral(R"re(\b([a-z][a-z0-9+.\-]*://[^\s/:@"']*:)[^\s/"']*@)re"),
                                                   QRegularExpression::CaseInsensitiveOption);
    return *re;
}

const QRegularExpression &jwt()
{
    // A JSON Web Token (an OpenID Connect id_token, many access tokens):
    // base64url header and payload, both JSON objects ("eyJ" is "{\"").
    static const auto *re = new QRegularExpression(QStringLiteral(R"re(\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)re"));
    return *re;
}

QtMessageHandler &previousHandler()
{
    static QtMessageHandler handler = nullptr;
    return handler;
}

std::atomic_bool &showChatter()
{
    static std::atomic_bool show{false};
    return show;
}

void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (!showChatter() && isQtChatter(type, context.category, message))
        return;
    const QString clean = redact(message);
    if (QtMessageHandler previous = previousHandler())
        previous(type, context, clean);
}

} // namespace

QString redact(const QString &text)
{
    QString out = text;
    {
        QMutexLocker lock(&secretsMutex());
        for (const QString &secret : std::as_const(secrets())) {
            if (out.contains(secret))
                out.replace(secret, kMarker);
        }
    }
    out.replace(authorizationHeader(), QStringLiteral("\\1REDACTED"));
    out.replace(bearer(), QStringLiteral("\\1 REDACTED"));
    out.replace(queryItem(), QStringLiteral("\\1REDACTED"));
    out.replace(jsonMember(), QStringLiteral("\\1REDACTED\""));
    out.replace(urlPassword(), QStringLiteral("\\1REDACTED@"));
    out.replace(jwt(), kMarker);
    return out;
}

void registerSecret(const QByteArray &secret)
{
    registerSecret(QString::fromUtf8(secret));
}

void registerSecret(const QString &secret)
{
    if (secret.size() < 6)
        return;
    QMutexLocker lock(&secretsMutex());
    secrets().insert(secret);
    // The same secret percent-encoded, as it appears in a logged URL.
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(secret));
    if (encoded != secret)
        secrets().insert(encoded);
}

void clearSecrets()
{
    QMutexLocker lock(&secretsMutex());
    secrets().clear();
}

bool isQtChatter(QtMsgType type, const char *category, const QString &message)
{
    if (type == QtCriticalMsg || type == QtFatalMsg)
        return false;
    const QLatin1String cat(category ? category : "default");
    static const QLatin1String chattyCategories[] = {
        QLatin1String("qt.multimedia"), // "Failed to connect: Connection refused" (no PulseAudio), GStreamer notes
        QLatin1String("qt.qpa.wayland"), QLatin1String("qt.qpa.fonts"), QLatin1String("qt.qpa.xkeyboard"),
    };
    for (const QLatin1String &prefix : chattyCategories) {
        if (cat.startsWith(prefix))
            return true;
    }
    if (cat != QLatin1String("default"))
        return false;
    // Qt's uncategorised warnings, by their fixed beginnings.
    static const QLatin1String chattyMessages[] = {
        QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set"),
        QLatin1String("QStandardPaths: runtime directory"),
        QLatin1String("QStandardPaths: wrong permissions on runtime directory"),
        QLatin1String("PulseAudioService: "),
        QLatin1String("Warning: Ignoring XDG_SESSION_TYPE=wayland"),
    };
    for (const QLatin1String &prefix : chattyMessages) {
        if (message.startsWith(prefix))
            return true;
    }
    return false;
}

void setShowQtChatter(bool show)
{
    showChatter() = show;
}

void installLogRedaction()
{
    static std::atomic_bool installed{false};
    if (installed.exchange(true))
        return;
    // Whoever sets logging rules wants to see what they turn on.
    if (!qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        showChatter() = true;
    previousHandler() = qInstallMessageHandler(redactingHandler);
}

} // namespace framecast::redaction
