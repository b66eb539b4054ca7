#pragma once

#include "normad/ui/BackgroundJob.h"
#include "normad/ui/LessonRunner.h"

#include "normad/Project.h"
#include "normad/Reproduction.h"

#include <QObject>
#include <QStringList>

#include <vector>

namespace normad::ui {

/// Trains one project per swept value in the background with the engine's reproduction runner
/// (normad::reproduction::runTrial), one value after the other, and reports each learning curve as
/// it finishes. Starting a new sweep cancels the running one ("the latest sweep wins").
class ParameterSweep : public QObject {
    Q_OBJECT

public:
    explicit ParameterSweep(QObject* parent = nullptr);
    ~ParameterSweep() override;

    /// Builds every value's project on this thread (so a bad value is refused at once, throwing
    /// std::invalid_argument) and starts training them one after another.
    void start(const SweepRequest& request, const Project& current);
    /// Raises the engine's cancel flag of the running trial and emits finished(true). Returns at
    /// once: the trial stops in the background within a few hundred steps, and nothing of it arrives.
    void cancel();
    bool isRunning() const { return m_job.isRunning(); }
    const SweepRequest& request() const { return m_request; }
    /// Curves finished so far, in value order (empty trial = not run yet).
    const std::vector<reproduction::TrialResult>& results() const { return m_results; }

signals:
    void trialFinished(int index, const QString& label, const normad::reproduction::TrialResult& result);
    void finished(bool cancelled);
    /// A trial could not run: a user-facing message. The sweep stops there (finished(true) follows).
    void failed(const QString& message);

private:
    void runTrial(std::size_t index);

    SweepRequest m_request;
    std::vector<Project> m_projects;
    std::vector<reproduction::TrialResult> m_results;
    BackgroundJob<reproduction::TrialResult> m_job;
    int m_generation = 0; // bumped by start() and cancel()
};

} // namespace normad::ui
