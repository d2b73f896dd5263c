// SPDX-License-Identifier: GPL-3.0-or-later
#include "RealServers.h"

#include <QDir>
#include <QFile>
#include <QNetworkInterface>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace framecast::test {

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

bool waitForPort(const QString &host, quint16 port, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            QTcpSocket socket;
            socket.connectToHost(host, port);
            return socket.waitForConnected(200);
        },
        timeoutMs);
}

QString findProgram(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    return path;
}

bool run(const QString &program, const QStringList &arguments, const QString &workDir, QString *log)
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, arguments);
    const bool ok = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!ok && log)
        *log += program + QLatin1Char(' ') + arguments.join(QLatin1Char(' ')) + QStringLiteral(":\n")
                + QString::fromLocal8Bit(p.readAll());
    return ok;
}

bool makeTestCa(const QString &dir, TestCa *out, QString *log, const QHostAddress &extraIp)
{
    const QString openssl = findProgram(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *log = QStringLiteral("openssl is not installed");
        return false;
    }
    QFile ext(dir + QStringLiteral("/server.ext"));
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    const QByteArray extra = extraIp.isNull() ? QByteArray() : ",IP:" + extraIp.toString().toLatin1();
    ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost" + extra + "\nbasicConstraints=CA:FALSE\n"
              "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    ext.close();
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    if (!run(openssl, QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec
                          + QStringList{QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"),
                                        QStringLiteral("ca.pem"), QStringLiteral("-days"), QStringLiteral("2"),
                                        QStringLiteral("-subj"), QStringLiteral("/CN=Framecast Test CA"),
                                        QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                                        QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
             dir, log))
        return false;
    if (!run(openssl, QStringList{QStringLiteral("req")} + ec
                          + QStringList{QStringLiteral("-keyout"), QStringLiteral("server.key"), QStringLiteral("-out"),
                                        QStringLiteral("server.csr"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost")},
             dir, log))
        return false;
    if (!run(openssl,
             {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("server.csr"),
              QStringLiteral("-CA"), QStringLiteral("ca.pem"), QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
              QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), QStringLiteral("server.pem"),
              QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), QStringLiteral("server.ext")},
             dir, log))
        return false;
    out->caPem = dir + QStringLiteral("/ca.pem");
    out->serverPem = dir + QStringLiteral("/server.pem");
    out->serverKey = dir + QStringLiteral("/server.key");
    return true;
}

ChildServer::~ChildServer()
{
    stop();
}

bool ChildServer::start(const QString &program, const QStringList &arguments, quint16 port, QString *log)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(program, arguments);
    if (!m_process->waitForStarted(10000)) {
        *log = m_process->errorString();
        return false;
    }
    const bool up = QTest::qWaitFor(
        [&] {
            if (m_process->state() != QProcess::Running)
                return true;
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, port);
            return socket.waitForConnected(200);
        },
        10000);
    if (!up || m_process->state() != QProcess::Running) {
        *log = program + QStringLiteral(" did not start: ") + output();
        return false;
    }
    return true;
}

void ChildServer::stop()
{
    if (!m_process)
        return;
    stopProcess(*m_process);
    m_process.reset();
}

void stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished(5000);
    }
}

QString ChildServer::output() const
{
    return m_process ? QString::fromLocal8Bit(m_process->readAll()) : QString();
}

QString nginxConfHead(const QString &dir, const QString &errorLevel, int connections)
{
    QDir().mkpath(dir + QStringLiteral("/tmp"));
    return QStringLiteral(R"(daemon off;
master_process off;
worker_processes 1;
pid %1/nginx.pid;
error_log %1/error.log %2;
events { worker_connections %3; }
http {
    client_body_temp_path %1/tmp/body;
    proxy_temp_path %1/tmp/proxy;
    fastcgi_temp_path %1/tmp/fastcgi;
    uwsgi_temp_path %1/tmp/uwsgi;
    scgi_temp_path %1/tmp/scgi;
)")
        .arg(dir, errorLevel)
        .arg(connections);
}

bool startNginx(ChildServer &server, const QString &nginx, const QString &dir, const QString &conf, quint16 port,
                QString *log)
{
    const QString path = dir + QStringLiteral("/nginx.conf");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *log = f.errorString();
        return false;
    }
    f.write(conf.toUtf8());
    f.close();
    return server.start(nginx, {QStringLiteral("-p"), dir, QStringLiteral("-e"), dir + QStringLiteral("/error.log"),
                                QStringLiteral("-c"), path},
                        port, log);
}

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QHostAddress lanAddress()
{
    for (const QHostAddress &a : QNetworkInterface::allAddresses())
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback() && !a.isLinkLocal())
            return a;
    return {};
}

bool Tinyproxy::start(const QString &dir, const QString &extraConfig, QString *error)
{
    const QString program = findProgram(QStringLiteral("tinyproxy"));
    if (program.isEmpty()) {
        *error = QStringLiteral("tinyproxy is not installed (bash .ci/deps installs it)");
        return false;
    }
    port = freePort();
    log = dir + QStringLiteral("/tinyproxy.log");
    const QString conf = QStringLiteral("Port %1\nListen 127.0.0.1\nTimeout 60\nLogFile \"%2\"\nLogLevel Info\n"
                                        "PidFile \"%3\"\nMaxClients 100\nAllow 127.0.0.1\nDisableViaHeader Yes\n%4\n")
                             .arg(port)
                             .arg(log, dir + QStringLiteral("/tinyproxy.pid"), extraConfig);
    QFile f(dir + QStringLiteral("/tinyproxy.conf"));
    if (!f.open(QIODevice::WriteOnly)) {
        *error = f.errorString();
        return false;
    }
    f.write(conf.toUtf8());
    f.close();
    return server.start(program, {QStringLiteral("-d"), QStringLiteral("-c"), f.fileName()}, port, error);
}

QString Tinyproxy::url(const QString &userInfo) const
{
    const QString credentials = userInfo.isEmpty() ? QString() : userInfo + QLatin1Char('@');
    return QStringLiteral("http://") + credentials + QStringLiteral("127.0.0.1:%1").arg(port);
}

} // namespace framecast::test
