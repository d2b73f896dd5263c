// SPDX-License-Identifier: GPL-3.0-or-later
#include "BrowserPlayer.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace framecast::test {

namespace {
constexpr int maxHops = 20;

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host() == b.host() && a.port(-1) == b.port(-1);
}
} // namespace

BrowserPlayer::BrowserPlayer(int timeoutMs)
    : m_timeoutMs(timeoutMs)
{
    m_nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

BrowserPlayer::Result BrowserPlayer::get(const QUrl &url)
{
    Result result;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Framecast-test-browser/1"));
    request.setRawHeader("Accept", "text/html,application/json;q=0.9,*/*;q=0.8");
    QNetworkReply *reply = m_nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(m_timeoutMs, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    if (!reply->isFinished()) {
        reply->abort();
        result.error = QStringLiteral("no answer from %1 within %2 ms").arg(url.toString()).arg(m_timeoutMs);
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    const QByteArray location = reply->rawHeader("Location");
    if (!location.isEmpty())
        result.redirect = url.resolved(QUrl::fromEncoded(location));
    if (result.error.isEmpty() && result.status == 0)
        result.error = QStringLiteral("GET %1 failed: %2").arg(url.toString(), reply->errorString());
    reply->deleteLater();
    return result;
}

BrowserPlayer::Result BrowserPlayer::follow(const QUrl &authorizationUrl)
{
    QUrl url = authorizationUrl;
    for (int hop = 0; hop < maxHops; ++hop) {
        Result step = get(url);
        step.hops = hop;
        if (!step.ok())
            return step;
        if (step.status < 300 || step.status >= 400 || step.redirect.isEmpty()) {
            step.error = QStringLiteral("the provider answered %1 at %2 instead of redirecting: %3")
                             .arg(step.status)
                             .arg(url.toString(), QString::fromUtf8(step.body.left(400)));
            step.redirect.clear();
            return step;
        }
        if (!sameOrigin(step.redirect, authorizationUrl))
            return step;
        url = step.redirect;
    }
    Result tooMany;
    tooMany.hops = maxHops;
    tooMany.error = QStringLiteral("more than %1 redirects from %2").arg(maxHops).arg(authorizationUrl.toString());
    return tooMany;
}

BrowserPlayer::Result BrowserPlayer::open(const QUrl &authorizationUrl)
{
    const Result followed = follow(authorizationUrl);
    if (!followed.ok())
        return followed;
    Result answer = get(followed.redirect);
    answer.hops = followed.hops;
    answer.redirect = followed.redirect;
    return answer;
}

} // namespace framecast::test
