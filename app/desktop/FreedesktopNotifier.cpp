// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop/FreedesktopNotifier.h"

#include "core/Logging.h"

#include <QCoreApplication>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>

namespace framecast::desktop {

namespace {

const QString kInterface = QStringLiteral("org.freedesktop.Notifications");

} // namespace

FreedesktopNotifier::FreedesktopNotifier(QDBusConnection bus, QString appId, Notifier *fallback, QObject *parent)
    : Notifier(parent)
    , m_bus(std::move(bus))
    , m_appId(std::move(appId))
    , m_fallback(fallback)
{
    // Only the server's own signals (QtDBus matches the sender to the
    // name's owner), and only for notifications of ours (checked by id).
    const QString service = QLatin1String(kService);
    const QString path = QLatin1String(kPath);
    m_bus.connect(service, path, kInterface, QStringLiteral("ActionInvoked"), this, SLOT(onActionInvoked(uint,QString)));
    m_bus.connect(service, path, kInterface, QStringLiteral("NotificationClosed"), this, SLOT(onClosed(uint,uint)));
    if (m_fallback)
        connect(m_fallback, &Notifier::activated, this, &Notifier::activated);
}

FreedesktopNotifier::~FreedesktopNotifier() = default;

void FreedesktopNotifier::notify(const DesktopNotification &n)
{
    QStringList actions{QLatin1String(kDefaultAction), tr("Show")};
    if (!n.videoFile.isEmpty())
        actions << QLatin1String(kPlayAction) << tr("Play");
    const QVariantMap hints{
        {QStringLiteral("desktop-entry"), m_appId},
        {QStringLiteral("category"), n.kind == DesktopNotification::Kind::VideoReady ? QStringLiteral("transfer.complete")
                                                                                      : QStringLiteral("transfer.error")},
        {QStringLiteral("urgency"), QVariant::fromValue(uchar(n.kind == DesktopNotification::Kind::JobFailed ? 2 : 1))},
    };
    QDBusMessage call = QDBusMessage::createMethodCall(QLatin1String(kService), QLatin1String(kPath), kInterface, QStringLiteral("Notify"));
    call << QCoreApplication::applicationName() << m_byJob.value(n.jobId) << m_appId << n.summary << n.body << actions << hints
         << qint32(-1);
    // No bus at all answers at once; a server (or the lack of one) later.
    const QDBusPendingCall pending = m_bus.isConnected() ? m_bus.asyncCall(call) : QDBusPendingCall::fromError(m_bus.lastError());
    if (pending.isFinished()) {
        answered(n, pending);
        return;
    }
    auto *watcher = new QDBusPendingCallWatcher(pending, this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, n] {
        watcher->deleteLater();
        answered(n, *watcher);
    });
}

void FreedesktopNotifier::answered(const DesktopNotification &n, const QDBusPendingCall &call)
{
    const QDBusPendingReply<uint> reply = call;
    if (reply.isError()) {
        // No notification server (none running, none to activate), no
        // session bus, or a server that failed: the tray shows it.
        const QString reason = reply.error().message().isEmpty() ? reply.error().name() : reply.error().message();
        qCInfo(lcDesktop) << "no notification server:" << reason;
        if (m_fallback)
            m_fallback->notify(n);
        Q_EMIT delivered(0, reason.isEmpty() ? QStringLiteral("no session bus") : reason);
        return;
    }
    const uint id = reply.value();
    m_open.insert(id, n);
    if (!n.jobId.isEmpty())
        m_byJob.insert(n.jobId, id);
    Q_EMIT delivered(id, QString());
}

void FreedesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    const auto it = m_open.constFind(id);
    if (it == m_open.cend())
        return; // another program's notification
    if (action == QLatin1String(kPlayAction)) {
        if (!openVideo(it->videoFile))
            qCWarning(lcDesktop) << "the video could not be opened";
    } else if (action == QLatin1String(kDefaultAction)) {
        Q_EMIT activated(it->jobId);
    }
}

void FreedesktopNotifier::onClosed(uint id, uint)
{
    const auto it = m_open.constFind(id);
    if (it == m_open.cend())
        return;
    if (m_byJob.value(it->jobId) == id)
        m_byJob.remove(it->jobId);
    m_open.erase(it);
}

} // namespace framecast::desktop
