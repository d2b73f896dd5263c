// SPDX-License-Identifier: GPL-3.0-or-later
#include "player/PlayerModuleLoader.h"

#include "demo/RuntimeModule.h"

namespace framecast::ui {

MediaEngineFactory modulePlayerFactory()
{
    return [](QWidget *parent, const MediaEngine::Events &events, QString *why) -> std::unique_ptr<MediaEngine> {
        static QString error;
        static const auto create = reinterpret_cast<FramecastPlayerCreate>(
            resolveModuleSymbol(QStringLiteral(FRAMECAST_PLAYER_MODULE_FILE), kFramecastPlayerCreateSymbol, &error));
        if (!create) {
            if (why)
                *why = error;
            return nullptr;
        }
        return std::unique_ptr<MediaEngine>(create(parent, &events));
    };
}

} // namespace framecast::ui
