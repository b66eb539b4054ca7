#pragma once

#include "normad/ui/WorkbenchFeature.h"

class QAction;

namespace normad::ui {

class LessonPanel;
class LessonRunner;

/// Lessons (docs/lessons.md): the Lessons dock on the right (View and Help ▸ Lessons, F1), File ▸
/// Open Lesson…, and the runner that carries a lesson's actions out in this window. Its `inspect`
/// actions leave as LessonRunner::inspectRequested.
class LessonsFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit LessonsFeature(WorkbenchShell& shell);

    LessonPanel* panel() const { return m_panel; }
    LessonRunner* runner() const { return m_runner; }
    QAction* openLessonAction() const { return m_openLesson; }

private:
    void chooseLessonFile();

    LessonRunner* m_runner;
    LessonPanel* m_panel;
    QAction* m_openLesson;
};

} // namespace normad::ui
