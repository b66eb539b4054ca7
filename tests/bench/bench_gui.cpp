// Training speed with the workbench's live plots versus headless: same project, same epochs.
//   bench_gui [EPOCHS]   (run offscreen: QT_QPA_PLATFORM=offscreen)

#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <qcustomplot.h>

#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 400;
    normad::Project project = normad::generators::xorTask(1);
    project.training.maxEpochs = epochs;
    project.training.targetCorrelation = 2.0; // run every epoch
    project.ensureWeights();

    QElapsedTimer t;
    t.start();
    normad::Trainer headless(project.network, project.task, project.simulation, project.training, project.seed);
    headless.run();
    const double headlessSeconds = t.nsecsElapsed() * 1e-9;

    normad::ui::MainWindow window;
    window.setConfirmUnsavedChanges(false);
    window.setProject(project, QStringLiteral("bench"));
    window.show();
    QEventLoop loop;
    QObject::connect(window.training(), &normad::ui::TrainingController::finished, &loop, &QEventLoop::quit);
    t.restart();
    window.training()->start();
    loop.exec();
    const double liveSeconds = t.nsecsElapsed() * 1e-9;
    std::printf("%d epochs: headless %.2f s (%.1f epochs/s), live plots %.2f s (%.1f epochs/s, %d plot refreshes): "
                "live/headless speed %.0f %%\n",
                epochs, headlessSeconds, epochs / headlessSeconds, liveSeconds, epochs / liveSeconds,
                window.plotRefreshCount(), 100.0 * headlessSeconds / liveSeconds);
    // Where the GUI thread's time goes: average replot time of every live plot.
    for (QCustomPlot* plot : window.findChildren<QCustomPlot*>())
        std::printf("  %-28s %4dx%-4d replot %.1f ms\n", plot->parentWidget()->metaObject()->className(), plot->width(),
                    plot->height(), plot->replotTime(true));
    return 0;
}
