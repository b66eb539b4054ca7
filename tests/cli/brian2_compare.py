"""An independent simulator check: runs the single-layer network that `normad simulate` ran, in
Brian2 (exact integration of the same linear equations), and compares every output spike step and
the membrane potential of every output neuron at every step.

    /usr/bin/python3 tests/cli/brian2_compare.py PROJECT.json SIMULATE_OUT_DIR

Prints a JSON summary; exit 0 when the spikes are identical and the membranes agree to 1e-9 V.
Needs Debian's python3-brian. Conventions mapped (docs/engine.md): an input spike of step n enters
NormAD Workbench's traces before step n is integrated, Brian2's after, so the generator fires one step
earlier (no input may spike at t = 0); Brian2 counts the spike step into the refractory period.
"""
import csv
import json
import sys

import numpy as np
from brian2 import (NeuronGroup, Network, SpikeGeneratorGroup, SpikeMonitor, StateMonitor, Synapses, amp, defaultclock,
                    farad, prefs, second, siemens, volt)

prefs.codegen.target = "numpy"
project = json.load(open(sys.argv[1]))
folder = sys.argv[2]
sim = project["simulation"]
dt = sim["dt_s"]
duration = sim["duration_s"]
neuron = project["network"]["neuron"]
syn = project["synapse"]
weights = np.loadtxt(f"{folder}/weights_layer1.csv", delimiter=",", ndmin=2)
rows = list(csv.DictReader(open(f"{folder}/spikes.csv")))
inputs = [(int(r["neuron"]), float(r["time_s"])) for r in rows if r["layer"] == "0"]
reference = sorted((int(r["neuron"]), round(float(r["time_s"]) / dt)) for r in rows if r["layer"] == "1")
membrane = np.loadtxt(f"{folder}/membrane.csv", delimiter=",", skiprows=1, ndmin=2)

defaultclock.dt = dt * second
n_out, n_in = weights.shape
# NormAD Workbench adds an input spike of step n to the traces at t_n, before integrating step n;
# Brian2 applies on_pre after the step's state update, so the generator must fire one step earlier.
steps = np.array([round(t / dt) for _, t in inputs])
indices = np.array([i for i, _ in inputs])
if (steps == 0).any():
    sys.exit("compare: an input spike at t = 0 cannot be moved one step earlier")
gen = SpikeGeneratorGroup(n_in, indices, (steps - 1) * dt * second)
ns = dict(gL=neuron["leakConductance_S"] * siemens, EL=neuron["restPotential_V"] * volt,
          C=neuron["capacitance_F"] * farad, VT=neuron["threshold_V"] * volt, I0=syn["amplitude"],
          t1=syn["tauDecay_s"] * second, t2=syn["tauRise_s"] * second)
refractory_steps = round(neuron["refractoryPeriod_s"] / dt)
lif = NeuronGroup(n_out, """
    dv/dt = (-gL*(v - EL) + I0*(a - b))/C : volt (unless refractory)
    da/dt = -a/t1 : amp
    db/dt = -b/t2 : amp
    """, threshold="v >= VT", reset="v = EL",
    # Brian2 counts the spike's own step into the refractory period; NormAD holds V for
    # round(Rp/dt) steps after it (spec §1.3).
    refractory=(refractory_steps + 1) * dt * second, method="exact", namespace=ns)
lif.v = ns["EL"]
s = Synapses(gen, lif, "w : amp", on_pre="a_post += w\nb_post += w")
s.connect()
s.w = weights.T.flatten() * amp  # Brian2 orders synapses by (pre, post)
spikes = SpikeMonitor(lif)
state = StateMonitor(lif, "v", record=True)
net = Network(gen, lif, s, spikes, state)
net.run(round(duration / dt) * dt * second)

brian = sorted((int(i), round(float(t) / dt)) for i, t in zip(spikes.i, spikes.t / second))
v_brian = np.asarray(state.v / volt).T  # steps × neurons
v_ours = membrane[:, 1:]
worst = float(np.max(np.abs(v_brian - v_ours)))
print(json.dumps({"reference_spikes": len(reference), "brian_spikes": len(brian), "identical": brian == reference,
                  "max_membrane_difference_V": worst}))
sys.exit(0 if brian == reference and worst < 1e-9 else 1)
