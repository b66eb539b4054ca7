"""Train the spike-based XOR example and plot its learning curve.

    PYTHONPATH=build/python python3 examples/python/train_xor.py [curve.png]

Without an argument the plot goes to a temporary file. Matplotlib draws off screen (Agg).
"""

import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

import normad  # noqa: E402

project = normad.example("xor", seed=1)
trained, result = normad.train(project, epochs=150)
print(f"{result['reason']}: {result['message']} ({result['epochs']} epochs, {result['seconds']:.2f} s)")

epochs = [m["epoch"] for m in result["history"]]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(epochs, [m["mean_correlation"] for m in result["history"]], label="mean C over patterns")
ax.plot(epochs, [m["min_correlation"] for m in result["history"]], label="worst pattern's C")
# Convergence is judged on a forward pass with the epoch-end weights (training.convergeOnEvaluation).
ax.plot(epochs, [m["evaluated_min_correlation"] for m in result["history"]], label="worst C, epoch-end pass")
ax.axhline(project.get("training.targetCorrelation"), color="grey", linestyle=":", label="target")
ax.set_xlabel("epoch")
ax.set_ylabel("correlation C")
ax.set_title(project.name)
ax.legend(loc="lower right")
fig.tight_layout()


def save(path):
    fig.savefig(path, dpi=100)
    print("wrote", path)
    # What a test of this script checks: XOR is learnt and the plot was written.
    assert result["reason"] == "converged", result["message"]
    assert os.path.getsize(path) > 1000


if len(sys.argv) > 1:
    save(sys.argv[1])
else:
    with tempfile.TemporaryDirectory() as tmp:
        save(os.path.join(tmp, "xor-learning-curve.png"))
