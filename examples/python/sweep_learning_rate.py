"""Sweep the learning rate of XOR's output layer and compare how fast each rate learns.

    PYTHONPATH=build/python python3 examples/python/sweep_learning_rate.py

Every run starts from the same weights and pattern order (one seed), so the rate is the only
difference. Each layer's rate is a project-file field: network.layers[k].learningRate_A.
"""

import normad

base = normad.example("xor", seed=1)
field = "network.layers[1].learningRate_A"  # the output layer (JSON index 1 = layer 2)
default = base.get(field)
print(f"{'r_out (A)':>10}  {'stop':<10} {'epochs':>6}  {'worst C':>7}")
rows = []
for factor in (0.25, 1.0, 4.0):
    project = base.copy()
    project.set(field, default * factor)
    trained, result = normad.train(project, epochs=60)
    worst = result["final"]["min_correlation"]
    rows.append((factor, result["reason"], result["epochs"], worst))
    print(f"{default * factor:>10.3g}  {result['reason']:<10} {result['epochs']:>6}  {worst:>7.3f}")

# The sweep changed what training did: the rates do not all give the same run.
assert len({(reason, epochs, round(worst, 12)) for _, reason, epochs, worst in rows}) > 1, rows
assert all(reason in ("converged", "max-epochs") for _, reason, _, _ in rows), rows
