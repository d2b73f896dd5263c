// SPDX-License-Identifier: GPL-3.0-or-later
#include "login/BrowserSignInPanel.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSvgRenderer>
#include <QVBoxLayout>

namespace framecast::ui {

namespace {

/// Google's sign-in button, light theme (developers.google.com/identity/
/// branding-guidelines): white fill, #747775 1 px border, #1F1F1F text in
/// Roboto Medium 14 px (the system's sans-serif where Roboto is missing),
/// the standard-colour G at 20 px on the left, 40 px high, 4 px corners.
/// The G drawn from its SVG by Qt SVG itself (no image-format plugin
/// needed), at 1× and 2× for high-DPI screens.
QIcon googleG()
{
    QSvgRenderer svg(QStringLiteral(":/signin/google-g.svg"));
    QIcon icon;
    for (int side : {20, 40}) {
        QPixmap pixmap(side, side);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void styleAsGoogle(QPushButton *button)
{
    button->setIcon(googleG());
    button->setIconSize(QSize(20, 20));
    button->setMinimumHeight(40);
    button->setStyleSheet(QStringLiteral(
        "QPushButton { background: #FFFFFF; color: #1F1F1F; border: 1px solid #747775; border-radius: 4px;"
        " padding: 0 12px; font-family: 'Roboto', sans-serif; font-weight: 500; font-size: 14px; text-align: center; }"
        "QPushButton:hover { background: #F7F8F8; }"
        "QPushButton:pressed { background: #E8EAEB; }"
        "QPushButton:focus { border: 2px solid #1A73E8; }"
        "QPushButton:disabled { background: #FFFFFF; color: rgba(31,31,31,0.38); border-color: rgba(31,31,31,0.12); }"));
}

} // namespace

BrowserSignInPanel::BrowserSignInPanel(QWidget *parent)
    : QWidget(parent)
    , m_buttonsLayout(new QVBoxLayout)
    , m_buttonsBox(new QWidget(this))
    , m_waitingBox(new QWidget(this))
    , m_waitingLabel(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_buttonsLayout->setContentsMargins(0, 0, 0, 0);
    m_buttonsBox->setLayout(m_buttonsLayout);
    layout->addWidget(m_buttonsBox);
    auto *waiting = new QHBoxLayout(m_waitingBox);
    waiting->setContentsMargins(0, 0, 0, 0);
    m_waitingLabel->setWordWrap(true);
    m_waitingLabel->setAccessibleName(tr("Waiting for the browser"));
    m_cancel->setAccessibleName(tr("Cancel the sign-in in the browser"));
    waiting->addWidget(m_waitingLabel, 1);
    waiting->addWidget(m_cancel);
    layout->addWidget(m_waitingBox);
    m_waitingBox->hide();
    connect(m_cancel, &QPushButton::clicked, this, &BrowserSignInPanel::cancelRequested);
    setProviders({});
}

QString BrowserSignInPanel::buttonText(const auth::OidcProviderInfo &provider)
{
    return provider.isGoogle() ? tr("Sign in with Google") : tr("Sign in with %1").arg(provider.displayName);
}

void BrowserSignInPanel::setProviders(const QList<auth::OidcProviderInfo> &providers)
{
    for (const auto &[id, button] : std::as_const(m_buttons))
        delete button;
    m_buttons.clear();
    for (const auth::OidcProviderInfo &p : providers) {
        auto *button = new QPushButton(buttonText(p), m_buttonsBox);
        button->setAccessibleName(buttonText(p));
        button->setToolTip(tr("Opens your web browser to sign in at %1").arg(p.issuer.host()));
        if (p.isGoogle())
            styleAsGoogle(button);
        else
            button->setMinimumHeight(36);
        connect(button, &QPushButton::clicked, this, [this, id = p.id] { Q_EMIT signInRequested(id); });
        m_buttonsLayout->addWidget(button);
        button->show(); // a child added to a shown parent is not shown by itself
        m_buttons.append({p.id, button});
    }
    setVisible(!m_buttons.isEmpty() || m_waiting);
    updateGeometry();
}

QPushButton *BrowserSignInPanel::button(const QString &id) const
{
    for (const auto &[providerId, button] : m_buttons) {
        if (providerId == id)
            return button;
    }
    return nullptr;
}

void BrowserSignInPanel::setWaiting(bool waiting, const QString &providerName)
{
    m_waiting = waiting;
    m_waitingLabel->setText(waiting ? tr("⏳ Waiting for the browser… Finish signing in with %1 there; Framecast comes back "
                                         "by itself.")
                                          .arg(providerName)
                                    : QString());
    m_waitingBox->setVisible(waiting);
    m_buttonsBox->setVisible(!waiting);
    setVisible(!m_buttons.isEmpty() || waiting);
}

QString BrowserSignInPanel::waitingText() const
{
    return m_waiting ? m_waitingLabel->text() : QString();
}

} // namespace framecast::ui
