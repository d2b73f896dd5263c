// SPDX-License-Identifier: GPL-3.0-or-later
// The frames of the demo's videos: drawn with QPainter, no FFmpeg here (the
// encoder, VideoRenderer.cpp, may live in a module loaded with the first video).
#include "demo/VideoRenderer.h"

#include <QFontMetrics>
#include <QGuiApplication>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace framecast::demo {

namespace {

constexpr double kMaxZoom = 1.18;

/// Smooth ease in and out, so the motion starts and ends gently.
double ease(double t)
{
    return t * t * (3.0 - 2.0 * t);
}

} // namespace

QImage placeholderImage(QSize size, const QString &seedText)
{
    QImage image(size, QImage::Format_RGB32);
    const uint hash = qHash(seedText);
    const QColor a = QColor::fromHsv(int(hash % 360), 140, 200);
    const QColor b = QColor::fromHsv(int((hash / 360 + 150) % 360), 160, 90);
    QPainter p(&image);
    QLinearGradient g(0, 0, size.width(), size.height());
    g.setColorAt(0, a);
    g.setColorAt(1, b);
    p.fillRect(image.rect(), g);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    for (int i = 0; i < 7; ++i) {
        QColor c = (i % 2) ? a.lighter(130) : b.lighter(150);
        c.setAlpha(70);
        p.setBrush(c);
        const double r = size.height() * (0.12 + 0.05 * ((hash >> i) % 5));
        const double x = size.width() * (((hash >> (i * 3)) % 97) / 97.0);
        const double y = size.height() * (((hash >> (i * 2 + 1)) % 89) / 89.0);
        p.drawEllipse(QPointF(x, y), r, r);
    }
    return image;
}

QImage prepareCoverSource(const QImage &image, QSize size)
{
    const QImage source = image.isNull() ? placeholderImage(size, QString()) : image;
    // Scale to cover size * kMaxZoom once; frames then only crop and scale down.
    const QSize target = (QSizeF(size) * kMaxZoom).toSize();
    QImage scaled = source.scaled(target, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
    return scaled.convertToFormat(QImage::Format_RGB32);
}

QImage renderFrame(const QImage &cover, QSize size, const QString &caption, int index, int frameCount)
{
    const double t = frameCount > 1 ? ease(double(index) / (frameCount - 1)) : 0.0;
    // Zoom from 1.0 to kMaxZoom while panning from left to right (or top to
    // bottom for portrait): a slow Ken Burns move.
    const double zoom = 1.0 + (kMaxZoom - 1.0) * t;
    // The cover is at least size * kMaxZoom; the part shown shrinks as we zoom in.
    const QSizeF crop(std::min<double>(cover.width(), size.width() * kMaxZoom / zoom),
                      std::min<double>(cover.height(), size.height() * kMaxZoom / zoom));
    const bool landscape = size.width() >= size.height();
    const double freeX = cover.width() - crop.width();
    const double freeY = cover.height() - crop.height();
    const QPointF origin(landscape ? freeX * (0.15 + 0.7 * t) : freeX * 0.5,
                         landscape ? freeY * 0.5 : freeY * (0.15 + 0.7 * t));

    QImage frame(size, QImage::Format_RGB32);
    QPainter p(&frame);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(QRectF(QPointF(0, 0), QSizeF(size)), cover, QRectF(origin, crop));

    if (!caption.isEmpty() && qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        p.setRenderHint(QPainter::Antialiasing);
        QFont font = p.font();
        font.setPixelSize(std::max(16, size.height() / 24));
        font.setBold(true);
        p.setFont(font);
        const QFontMetrics fm(font);
        const int margin = size.height() / 24;
        const QString text = fm.elidedText(caption.simplified(), Qt::ElideRight, size.width() - 4 * margin);
        const QRect textRect(margin, size.height() - fm.height() - 3 * margin, size.width() - 2 * margin,
                             fm.height() + margin);
        // Fade the caption in over the first second.
        const double alpha = std::min(1.0, double(index) / 24.0);
        QColor band(0, 0, 0, int(140 * alpha));
        QPainterPath path;
        path.addRoundedRect(textRect, margin / 2.0, margin / 2.0);
        p.fillPath(path, band);
        p.setPen(QColor(255, 255, 255, int(255 * alpha)));
        p.drawText(textRect, Qt::AlignCenter, text);
    }
    return frame;
}

} // namespace framecast::demo
