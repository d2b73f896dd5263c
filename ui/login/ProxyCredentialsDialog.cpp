// SPDX-License-Identifier: GPL-3.0-or-later
#include "login/ProxyCredentialsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>

namespace framecast::ui {

ProxyCredentialsDialog::ProxyCredentialsDialog(const QString &proxy, const QString &why, bool canRemember, QWidget *parent)
    : QDialog(parent)
    , m_message(new QLabel(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Remember in the keychain"), this))
{
    setWindowTitle(tr("Proxy login — Framecast"));
    auto *form = new QFormLayout(this);
    QString text = tr("The proxy %1 asks for a user name and password.").arg(proxy.toHtmlEscaped());
    if (!why.isEmpty())
        text = QStringLiteral("<b>%1.</b> ").arg(why.toHtmlEscaped()) + text;
    m_message->setText(text);
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Proxy login message"));
    form->addRow(m_message);
    m_user->setAccessibleName(tr("Proxy user name"));
    m_password->setAccessibleName(tr("Proxy password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&User name"), m_user);
    form->addRow(tr("&Password"), m_password);
    m_remember->setAccessibleName(tr("Remember the proxy login"));
    m_remember->setEnabled(canRemember);
    if (!canRemember)
        m_remember->setToolTip(tr("No keychain here: the proxy login lasts until Framecast closes"));
    form->addRow(QString(), m_remember);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Use"));
    m_ok->setAccessibleName(tr("Use this proxy login"));
    m_ok->setEnabled(false);
    form->addRow(buttons);
    connect(m_user, &QLineEdit::textChanged, this, [this](const QString &user) { m_ok->setEnabled(!user.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ProxyLogin ProxyCredentialsDialog::login() const
{
    return ProxyLogin{m_user->text().trimmed(), m_password->text(), m_remember->isEnabled() && m_remember->isChecked()};
}

QString ProxyCredentialsDialog::message() const
{
    return m_message->text();
}

ProxyAuthenticator::Prompt proxyCredentialsPrompt(QWidget *parent)
{
    const QPointer<QWidget> window(parent);
    return [window](const QString &proxy, const QString &why, bool canRemember, ProxyAuthenticator::Answer answer) {
        if (!window) {
            answer(std::nullopt);
            return;
        }
        // Over the window's open dialog (the login dialog, when the person is
        // logging in), else over the window.
        QWidget *over = window.data();
        const QList<QDialog *> dialogs = window->findChildren<QDialog *>(Qt::FindDirectChildrenOnly);
        for (QDialog *d : dialogs)
            if (d->isVisible() && !qobject_cast<ProxyCredentialsDialog *>(d))
                over = d;
        auto *dialog = new ProxyCredentialsDialog(proxy, why, canRemember, over);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &QDialog::finished, dialog, [dialog, answer](int result) {
            answer(result == QDialog::Accepted ? std::optional<ProxyLogin>(dialog->login()) : std::nullopt);
        });
        dialog->open(); // window-modal, without a nested exec()
    };
}

} // namespace framecast::ui
