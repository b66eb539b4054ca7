// MainWindow's teaching extras, kept out of MainWindow.cpp: the Lessons panel, the rule inspector
// ("a look inside the rule") and their menu entries.

#include "normad/ui/MainWindow.h"

#include "normad/ui/LessonPanel.h"
#include "normad/ui/LessonRunner.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RuleInspector.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/WeightPlot.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>

#include <stdexcept>

namespace normad::ui {

void MainWindow::installTeaching()
{
    auto* runner = new LessonRunner(m_document, m_training, this);
    runner->setObjectName(QStringLiteral("lessonRunner"));
    auto* lessons = new LessonPanel(runner, m_document, this);
    lessons->setObjectName(QStringLiteral("lessonPanel"));
    auto* inspector = new RuleInspector(m_document, m_training, this);
    inspector->setObjectName(QStringLiteral("ruleInspector"));

    auto dock = [this](QWidget* content, const QString& title, const QString& name, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        addDockWidget(area, d);
        d->hide();  // shown on request: the default layout stays the live view's
        if (m_viewMenu)
            m_viewMenu->addAction(d->toggleViewAction());
        return d;
    };
    // Lessons on the right; the inspector below the live view and the lessons (it needs width:
    // its time plots and the table of contributions sit side by side).
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    QDockWidget* lessonsDock = dock(lessons, tr("Lessons"), QStringLiteral("lessonsDock"), Qt::RightDockWidgetArea);
    QDockWidget* inspectorDock = dock(inspector, tr("Inside the rule"), QStringLiteral("inspectorDock"), Qt::BottomDockWidgetArea);
    lessonsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F1));
    connect(inspectorDock, &QDockWidget::visibilityChanged, inspector, [inspector](bool visible) {
        if (visible)
            inspector->refresh();
    });

    // With the lessons open, the live view, the left column and an inspector docked below them do
    // not fit a 1280×800 window: it grew past 800 px and squashed the inspector's plots. Below
    // ~1000 px the inspector therefore joins the live plot docks of the left column as a tab (run
    // settings, history, learning curves, weights: one tab group), and the column widens to give
    // its time plots and table room; the live view keeps the centre, the lessons the right.
    auto placeInspector = [this, lessonsDock, inspectorDock] {
        if (inspectorDock->isFloating() || !lessonsDock->isVisible() || height() >= 1000)
            return;
        auto* curves = findChild<QDockWidget*>(QStringLiteral("learningCurvesDock"));
        if (!curves || dockWidgetArea(curves) != Qt::LeftDockWidgetArea)
            return;
        for (const char* name : {"runSettingsDock", "historyDock", "weightsDock"})
            if (auto* d = findChild<QDockWidget*>(QString::fromLatin1(name)); d && dockWidgetArea(d) == Qt::LeftDockWidgetArea)
                tabifyDockWidget(curves, d);
        tabifyDockWidget(curves, inspectorDock);
        inspectorDock->show();
        inspectorDock->raise();
        const int lessonsWidth = lessonsDock->width();
        resizeDocks({inspectorDock}, {std::max(480, width() - lessonsWidth - 340)}, Qt::Horizontal);
    };

    // A lesson that loads a task replaces the project like the Examples menu: unsaved work is asked about.
    runner->replaceProject = [this](Project p, const QString& title) {
        if (!maybeSave())
            throw std::runtime_error("the open project has unsaved changes; save or discard them first");
        setProject(std::move(p), title);
    };
    runner->showDock = [this, inspectorDock, placeInspector](const QString& name) {
        static const QHash<QString, QString> docks = {
            {QStringLiteral("lessons"), QStringLiteral("lessonsDock")},
            {QStringLiteral("inspector"), QStringLiteral("inspectorDock")},
            {QStringLiteral("curves"), QStringLiteral("learningCurvesDock")},
            {QStringLiteral("weights"), QStringLiteral("weightsDock")},
            {QStringLiteral("settings"), QStringLiteral("runSettingsDock")},
            {QStringLiteral("history"), QStringLiteral("historyDock")},
        };
        auto* d = findChild<QDockWidget*>(docks.value(name));
        if (!d)
            return false;
        if (d == inspectorDock)
            placeInspector();  // before it shows: shown below the live view first, the window would grow
        d->show();
        d->raise();
        return true;
    };
    runner->showTab = [this](const QString& name) {
        const int index = name == QLatin1String("live") ? 0 : name == QLatin1String("network") ? 1 : name == QLatin1String("task") ? 2 : -1;
        if (index < 0 || index >= m_designers->count())
            return false;
        m_designers->setCurrentIndex(index);
        return true;
    };
    runner->inspect = [inspector, inspectorDock, placeInspector](int layer, int neuron, int pattern, int synapse) {
        placeInspector();
        inspectorDock->show();
        inspectorDock->raise();
        inspector->inspect(layer, neuron, pattern, synapse);
    };
    // "Why did this weight change?": a click on a synapse of the weight map explains it.
    connect(m_weights, &WeightPlot::synapseClicked, inspector, [inspector, inspectorDock, placeInspector](int layer, int post, int pre) {
        placeInspector();
        inspectorDock->show();
        inspectorDock->raise();
        inspector->inspect(layer, post, -1, pre);
    });

    // File ▸ Open Lesson… above Quit; Help ▸ Lessons.
    QMenu* file = menuBar()->actions().value(0) ? menuBar()->actions().value(0)->menu() : nullptr;
    auto* openLesson = new QAction(tr("Open &Lesson…"), this);
    connect(openLesson, &QAction::triggered, this, [this, lessons, lessonsDock] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Lesson"), QString(), tr("Lessons (*.json)"));
        if (path.isEmpty())
            return;
        lessonsDock->show();
        lessonsDock->raise();
        if (const QString error = lessons->openLessonFile(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Cannot open lesson"), error);
    });
    if (file) {
        QAction* quit = nullptr;
        for (QAction* a : file->actions())
            if (a->shortcut() == QKeySequence(QKeySequence::Quit))
                quit = a;
        quit ? file->insertAction(quit, openLesson) : file->addAction(openLesson);
    }
    for (QAction* a : menuBar()->actions())
        if (a->menu() && a->menu()->title() == tr("&Help")) {
            a->menu()->insertAction(a->menu()->actions().value(0), lessonsDock->toggleViewAction());
            lessonsDock->toggleViewAction()->setText(tr("&Lessons"));
            a->menu()->insertAction(a->menu()->actions().value(1), inspectorDock->toggleViewAction());
        }
}

} // namespace normad::ui
