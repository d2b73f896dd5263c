// SPDX-License-Identifier: GPL-3.0-or-later
#include "OidcProvider.h"

#include "BrowserPlayer.h"
#include "RealServers.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>
#include <QUrlQuery>

#ifndef FRAMECAST_OIDC_PROVIDER_DIR
#error "FRAMECAST_OIDC_PROVIDER_DIR must name the build-tree copy of tests/servers/oidc"
#endif
#ifndef FRAMECAST_NODE
#define FRAMECAST_NODE "node"
#endif

namespace framecast::test {

namespace {
QByteArray base64url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return base64url(bytes);
}

QByteArray s256(const QByteArray &value)
{
    return base64url(QCryptographicHash::hash(value, QCryptographicHash::Sha256));
}
} // namespace

OidcProvider::~OidcProvider()
{
    stop();
}

QString OidcProvider::serverDir()
{
    return QStringLiteral(FRAMECAST_OIDC_PROVIDER_DIR);
}

bool OidcProvider::start(const Options &options, QString *error)
{
    stop();
    const QString dir = serverDir();
    QString node = QStringLiteral(FRAMECAST_NODE);
    if (!QFileInfo(node).isExecutable())
        node = findProgram(QStringLiteral("node"));
    if (node.isEmpty()) {
        *error = QStringLiteral("node is not installed (bash .ci/deps installs nodejs); the OpenID provider needs it");
        return false;
    }
    if (!QFileInfo::exists(dir + QStringLiteral("/node_modules/oidc-provider/package.json"))) {
        *error = QStringLiteral("oidc-provider is not installed in %1: run `npm ci` there "
                                "(the ctest fixture oidc_npm_ci does; run the test through ctest)")
                     .arg(dir);
        return false;
    }
    QStringList arguments { dir + QStringLiteral("/provider.js"), QStringLiteral("--port"), QStringLiteral("0"),
                            QStringLiteral("--id-token-ttl"), QString::number(options.idTokenTtlSeconds) };
    for (const QString &id : options.clientIds)
        arguments << QStringLiteral("--client-id") << id;
    for (const QString &id : options.es256ClientIds)
        arguments << QStringLiteral("--es256-client-id") << id;

    // A provider that has printed nothing after 30 s is stuck (it starts in
    // well under a second; once, on a loaded CI machine, it printed nothing in
    // 20 s): say what it was doing, then try once more.
    for (int attempt = 1;; ++attempt) {
        const Start result = startOnce(node, arguments, dir, error);
        if (result != Start::Stuck || attempt == 2)
            return result == Start::Listening;
        qWarning("%s; starting it again", qPrintable(*error));
    }
}

OidcProvider::Start OidcProvider::startOnce(const QString &node, const QStringList &arguments, const QString &dir, QString *error)
{
    m_process = std::make_unique<QProcess>();
    m_process->setWorkingDirectory(dir);
    m_process->start(node, arguments);
    if (!m_process->waitForStarted(10000)) {
        *error = node + QStringLiteral(" did not start: ") + m_process->errorString();
        m_process.reset();
        return Start::Failed;
    }
    // The first stdout line that is JSON with an issuer says it listens.
    QElapsedTimer waited;
    waited.start();
    (void)QTest::qWaitFor(
        [&] {
            m_stdout += m_process->readAllStandardOutput();
            for (const QByteArray &line : m_stdout.split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.contains(QStringLiteral("issuer")))
                    m_issuer = QUrl(o.value(QStringLiteral("issuer")).toString());
            }
            return m_issuer.isValid() || m_process->state() != QProcess::Running;
        },
        30000);
    if (m_issuer.isValid())
        return Start::Listening;
    const QString output = QString::fromUtf8(m_stdout) + log();
    Start result = Start::Failed;
    if (m_process->state() != QProcess::Running) {
        *error = QStringLiteral("the OpenID provider exited (code %1) before it listened: %2")
                     .arg(m_process->exitCode())
                     .arg(output);
    } else {
        // From /proc/PID/stat: the state (R running, S sleeping, D in the
        // kernel) and the CPU time used so far, in clock ticks.
        QFile statFile(QStringLiteral("/proc/%1/stat").arg(m_process->processId()));
        QFile wchan(QStringLiteral("/proc/%1/wchan").arg(m_process->processId()));
        QString state = QStringLiteral("unknown");
        if (statFile.open(QIODevice::ReadOnly)) {
            const QByteArray stat = statFile.readAll();
            const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 12)
                state = QStringLiteral("%1, %2+%3 ticks of CPU")
                            .arg(QString::fromLatin1(fields.at(0)), QString::fromLatin1(fields.at(11)),
                                 QString::fromLatin1(fields.at(12)));
        }
        const QByteArray waitsIn = wchan.open(QIODevice::ReadOnly) ? wchan.readAll() : QByteArray("?");
        *error = QStringLiteral("the OpenID provider printed nothing in %1 ms (state %2, waiting in %3; output: %4)")
                     .arg(waited.elapsed())
                     .arg(state, QString::fromLatin1(waitsIn), output);
        result = Start::Stuck;
    }
    stop();
    return result;
}

void OidcProvider::stop()
{
    if (!m_process)
        return;
    stopProcess(*m_process);
    m_process.reset();
    m_issuer.clear();
    m_stdout.clear();
}

bool OidcProvider::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString OidcProvider::log()
{
    if (m_process)
        m_stderr += m_process->readAllStandardError();
    return QString::fromUtf8(m_stderr);
}

bool OidcProvider::control(const QString &path, const QJsonObject *body, QJsonObject *reply, QString *error)
{
    QString why;
    if (!isRunning()) {
        why = QStringLiteral("the OpenID provider is not running");
    } else {
        HttpTestClient http(m_issuer);
        const HttpTestClient::Reply r = body ? http.post(path, *body) : http.get(path);
        if (r.status == 200) {
            if (reply)
                *reply = r.json();
            return true;
        }
        why = QStringLiteral("%1: HTTP %2 %3 %4").arg(path).arg(r.status).arg(r.error, QString::fromUtf8(r.body));
    }
    if (error)
        *error = why;
    else
        qWarning("OidcProvider: %s", qPrintable(why));
    return false;
}

bool OidcProvider::setLogin(const QString &email, bool emailVerified, QString *error)
{
    const QJsonObject body { { QStringLiteral("email"), email }, { QStringLiteral("email_verified"), emailVerified } };
    return control(QStringLiteral("/control/login"), &body, nullptr, error);
}

bool OidcProvider::denyLogins(QString *error)
{
    const QJsonObject body { { QStringLiteral("deny"), true } };
    return control(QStringLiteral("/control/login"), &body, nullptr, error);
}

bool OidcProvider::setIdTokenTtl(int seconds, QString *error)
{
    const QJsonObject body { { QStringLiteral("seconds"), seconds } };
    return control(QStringLiteral("/control/id-token-ttl"), &body, nullptr, error);
}

QStringList OidcProvider::rotateKeys(QString *error)
{
    QJsonObject reply;
    const QJsonObject body;
    if (!control(QStringLiteral("/control/rotate-keys"), &body, &reply, error))
        return {};
    QStringList kids;
    for (const QJsonValue &kid : reply.value(QStringLiteral("kids")).toArray())
        kids << kid.toString();
    return kids;
}

int OidcProvider::stat(const QString &name)
{
    QJsonObject reply;
    if (!control(QStringLiteral("/control/stats"), nullptr, &reply, nullptr))
        return -1;
    return reply.value(name).toInt(-1);
}

QJsonObject OidcProvider::discovery()
{
    HttpTestClient http(m_issuer);
    return http.get(QStringLiteral("/.well-known/openid-configuration")).json();
}

ManualSignIn OidcProvider::prepareSignIn(const QString &clientId, quint16 port, bool pkce)
{
    ManualSignIn a;
    a.clientId = clientId;
    a.verifier = randomToken();
    a.state = randomToken();
    a.nonce = randomToken();
    a.redirectUri = QStringLiteral("http://127.0.0.1:%1/callback").arg(port);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    q.addQueryItem(QStringLiteral("client_id"), clientId);
    q.addQueryItem(QStringLiteral("redirect_uri"), a.redirectUri);
    q.addQueryItem(QStringLiteral("scope"), QStringLiteral("openid email profile"));
    q.addQueryItem(QStringLiteral("state"), QString::fromLatin1(a.state));
    q.addQueryItem(QStringLiteral("nonce"), QString::fromLatin1(s256(a.nonce)));
    if (pkce) {
        q.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(s256(a.verifier)));
        q.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    }
    a.authorizationUrl = QUrl(discovery().value(QStringLiteral("authorization_endpoint")).toString());
    a.authorizationUrl.setQuery(q);
    return a;
}

HttpTestClient::Reply OidcProvider::redeem(const ManualSignIn &signIn, const QString &code, const QByteArray &verifier)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("code"), code);
    form.addQueryItem(QStringLiteral("client_id"), signIn.clientId);
    form.addQueryItem(QStringLiteral("redirect_uri"), signIn.redirectUri);
    form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(verifier));
    HttpTestClient http(m_issuer);
    return http.postRaw(discovery().value(QStringLiteral("token_endpoint")).toString(),
                        form.query(QUrl::FullyEncoded).toLatin1(), "application/x-www-form-urlencoded");
}

QString OidcProvider::signIn(const QString &clientId, QByteArray *nonce, QString *error)
{
    const ManualSignIn a = prepareSignIn(clientId, 40100);
    BrowserPlayer browser;
    const BrowserPlayer::Result r = browser.follow(a.authorizationUrl);
    const QUrlQuery callback(r.redirect);
    if (!r.ok() || !callback.hasQueryItem(QStringLiteral("code"))) {
        *error = r.ok() ? QStringLiteral("the provider redirected with ") + r.redirect.query() : r.error;
        return {};
    }
    const HttpTestClient::Reply token = redeem(a, callback.queryItemValue(QStringLiteral("code")), a.verifier);
    const QString idToken = token.json().value(QStringLiteral("id_token")).toString();
    if (idToken.isEmpty())
        *error
            = QStringLiteral("the token endpoint answered %1: %2").arg(token.status).arg(QString::fromUtf8(token.body));
    *nonce = a.nonce;
    return idToken;
}

} // namespace framecast::test
