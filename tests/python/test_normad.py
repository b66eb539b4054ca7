"""Tests of the Python module normad (issue 12): run by CTest with the build tree on PYTHONPATH.

Environment (set by tests/python/CMakeLists.txt): NORMAD_CLI, the `normad` command line, for the
bit-for-bit comparison of simulate; CMAKE_COMMAND, NORMAD_BINARY_DIR and NORMAD_PYTHON_INSTALL_DIR
for the installation test.
"""

import csv
import inspect
import json
import os
import pathlib
import queue
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import unittest

import numpy as np

import normad


def read_spikes_csv(path):
    """`normad simulate`'s spikes.csv as {layer: (indices, times)}, times parsed exactly."""
    by_layer = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            indices, times = by_layer.setdefault(int(row["layer"]), ([], []))
            indices.append(int(row["neuron"]))
            times.append(float(row["time_s"]))
    return by_layer


def small_project():
    """A 2-3-1 network built from arrays: weights and spike trains given, nothing drawn."""
    project = normad.Project([2, 3, 1], name="from arrays", seed=7)
    project.duration = 0.05
    project.set_weights([np.array([[3e-9, 1e-9], [2e-9, 2.5e-9], [-1e-9, 4e-9]]),
                         np.array([[2e-9, 1.5e-9, 3e-9]])])
    project.set_patterns([
        {"name": "a", "inputs": ([0, 1, 0], [0.001, 0.002, 0.010]), "desired": ([0], [0.02])},
        (([1, 1], [0.004, 0.001]), ([0], [0.03])),
    ])
    return project


class ProjectTest(unittest.TestCase):
    def test_round_trip_keeps_every_field_set_from_python(self):
        project = normad.example("xor", seed=3)
        project.name = "round trip"
        project.description = "written by Python"
        project.seed = 42
        project.dt = 2e-4
        project.set("training.maxEpochs", 17)
        project.set("network.layers[1].learningRate_A", 2.5e-9)
        weights = [w * 1.5 for w in project.weights]
        weights[1][0, 3] = 1.234567890123e-9
        project.set_weights(weights)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "p.json")
            project.save(path)
            loaded = normad.load(path)
        self.assertEqual(loaded.name, "round trip")
        self.assertEqual(loaded.description, "written by Python")
        self.assertEqual(loaded.seed, 42)
        self.assertEqual(loaded.dt, 2e-4)
        self.assertEqual(loaded.get("training.maxEpochs"), 17)
        self.assertEqual(loaded.get("network.layers[1].learningRate_A"), 2.5e-9)
        self.assertEqual(loaded.layer_sizes, project.layer_sizes)
        self.assertTrue(loaded.has_weights)
        for mine, theirs in zip(weights, loaded.weights):
            np.testing.assert_array_equal(mine, theirs)  # exact: the file holds shortest round-trip numbers
        self.assertEqual(len(loaded.patterns), 4)
        for mine, theirs in zip(project.patterns, loaded.patterns):
            self.assertEqual(mine["name"], theirs["name"])
            for key in ("inputs", "desired"):
                np.testing.assert_array_equal(mine[key][0], theirs[key][0])
                np.testing.assert_array_equal(mine[key][1], theirs[key][1])
        self.assertEqual(loaded.to_json(), project.to_json())

    def test_project_built_from_arrays(self):
        project = small_project()
        self.assertEqual(project.layer_sizes, [2, 3, 1])
        self.assertEqual([w.shape for w in project.weights], [(3, 2), (1, 3)])
        self.assertEqual(project.pattern_count, 2)
        second = project.pattern(1)
        self.assertEqual(second["name"], "pattern 1")
        # Brian2 accepts spikes in any order; they come back sorted by time.
        np.testing.assert_array_equal(second["inputs"][0], [1, 1])
        np.testing.assert_array_equal(second["inputs"][1], [0.001, 0.004])
        reread = normad.from_json(project.to_json())
        self.assertEqual(reread.to_json(), project.to_json())
        np.testing.assert_array_equal(reread.weights[0][2], [-1e-9, 4e-9])

    def test_one_layer_set_keeps_the_others_drawn_from_the_seed(self):
        project = normad.Project([3, 2, 1], seed=5)
        drawn = project.weights
        self.assertFalse(project.has_weights)
        project.set_weights(2, np.full((1, 2), 1e-9))
        self.assertTrue(project.has_weights)
        np.testing.assert_array_equal(project.weights[0], drawn[0])
        np.testing.assert_array_equal(project.weights[1], [[1e-9, 1e-9]])

    def test_layer_sizes_rebuild_the_network(self):
        project = normad.Project([3, 2, 1])
        project.set("network.layers[0].learningRate_A", 4e-9)
        project.layer_sizes = [4, 5, 6, 2]
        self.assertEqual([w.shape for w in project.weights], [(5, 4), (6, 5), (2, 6)])
        self.assertEqual(project.get("network.layers[0].learningRate_A"), 4e-9)

    def test_copy_is_independent(self):
        project = normad.example("xor")
        other = project.copy()
        other.name = "other"
        other.set_weights(1, np.zeros_like(project.weights[0]))
        self.assertNotEqual(project.name, "other")
        self.assertTrue(np.any(project.weights[0] != 0))

    def test_examples_are_listed_and_made(self):
        names = [e["name"] for e in normad.examples()]
        self.assertIn("xor", names)
        for name in names:
            with self.subTest(name=name):
                project = normad.example(name)
                self.assertGreater(project.pattern_count, 0)
                project.validate()


class SimulateTest(unittest.TestCase):
    def run_cli(self, project_path, pattern, out):
        cli = os.environ["NORMAD_CLI"]
        subprocess.run([cli, "simulate", project_path, "--pattern", str(pattern), "--out", out],
                       check=True, stdout=subprocess.DEVNULL)

    def test_simulate_equals_the_cli_bit_for_bit(self):
        trained = normad.example("xor", seed=2)
        trained.set_weights([w * 1.3 for w in trained.weights])  # a busier output layer
        cases = [("xor", trained), ("multilayer", normad.example("multilayer")), ("arrays", small_project())]
        for name, project in cases:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "p.json")
                project.save(path)
                for k in range(project.pattern_count):
                    with self.subTest(project=name, pattern=k):
                        out = os.path.join(tmp, f"sim{k}")
                        self.run_cli(path, k, out)
                        expected = read_spikes_csv(os.path.join(out, "spikes.csv"))
                        result = normad.simulate(project, pattern=k, record=["output"])
                        layers = len(project.layer_sizes)
                        self.assertEqual(len(result["spikes"]), layers)
                        for layer, (indices, times) in enumerate(result["spikes"]):
                            want_i, want_t = expected.get(layer, ([], []))
                            self.assertEqual(indices.tolist(), want_i, f"layer {layer} indices")
                            self.assertEqual(times.tolist(), want_t, f"layer {layer} times")  # exact
                        output = result["membranes"][layers - 1]
                        with open(os.path.join(out, "membrane.csv"), newline="") as f:
                            rows = list(csv.reader(f))[1:]
                        self.assertEqual(output.shape, (project.layer_sizes[-1], len(rows)))
                        self.assertEqual(result["t"].tolist(), [float(r[0]) for r in rows])
                        for i in range(output.shape[0]):
                            self.assertEqual(output[i].tolist(), [float(r[1 + i]) for r in rows])

    def test_output_layer_fires_in_the_comparison(self):
        # The comparison above must compare something: the busier XOR net has output spikes.
        project = normad.example("xor", seed=2)
        project.set_weights([w * 1.3 for w in project.weights])
        self.assertGreater(len(normad.simulate(project, pattern=1)["spikes"][-1][0]), 0)

    def test_probes_and_whole_layers(self):
        project = normad.example("xor")
        result = normad.simulate(project, pattern=2, record=[np.int64(1), (1, 4), (2, 0)])
        steps = round(project.duration / project.dt)
        self.assertEqual(result["membranes"][1].shape, (50, steps))
        np.testing.assert_array_equal(result["membranes"][(1, 4)], result["membranes"][1][4])
        self.assertEqual(result["membranes"][(2, 0)].shape, (steps,))
        self.assertEqual(result["pattern"], project.pattern(2)["name"])

    def test_simulate_does_not_change_the_project(self):
        project = normad.Project([2, 3, 1], seed=9)
        project.duration = 0.05
        project.set_patterns([(([0], [0.01]), ([0], [0.02]))])
        before = project.to_json()
        normad.simulate(project)
        self.assertEqual(project.to_json(), before)
        self.assertFalse(project.has_weights)

    def test_repeated_calls_keep_memory_and_references_stable(self):
        project = normad.example("xor")
        record = [1, "output"]  # ~0.8 MB of arrays per call: a leak of them would be ~800 MB
        for _ in range(50):
            normad.simulate(project, pattern=1, record=record)
        refs = sys.getrefcount(project)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        for i in range(1000):
            result = normad.simulate(project, pattern=i % 4, record=record)
        growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        self.assertLess(growth_mib, 40, f"maximum resident size grew by {growth_mib:.1f} MiB over 1000 calls")
        self.assertEqual(sys.getrefcount(project), refs)
        self.assertEqual(sys.getrefcount(result["membranes"][1]), 2)  # only the dict and the argument


class TrainTest(unittest.TestCase):
    def test_callback_stops_at_epoch_3(self):
        project = normad.example("xor")
        seen = []

        def callback(metrics):
            seen.append(metrics)
            return metrics["epoch"] < 3

        trained, result = normad.train(project, epochs=50, callback=callback)
        self.assertEqual([m["epoch"] for m in seen], [1, 2, 3])
        self.assertEqual(result["reason"], "cancelled")
        self.assertEqual(result["epochs"], 3)
        self.assertEqual(len(result["history"]), 3)
        self.assertEqual(result["history"][2]["mean_correlation"], seen[2]["mean_correlation"])
        self.assertEqual(len(trained.history), 3)
        self.assertTrue(np.isnan(seen[0]["train_accuracy"]))  # a task without classes
        for key in ("mean_correlation", "min_correlation", "van_rossum", "cost", "seconds"):
            self.assertIsInstance(seen[0][key], float, key)
        self.assertEqual(len(seen[0]["pattern_correlation"]), 4)
        self.assertTrue(trained.has_weights)
        self.assertTrue(any(np.any(a != b) for a, b in zip(trained.weights, project.weights)))
        self.assertEqual(project.history, [])  # the project passed in is not changed

    def test_training_is_deterministic_for_a_seed_and_continues_without_a_callback(self):
        project = normad.example("xor")
        a, ra = normad.train(project, epochs=2, seed=11)
        b, rb = normad.train(project, epochs=2, seed=11)
        self.assertEqual(ra["reason"], "max-epochs")
        self.assertEqual(ra["seed"], 11)
        self.assertEqual([m["cost"] for m in ra["history"]], [m["cost"] for m in rb["history"]])
        for wa, wb in zip(a.weights, b.weights):
            np.testing.assert_array_equal(wa, wb)

    def test_exception_in_callback_stops_training_and_propagates(self):
        calls = []

        def callback(metrics):
            calls.append(metrics["epoch"])
            raise ZeroDivisionError("from the callback")

        with self.assertRaisesRegex(ZeroDivisionError, "from the callback"):
            normad.train(normad.example("xor"), epochs=20, callback=callback)
        self.assertEqual(calls, [1])

    def test_ctrl_c_stops_training_with_keyboard_interrupt(self):
        # The callback is C code (SimpleQueue.put), so no Python bytecode runs in the training thread
        # that could notice the signal by itself: a helper thread sends SIGINT once epoch 1 is done,
        # while the engine runs without the GIL, and only the trainer's own signal checks turn it into
        # KeyboardInterrupt. Without them all 200 epochs would run first.
        finished = queue.SimpleQueue()
        queued_when_sent = []

        def interrupt_after_epoch_1():
            finished.get()
            os.kill(os.getpid(), signal.SIGINT)
            queued_when_sent.append(finished.qsize())  # epochs that ended after epoch 1, by now

        helper = threading.Thread(target=interrupt_after_epoch_1)
        helper.start()
        project = normad.example("xor")
        with self.assertRaises(KeyboardInterrupt):
            normad.train(project, epochs=200, callback=finished.put)
        helper.join()
        # At most the epoch running when the signal came may still end (and report) after it.
        self.assertLessEqual(finished.qsize(), queued_when_sent[0] + 1, "training went on after Ctrl-C")

    def test_callback_must_be_callable(self):
        with self.assertRaises(TypeError):
            normad.train(normad.example("xor"), epochs=1, callback=3)


class ErrorTest(unittest.TestCase):
    def test_unreadable_files_raise_project_error_naming_file_and_reason(self):
        with tempfile.TemporaryDirectory() as tmp:
            malformed = os.path.join(tmp, "malformed.json")
            pathlib.Path(malformed).write_text('{"formatVersion": 2, "name": ')
            bad_dt = os.path.join(tmp, "bad-dt.json")
            text = json.loads(normad.example("xor").to_json())
            text["simulation"]["dt_s"] = -1e-4
            pathlib.Path(bad_dt).write_text(json.dumps(text))
            cases = [
                (os.path.join(tmp, "missing.json"), ["missing.json", "No such file"]),
                (malformed, ["malformed.json"]),
                (bad_dt, ["bad-dt.json", "simulation.dt_s", "-1e-4"]),
            ]
            for path, words in cases:
                with self.subTest(path=os.path.basename(path)):
                    with self.assertRaises(normad.ProjectError) as caught:
                        normad.load(path)
                    self.assertIsInstance(caught.exception, RuntimeError)
                    for word in words:
                        self.assertIn(word, str(caught.exception))

    def test_bad_values_raise_value_error_naming_field_and_value(self):
        project = normad.example("xor")
        cases = [
            ("negative dt", lambda: setattr(project, "dt", -1.0), ["simulation.dt_s", "-1"]),
            ("negative duration", lambda: setattr(project, "duration", -0.5), ["simulation.duration_s", "-0.5"]),
            ("negative learning rate", lambda: project.set("network.layers[0].learningRate_A", -1e-9),
             ["network.layers[0].learningRate_A", "-1e-9"]),
            ("unknown field", lambda: project.set("training.nonsense", 1), ["training.nonsense"]),
            ("weights shape", lambda: project.set_weights(1, np.zeros((2, 2))),
             ["network.layers[0].weights_A", "50×60", "2×2"]),
            ("weights count", lambda: project.set_weights([np.zeros((50, 60))]), ["2"]),
            ("non-finite weight", lambda: project.set_weights(2, np.full((1, 50), np.nan)), ["finite"]),
            ("index out of range", lambda: project.set_patterns([(([60], [0.01]), ([0], [0.02]))]),
             ["patterns[0].inputs", "60"]),
            ("spike after the end", lambda: project.set_patterns([(([0], [5.0]), ([0], [0.02]))]), ["patterns"]),
            ("unknown example", lambda: normad.example("nope"), ["nope"]),
            ("unknown example option", lambda: normad.example("xor", colour=1.0), ["colour"]),
            ("record layer", lambda: normad.simulate(project, record=[7]), ["layer 7"]),
            ("negative epochs", lambda: normad.train(project, epochs=-1), ["epochs", "-1"]),
        ]
        before = project.to_json()
        for name, call, words in cases:
            with self.subTest(name):
                with self.assertRaises(ValueError) as caught:
                    call()
                for word in words:
                    self.assertIn(word, str(caught.exception))
        self.assertEqual(project.to_json(), before)  # nothing was half-applied

    def test_pattern_out_of_range_is_an_index_error(self):
        with self.assertRaisesRegex(IndexError, "pattern 4 out of range"):
            normad.simulate(normad.example("xor"), pattern=4)

    def test_invalid_project_is_refused_before_simulating(self):
        project = normad.example("xor")
        project.layer_sizes = [60, 50, 2]  # the patterns have one desired train, the network two outputs
        with self.assertRaisesRegex(ValueError, "task"):
            normad.simulate(project)


class DatasetTaskTest(unittest.TestCase):
    def test_dataset_project_simulates_and_trains_only_with_its_data(self):
        text = json.loads(normad.example("xor").to_json())
        text["task"] = {"dataset": {
            "source": {"format": "csv", "files": [{"path": "t.csv", "size": 10, "sha256": "a" * 64}]},
            "encoding": {"kind": "latency"}}}
        project = normad.from_json(json.dumps(text), "dataset.json")
        self.assertTrue(project.has_dataset)
        self.assertFalse(normad.example("xor").has_dataset)
        self.assertEqual(project.pattern_count, 0)
        self.assertEqual(json.loads(project.to_json())["task"]["dataset"]["source"]["files"][0]["path"], "t.csv")
        # simulate() and train() load the data first: a missing file is named.
        with self.assertRaisesRegex(RuntimeError, "t.csv"):
            normad.simulate(project)
        with self.assertRaisesRegex(RuntimeError, "t.csv"):
            normad.train(project, epochs=1)


def write_table(path, rows_per_class=30, seed=5):
    """A small two-class table with a header: two features, class a around (0, 0), b around (3, 3)."""
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        f.write("x,y,label\n")
        for k, name in enumerate(["a", "b"]):
            for x, y in rng.normal(3.0 * k, 0.5, size=(rows_per_class, 2)):
                f.write(f"{x!r},{y!r},{name}\n")


class DatasetTest(unittest.TestCase):
    """Dataset projects: a table the test writes, made into a project by `normad dataset new`."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.table = os.path.join(cls.folder.name, "tiny.csv")
        write_table(cls.table)
        cls.path = os.path.join(cls.folder.name, "tiny.json")
        subprocess.run([os.environ["NORMAD_CLI"], "dataset", "new", cls.table, "-o", cls.path, "--hidden", "6"],
                       check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_counts_classes_and_encoded_samples(self):
        project = normad.load(self.path)
        data = normad.load_dataset(project)
        self.assertEqual(data.class_names, ["a", "b"])
        self.assertEqual(data.class_count, 2)
        self.assertEqual(sum(data.counts.values()), 60)
        self.assertGreater(data.counts["test"], 0)
        self.assertEqual(data.input_count, project.layer_sizes[0])
        for split in ["train", "validation", "test"]:
            labels = data.labels(split)
            self.assertEqual(labels.dtype, np.int64)
            self.assertEqual(len(labels), data.counts[split])
            self.assertEqual(set(np.unique(labels)), {0, 1})  # stratified: both classes everywhere
        sample = data.sample(1, split="test")
        indices, times = sample["inputs"]
        self.assertEqual((indices.dtype, times.dtype), (np.int64, np.float64))
        self.assertEqual(len(indices), len(times))
        self.assertTrue(len(indices) > 0 and indices.max() < data.input_count and times.min() >= 0)
        self.assertEqual(sample["label"], data.labels("test")[1])
        self.assertEqual(sample["class_name"], data.class_names[sample["label"]])
        target = data.targets[sample["label"]]
        np.testing.assert_array_equal(sample["desired"][1], target[1])
        # The same sample twice: the same encoding (deterministic, cached or not).
        np.testing.assert_array_equal(data.sample(1, split="test")["inputs"][1], times)
        np.testing.assert_array_equal(data.sample(-1, split="test")["inputs"][0],
                                      data.sample(data.counts["test"] - 1, split="test")["inputs"][0])
        with self.assertRaisesRegex(IndexError, "sample 99 out of range: the test split has"):
            data.sample(99, split="test")
        with self.assertRaisesRegex(ValueError, "split: 'bogus'"):
            data.labels("bogus")

    def test_train_and_evaluate_agree_with_the_command_line(self):
        project = normad.load(self.path)
        data = normad.load_dataset(project)
        seen = []
        trained, result = normad.train(project, epochs=3, seed=2, dataset=data, callback=seen.append)
        self.assertEqual(result["epochs"], 3)
        for metrics in seen:
            self.assertTrue(0.0 <= metrics["train_accuracy"] <= 1.0)
            self.assertTrue(0.0 <= metrics["validation_accuracy"] <= 1.0)
        # Loading the files again or reusing the Dataset trains the same weights.
        again, _ = normad.train(project, epochs=3, seed=2)
        for a, b in zip(trained.weights, again.weights):
            np.testing.assert_array_equal(a, b)

        report = normad.evaluate(trained, split="test", dataset=data)
        n = data.counts["test"]
        self.assertEqual(report["split"], "test")
        self.assertEqual(report["confusion"].shape, (2, 2))
        self.assertEqual(report["confusion"].dtype, np.int64)
        self.assertEqual(int(report["confusion"].sum() + report["undecided"].sum()), n)
        predictions = report["predictions"]
        np.testing.assert_array_equal(predictions["true"], data.labels("test"))
        self.assertEqual(len(predictions["predicted"]), n)
        correct = int(np.sum(predictions["predicted"] == predictions["true"]))
        self.assertEqual(report["correct"], correct)
        self.assertEqual(int(np.trace(report["confusion"])), correct)
        self.assertEqual(report["accuracy"], correct / n)

        # `normad evaluate` on the same weights: the same accuracy and the same per-sample classes.
        saved = os.path.join(self.folder.name, "trained.json")
        trained.save(saved)
        with open(saved) as f:
            self.assertEqual(json.load(f)["task"]["dataset"]["source"]["files"][0]["path"], "tiny.csv")
        out = os.path.join(self.folder.name, "eval")
        cli = subprocess.run([os.environ["NORMAD_CLI"], "evaluate", saved, "--split", "test", "--json", "--out", out],
                             check=True, capture_output=True, text=True)
        self.assertEqual(json.loads(cli.stdout)["accuracy"], report["accuracy"])
        with open(os.path.join(out, "predictions.csv")) as f:
            rows = list(csv.DictReader(f))
        names = report["class_names"] + ["undecided"]
        self.assertEqual([r["predicted"] for r in rows], [names[k] for k in predictions["predicted"]])
        self.assertEqual([int(r["sample"]) for r in rows], predictions["sample"].tolist())
        with open(os.path.join(out, "confusion.csv")) as f:
            table = [row[1:] for row in list(csv.reader(f))[1:]]  # rows: true class; columns: predicted, undecided
        np.testing.assert_array_equal(report["confusion"], np.array(table, dtype=np.int64)[:, :2])
        np.testing.assert_array_equal(report["undecided"], np.array(table, dtype=np.int64)[:, 2])
        self.assertLess(report["accuracy"], 1.0)  # some mistakes, so a mix-up of the arrays would show

    def test_simulate_presents_a_sample_as_evaluation_does(self):
        project = normad.load(self.path)
        data = normad.load_dataset(project)
        report = normad.evaluate(project, split="test", dataset=data)
        for k in range(data.counts["test"]):
            run = normad.simulate(project, pattern=k, split="test", dataset=data)
            sample = data.sample(k, split="test")
            np.testing.assert_array_equal(run["spikes"][0][0], sample["inputs"][0])
            np.testing.assert_array_equal(run["spikes"][0][1], sample["inputs"][1])
            # The output layer's spikes are the ones evaluate() counted for this sample.
            self.assertEqual(len(run["spikes"][-1][0]), report["predictions"]["output_spikes"][k])
        # Without dataset=: the files are read again, the same pass results.
        again = normad.simulate(project, pattern=1, split="test")
        np.testing.assert_array_equal(again["spikes"][-1][1],
                                      normad.simulate(project, pattern=1, split="test", dataset=data)["spikes"][-1][1])
        with self.assertRaisesRegex(IndexError, "pattern 999 out of range: the test split has"):
            normad.simulate(project, pattern=999, split="test", dataset=data)
        with self.assertRaisesRegex(ValueError, "split: 'bogus'"):
            normad.simulate(project, split="bogus", dataset=data)

    def test_bad_requests_raise_with_the_engine_message(self):
        project = normad.load(self.path)
        with self.assertRaisesRegex(ValueError, "load_dataset: the project's task is not a dataset"):
            normad.load_dataset(normad.example("xor"))
        with self.assertRaisesRegex(ValueError, "split: 'all'"):
            normad.evaluate(project, split="all")
        copy = os.path.join(self.folder.name, "changed")
        os.makedirs(copy, exist_ok=True)
        with open(self.table) as f:
            text = f.read()
        with open(os.path.join(copy, "tiny.csv"), "w") as f:
            f.write(text.replace(",a\n", ",b\n", 1))
        moved = json.loads(project.to_json())
        moved["task"]["dataset"]["source"]["files"][0]["path"] = os.path.join(copy, "tiny.csv")
        with self.assertRaisesRegex(RuntimeError, "tiny.csv"):
            normad.load_dataset(normad.from_json(json.dumps(moved)))

    def test_iris_example_writes_its_table_and_evaluates(self):
        with self.assertRaisesRegex(ValueError, "data_folder"):
            normad.example("iris")
        with tempfile.TemporaryDirectory() as folder:
            project = normad.example("iris", data_folder=folder)
            self.assertTrue(os.path.exists(os.path.join(folder, "iris.csv")))
            data = normad.load_dataset(project)
            self.assertEqual(data.class_count, 3)
            self.assertEqual(sum(data.counts.values()), 150)
            report = normad.evaluate(project, split="validation", dataset=data)
            self.assertEqual(report["confusion"].shape, (3, 3))
            self.assertEqual(report["samples"], data.counts["validation"])


class DocumentationTest(unittest.TestCase):
    def test_every_public_function_and_class_has_a_docstring(self):
        public = [getattr(normad, n) for n in dir(normad) if not n.startswith("_")]
        members = [getattr(cls, n) for cls in (normad.Project, normad.Dataset) for n in dir(cls)
                   if not n.startswith("_")]
        for item in public + members:
            if isinstance(item, str):
                continue
            with self.subTest(item=getattr(item, "__name__", repr(item))):
                self.assertGreater(len(inspect.getdoc(item) or ""), 20)
        self.assertIn("callback", inspect.getdoc(normad.train))


class InstallTest(unittest.TestCase):
    def test_cmake_install_puts_an_importable_module_into_site_packages(self):
        site = os.environ["NORMAD_PYTHON_INSTALL_DIR"]
        with tempfile.TemporaryDirectory() as dest:
            subprocess.run([os.environ["CMAKE_COMMAND"], "--install", os.environ["NORMAD_BINARY_DIR"]],
                           check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, DESTDIR=dest))
            installed = dest + site
            env = dict(os.environ, PYTHONPATH=installed)
            where = subprocess.run([sys.executable, "-c", "import normad; print(normad.__file__)"],
                                   check=True, capture_output=True, text=True, env=env).stdout.strip()
            self.assertTrue(where.startswith(installed), where)


if __name__ == "__main__":
    unittest.main()
