// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace framecast::test {

/// A free TCP port on 127.0.0.1 (bound and released at once).
quint16 freePort();
/// Waits until something accepts connections on host:port.
bool waitForPort(const QString &host, quint16 port, int timeoutMs = 10000);
/// The full path of a program (also looked up in /usr/sbin), or empty.
QString findProgram(const QString &name);
/// Runs a program to its end; false (with its output in `log`) when it fails.
bool run(const QString &program, const QStringList &arguments, const QString &workDir, QString *log);

/// A private CA made with the openssl CLI in `dir`: ca.pem (the CA), and
/// server.pem/server.key for 127.0.0.1 and localhost, signed by it.
struct TestCa
{
    QString caPem;
    QString serverPem;
    QString serverKey;
};
bool makeTestCa(const QString &dir, TestCa *out, QString *log);

/// Ends a child: SIGTERM, then SIGKILL after 5 s.
void stopProcess(QProcess &process);

/// A real server program (nginx, tinyproxy) run as a child in the foreground,
/// stopped when this object dies.
class ChildServer
{
public:
    ChildServer() = default;
    ~ChildServer();
    ChildServer(const ChildServer &) = delete;
    ChildServer &operator=(const ChildServer &) = delete;

    /// Starts `program` and waits until it listens on 127.0.0.1:`port`.
    bool start(const QString &program, const QStringList &arguments, quint16 port, QString *log);
    void stop();
    QString output() const;

private:
    std::unique_ptr<QProcess> m_process;
};

/// Reads a whole text file (a server's log).
QString readText(const QString &path);

} // namespace framecast::test
