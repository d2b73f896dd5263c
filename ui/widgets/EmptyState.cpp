// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/EmptyState.h"

#include "style/Style.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace framecast::ui {

namespace {
constexpr int kIconSide = 64; // logical pixels; the SVG is drawn at the screen's ratio
}

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
{
    auto *layout = new QVBoxLayout(this);
    const int gap = style::spacing(style::Space::Related);
    layout->setContentsMargins(gap * 2, gap * 2, gap * 2, gap * 2);
    layout->setSpacing(gap);
    layout->addStretch(1);
    m_icon->setAlignment(Qt::AlignCenter);
    m_icon->setFixedHeight(kIconSide);
    m_icon->hide();
    layout->addWidget(m_icon);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    style::setTextRole(m_title, style::TextRole::Heading);
    layout->addWidget(m_title);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    style::setMuted(m_text);
    layout->addWidget(m_text);
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
    layout->addStretch(1);
}

void EmptyState::setIcon(const QIcon &icon)
{
    m_iconSource = icon;
    m_icon->setVisible(!icon.isNull());
    updateIcon();
}

void EmptyState::setTitle(const QString &title)
{
    m_title->setText(title);
    m_title->setVisible(!title.isEmpty());
    setAccessibleName(title);
}

void EmptyState::setText(const QString &text)
{
    m_text->setText(text);
    setAccessibleDescription(text);
}

void EmptyState::setAction(const QString &text)
{
    m_action->setText(text);
    m_action->setAccessibleName(text);
    m_action->setVisible(!text.isEmpty());
}

QString EmptyState::title() const
{
    return m_title->text();
}

QString EmptyState::text() const
{
    return m_text->text();
}

bool EmptyState::event(QEvent *event)
{
    // Moved to a screen of another ratio: the icon is drawn again for it.
    if (event->type() == QEvent::ScreenChangeInternal || event->type() == QEvent::Show)
        updateIcon();
    return QWidget::event(event);
}

void EmptyState::updateIcon()
{
    if (m_iconSource.isNull())
        return;
    // QIcon::pixmap(size, dpr) renders the SVG at size × dpr device pixels.
    m_icon->setPixmap(m_iconSource.pixmap(QSize(kIconSide, kIconSide), devicePixelRatioF()));
}

} // namespace framecast::ui
