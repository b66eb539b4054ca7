#pragma once

// Running the real `normad` binary from a CLI suite, and the file helpers those suites share.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QtTest>

namespace normad::testcli {

struct CliRun {
    QProcess::ExitStatus status = QProcess::CrashExit; ///< also when it did not start or end in time
    int exitCode = -1;                                 ///< −1 unless it exited normally
    QByteArray out;
    QByteArray err;
};

/// `cli args` run in `workDir` with `env`, waited for at most `timeoutMs` (then killed: exitCode −1).
inline CliRun runCli(const QString& cli, const QStringList& args, const QString& workDir, int timeoutMs = 120000,
                     const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.setProcessEnvironment(env);
    p.start(cli, args);
    CliRun r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.status = p.exitStatus();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// The file's bytes, or empty when it cannot be read.
inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Writes `bytes` to `path`, creating its folder; a failure fails the calling test.
inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

} // namespace normad::testcli
