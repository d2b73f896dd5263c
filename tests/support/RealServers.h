// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace framecast::test {

/// This machine's first non-loopback IPv4 address (null when it has none):
/// Qt never asks the system proxy settings about loopback hosts, so
/// "system" is tested against servers listening there.
QHostAddress lanAddress();
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
/// `extraIp`, when set, is also in the server certificate's names.
bool makeTestCa(const QString &dir, TestCa *out, QString *log, const QHostAddress &extraIp = {});

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

/// The top of an nginx.conf run in `dir`: in the foreground, one worker,
/// its pid and error log (at `errorLevel`) there, `connections` per worker,
/// up to and including "http {" with the temp paths under dir/tmp (made here).
QString nginxConfHead(const QString &dir, const QString &errorLevel, int connections);

/// Writes `conf` to dir/nginx.conf and runs `nginx` on it until it listens on `port`.
bool startNginx(ChildServer &server, const QString &nginx, const QString &dir, const QString &conf, quint16 port,
                QString *log);

/// Reads a whole text file (a server's log).
QString readText(const QString &path);

/// Debian's tinyproxy on a free port of 127.0.0.1 with its own config and
/// log in `dir`; `extraConfig` lines are appended (e.g. "BasicAuth u p").
/// No ConnectPort line: CONNECT (the WebSocket's and https' tunnel) to any port.
struct Tinyproxy
{
    ChildServer server;
    quint16 port = 0;
    QString log;
    bool start(const QString &dir, const QString &extraConfig, QString *error);
    QString logText() const { return readText(log); }
    QString url(const QString &userInfo = {}) const;
};

} // namespace framecast::test
