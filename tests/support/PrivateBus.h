// SPDX-License-Identifier: GPL-3.0-or-later
// A D-Bus session bus of the test's own: a real dbus-daemon (Debian package
// dbus-daemon) with a configuration that activates nothing, so no
// notification daemon or dock installed on the machine ever joins it.
#pragma once

#include <QDBusConnection>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTemporaryDir>

namespace framecast::test {

class PrivateBus
{
public:
    PrivateBus() = default;
    Q_DISABLE_COPY_MOVE(PrivateBus)
    ~PrivateBus()
    {
        for (const QString &name : std::as_const(m_connections))
            QDBusConnection::disconnectFromBus(name);
        if (m_daemon.state() != QProcess::NotRunning) {
            m_daemon.terminate();
            if (!m_daemon.waitForFinished(5000))
                m_daemon.kill();
        }
    }

    /// Starts the daemon; on failure `error` says why (a missing package fails the test).
    bool start(QString *error)
    {
        const QString exe = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (exe.isEmpty()) {
            *error = QStringLiteral("dbus-daemon is missing (Debian package dbus-daemon; bash .ci/deps installs it)");
            return false;
        }
        QFile config(m_dir.filePath(QStringLiteral("bus.conf")));
        if (!config.open(QIODevice::WriteOnly)) {
            *error = config.errorString();
            return false;
        }
        config.write(QStringLiteral(
                         "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                         " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                         "<busconfig><type>session</type><listen>unix:dir=%1</listen><auth>EXTERNAL</auth>\n"
                         "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                         "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n")
                         .arg(m_dir.path())
                         .toUtf8());
        config.close();
        m_daemon.start(exe, {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--nofork"),
                             QStringLiteral("--nopidfile"), QStringLiteral("--print-address=1")});
        QDeadlineTimer deadline(10000);
        while (!m_daemon.canReadLine() && m_daemon.waitForReadyRead(int(deadline.remainingTime()))) {
        }
        m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        if (m_address.isEmpty()) {
            *error = QStringLiteral("dbus-daemon gave no address: %1 %2")
                         .arg(m_daemon.errorString(), QString::fromUtf8(m_daemon.readAllStandardError()));
            return false;
        }
        return true;
    }

    QString address() const { return m_address; }

    /// A new connection to the bus (one per peer: the app, the server, a listener).
    QDBusConnection connect(const QString &name)
    {
        m_connections << name;
        return QDBusConnection::connectToBus(m_address, name);
    }

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_address;
    QStringList m_connections;
};

} // namespace framecast::test
