// Training speed with the workbench's live plots versus headless: same project, same epochs.
//   bench_gui [EPOCHS] [ROUNDS]   (run offscreen: QT_QPA_PLATFORM=offscreen)
// Headless and live runs alternate ROUNDS times (default 3) so that a shared, noisy machine slows
// both alike; the ratio is taken from the medians. CPU time per thread says where the time went
// independently of the machine's load: the GUI thread's share is what live plots cost.

#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>

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

    normad::ui::MainWindow window;
    window.setConfirmUnsavedChanges(false);
    window.setProject(project, QStringLiteral("bench"));
    window.show();

    std::vector<double> headless, live, ratios, guiCpu, processCpu;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer t;
        t.start();
        normad::Trainer trainer(project.network, project.task, project.simulation, project.training, project.seed);
        trainer.run();
        headless.push_back(t.nsecsElapsed() * 1e-9);

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
        std::printf("round %d: headless %.2f s, live %.2f s (GUI thread CPU %.2f s of %.2f s): live/headless %.0f %%\n",
                    round + 1, headless.back(), live.back(), guiCpu.back(), processCpu.back(), 100.0 * ratios.back());
    }
    const double h = median(headless), l = median(live);
    std::printf("%d epochs, median of %d rounds: headless %.2f s (%.1f epochs/s), live plots %.2f s (%.1f epochs/s, "
                "%d plot refreshes in all): live/headless speed %.0f %% (median of per-round ratios %.0f %%); GUI "
                "thread %.0f %% of the process's CPU\n",
                epochs, rounds, h, epochs / h, l, epochs / l, window.plotRefreshCount(), 100.0 * h / l,
                100.0 * median(ratios), 100.0 * median(guiCpu) / median(processCpu));
    // Where the GUI thread's time goes: average replot time of every live plot.
    for (QCustomPlot* plot : window.findChildren<QCustomPlot*>())
        std::printf("  %-28s %4dx%-4d replot %.1f ms\n", plot->parentWidget()->metaObject()->className(), plot->width(),
                    plot->height(), plot->replotTime(true));
    return 0;
}
