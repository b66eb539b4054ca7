#pragma once

#include "normad/Project.h"
#include "normad/TrainerState.h"

#include <optional>
#include <string>
#include <vector>

namespace normad {

/// A training run stopped between two epochs, with everything needed to continue it and get the
/// same bits as a run that never stopped (docs/checkpoints.md): the run's project with the weights
/// at the checkpoint, the trainer's state (epoch, order generator, stop-criterion counters,
/// history, a rule's per-weight state such as SuperSpike's RMaxProp) and how the run was started.
struct Checkpoint {
    /// The run's project (seed and settings as trained) with the network at the checkpoint. Its
    /// data paths are as in the file the run was started from; they start at projectDirectory.
    Project project;
    std::string projectDirectory;          ///< absolute folder the project's relative data paths start from
    int maxEpochs = 0;                     ///< the epoch limit the run was started with
    std::optional<std::string> plotFolder; ///< where the run renders its plots at the end, if anywhere
    /// Epochs the project had been trained for before this run started (its history then), kept
    /// ahead of the run's own: the workbench continues a project's history. Empty for normad train.
    std::vector<EpochMetrics> earlierHistory;
    TrainerState trainer;
};

/// The checkpoint file's format version; newer ones are refused.
inline constexpr int checkpointFormatVersion = 1;

/// One JSON document: format, version, the run's settings, the trainer state and the project
/// (docs/project-format.md) with weights and history. Numbers round-trip exactly.
std::string checkpointToJson(const Checkpoint& checkpoint);
/// Reads checkpointToJson(); `source` names the text in messages. Throws ProjectError naming the
/// field for anything that is not a checkpoint of this or an older format.
Checkpoint checkpointFromJson(const std::string& text, const std::string& source = "<memory>");
/// Writes a checkpoint atomically (writeFileAtomically): a reader sees the previous one or this one.
void saveCheckpoint(const Checkpoint& checkpoint, const std::string& path);
/// Reads a checkpoint file. Throws ProjectError.
Checkpoint loadCheckpoint(const std::string& path);

} // namespace normad
