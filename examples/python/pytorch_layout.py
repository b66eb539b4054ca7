"""Carry trained weights into PyTorch's layout and check the shapes.

    PYTHONPATH=build/python python3 examples/python/pytorch_layout.py

normad gives each layer's weights as an array [n_out, n_in] -- the layout of nn.Linear.weight --
so `torch.nn.Linear(n_in, n_out).weight.data = torch.from_numpy(w)` needs no transpose. PyTorch is
not needed to run this: the check is on the NumPy arrays and the project file's own numbers.
"""

import json
import os
import tempfile

import numpy as np

import normad

project = normad.example("multilayer", seed=4)
trained, result = normad.train(project, epochs=3)
sizes = trained.layer_sizes  # [inputs, n_1, ..., n_L]
print("layer sizes:", sizes, "| training:", result["reason"], "after", result["epochs"], "epochs")

state_dict = {}
for l, w in enumerate(trained.weights, start=1):
    n_out, n_in = sizes[l], sizes[l - 1]
    assert w.shape == (n_out, n_in), (l, w.shape)
    # nn.Linear(n_in, n_out) computes x @ weight.T: one presynaptic vector in, one output per neuron.
    x = np.ones((5, n_in))
    assert (x @ w.T).shape == (5, n_out)
    state_dict[f"layers.{l - 1}.weight"] = w.astype(np.float32)  # PyTorch's default dtype
    print(f"layers.{l - 1}.weight: {w.shape}, amperes, max |w| = {np.abs(w).max():.3g}")

# The same numbers, in the same layout, as the project file holds (network.layers[k].weights_A).
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "trained.json")
    trained.save(path)
    with open(path) as f:
        layers = json.load(f)["network"]["layers"]
    for k, layer in enumerate(layers):
        np.testing.assert_array_equal(np.array(layer["weights_A"]), trained.weights[k])
    np.savez(os.path.join(tmp, "state_dict.npz"), **state_dict)
    reloaded = np.load(os.path.join(tmp, "state_dict.npz"))
    assert [reloaded[k].shape for k in state_dict] == [(sizes[l], sizes[l - 1]) for l in range(1, len(sizes))]
print("shapes match nn.Linear(n_in, n_out).weight for every layer")
