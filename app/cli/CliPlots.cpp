// Plot rendering for the CLI, compiled only in builds with the GUI. The rest of `normad` stays
// Qt-free; Qt is started here, on the offscreen platform, only when --plots is asked for.

#include "CliPlots.h"

#include "normad/ui/HeadlessPlots.h"

#include <QApplication>

#include <memory>

namespace normad::cli {

bool plotsAvailable()
{
    return true;
}

std::vector<std::string> writePlots(const Project& trained, const std::vector<EpochMetrics>& history,
                                    const std::string& folder)
{
    std::unique_ptr<QApplication> app;
    if (!QApplication::instance()) {
        // Headless by design: never try to reach a display from a command-line run.
        qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char name[] = "normad";
        static char* argv[] = {name, nullptr};
        app = std::make_unique<QApplication>(argc, argv);
    }
    return ui::writeTrainingPlots(trained, history, folder);
}

} // namespace normad::cli
