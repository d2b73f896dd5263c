// SPDX-License-Identifier: GPL-3.0-or-later
// Signing in through the browser on the demo backend (PROTOCOL §2.1): the
// methods a client may offer, and the id_token exchange. The check itself is
// DemoOidc's; it answers later, so the responder is kept until then.
#include "demo/DemoBackend.h"

#include "core/Logging.h"
#include "demo/DemoOidc.h"
#include "demo/DemoReplies.h"
#include "demo/DemoWire.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

namespace framecast::demo {

namespace {
using Status = http::Status;
} // namespace

void DemoBackend::authMethods(QHttpServerResponder &responder)
{
    // Always 200 here, even with passwords only: an empty oidc list says the
    // same as the 404 of servers that have no such endpoint.
    QJsonArray oidc;
    if (m_oidc)
        oidc.append(m_oidc->methodEntry());
    respondJson(responder, Status::Ok, {{QStringLiteral("password"), true}, {QStringLiteral("oidc"), oidc}});
}

void DemoBackend::oidcToken(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    if (!m_oidc) {
        respondDetail(responder, Status::NotFound, QStringLiteral("Signing in through the browser is not configured"));
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(request.body());
    const QJsonObject o = doc.object();
    for (const char *field : {"provider", "id_token", "nonce"}) {
        if (!o.value(QLatin1String(field)).isString() || o.value(QLatin1String(field)).toString().isEmpty()) {
            respond(responder, Status::UnprocessableEntity,
                    wire::validationDetail(QString::fromLatin1(field), QStringLiteral("Field required")));
            return;
        }
    }
    if (o.value(QStringLiteral("provider")).toString() != m_oidc->spec().id) {
        respondDetail(responder, Status::Unauthorized,
                      QStringLiteral("Unknown sign-in provider \"%1\"").arg(o.value(QStringLiteral("provider")).toString()));
        return;
    }
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
#ifndef FRAMECAST_HTTPSERVER_68
    // Qt 6.4: the client may leave while the provider's keys are fetched.
    const QPointer<QTcpSocket> socket = held->socket();
#endif
    const QPointer<DemoBackend> self(this);
    m_oidc->verify(o.value(QStringLiteral("id_token")).toString().toUtf8(), o.value(QStringLiteral("nonce")).toString(),
                   [self, held
#ifndef FRAMECAST_HTTPSERVER_68
                    , socket
#endif
    ](const DemoOidc::Verdict &verdict) {
#ifndef FRAMECAST_HTTPSERVER_68
                       if (!socket)
                           return;
#endif
                       if (!self)
                           return;
                       if (verdict.status != 200) {
                           qCInfo(lcDemo) << "OIDC sign-in refused:" << verdict.status << verdict.detail;
                           respondDetail(*held, Status(verdict.status), verdict.detail);
                           return;
                       }
                       DemoAccounts &accounts = self->m_accounts;
                       DemoUser *user = accounts.userByEmail(verdict.email);
                       if (!user) {
                           user = accounts.createUser(verdict.email, self->m_config.oidcStartingCredits);
                           qCInfo(lcDemo) << "OIDC: a new account" << user->id << "for a verified email";
                       }
                       self->tokenReply(*held, accounts.issueToken(user->id));
                   });
}

} // namespace framecast::demo
