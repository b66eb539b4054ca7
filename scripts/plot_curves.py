#!/usr/bin/python3
"""Learning curves of `normad reproduce ... --out DIR` as PNG files.

    /usr/bin/python3 scripts/plot_curves.py DIR [DIR ...] [--out docs/figures] [--only V ...] [--suffix S]

Reads DIR/curves.csv (variant,epoch,mean_min_correlation,fraction_succeeded) and writes
<experiment>-curves.png: per variant the mean over trials of the worst pattern's correlation C
(left) and the fraction of trials solved by each epoch (right). Needs Debian's python3-matplotlib.
"""

import argparse
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Okabe–Ito: distinguishable with colour-blindness; line styles repeat the distinction.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
STYLES = ["-", "--", "-.", ":"]


def read_curves(path):
    curves = defaultdict(lambda: ([], [], []))
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            epochs, corr, solved = curves[row["variant"]]
            epochs.append(int(row["epoch"]))
            corr.append(float(row["mean_min_correlation"]))
            solved.append(float(row["fraction_succeeded"]))
    return curves


def experiment_name(folder):
    summary = os.path.join(folder, "summary.csv")
    if os.path.exists(summary):
        with open(summary, newline="") as f:
            for row in csv.DictReader(f):
                return row["experiment"]
    return os.path.basename(os.path.normpath(folder))


def plot(folder, out_dir, only, suffix):
    curves = read_curves(os.path.join(folder, "curves.csv"))
    if only:
        curves = {k: v for k, v in curves.items() if k in only}
    name = experiment_name(folder) + (f"-{suffix}" if suffix else "")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for i, (variant, (epochs, corr, solved)) in enumerate(sorted(curves.items())):
        style = dict(color=COLOURS[i % len(COLOURS)], linestyle=STYLES[(i // len(COLOURS)) % len(STYLES)], linewidth=1.6)
        left.plot(epochs, corr, label=variant, **style)
        right.plot(epochs, solved, label=variant, **style)
    left.set_xlabel("epoch")
    left.set_ylabel("mean over trials of the worst pattern's C")
    left.set_ylim(0, 1.02)
    right.set_xlabel("epoch")
    right.set_ylabel("fraction of trials solved")
    right.set_ylim(-0.02, 1.02)
    for ax in (left, right):
        ax.set_xscale("log")
        ax.grid(True, alpha=0.3)
    right.legend(fontsize=7, loc="lower right", ncol=1 if len(curves) <= 8 else 2)
    fig.suptitle(f"normad reproduce {name}")
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, f"{name}-curves.png")
    fig.savefig(target, dpi=110)
    plt.close(fig)
    print(f"wrote {target}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", help="folders written by normad reproduce --out")
    parser.add_argument("--out", default="docs/figures", help="where the PNG files go (default docs/figures)")
    parser.add_argument("--only", nargs="*", default=[], help="plot only these variants")
    parser.add_argument("--suffix", default="", help="appended to the file name: <experiment>-<suffix>-curves.png")
    args = parser.parse_args()
    for folder in args.folders:
        if not os.path.exists(os.path.join(folder, "curves.csv")):
            sys.exit(f"plot_curves: {folder}/curves.csv not found (run normad reproduce ... --out {folder})")
        plot(folder, args.out, args.only, args.suffix)


if __name__ == "__main__":
    main()
