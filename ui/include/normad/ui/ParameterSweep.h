#pragma once

#include "normad/ui/LessonRunner.h"

#include "normad/Cancellation.h"
#include "normad/Project.h"
#include "normad/Reproduction.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

class QThread;

namespace normad::ui {

/// Trains one project per swept value on a background thread with the engine's reproduction
/// runner (normad::reproduction::runTrial) and reports each learning curve as it finishes.
/// Starting a new sweep cancels the running one ("the latest sweep wins").
class ParameterSweep : public QObject {
    Q_OBJECT

public:
    explicit ParameterSweep(QObject* parent = nullptr);
    ~ParameterSweep() override;

    /// Builds every value's project on this thread (so a bad value is refused at once, throwing
    /// std::invalid_argument) and starts training them one after another.
    void start(const SweepRequest& request, const Project& current);
    /// Raises the engine's cancel flag and waits for the thread (a few hundred steps at most).
    void cancel();
    bool isRunning() const;
    const SweepRequest& request() const { return m_request; }
    /// Curves finished so far, in value order (empty trial = not run yet).
    const std::vector<reproduction::TrialResult>& results() const { return m_results; }

signals:
    void trialFinished(int index, const QString& label, const normad::reproduction::TrialResult& result);
    void finished(bool cancelled);

private:
    SweepRequest m_request;
    std::vector<reproduction::TrialResult> m_results;
    QThread* m_thread = nullptr;
    std::shared_ptr<CancelFlag> m_cancel;
};

} // namespace normad::ui
