// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/NoticeBanner.h"

#include <QPainter>
#include <QPainterPath>

namespace framecast::ui {

namespace {

constexpr int kPadding = 6;

QColor tint(NoticeBanner::Kind kind)
{
    return kind == NoticeBanner::Kind::Error ? QColor(0xd9, 0x30, 0x25) : QColor(0x1f, 0x9d, 0x55);
}

QColor mix(const QColor &a, const QColor &b, double amountOfB)
{
    const auto channel = [amountOfB](int x, int y) { return int(x + (y - x) * amountOfB + 0.5); };
    return QColor(channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue()));
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

NoticeBanner::NoticeBanner(QWidget *parent)
    : QLabel(parent)
{
    setAccessibleName(tr("Notice"));
    setTextFormat(Qt::PlainText);
    setFixedHeight(fontMetrics().height() + 2 * kPadding);
    // Its place is kept whether a notice shows or not; the width is the
    // header's to give (a long notice is elided, not a wider window).
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
}

void NoticeBanner::showNotice(const QString &text, Kind kind)
{
    m_kind = kind;
    setText(text);
    setToolTip(text);
    setAccessibleDescription(text);
    update();
}

void NoticeBanner::clearNotice()
{
    clear();
    setToolTip(QString());
    setAccessibleDescription(QString());
}

QColor NoticeBanner::cardColor(const QPalette &palette, Kind kind)
{
    return mix(palette.color(QPalette::Base), tint(kind), isDark(palette) ? 0.30 : 0.11);
}

QColor NoticeBanner::textColor(const QPalette &palette, Kind kind)
{
    return isDark(palette) ? mix(tint(kind), Qt::white, 0.72) : mix(tint(kind), Qt::black, 0.45);
}

void NoticeBanner::paintEvent(QPaintEvent *)
{
    if (text().isEmpty())
        return; // an empty place
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath card;
    card.addRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    p.fillPath(card, cardColor(palette(), m_kind));
    const QRect room = rect().adjusted(kPadding, 0, -kPadding, 0);
    p.setPen(textColor(palette(), m_kind));
    // One line, whatever the text holds (a server's message may hold line breaks).
    QString line = text();
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    p.drawText(room, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine,
               fontMetrics().elidedText(line, Qt::ElideRight, room.width()));
}

} // namespace framecast::ui
