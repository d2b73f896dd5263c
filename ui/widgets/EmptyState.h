// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QWidget>

class QLabel;
class QPushButton;

namespace framecast::ui {

/// What a view shows when it has nothing yet: an icon, a heading, a line of
/// what to do (muted), and an optional button for it. Centred, in the app's
/// type scale, sharp at any device pixel ratio. The job area, the history
/// and the gallery use it; show it instead of the empty list.
class EmptyState final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmptyState)

public:
    explicit EmptyState(QWidget *parent = nullptr);

    void setIcon(const QIcon &icon);
    void setTitle(const QString &title);
    void setText(const QString &text);
    /// A button under the text (hidden while `text` is empty); emits actionTriggered.
    void setAction(const QString &text);

    QString title() const;
    QString text() const;
    QIcon icon() const { return m_iconSource; }
    QPushButton *actionButton() const { return m_action; }

Q_SIGNALS:
    void actionTriggered();

protected:
    bool event(QEvent *event) override;

private:
    void updateIcon();

    QIcon m_iconSource;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_text;
    QPushButton *m_action;
};

} // namespace framecast::ui
