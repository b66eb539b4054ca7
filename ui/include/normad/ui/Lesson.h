#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <stdexcept>

namespace normad::ui {

/// A lesson file that cannot be read or a step that cannot run. what() names the lesson file, the
/// step (1-based, as the panel shows it) and the field (`actions[2].path`), then the reason.
class LessonError : public std::runtime_error {
public:
    LessonError(const QString& file, int step, const QString& field, const QString& reason);
    QString file() const { return m_file; }
    int step() const { return m_step; } ///< 1-based; 0 = the lesson itself
    QString field() const { return m_field; }

private:
    QString m_file, m_field;
    int m_step = 0;
};

/// One thing a step does to the workbench (docs/lessons.md lists the vocabulary). `args` holds the
/// action's fields as written (already checked against the vocabulary when the lesson was loaded).
struct LessonAction {
    QString action;
    QJsonObject args;
};

/// A question the live plots answer; the answer is revealed on request.
struct LessonQuestion {
    QString question;
    QString answer;
};

struct LessonStep {
    QString title;
    QString text; ///< Markdown (Qt's CommonMark subset: emphasis, lists, code, links, simple HTML)
    QList<LessonAction> actions;
    QList<LessonQuestion> questions;
};

/// A guided lesson: a few steps of text, actions that set the workbench up and questions.
struct Lesson {
    QString source; ///< file it came from (":/lessons/…" for bundled lessons)
    QString title;
    QString summary;
    QList<LessonStep> steps;
};

/// Parses a lesson (docs/lessons.md). Unknown keys, unknown actions, missing or mistyped fields and
/// `set` paths that name no project field are refused with a LessonError naming `source`.
Lesson parseLesson(const QByteArray& json, const QString& source);
/// Reads and parses a lesson file (also ":/lessons/…" resources). Throws LessonError.
Lesson loadLesson(const QString& path);
/// The lessons compiled into the program, in order (":/lessons/01-….json", …).
QStringList bundledLessonPaths();

/// The actions a lesson may use, for documentation and messages.
QStringList lessonActionNames();

} // namespace normad::ui
