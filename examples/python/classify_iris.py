"""Train the Iris dataset example, evaluate its test split and plot the accuracy and confusion matrix.

    PYTHONPATH=build/python python3 examples/python/classify_iris.py [iris.png]

The example's table (iris.csv) is written into a temporary folder; without an argument the plot goes
there too. Matplotlib draws off screen (Agg).
"""

import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

import normad  # noqa: E402

EPOCHS = 60

with tempfile.TemporaryDirectory() as folder:
    project = normad.example("iris", data_folder=folder)
    data = normad.load_dataset(project)  # loaded once, reused by train() and evaluate()
    print(data, "classes:", ", ".join(data.class_names))
    first = data.sample(0, split="train")
    print(f"sample 0 ({first['class_name']}): {len(first['inputs'][0])} input spikes on {data.input_count} neurons")

    trained, result = normad.train(project, epochs=EPOCHS, seed=1, dataset=data)
    history = result["history"]
    for m in history[:: max(1, len(history) // 5)]:
        print(f"epoch {m['epoch']:3d}: train {m['train_accuracy']:.2f}, validation {m['validation_accuracy']:.2f}")
    report = normad.evaluate(trained, split="test", dataset=data)
    print(f"test accuracy {report['accuracy']:.3f} ({report['correct']} of {report['samples']})")
    print(report["confusion"])

    fig, (curve, matrix) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = [m["epoch"] for m in history]
    curve.plot(epochs, [m["train_accuracy"] for m in history], label="training passes")
    curve.plot(epochs, [m["validation_accuracy"] for m in history], label="validation split")
    curve.axhline(1 / data.class_count, color="grey", linestyle=":", label="chance")
    curve.set_xlabel("epoch")
    curve.set_ylabel("accuracy")
    curve.set_ylim(0, 1)
    curve.legend(loc="lower right")
    matrix.imshow(report["confusion"], cmap="Blues")
    for (t, p), count in np.ndenumerate(report["confusion"]):
        matrix.text(p, t, str(count), ha="center", va="center")
    matrix.set_xticks(range(data.class_count), data.class_names)
    matrix.set_yticks(range(data.class_count), data.class_names)
    matrix.set_xlabel("predicted")
    matrix.set_ylabel("true")
    matrix.set_title(f"test split, accuracy {report['accuracy']:.2f}")
    fig.tight_layout()
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(folder, "iris.png")
    fig.savefig(path, dpi=100)
    print("wrote", path)

    # What a test of this script checks: the arrays fit the dataset and training beat chance.
    assert report["confusion"].shape == (3, 3)
    assert report["confusion"].sum() + report["undecided"].sum() == data.counts["test"]
    assert len(report["predictions"]["predicted"]) == data.counts["test"]
    assert report["accuracy"] > 1 / data.class_count + 0.2, report["accuracy"]
    assert os.path.getsize(path) > 1000
