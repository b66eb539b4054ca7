#include "normad/ui/LessonsFeature.h"

#include "normad/ui/LessonPanel.h"
#include "normad/ui/LessonRunner.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QMainWindow>
#include <QMessageBox>

namespace normad::ui {

LessonsFeature::LessonsFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_runner = new LessonRunner(shell.document(), shell.training());
    m_runner->setShell(&shell);
    m_panel = new LessonPanel(m_runner, shell.document(), shell.window());
    m_runner->setParent(m_panel); // the panel unhooks itself from the runner when it goes
    // Shown on request: the default layout stays the live view's.
    QDockWidget* dock = addDock(Dock::Lessons, m_panel, tr("Lessons"), Qt::RightDockWidgetArea, false);
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F1));

    m_openLesson = new QAction(tr("Open &Lesson…"), this);
    connect(m_openLesson, &QAction::triggered, this, &LessonsFeature::chooseLessonFile);
    addMenuAction(Menu::File, m_openLesson, true);
    dock->toggleViewAction()->setText(tr("&Lessons"));
    addMenuAction(Menu::Help, dock->toggleViewAction());
}

void LessonsFeature::chooseLessonFile()
{
    QWidget* window = shell().window();
    const QString path = QFileDialog::getOpenFileName(window, tr("Open Lesson"), QString(), tr("Lessons (*.json)"));
    if (path.isEmpty())
        return;
    shell().showDock(Dock::Lessons);
    if (const QString error = m_panel->openLessonFile(path); !error.isEmpty())
        QMessageBox::warning(window, tr("Cannot open lesson"), error);
}

} // namespace normad::ui
