"""Export ▸ Brian2 script, checked end to end: for each case, `normad export --brian2` writes the
script of a trained project, Debian's python3-brian runs it (writing every layer's spikes with
--spikes and the raster with --plot), and `normad simulate` runs the same pattern; every layer's
spikes must agree spike for spike (same neurons, same grid steps).

    NORMAD_CLI=build/app/normad NORMAD_TINY_TABLE=build/tests/cli/normad-tiny-table \
        /usr/bin/python3 tests/cli/brian2_export_check.py [CASE ...]

Cases: xor (two LIF layers, a few epochs of training), multilayer (three LIF layers), heun (the
XOR project integrated with Heun's method, the clamp at rest and per-layer neuron parameters),
dataset and dataset-test (a dataset project made by `normad dataset new` from the tiny table of
tests/common/TinyTable.h, written by NORMAD_TINY_TABLE; the first training sample by default, and
sample 2 of the test split), refusals (a missing pattern or sample, a pattern of a dataset project,
a sample of a pattern project). Prints one JSON line per case; exit 0 when all agree.
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

CLI = os.environ["NORMAD_CLI"]


def normad(*args, expect=0):
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if done.returncode != expect:
        sys.exit(f"normad {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout + done.stderr


def trained_project(folder, example, epochs, edit=None):
    """The example trained for a few epochs; `edit(project_dict)` changes it before training."""
    source = os.path.join(folder, example + ".json")
    normad("example", example, "-o", source, "--seed", "3")
    if edit:
        with open(source) as f:
            project = json.load(f)
        edit(project)
        with open(source, "w") as f:
            json.dump(project, f, indent=1)
    normad("train", source, "--epochs", str(epochs), "--quiet", "--out", os.path.join(folder, "run"))
    return os.path.join(folder, "run", "trained.json")


def trained_dataset_project(folder, epochs):
    """A dataset project on the tiny table (receptive fields, one hidden layer: `dataset new`'s
    defaults), trained for a few epochs."""
    table = os.path.join(folder, "tiny.csv")
    subprocess.run([os.environ["NORMAD_TINY_TABLE"], table], check=True)
    source = os.path.join(folder, "tiny.json")
    normad("dataset", "new", table, "-o", source, "--seed", "3")
    normad("train", source, "--epochs", str(epochs), "--quiet", "--out", os.path.join(folder, "run"))
    return os.path.join(folder, "run", "trained.json")


def heun_with_clamp(project):
    """Heun's method, the clamp at rest, an output layer with its own neuron parameters, and input
    spikes at t = 0 (the script delivers them before step 0 is integrated, as the engine does)."""
    project["simulation"]["integrator"] = "heun"
    for pattern in project["task"]["patterns"]:
        for train in pattern["inputs_s"][:10]:
            if not train or train[0] > 0.0:
                train.insert(0, 0.0)
    project["network"]["neuron"]["clampAtRest"] = True
    project["network"]["layers"][-1]["neuron"] = {"refractoryPeriod_s": 0.002, "capacitance_F": 2.5e-10}


CASES = {
    "xor": dict(example="xor", epochs=3, pattern=1),
    "multilayer": dict(example="multilayer", epochs=2, pattern=0),
    "heun": dict(example="xor", epochs=2, pattern=3, edit=heun_with_clamp),
    # No --sample/--split: the first training sample.
    "dataset": dict(example=None, epochs=3, sample=()),
    "dataset-test": dict(example=None, epochs=3, sample=("--sample", "2", "--split", "test")),
}


def sample_named(project, script, sample):
    """The script's docstring names the sample `normad dataset preview` describes (the same split
    and position): its index in the data file and its label; and the simulate call that matches."""
    preview = normad("dataset", "preview", project, *sample, "--out", os.path.join(os.path.dirname(script), "pv"))
    found = re.search(r"^(\w+) sample (\d+): data sample (\d+), class (\d+) \((.*)\)$", preview, re.M)
    if not found:
        sys.exit(f"unexpected preview output: {preview}")
    split, position, index, label, name = found.groups()
    with open(script) as f:
        head = f.read(2000)
    adjective = "training" if split == "train" else split
    title = f"{adjective} sample {position} (sample {index} of tiny.csv, label {label} '{name}')"
    simulate = f"normad simulate PROJECT --sample {position} --split {split}"
    return title in head.splitlines()[1] and simulate in head


def check(name, example, epochs, pattern=None, edit=None, sample=None):
    with tempfile.TemporaryDirectory(prefix=f"brian2-export-{name}-") as folder:
        if sample is None:
            project = trained_project(folder, example, epochs, edit)
            chosen = ("--pattern", str(pattern))
        else:
            project = trained_dataset_project(folder, epochs)
            chosen = sample
        script = os.path.join(folder, "network.py")
        normad("export", project, "--brian2", script, *chosen)
        # No date or path inside: the same project gives the same bytes.
        twice = os.path.join(folder, "again", "network.py")
        os.makedirs(os.path.dirname(twice))
        normad("export", project, "--brian2", twice, *chosen)
        with open(script, "rb") as a, open(twice, "rb") as b:
            if a.read() != b.read():
                sys.exit(f"{name}: two exports of the same project differ")
        spikes = os.path.join(folder, "brian2-spikes.npz")
        plot = os.path.join(folder, "raster.png")
        run = subprocess.run([sys.executable, "-B", script, "--spikes", spikes, "--plot", plot],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{name}: the exported script failed: {run.stderr[-3000:]}")
        if not os.path.getsize(plot) > 1000:
            sys.exit(f"{name}: no raster plot at {plot}")

        simulated = os.path.join(folder, "sim")
        normad("simulate", project, *chosen, "--out", simulated)
        with open(os.path.join(simulated, "spikes.csv")) as f:
            rows = list(csv.DictReader(f))
        layers = len(json.load(open(project))["network"]["layers"])
        brian = np.load(spikes)
        dt = float(brian["dt"])
        summary = {"case": name, "presented": " ".join(chosen), "layers": {}}
        identical = True
        if sample is not None:
            summary["sample named"] = sample_named(project, script, sample)
            identical = summary["sample named"]
        for layer in range(0, layers + 1):
            key = "inputs" if layer == 0 else f"layer{layer}"
            ours = sorted((int(r["neuron"]), round(float(r["time_s"]) / dt)) for r in rows if int(r["layer"]) == layer)
            theirs = sorted(zip(brian[key + "_indices"].tolist(),
                                np.round(brian[key + "_times"] / dt).astype(int).tolist()))
            same = ours == theirs
            identical = identical and same
            summary["layers"][key] = {"normad": len(ours), "brian2": len(theirs), "identical": same}
            # A comparison means something only if every layer spikes.
            if not ours:
                identical = False
                summary["layers"][key]["silent"] = True
        summary["identical"] = identical
        print(json.dumps(summary), flush=True)
        return identical


def refusals():
    """Bad requests end with exit 2, a message naming what is wrong, and no script."""
    with tempfile.TemporaryDirectory(prefix="brian2-export-refusals-") as folder:
        script = os.path.join(folder, "never.py")
        xor = os.path.join(folder, "xor.json")
        normad("example", "xor", "-o", xor)
        message = normad("export", xor, "--brian2", script, "--pattern", "4", expect=2)
        iris = os.path.join(folder, "iris.json")
        normad("example", "iris", "-o", iris)
        messages = {
            "pattern": message,
            "pattern of a dataset": normad("export", iris, "--brian2", script, "--pattern", "0", expect=2),
            "sample outside the split": normad("export", iris, "--brian2", script, "--sample", "999", "--split",
                                               "validation", expect=2),
            "bad split": normad("export", iris, "--brian2", script, "--split", "tests", expect=2),
            "sample of a pattern task": normad("export", xor, "--brian2", script, "--sample", "1", expect=2),
            "simulate: pattern of a dataset": normad("simulate", iris, "--pattern", "0", "--out",
                                                     os.path.join(folder, "sim"), expect=2),
        }
        ok = ("'4' for --pattern" in messages["pattern"] and "--sample K" in messages["pattern of a dataset"]
              and "'999' for '--sample'" in messages["sample outside the split"]
              and "has 24 samples" in messages["sample outside the split"]
              and "'tests' for '--split'" in messages["bad split"]
              and "--pattern K" in messages["sample of a pattern task"]
              and "--sample K" in messages["simulate: pattern of a dataset"]
              and not os.path.exists(script))
        print(json.dumps({"case": "refusals", "ok": ok, **{k: v.strip() for k, v in messages.items()}}), flush=True)
        return ok


if __name__ == "__main__":
    names = sys.argv[1:] or list(CASES) + ["refusals"]
    results = [refusals() if n == "refusals" else check(n, **CASES[n]) for n in names]
    sys.exit(0 if all(results) else 1)
