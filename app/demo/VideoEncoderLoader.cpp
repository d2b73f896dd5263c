// SPDX-License-Identifier: GPL-3.0-or-later
// renderVideo() inside the demo module: FFmpeg's encoder is in the
// framecast-video module next to this one, loaded by the first video.
#include "demo/DemoModuleEntry.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibrary>

#include <dlfcn.h>

namespace framecast::demo {

namespace {

struct Loaded
{
    FramecastVideoRender render = nullptr;
    QString error;
};

Loaded load()
{
    Loaded l;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&load), &info) == 0 || !info.dli_fname) {
        l.error = QStringLiteral("cannot tell where the demo module lies");
        return l;
    }
    const QString path = QFileInfo(QString::fromLocal8Bit(info.dli_fname)).absolutePath() + QStringLiteral("/framecast-video.so");
    auto *library = new QLibrary(path); // never unloaded
    l.render = reinterpret_cast<FramecastVideoRender>(library->resolve(kFramecastVideoRenderSymbol));
    if (!l.render) {
        l.error = library->errorString();
        delete library;
    }
    return l;
}

} // namespace

VideoResult renderVideo(const VideoSpec &spec, const std::function<void(double)> &progress, const std::atomic_bool *cancel)
{
    static const Loaded loaded = load(); // once, thread-safe (the renders run on a pool)
    if (loaded.render)
        return loaded.render(spec, progress, cancel);
    VideoResult failed;
    failed.error = QCoreApplication::translate("VideoRenderer", "The video encoder cannot be loaded: %1").arg(loaded.error);
    return failed;
}

} // namespace framecast::demo
