#include "normad/ui/WorkbenchShell.h"

namespace normad::ui {

const char* toString(Menu which)
{
    switch (which) {
    case Menu::File:
        return "File";
    case Menu::Export:
        return "Export";
    case Menu::Import:
        return "Import";
    case Menu::Edit:
        return "Edit";
    case Menu::Examples:
        return "Examples";
    case Menu::Training:
        return "Training";
    case Menu::View:
        return "View";
    case Menu::Help:
        return "Help";
    }
    return "?";
}

const char* toString(Dock which)
{
    switch (which) {
    case Dock::RunSettings:
        return "RunSettings";
    case Dock::LearningCurves:
        return "LearningCurves";
    case Dock::Weights:
        return "Weights";
    case Dock::History:
        return "History";
    case Dock::Lessons:
        return "Lessons";
    case Dock::Inspector:
        return "Inspector";
    case Dock::Runs:
        return "Runs";
    case Dock::Dataset:
        return "Dataset";
    case Dock::Accuracy:
        return "Accuracy";
    case Dock::Confusion:
        return "Confusion";
    }
    return "?";
}

const char* toString(Tab which)
{
    switch (which) {
    case Tab::Live:
        return "Live";
    case Tab::Network:
        return "Network";
    case Tab::Task:
        return "Task";
    }
    return "?";
}

} // namespace normad::ui
