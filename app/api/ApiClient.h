// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/NetworkSettings.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSize>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace framecast {

/// What went wrong with a REST call, mapped once from HTTP and network errors.
struct ApiError
{
    enum class Kind {
        None,
        Network,         ///< connection refused, reset, DNS...
        Timeout,
        Tls,             ///< certificate or handshake problem
        Unauthorized,    ///< 401: log in again
        Forbidden,       ///< 403 (e.g. subscription inactive)
        PaymentRequired, ///< 402: not enough credits
        NotFound,        ///< 404
        Conflict,        ///< 409
        Validation,      ///< 422, and 400/413/415 refusals of the input
        Server,          ///< 5xx
        Protocol,        ///< the answer is not what the contract says
    };
    Kind kind = Kind::None;
    int httpStatus = 0;
    QString message; ///< the server's `detail` as it is, or a description

    bool isError() const { return kind != Kind::None; }
};

/// One answer: HTTP status, parsed JSON body (when there is one) and the error.
struct ApiResponse
{
    int httpStatus = 0;
    QJsonObject json;
    QByteArray body;
    ApiError error;
    bool ok() const { return !error.isError(); }
};

struct GenerateRequest
{
    QString prompt;
    QString model = QStringLiteral("sora-2");
    QString referenceImageUrl;
    int durationSeconds = 4;
    QSize size{1280, 720};
};

/// The REST calls of PROTOCOL.md §2–§3. Every call has a timeout and a size
/// cap; redirects stay on the same origin (the token never travels
/// elsewhere); the token is never logged. Callbacks run on the client's
/// thread. Destroying the client aborts its calls still under way, and their
/// callbacks do not run.
class ApiClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiClient)

public:
    using Callback = std::function<void(const ApiResponse &response)>;

    /// The largest REST answer taken in: the contract's answers are a few
    /// KiB of JSON, so anything this big is a broken or hostile server, and
    /// it is refused as it arrives rather than buffered (streams and video
    /// downloads have caps of their own).
    static constexpr qint64 kMaxAnswerBytes = qint64(8) << 20;

    ApiClient(QUrl baseUrl, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ApiClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    /// Also registers the token with the redaction point.
    void setToken(const QByteArray &token);
    QByteArray token() const { return m_token; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    /// The server's trusted CAs for every request made from now on (the
    /// proxy is the network manager's: NetworkSettings::apply(manager)).
    void setNetworkSettings(const NetworkSettings &settings) { m_settings = settings; }

    /// Resolves a server path or absolute URL (video_url may be either).
    QUrl resolve(const QString &pathOrUrl) const;

    void login(const QString &username, const QString &password, Callback callback);
    /// PROTOCOL §2.1 step 1: GET /api/v1/auth/methods (no token sent). A
    /// 404 is the caller's to read as "passwords only".
    void authMethods(Callback callback);
    /// PROTOCOL §2.1 step 4: POST /api/v1/auth/oidc/token with the provider's
    /// id_token (sent this once) and the raw nonce; the answer is the same as
    /// login()'s, and its access_token becomes this client's token.
    void oidcLogin(const QString &provider, const QByteArray &idToken, const QByteArray &nonce, Callback callback);
    /// `checkingLogin`: the call checks a token being logged in with (a
    /// fresh, typed or kept one), so a 401 means "refused", not "the session
    /// ended" (no `unauthorized` signal), as for login() itself.
    void me(Callback callback, bool checkingLogin = false);
    /// multipart/form-data upload of an image already validated by the caller.
    void upload(const QByteArray &data, const QString &fileName, const QByteArray &mimeType, Callback callback);
    void generate(const GenerateRequest &request, Callback callback);
    void status(const QString &jobId, Callback callback);
    void cancel(const QString &jobId, Callback callback);

    /// A GET request for a file (a video): redirects are not followed by Qt
    /// (the caller follows them with `isSameOrigin`, so the token never goes
    /// to another origin), `Range: bytes=<offset>-` when resuming.
    QNetworkReply *getFile(const QUrl &url, qint64 offset, int timeoutMs);
    /// Whether `url` is on the server's own origin (scheme, host and port).
    bool isSameOrigin(const QUrl &url) const;

    /// Maps an HTTP status (and body) to an ApiError.
    static ApiError errorFor(int httpStatus, const QByteArray &body);
    /// The FastAPI `detail` of a body as one human string.
    static QString detailOf(const QByteArray &body);

Q_SIGNALS:
    /// A call made with the token answered 401: the session is over.
    void unauthorized(const QString &message);

private:
    QNetworkRequest request(const QString &path) const;
    /// `sessionCall` false for the login itself: its 401 is a wrong password,
    /// not an expired session.
    void track(QNetworkReply *reply, Callback callback, bool expectJson = true, bool sessionCall = true);
    /// Ends `reply` at once when its Content-Length or the bytes received
    /// pass kMaxAnswerBytes.
    void capSize(QNetworkReply *reply);
    /// POSTs a login body; a 200 must carry access_token, which is kept.
    void postLogin(const QString &path, const QJsonObject &body, Callback callback);

    QUrl m_baseUrl;
    QPointer<QNetworkAccessManager> m_network;
    QByteArray m_token;
    int m_timeoutMs = 30000;
    NetworkSettings m_settings;
    QSet<QNetworkReply *> m_inFlight; ///< REST replies not finished yet
};

} // namespace framecast
