// SPDX-License-Identifier: GPL-3.0-or-later
// What the tst_headless* tests share: a demo backend in the test process, a
// scratch folder with a reference image, and `framecast --headless` run as a
// subprocess while the event loop keeps serving that backend.
#pragma once

#include "demo/DemoBackend.h"
#include "ledger/Ledger.h"

#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <utility>

namespace framecast::test {

using framecast::demo::DemoBackend;
using framecast::demo::DemoConfig;

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QList<QJsonObject> json() const
    {
        QList<QJsonObject> lines;
        for (const QByteArray &line : out.split('\n')) {
            if (!line.trimmed().isEmpty())
                lines << QJsonDocument::fromJson(line).object();
        }
        return lines;
    }
    QList<QJsonObject> events(const QString &name) const
    {
        QList<QJsonObject> matching;
        for (const QJsonObject &o : json()) {
            if (o.value(QStringLiteral("event")).toString() == name)
                matching << o;
        }
        return matching;
    }
};

/// The fixture: derived test classes inherit initTestCase() and cleanup().
class HeadlessFixture : public QObject
{
    Q_OBJECT

protected:
    std::unique_ptr<DemoBackend> m_backend;
    QTemporaryDir m_dir;
    QString m_image;

    void startBackend(DemoConfig config = {})
    {
        if (config.stepDelayMinMs == 2000 && config.stepDelayMaxMs == 3000) // the default pacing: speed it up
            config.stepDelayMinMs = config.stepDelayMaxMs = 20;
        config.tinyVideos = true;
        m_backend = std::make_unique<DemoBackend>(config);
        QVERIFY(m_backend->start());
    }

    QStringList serverArgs(const QString &dialect = QStringLiteral("videos-sse")) const
    {
        return {QStringLiteral("--headless"), QStringLiteral("--server"), m_backend->baseUrl().toString(),
                QStringLiteral("--progress"), dialect, QStringLiteral("--user"), QStringLiteral("demo"),
                QStringLiteral("--password-env"), QStringLiteral("FC_TEST_PASSWORD")};
    }

    QStringList jobArgs(const QString &prompt = QStringLiteral("A glass city under the sea")) const
    {
        return {QStringLiteral("--prompt"), prompt, QStringLiteral("--image"), m_image, QStringLiteral("--output"),
                m_dir.filePath(QStringLiteral("out.mp4"))};
    }

    /// Runs the CLI; the event loop keeps serving the in-process backend meanwhile.
    Run run(const QStringList &args, const QHash<QString, QString> &env = {}, int timeoutMs = 60000,
            const std::function<void(QProcess &)> &during = {})
    {
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("FC_TEST_PASSWORD"), QStringLiteral("demo"));
        e.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        // The job history goes to this test's folder, never the user's: on
        // Linux by XDG_DATA_HOME (so the default location is what is tested),
        // elsewhere, where the app data folder ignores it, by FRAMECAST_LEDGER.
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
#if !defined(Q_OS_UNIX) || defined(Q_OS_DARWIN)
        e.insert(QString::fromLatin1(Ledger::kPathEnvironmentVariable),
                 m_dir.filePath(QStringLiteral("xdg-data/Framecast/Framecast/ledger.sqlite")));
#endif
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            e.insert(it.key(), it.value());
        p.setProcessEnvironment(e);
        p.setWorkingDirectory(m_dir.path());
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(QStringLiteral(FRAMECAST_EXE), args);
        if (!p.waitForStarted(10000)) {
            noteRunFailure(QStringLiteral("%1 did not start: %2").arg(QStringLiteral(FRAMECAST_EXE), p.errorString()));
            return Run{kDidNotFinish, {}, p.errorString().toUtf8()};
        }
        if (during)
            during(p);
        if (finished.isEmpty() && !finished.wait(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            Run r{kDidNotFinish, p.readAllStandardOutput(), p.readAllStandardError()};
            noteRunFailure(QStringLiteral("framecast %1 did not finish within %2 ms; killed. stderr: %3")
                               .arg(args.join(QLatin1Char(' ')))
                               .arg(timeoutMs)
                               .arg(QString::fromUtf8(r.err.right(2000))));
            return r;
        }
        Run r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    /// The exit code of a run that did not start or did not finish in time:
    /// no test accepts it, and cleanup() fails the test function as well, so
    /// even a caller that accepts several exit codes cannot pass with a hung
    /// or missing binary.
    static constexpr int kDidNotFinish = -1000;
    QStringList m_runFailures;

    void noteRunFailure(const QString &what)
    {
        qWarning().noquote() << what;
        m_runFailures << what;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(30, 120, 200));
        m_image = m_dir.filePath(QStringLiteral("ref.png"));
        QVERIFY(image.save(m_image));
        QFile notes(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("shopping list: milk, film, batteries\n");
    }

    void cleanup()
    {
        const QStringList runFailures = std::exchange(m_runFailures, {});
        m_backend.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("out.mp4")));
        QVERIFY2(runFailures.isEmpty(), qPrintable(runFailures.join(QLatin1Char('\n'))));
    }
};

} // namespace framecast::test
