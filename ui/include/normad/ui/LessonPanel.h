#pragma once

#include "normad/ui/Lesson.h"

#include "normad/Reproduction.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTextBrowser;
class QVBoxLayout;

namespace normad::ui {

class LessonRunner;
class ParameterSweep;
class ProjectDocument;
struct SweepRequest;

/// The in-app lessons: pick a lesson, read a step, press "Set up" to let it load a task, change a
/// parameter or start training, then answer its questions from the live plots (answers on request).
/// A step's sweep trains one project per value in the background and overlays the learning curves
/// here. Bundled lessons come from the :/lessons resource; File ▸ Open Lesson… adds one from a file.
class LessonPanel : public QWidget {
    Q_OBJECT

public:
    LessonPanel(LessonRunner* runner, ProjectDocument* document, QWidget* parent = nullptr);
    ~LessonPanel() override;

    /// Adds a lesson and shows its first step.
    void addLesson(const Lesson& lesson);
    /// Loads a lesson file; on failure returns the message (naming file, step and field).
    QString openLessonFile(const QString& path);

    int lessonCount() const { return static_cast<int>(m_lessons.size()); }
    const Lesson& lesson(int index) const { return m_lessons.at(index); }
    int currentLesson() const { return m_current; }
    int currentStep() const { return m_step; }
    void setLesson(int index);
    void setStep(int step);
    /// Runs the current step's actions (the "Set up" button). Returns an error message or empty.
    QString runCurrentStep();
    /// Reveals every answer of the current step (as if each "Show answer" was pressed).
    void revealAnswers();
    /// Starts a sweep on the current project (the runner's `sweep` hook). Returns an error or empty.
    QString startSweep(const SweepRequest& request);

    ParameterSweep* sweep() const { return m_sweep; }
    QCustomPlot* sweepPlot() const { return m_sweepPlot; }
    QString statusText() const;

signals:
    void stepShown(int lesson, int step);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitText();
    void showStep();
    void setStatus(const QString& text, bool error);
    void sweepTrialFinished(int index, const QString& label, const reproduction::TrialResult& result);

    LessonRunner* m_runner;
    ProjectDocument* m_document;
    QList<Lesson> m_lessons;
    int m_current = -1;
    int m_step = 0;

    QComboBox* m_chooser = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_header = nullptr;
    QTextBrowser* m_text = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_next = nullptr;
    QLabel* m_status = nullptr;
    QWidget* m_questions = nullptr;
    QVBoxLayout* m_questionLayout = nullptr;
    QList<QPushButton*> m_showAnswers; // the current step's "Show answer" buttons
    QWidget* m_sweepBox = nullptr;
    QLabel* m_sweepTitle = nullptr;
    QCustomPlot* m_sweepPlot = nullptr;
    QPushButton* m_sweepCancel = nullptr;
    ParameterSweep* m_sweep = nullptr;
};

} // namespace normad::ui
