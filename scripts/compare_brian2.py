#!/usr/bin/python3
"""Forward-pass speed against Brian2's C++ standalone mode, on the same network and the same spikes.

    /usr/bin/python3 scripts/compare_brian2.py [--build build] [--rounds 7] [--networks large paper]
        [--simd scalar|baseline|avx2] [--numpy-rounds N] [--keep DIR [--reuse]]

For each network the script
  1. writes a project: "large" is 1000 inputs -> 500 -> 10 LIF neurons, T = 1 s, Poisson inputs at
     20 Hz (seeded), weights drawn like bench_engine's Forward/large (hidden layer ~18 Hz); "paper" is
     `normad example multilayer --seed 3` (100 -> 50 -> 50 -> 1, T = 0.5 s, the papers' network);
  2. exports it with `normad export P --brian2 F.py --pattern 0` (the script tests/cli/
     brian2_export_check.py verifies spike for spike) and switches that script from Brian2's numpy
     target to `cpp_standalone` (Brian2's defaults: -O3 -ffast-math -march=native), then runs it once:
     generation, compilation and a first run, whose spikes are kept;
  3. runs `normad simulate P --pattern 0` and requires every layer's spikes to be identical (same
     neurons, same grid steps) to Brian2's;
  4. times both alternately, `--rounds` times:
       Brian2: the compiled binary `main` run again; its own reported simulation time
               (results/last_run_info.txt: Network::run's loop, without code generation, compilation,
               loading or synapse creation; process CPU time, std::clock());
       NormAD: `bench_time_forward P --runs 3` (tests/bench/time_forward.cpp, built with
               -DNORMAD_BUILD_BENCHMARKS=ON): process CPU time (std::clock(), as Brian2) of
               Simulator::run alone (no loading, no file output, no membrane recording); the round's
               value is the median of its 3 runs;
     and prints the median of each and the median of the per-round ratios Brian2 / NormAD;
  5. with --numpy-rounds N, times Brian2's numpy target too: the exported script unchanged but for
     process CPU time around network.run over the trial, after a 10-step run that prepares its code
     objects; the median of N runs, and its ratio to NormAD's median.

Needs Debian's python3-brian and a C++ compiler (for Brian2). Exit 1 when spikes disagree.
"""
import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed ({done.returncode}):\n"
                 f"{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout


def large_project(normad, path):
    """1000 -> 500 -> 10, 1 s, 20 Hz Poisson inputs, bench_engine's largeNetwork() initialisation."""
    run([normad, "example", "multilayer", "-o", path, "--seed", "3"])
    with open(path) as f:
        project = json.load(f)
    dt = project["simulation"]["dt_s"]
    project["simulation"]["duration_s"] = 1.0
    project["network"]["inputs"] = 1000
    template = project["network"]["layers"][0]
    hidden = json.loads(json.dumps(template))
    output = json.loads(json.dumps(template))
    hidden["size"], output["size"] = 500, 10
    hidden["init"].update(kind="normal", mean_A=0.025e-9, stddev_A=1e-9 * (100.0 / 1000.0) ** 0.5)
    output["init"].update(kind="normal", mean_A=0.055e-9, stddev_A=1e-9 * (50.0 / 500.0) ** 0.5)
    for layer in (hidden, output):
        layer.pop("weights_A", None)
    project["network"]["layers"] = [hidden, output]
    steps = round(1.0 / dt)
    rng = np.random.default_rng(20)
    # At most one spike per input and step (a Bernoulli draw per step): Brian2's generator needs it.
    fires = rng.random((1000, steps)) < 20.0 * dt
    inputs = [[round(float(n) * dt, 10) for n in np.flatnonzero(row)] for row in fires]
    project["task"]["patterns"] = [{"name": "20 Hz Poisson", "inputs_s": inputs, "desired_s": [[] for _ in range(10)]}]
    with open(path, "w") as f:
        json.dump(project, f)


def paper_project(normad, path):
    run([normad, "example", "multilayer", "-o", path, "--seed", "3"])


def standalone(script, build_dir):
    """The exported script, switched from the numpy target to Brian2's C++ standalone device."""
    with open(script) as f:
        text = f.read()
    target = re.search(r'^prefs\.codegen\.target = "numpy".*$', text, re.M)
    if not target:
        sys.exit(f"{script}: no codegen line to replace (has the Brian2 export changed?)")
    device = ("from brian2 import set_device\n"
              f"set_device(\"cpp_standalone\", directory={build_dir!r})\n"
              "prefs.devices.cpp_standalone.extra_make_args_unix = [\"-j2\"]")
    with open(script, "w") as f:
        f.write(text[:target.start()] + device + text[target.end():])


def numpy_seconds(normad, project, folder, name, rounds):
    """Brian2's numpy target on the exported script as it is: process CPU time of network.run over the
    trial, after a 10-step run that prepares the code objects outside the timing; median of `rounds`."""
    script = os.path.join(folder, name + "_numpy.py")
    run([normad, "export", project, "--brian2", script, "--pattern", "0"])
    with open(script) as f:
        text = f.read()
    line = "    network.run(steps * dt)\n"
    if line not in text:
        sys.exit(f"{script}: no network.run line to time (has the Brian2 export changed?)")
    timed = ("    import time\n"
             "    network.run(10 * dt)  # code objects prepared outside the timing\n"
             "    start = time.process_time()\n"
             "    network.run(steps * dt)\n"
             "    print(f\"numpy run: {time.process_time() - start!r} s\")\n")
    with open(script, "w") as f:
        f.write(text.replace(line, timed, 1))
    seconds = []
    for _ in range(rounds):
        out = run(["nice", "-n", "5", sys.executable, "-B", script, "--no-plot"])
        seconds.append(float(re.search(r"numpy run: (\S+) s", out).group(1)))
    return statistics.median(seconds)


def spikes_agree(project, simulated, brian_npz):
    with open(os.path.join(simulated, "spikes.csv")) as f:
        rows = list(csv.DictReader(f))
    brian = np.load(brian_npz)
    dt = float(brian["dt"])
    layers = len(json.load(open(project))["network"]["layers"])
    summary, identical = {}, True
    for layer in range(layers + 1):
        key = "inputs" if layer == 0 else f"layer{layer}"
        ours = sorted((int(r["neuron"]), round(float(r["time_s"]) / dt)) for r in rows if int(r["layer"]) == layer)
        steps = np.round(brian[key + "_times"] / dt).astype(int).tolist()
        theirs = sorted(zip(brian[key + "_indices"].tolist(), steps))
        summary[key] = len(ours)
        identical = identical and ours == theirs and len(ours) > 0
    return identical, summary


def compare(name, make, args, folder):
    project = os.path.join(folder, name + ".json")
    build_dir = os.path.join(folder, name + "_standalone")
    npz = os.path.join(folder, name + "_brian2.npz")
    if not (args.reuse and os.path.exists(os.path.join(build_dir, "main")) and os.path.exists(npz)):
        make(args.normad, project)
        script = os.path.join(folder, name + "_brian2.py")
        run([args.normad, "export", project, "--brian2", script, "--pattern", "0"])
        standalone(script, build_dir)
        run(["nice", "-n", "5", sys.executable, "-B", script, "--spikes", npz, "--no-plot"])
    simulated = os.path.join(folder, name + "_sim")
    run([args.normad, "simulate", project, "--pattern", "0", "--out", simulated])
    identical, counts = spikes_agree(project, simulated, npz)

    brian_s, ours_s, ratios = [], [], []
    for _ in range(args.rounds):
        run([os.path.join(build_dir, "main")], cwd=build_dir)
        with open(os.path.join(build_dir, "results", "last_run_info.txt")) as f:
            b = float(f.read().split()[0])
        env = dict(os.environ, NORMAD_SIMD=args.simd) if args.simd else None
        timed = json.loads(run([args.timer, project, "--pattern", "0", "--runs", "3"], env=env))
        if timed["spikes"] != [counts[k] for k in counts]:
            sys.exit(f"{name}: bench_time_forward's spike counts {timed['spikes']} differ from simulate's {counts}")
        o = statistics.median(timed["cpu_seconds"])
        brian_s.append(b)
        ours_s.append(o)
        ratios.append(b / o)
    result = {"network": name, "spikes": counts, "identical": identical,
              "brian2_standalone_ms": round(1e3 * statistics.median(brian_s), 3),
              "normad_forward_ms": round(1e3 * statistics.median(ours_s), 3),
              "median_ratio": round(statistics.median(ratios), 2),
              "ratios": [round(r, 2) for r in ratios]}
    if args.numpy_rounds > 0:
        numpy_s = numpy_seconds(args.normad, project, folder, name, args.numpy_rounds)
        result["brian2_numpy_ms"] = round(1e3 * numpy_s, 1)
        result["numpy_ratio"] = round(numpy_s / statistics.median(ours_s), 1)
    print(json.dumps(result), flush=True)
    return identical


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="CMake build folder with app/normad and "
                        "tests/bench/bench_time_forward (default: build)")
    parser.add_argument("--rounds", type=int, default=7, help="alternate timing rounds per network (default 7)")
    parser.add_argument("--networks", nargs="+", choices=["large", "paper"], default=["large", "paper"])
    parser.add_argument("--simd", help="NORMAD_SIMD for bench_time_forward (scalar, baseline, avx2; default: "
                        "the widest the processor has)")
    parser.add_argument("--numpy-rounds", type=int, default=0, metavar="N",
                        help="also time Brian2's numpy target N times (the exported script as it is; median)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse the projects and Brian2 builds an "
                        "earlier run left in DIR (skips code generation and compilation)")
    args = parser.parse_args()
    args.normad = os.path.abspath(os.path.join(args.build, "app", "normad"))
    args.timer = os.path.abspath(os.path.join(args.build, "tests", "bench", "bench_time_forward"))
    for tool in (args.normad, args.timer):
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} not found: build the targets normad and bench_time_forward "
                     "(cmake -DNORMAD_BUILD_BENCHMARKS=ON)")
    makers = {"large": large_project, "paper": paper_project}
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        folder = os.path.abspath(args.keep)
        ok = [compare(n, makers[n], args, folder) for n in args.networks]
    else:
        with tempfile.TemporaryDirectory(prefix="compare-brian2-") as folder:
            ok = [compare(n, makers[n], args, folder) for n in args.networks]
    sys.exit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()
