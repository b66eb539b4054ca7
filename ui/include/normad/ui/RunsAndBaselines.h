#pragma once

namespace normad::ui {

class MainWindow;
class RunsPanel;

/// Issue 6, "Baselines and comparison": keeps every finished session of `window` as a run
/// (RunHistory), adds the Runs dock (RunsPanel, hidden until there are two runs to compare or the
/// user shows it), Training ▸ Bookmark Weights / Branch from Bookmark and View ▸ Runs.
RunsPanel* installRunsAndBaselines(MainWindow* window);

} // namespace normad::ui
