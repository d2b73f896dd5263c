// SPDX-License-Identifier: GPL-3.0-or-later
//
// macOS: the dock tile's badge ("42%", or "2 · 42%" for two jobs).
// Built by the hosted macOS job only.
#include "desktop/PlatformSinks.h"

#include <QString>

#import <AppKit/AppKit.h>

namespace framecast::desktop {

namespace {

class MacDockProgress final : public LauncherSink
{
public:
    MacDockProgress() = default;
    Q_DISABLE_COPY_MOVE(MacDockProgress)

    void publish(const LauncherState &state) override
    {
        NSString *label = nil;
        if (state.count > 0) {
            const QString percent = QString::number(qRound(state.progress * 100)) + QLatin1Char('%');
            label = (state.count == 1 ? percent : QString::number(state.count) + QStringLiteral(" · ") + percent).toNSString();
        }
        [[NSApp dockTile] setBadgeLabel:label];
    }
};

} // namespace

std::unique_ptr<LauncherSink> makeMacDockSink()
{
    return std::make_unique<MacDockProgress>();
}

} // namespace framecast::desktop
