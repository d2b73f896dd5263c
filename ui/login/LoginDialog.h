// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/ProfileStore.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace framecast {
class ServerCheck;
}

namespace framecast::ui {

/// Log in: a server profile, then username and password or a pasted API
/// token. "Try the demo" is one click. The dialog only collects input and
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
    void setError(const QString &message);
    QString errorText() const;
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

Q_SIGNALS:
    /// `remember`: keep the password in the keychain as well as the token.
    void loginRequested(const framecast::ServerProfile &profile, const QString &user, const QString &password, bool remember);
    void tokenLoginRequested(const framecast::ServerProfile &profile, const QByteArray &token);

private:
    void submit();
    void editProfile(bool add);

    ProfileStore m_store;
    QComboBox *m_profiles;
    QRadioButton *m_usePassword;
    QRadioButton *m_useToken;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_token;
    QCheckBox *m_remember;
    QLabel *m_keychainNote;
    QLabel *m_error;
    QPushButton *m_login;
    QPushButton *m_demo;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
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
    QLabel *m_status;
    ServerCheck *m_check;
};

} // namespace framecast::ui
