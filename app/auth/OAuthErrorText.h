// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace framecast::auth {

/// An OAuth 2.0 / OpenID Connect error (RFC 6749 §4.1.2.1 and §5.2, OIDC
/// Core §3.1.2.6) in words: the code's meaning, the provider's
/// `error_description` when it gave one, and the code itself.
QString describeOAuthError(const QString &error, const QString &description);

} // namespace framecast::auth
