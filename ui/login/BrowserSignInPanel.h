// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/AuthMethods.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace framecast::ui {

/// The login dialog's "Sign in with …" buttons, one per OpenID Connect
/// provider of the server (PROTOCOL §2.1), and the state while the system
/// browser is open ("Waiting for the browser…", Cancel). Google's button
/// follows Google's branding guidelines (its G logo, "Sign in with Google",
/// the light theme's colours); other providers get a plain button.
class BrowserSignInPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserSignInPanel)

public:
    explicit BrowserSignInPanel(QWidget *parent = nullptr);

    void setProviders(const QList<auth::OidcProviderInfo> &providers);
    bool hasProviders() const { return !m_buttons.isEmpty(); }
    /// The button of provider `id` (null if the server has no such provider).
    QPushButton *button(const QString &id) const;
    /// Shows that the browser is open for `providerName` (or hides it).
    void setWaiting(bool waiting, const QString &providerName = {});
    bool isWaiting() const { return m_waiting; }
    QString waitingText() const;
    QPushButton *cancelButton() const { return m_cancel; }

    /// "Sign in with Google": Google's own wording; others "Sign in with NAME".
    static QString buttonText(const auth::OidcProviderInfo &provider);

Q_SIGNALS:
    void signInRequested(const QString &providerId);
    void cancelRequested();

private:
    QVBoxLayout *m_buttonsLayout;
    QWidget *m_buttonsBox;
    QWidget *m_waitingBox;
    QLabel *m_waitingLabel;
    QPushButton *m_cancel;
    QList<std::pair<QString, QPushButton *>> m_buttons;
    bool m_waiting = false;
};

} // namespace framecast::ui
