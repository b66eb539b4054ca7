#!/usr/bin/python3
"""Logistic-regression baseline on a dataset project's own split.

    /usr/bin/python3 scripts/logistic_baseline.py PROJECT.json [--normad build/app/normad]
                                                  [--split-csv FILE] [--c 1.0] [--max-iter 1000]

Reads the data files the project references (task.dataset.source: a CSV table or IDX images/labels,
plain or gzip-compressed) and the engine's split of them: `normad dataset info PROJECT --split-csv
FILE` writes one row per sample (file,sample,split,label), which this script runs unless --split-csv
names a file already written. So scikit-learn sees exactly the samples and labels the spiking network
trains and is tested on; the split is never re-made here. Features are standardised with a scaler
fitted on the training split only (IDX pixels first divided by 255), then a multinomial logistic
regression (lbfgs, L2, C) is fitted on the training split. Prints the accuracy on each split.

Needs Debian's python3-sklearn (and python3-numpy).
"""

import argparse
import csv
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def fail(message):
    sys.exit("logistic_baseline.py: " + message)


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def read_csv_features(path, label_column, header):
    """Feature rows of a table, label column dropped, in file order (blank lines skipped)."""
    with open(path, newline="") as f:
        rows = [row for row in csv.reader(f) if row and any(cell.strip() for cell in row)]
    if not rows:
        fail(path + ": no rows")
    if header is None:
        # The engine's rule: a header when one of the first line's cells is not a number while the
        # cell below it is.
        header = len(rows) > 1 and any(
            not is_number(a) and is_number(b) for a, b in zip(rows[0], rows[1]))
    names = rows[0] if header else ["column %d" % (j + 1) for j in range(len(rows[0]))]
    body = rows[1:] if header else rows
    label = None
    if label_column:
        for exact in (True, False):
            for j, name in enumerate(names):
                if (name == label_column) if exact else (name.lower() == label_column.lower()):
                    label = j
                    break
            if label is not None:
                break
        if label is None:
            fail("%s: no column named '%s'" % (path, label_column))
    else:
        for j, name in enumerate(names):
            if name.strip().lower() in ("label", "class", "target"):
                label = j
                break
        if label is None:
            label = len(names) - 1
    features = [[float(cell) for j, cell in enumerate(row) if j != label] for row in body]
    return np.asarray(features, dtype=np.float64)


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        fail(path + ": not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    return values.reshape(shape[0], -1) if dims > 1 else values


def resolve(project_dir, reference):
    path = reference["path"]
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(project_dir, path))


def read_source(source, files, project_dir):
    kind = source.get("format")
    paths = [resolve(project_dir, f) for f in files]
    if kind == "csv":
        return read_csv_features(paths[0], source.get("labelColumn", ""), source.get("header"))
    if kind == "idx":
        return read_idx(paths[0]).astype(np.float64) / 255.0
    fail("format '%s' is not supported here (csv and idx are)" % kind)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project")
    parser.add_argument("--normad", default="normad", help="the normad executable (default: on PATH)")
    parser.add_argument("--split-csv", help="the split written by `normad dataset info --split-csv`")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 regularisation strength")
    parser.add_argument("--max-iter", type=int, default=1000)
    args = parser.parse_args()

    with open(args.project) as f:
        project = json.load(f)
    try:
        spec = project["task"]["dataset"]
        source = spec["source"]
    except KeyError:
        fail(args.project + ": not a dataset project (no task.dataset.source)")
    project_dir = os.path.dirname(os.path.abspath(args.project))

    split_csv = args.split_csv
    if split_csv is None:
        split_csv = os.path.join(tempfile.mkdtemp(prefix="normad-split-"), "split.csv")
        subprocess.run([args.normad, "dataset", "info", args.project, "--split-csv", split_csv],
                       check=True, stdout=subprocess.DEVNULL)

    features = [read_source(source, source["files"], project_dir)]
    if source.get("testFiles"):
        features.append(read_source(source, source["testFiles"], project_dir))

    parts = {}
    with open(split_csv, newline="") as f:
        for row in csv.DictReader(f):
            file, sample = int(row["file"]), int(row["sample"])
            if sample >= len(features[file]):
                fail("%s: sample %d past the %d rows of file %d" % (split_csv, sample, len(features[file]), file))
            part = parts.setdefault(row["split"], ([], []))
            part[0].append(features[file][sample])
            part[1].append(int(row["label"]))
    if "train" not in parts:
        fail(split_csv + ": no training samples")

    x_train, y_train = np.asarray(parts["train"][0]), np.asarray(parts["train"][1])
    scaler = StandardScaler().fit(x_train)
    model = LogisticRegression(C=args.c, max_iter=args.max_iter)
    model.fit(scaler.transform(x_train), y_train)
    print("logistic regression (C=%g) on %s" % (args.c, args.project))
    for name in ("train", "validation", "test"):
        if name not in parts:
            continue
        x, y = np.asarray(parts[name][0]), np.asarray(parts[name][1])
        accuracy = float((model.predict(scaler.transform(x)) == y).mean())
        print("  %-10s %6d samples  accuracy %.2f %%" % (name, len(y), 100.0 * accuracy))


if __name__ == "__main__":
    main()
