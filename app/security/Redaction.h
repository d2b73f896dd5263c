// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace framecast {

/// The one redaction point (PROTOCOL.md §5: tokens never reach a log line or
/// a URL shown to the user). Every log message of the desktop app and the
/// headless mode passes through it once `installLogRedaction()` has run, and
/// `redactedUrl()` uses it for URLs shown in the UI.
///
/// It removes, wherever they appear in a text:
/// - `Authorization: <anything>` header values and `Bearer <token>`,
/// - values of query items named like a secret (`token`, `access_token`,
///   `id_token`, `password`, `api_key`, `key`, and OAuth's `code`,
///   `code_verifier`, `client_secret`),
/// - JSON members named like a secret (`"password": "..."`, `"access_token"`,
///   `"id_token"`, `"code_verifier"`, `"client_secret"`),
/// - the password of a URL's user info (`http://user:password@proxy:3128`),
/// - JSON Web Tokens (`eyJ….eyJ….…`: id_tokens, many access tokens),
/// - every secret registered with `registerSecret()` (the session's tokens and
///   passwords the user typed), however it is embedded.
namespace redaction {

inline constexpr QLatin1String kMarker{"REDACTED"};

/// Returns `text` with every secret replaced by "REDACTED". Thread-safe.
QString redact(const QString &text);
/// Remembers a secret value so that it is removed even where no pattern
/// matches (a token inside an error message, a password in a form body).
/// Values shorter than 6 characters are ignored: they would redact ordinary
/// words (the patterns above still cover them in headers, URLs and JSON).
void registerSecret(const QByteArray &secret);
void registerSecret(const QString &secret);
/// Forgets every registered secret (tests).
void clearSecrets();

/// Installs a Qt message handler that redacts every message, then hands it to
/// the handler that was installed before (by default Qt's, which writes to
/// stderr). Idempotent. It also keeps Qt's own start-up chatter out of the
/// user's terminal (see isQtChatter) unless QT_LOGGING_RULES is set or
/// setShowQtChatter(true) was called (`--verbose`).
void installLogRedaction();
void setShowQtChatter(bool show);

/// Messages a user did not ask for and cannot act on, from Qt rather than
/// Framecast: QStandardPaths' "XDG_RUNTIME_DIR not set" (a `su` shell, a
/// container), PulseAudio and the multimedia backend (`qt.multimedia.*`)
/// when there is no sound server, Wayland and font notes. Criticals are
/// never chatter, nor anything of Framecast's own categories.
bool isQtChatter(QtMsgType type, const char *category, const QString &message);

} // namespace redaction
} // namespace framecast
