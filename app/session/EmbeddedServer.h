// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace framecast {

/// A backend that runs inside this process: the first-run demo. The core
/// only needs where to reach it; the server itself (Qt HttpServer, the video
/// encoder) lives in a library the core does not link (`framecast_demo`),
/// and `main.cpp` or the headless start-up hands a factory in.
class EmbeddedServer
{
public:
    virtual ~EmbeddedServer() = default;
    /// Starts listening on loopback; false with `error` set when it cannot.
    virtual bool start(QString *error) = 0;
    virtual QUrl baseUrl() const = 0;
    virtual QUrl webSocketUrl() const = 0;
};

/// Makes the embedded server when it is first needed (so that a window that
/// opens on another server never starts it).
using EmbeddedServerFactory = std::function<std::unique_ptr<EmbeddedServer>()>;

} // namespace framecast
