// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/ProxyAuthenticator.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace framecast::ui {

/// Asks for a proxy's user name and password (the proxy answered 407). Only
/// collects them; ProxyAuthenticator gives them to every connection of the
/// server and, with "Remember", to the keychain.
class ProxyCredentialsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyCredentialsDialog)

public:
    /// `proxy` host:port; `why` what went wrong with the last credentials
    /// (empty the first time); `canRemember` false where there is no keychain.
    ProxyCredentialsDialog(const QString &proxy, const QString &why, bool canRemember, QWidget *parent = nullptr);

    ProxyLogin login() const;
    QString message() const;
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *rememberBox() const { return m_remember; }
    QPushButton *okButton() const { return m_ok; }

private:
    QLabel *m_message;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QPushButton *m_ok;
};

/// The window's prompt for ProxyAuthenticator: this dialog, window-modal
/// over `parent`, answering when it closes.
ProxyAuthenticator::Prompt proxyCredentialsPrompt(QWidget *parent);

} // namespace framecast::ui
