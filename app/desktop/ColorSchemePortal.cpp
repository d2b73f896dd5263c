// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop/ColorSchemePortal.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QLoggingCategory>

namespace framecast::desktop {

namespace {
Q_LOGGING_CATEGORY(lcScheme, "framecast.appearance", QtInfoMsg)
const QString kGroup = QStringLiteral("org.freedesktop.appearance");
const QString kKey = QStringLiteral("color-scheme");
} // namespace

ColorSchemePortal::ColorSchemePortal(QDBusConnection bus, QObject *parent)
    : QObject(parent)
    , m_bus(std::move(bus))
{
    // Followed from the start: a change is seen even before the first read answers.
    m_bus.connect(QString::fromLatin1(kService), QString::fromLatin1(kPath), QString::fromLatin1(kInterface),
                  QStringLiteral("SettingChanged"), this, SLOT(onSettingChanged(QString, QString, QDBusVariant)));
}

std::optional<ColorSchemePortal::Preference> ColorSchemePortal::parse(const QVariant &value)
{
    QVariant v = value;
    for (int depth = 0; depth < 3 && v.metaType() == QMetaType::fromType<QDBusVariant>(); ++depth)
        v = qvariant_cast<QDBusVariant>(v).variant();
    if (v.metaType() != QMetaType::fromType<uint>() && v.metaType() != QMetaType::fromType<int>())
        return std::nullopt;
    switch (v.toUInt()) {
    case 0:
        return Preference::NoPreference;
    case 1:
        return Preference::Dark;
    case 2:
        return Preference::Light;
    default:
        return Preference::NoPreference; // a value of a newer portal: no preference we know of
    }
}

void ColorSchemePortal::read(int timeoutMs)
{
    if (!m_bus.isConnected()) {
        m_error = tr("No D-Bus session bus");
        Q_EMIT answered();
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(QString::fromLatin1(kService), QString::fromLatin1(kPath),
                                                       QString::fromLatin1(kInterface), QStringLiteral("Read"));
    call << kGroup << kKey;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, timeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<QDBusVariant> reply = *watcher;
        if (reply.isError()) {
            m_error = reply.error().message();
            qCDebug(lcScheme) << "no colour scheme from the portal:" << reply.error().name() << m_error;
        } else if (const auto p = parse(QVariant::fromValue(reply.value()))) {
            m_error.clear();
            update(*p);
        } else {
            m_error = tr("The portal's color-scheme is not a number");
        }
        Q_EMIT answered();
    });
}

void ColorSchemePortal::onSettingChanged(const QString &group, const QString &key, const QDBusVariant &value)
{
    if (group != kGroup || key != kKey)
        return;
    if (const auto p = parse(QVariant::fromValue(value)))
        update(*p);
}

void ColorSchemePortal::update(Preference preference)
{
    if (m_preference == preference)
        return;
    m_preference = preference;
    qCDebug(lcScheme) << "portal colour scheme" << preference;
    Q_EMIT preferenceChanged(preference);
}

} // namespace framecast::desktop
