// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/AuthMethods.h"
#include "session/ProfileStore.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace framecast {
class ServerCheck;
}

namespace framecast::ui {

class BrowserSignInPanel;

/// Log in: a server profile, then username and password, a pasted API
/// token, or "Sign in with …" through the browser for each OpenID Connect
/// provider the server lists (asked for whenever a server is chosen).
/// "Try the demo" is one click. The dialog only collects input and
/// shows the server's answer; the Session does the logging in.
class LoginDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginDialog)

public:
    explicit LoginDialog(QWidget *parent = nullptr);

    void selectProfile(const QString &name);
    ServerProfile profile() const;
    void setCredentials(const QString &user, const QString &password);
    /// How a message under the form reads: a notice, or a problem (red).
    enum class Tone { Info, Error };
    void setMessage(const QString &message, Tone tone);
    /// Why the dialog is shown, in the window's text colour.
    void setInfo(const QString &message);
    void setError(const QString &message);
    /// The message when it is a problem (empty for a notice).
    QString errorText() const;
    /// The message when it is a notice (empty for a problem).
    QString infoText() const;
    QLabel *messageLabel() const { return m_error; }
    void setBusy(bool busy);
    void reloadProfiles();

    QPushButton *loginButton() const { return m_login; }
    QPushButton *demoButton() const { return m_demo; }
    QPushButton *removeButton() const { return m_remove; }
    bool usesToken() const;
    QCheckBox *rememberBox() const { return m_remember; }
    /// Says where the login will be kept (or that it will not be kept).
    void setKeychainNote(const QString &note);
    QString keychainNote() const;

    /// The sign-in methods of server `profileName` (ignored when another
    /// server is chosen by now): its "Sign in with …" buttons; a profile that
    /// signs in through the browser shows only those.
    void setAuthMethods(const QString &profileName, const framecast::auth::AuthMethods &methods, const QString &error);
    BrowserSignInPanel *browserPanel() const { return m_browser; }
    /// The browser is open: the dialog says so, with Cancel.
    void setWaitingForBrowser(bool waiting);
    /// Logged in: a browser sign-in is remembered in the profile (`auth:
    /// browser` and the provider). Returns whether it was one; closes.
    bool signedIn();
    /// Whether the username and password fields are offered.
    bool showsPasswordFields() const;

Q_SIGNALS:
    /// `remember`: keep the password in the keychain as well as the token.
    void loginRequested(const framecast::ServerProfile &profile, const QString &user, const QString &password, bool remember);
    void tokenLoginRequested(const framecast::ServerProfile &profile, const QByteArray &token);
    /// A server was chosen: which sign-in methods does it offer?
    void authMethodsWanted(const framecast::ServerProfile &profile);
    void browserSignInRequested(const framecast::ServerProfile &profile, const QString &providerId);
    void browserSignInCancelled();

private:
    void submit();
    void editProfile(bool add);
    void profileChosen();
    void showCredentialRows(bool show);
    /// Password fields or the token field, as the radio buttons say.
    void updateKind();

    ProfileStore m_store;
    QComboBox *m_profiles;
    QRadioButton *m_usePassword;
    QRadioButton *m_useToken;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_token;
    QCheckBox *m_remember;
    QLabel *m_keychainNote;
    QLabel *m_error; ///< the message under the form, a notice or a problem
    Tone m_tone = Tone::Info;
    QPushButton *m_login;
    QPushButton *m_demo;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QFormLayout *m_form;
    QLayout *m_kindRow;
    BrowserSignInPanel *m_browser;
    QList<auth::OidcProviderInfo> m_providers;
    QString m_pendingProvider; ///< the provider a browser sign-in was started with
};

/// Add or edit a server profile, with "Test connection".
class ProfileEditor final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileEditor)

public:
    explicit ProfileEditor(const ServerProfile &profile, QWidget *parent = nullptr);
    ServerProfile profile() const;
    QString status() const;
    /// The chosen CA file's subject and SHA-256 fingerprint, or why it is unusable.
    QString certificateInfo() const;

private:
    void showCertificate();

    QLineEdit *m_name;
    QLineEdit *m_url;
    QComboBox *m_dialect;
    QLineEdit *m_ws;
    QCheckBox *m_tokenInQuery;
    QCheckBox *m_insecure;
    QLineEdit *m_caFile;
    QLabel *m_caInfo;
    QLineEdit *m_proxy;
    QComboBox *m_auth;
    QString m_oidcProvider; ///< kept as it was: the login dialog sets it
    QLabel *m_status;
    ServerCheck *m_check;
};

} // namespace framecast::ui
