// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QScreen>
#include <QTest>
#include <QWidget>

namespace framecast::test {

/// Saves a PNG of `w` to $FRAMECAST_SCREENSHOT_DIR (default: <build>/tests/screenshots).
inline void screenshot(QWidget *w, const QString &name)
{
    QString dir = qEnvironmentVariable("FRAMECAST_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QT_TESTCASE_BUILDDIR "/screenshots");
    QDir().mkpath(dir);
    // A video widget grabs blank: on a real display (Xvfb) take the screen.
    QImage image;
    if (QGuiApplication::platformName() == QLatin1String("xcb") && w->screen()) {
        // The X server shows what was painted: let the last change reach it.
        QTest::qWait(200);
        image = w->screen()->grabWindow(0, w->x(), w->y(), w->frameGeometry().width(), w->frameGeometry().height()).toImage();
    }
    if (image.isNull())
        image = w->grab().toImage();
    image.save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace framecast::test
