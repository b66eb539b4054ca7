// Training speed with the workbench's live plots versus the CLI and headless: same project, same epochs.
//   bench_gui [EPOCHS] [ROUNDS] [NORMAD]   (run offscreen: QT_QPA_PLATFORM=offscreen)
// Each round runs, in turn, the in-process Trainer (headless), `normad train --quiet --json` as a
// child process (its own training time, "seconds": no start-up or file writing) and the workbench
// with its live plots at the default refresh. Rounds alternate ROUNDS times (default 3) so that a
// shared, noisy machine slows all alike; the ratios are the medians of the per-round ratios.
// NORMAD: the CLI (default: app/normad of the same build tree; "-" leaves the CLI out). CPU time
// per thread says where the time went independently of the machine's load: the GUI thread's share
// is what live plots cost. docs/benchmarks.md ("Live plots against the CLI") has the figures.

#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <qcustomplot.h>

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double cpuSeconds(clockid_t clock)
{
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// `normad train PROJECT --quiet --json` once: the training time it reports itself (s), or −1.
double cliSeconds(const QString& normad, const QString& project, const QString& out)
{
    QProcess cli;
    cli.start(normad, {QStringLiteral("train"), project, QStringLiteral("--quiet"), QStringLiteral("--json"),
                       QStringLiteral("--out"), out});
    if (!cli.waitForFinished(-1) || cli.exitStatus() != QProcess::NormalExit) {
        std::fprintf(stderr, "bench_gui: %s did not run: %s\n", qPrintable(normad), qPrintable(cli.errorString()));
        return -1;
    }
    // The last line is the "result" object.
    const QList<QByteArray> lines = cli.readAllStandardOutput().trimmed().split('\n');
    const QJsonObject result = QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.back()).object();
    if (result.value(QStringLiteral("type")).toString() != QStringLiteral("result")) {
        std::fprintf(stderr, "bench_gui: no result from %s: %s\n", qPrintable(normad),
                     cli.readAllStandardError().constData());
        return -1;
    }
    return result.value(QStringLiteral("seconds")).toDouble(-1);
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 400;
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    normad::Project project = normad::generators::xorTask(1);
    project.training.maxEpochs = epochs;
    project.training.targetCorrelation = 2.0; // run every epoch
    project.ensureWeights();
    QString normad = argc > 3 ? QString::fromLocal8Bit(argv[3])
                              : QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/normad");
    if (normad != QStringLiteral("-") && !QFileInfo(normad).isExecutable()) {
        std::fprintf(stderr, "bench_gui: no CLI at %s (give its path as the third argument, or -)\n",
                     qPrintable(normad));
        return 1;
    }
    QTemporaryDir scratch;
    const QString projectFile = scratch.filePath(QStringLiteral("bench.json"));
    normad::saveProject(project, projectFile.toStdString());

    normad::ui::MainWindow window;
    window.setConfirmUnsavedChanges(false);
    window.setProject(project, QStringLiteral("bench"));
    window.show();

    std::vector<double> headless, cli, live, ratios, cliRatios, guiCpu, processCpu;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer t;
        t.start();
        normad::Trainer trainer(project.network, project.task, project.simulation, project.training, project.seed);
        trainer.run();
        headless.push_back(t.nsecsElapsed() * 1e-9);
        if (normad != QStringLiteral("-")) {
            cli.push_back(cliSeconds(normad, projectFile, scratch.filePath(QStringLiteral("run"))));
            if (cli.back() <= 0)
                return 1;
        }

        window.setProject(project, QStringLiteral("bench")); // the same weights again
        QEventLoop loop;
        QObject::connect(window.training(), &normad::ui::TrainingController::finished, &loop, &QEventLoop::quit);
        const double gui0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID), process0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
        t.restart();
        window.training()->start();
        loop.exec();
        live.push_back(t.nsecsElapsed() * 1e-9);
        guiCpu.push_back(cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - gui0);
        processCpu.push_back(cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0);
        ratios.push_back(headless.back() / live.back());
        if (!cli.empty())
            cliRatios.push_back(cli.back() / live.back());
        std::printf("round %d: headless %.2f s, CLI %.2f s, live %.2f s (GUI thread CPU %.2f s of %.2f s): "
                    "live/headless %.0f %%, live/CLI %.0f %%\n",
                    round + 1, headless.back(), cli.empty() ? 0.0 : cli.back(), live.back(), guiCpu.back(),
                    processCpu.back(), 100.0 * ratios.back(), cliRatios.empty() ? 0.0 : 100.0 * cliRatios.back());
    }
    const double h = median(headless), l = median(live);
    std::printf("%d epochs, median of %d rounds: headless %.2f s (%.1f epochs/s), live plots %.2f s (%.1f epochs/s, "
                "%d plot refreshes in all): live/headless speed %.0f %% (median of per-round ratios %.0f %%); GUI "
                "thread %.0f %% of the process's CPU\n",
                epochs, rounds, h, epochs / h, l, epochs / l, window.plotRefreshCount(), 100.0 * h / l,
                100.0 * median(ratios), 100.0 * median(guiCpu) / median(processCpu));
    if (!cli.empty())
        std::printf("CLI (normad train --quiet) median %.2f s (%.1f epochs/s): live/CLI speed, median of per-round "
                    "ratios: %.0f %%\n",
                    median(cli), epochs / median(cli), 100.0 * median(cliRatios));
    // Where the GUI thread's time goes: average replot time of every live plot.
    for (QCustomPlot* plot : window.findChildren<QCustomPlot*>())
        std::printf("  %-28s %4dx%-4d replot %.1f ms\n", plot->parentWidget()->metaObject()->className(), plot->width(),
                    plot->height(), plot->replotTime(true));
    return 0;
}
