#!/usr/bin/env python3
"""Writes the hand-made seeds of tests/fuzz/corpus (docs/testing.md): valid files and edge cases,
among them every finding of issue 11 scaled down to a few kB. Run from anywhere; it rewrites only
the files it names (seeds added by hand or found by fuzzing stay). Python's standard library only.

    python3 tests/fuzz/make_seeds.py
"""
import gzip
import io
import json
import shutil
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = HERE / "corpus"


def put(harness, name, data):
    folder = CORPUS / harness
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    (folder / name).write_bytes(data)


# --- project --------------------------------------------------------------------------------------

def project(simulation=None, inputs="2", extra="", desired_b="[[0.06]]"):
    """The small valid project of tests/cli/tst_memorylimits.cpp; `extra` adds top-level members."""
    simulation = simulation or '{"dt_s": 0.0001, "duration_s": 0.1}'
    return ('{"formatVersion": 3, "name": "seed", "seed": 7, "simulation": ' + simulation +
            ', "network": {"inputs": ' + inputs + ', "layers": [{"size": 2}, {"size": 1}]},\n'
            ' "task": {"patterns": [{"name": "A", "inputs_s": [[0.005, 0.012], [0.02]],'
            ' "desired_s": [[0.025, 0.07]]},\n'
            '   {"name": "B", "inputs_s": [[0.041], [0.003, 0.018]], "desired_s": ' + desired_b + '}]}' +
            extra + '}')


def with_layer_fields(fields):
    """The project with `fields` (JSON members) in its first layer."""
    return project().replace('[{"size": 2}', '[{"size": 2, ' + fields + '}', 1)


def project_seeds():
    (CORPUS / "project").mkdir(parents=True, exist_ok=True)
    for name in ("small-project.json", "project-v1.json", "project-v2.json"):
        shutil.copyfile(ROOT / "tests" / "data" / name, CORPUS / "project" / name)
    put("project", "minimal.json", project())
    # Issue 11, finding 1: empty history entries (87 M in 250 MiB), empty weight rows (83 M),
    # a huge document under an ignored key, 10^7 inputs in a few hundred bytes.
    put("project", "finding1-empty-history-entries.json",
        project(extra=', "history": [' + ",".join(["{}"] * 4000) + "]"))
    put("project", "finding1-empty-weight-rows.json",
        with_layer_fields('"weights_A": [' + ",".join(["[]"] * 4000) + "]"))
    put("project", "finding1-unused-arrays.json", project(extra=', "unusedArrays": [' + ",".join(["[]"] * 20000) + "]"))
    put("project", "finding1-ten-million-inputs.json",
        project(inputs="10000000").replace('[{"size": 2}, {"size": 1}]', '[{"size": 40}, {"size": 1}]'))
    put("project", "finding1-ten-million-inputs-no-task.json",
        '{"formatVersion": 3, "simulation": {"dt_s": 0.0001, "duration_s": 0.1},'
        ' "network": {"inputs": 10000000, "layers": [{"size": 40}]}}')
    put("project", "finding1-long-simulation.json", project(simulation='{"dt_s": 0.0001, "duration_s": 2000}'))
    # Finding 2: an unterminated long string with a NUL and invalid UTF-8; a long duplicated key.
    put("project", "finding2-unterminated-string.json",
        project().replace('"seed"', '"' + "a" * 20000 + "\0\udcff", 1).encode("utf-8", "surrogateescape"))
    key = '"' + "k" * 20000 + '"'
    put("project", "finding2-duplicated-long-key.json", project(extra=", " + key + ": 1, " + key + ": 2"))
    put("project", "finding2-duplicated-key.json", project(extra=', "seed": 8'))
    put("project", "finding2-control-characters.json", project().replace('"seed"', '"se\x01\x1b[31med"', 1))
    # Finding 4: a desired spike at 1e308 s (t/dt beyond 2^63), and more times outside the trial.
    put("project", "finding4-desired-spike-1e308.json", project(desired_b="[[0.06, 1e308]]"))
    put("project", "finding4-desired-spike-9.3e14.json", project(desired_b="[[0.06, 9.3e14]]"))
    put("project", "finding4-input-spike-negative.json", project(desired_b="[[-1e-300]]"))
    put("project", "finding4-spike-at-trial-end.json", project(desired_b="[[0.09995]]"))
    # Finding 5: validation the docs promise for every kind of initialisation.
    init = '"init": {"kind": "%s", "mean_A": 5e-10, "stddev_A": %s, "low_A": %s, "high_A": %s}'
    put("project", "finding5-uniform-negative-stddev.json", with_layer_fields(init % ("uniform", "-1", "0", "2e-8")))
    put("project", "finding5-normal-low-above-high.json", with_layer_fields(init % ("normal", "1e-9", "1", "-1")))
    # Numbers JSON cannot hold, and structure at its limits.
    put("project", "number-overflow.json", project(simulation='{"dt_s": 1e400, "duration_s": -0.0}'))
    put("project", "integer-overflow.json", project(inputs="18446744073709551617"))
    put("project", "negative-layer-size.json", project().replace('{"size": 1}', '{"size": -2147483648}'))
    put("project", "deep-nesting.json", project(extra=', "deep": ' + "[" * 30000 + "]" * 30000))
    put("project", "newer-format.json", project().replace('"formatVersion": 3', '"formatVersion": 99'))
    put("project", "not-an-object.json", "[1, 2, 3]")
    put("project", "empty.json", "")
    put("project", "bom.json", "\ufeff" + project())
    put("project", "dataset-task.json", json.dumps({
        "formatVersion": 3, "name": "dataset", "seed": 1,
        "simulation": {"dt_s": 0.0001, "duration_s": 0.05},
        "network": {"inputs": 784, "layers": [{"size": 10}]},
        "task": {"dataset": {
            "source": {"format": "idx",
                       "files": [{"path": "/nonexistent/train-images-idx3-ubyte.gz", "size": 26421880,
                                  "sha256": "0" * 64},
                                 {"path": "/nonexistent/train-labels-idx1-ubyte.gz", "size": 29515,
                                  "sha256": "f" * 64}],
                       "classNames": [str(c) for c in range(10)]},
            "scaling": "global",
            "encoding": {"kind": "poisson", "maxRate_Hz": 100.0, "earliest_s": 0.0, "latest_s": 0.04,
                         "latencyThreshold": 0.1, "fieldsPerFeature": 5, "fieldWidthFactor": 1.5,
                         "responseThreshold": 0.1, "seed": 1},
            "split": {"validationFraction": 0.1, "testFraction": 0.0, "seed": 1, "perClassLimit": 0},
            "targets": {"classSpikes": [0.01, 0.02, 0.03], "otherSpikes": []},
            "decision": "closest-target", "cacheMegabytes": 256}}}, indent=1))


# --- spike CSV ------------------------------------------------------------------------------------

def spikecsv_seeds():
    put("spikecsv", "valid.csv", "neuron,time_s\n0,0.005\n1,0.012\n2,0.02\n0,0.0999\n")
    put("spikecsv", "valid-crlf.csv", "neuron,time_s\r\n1,0.01\r\n0,0.03\r\n")
    put("spikecsv", "header-only.csv", "neuron,time_s\n")
    put("spikecsv", "empty.csv", "")
    put("spikecsv", "wrong-header.csv", "time_s,neuron\n0.01,0\n")
    # Finding 1: a long file with a bad last line (20 M lines took 6.7 GB, then "out of memory").
    put("spikecsv", "finding1-bad-last-line.csv", "neuron,time_s\n" + "0,0\n" * 3000 + "0,x\n")
    put("spikecsv", "finding1-huge-index.csv", "neuron,time_s\n999999,0.01\n")
    put("spikecsv", "finding1-index-beyond-cap.csv", "neuron,time_s\n1000000000000000,0.01\n")
    # Finding 2: a long field (100 MB was echoed whole), a line over the 4096-byte limit, binary bytes.
    put("spikecsv", "finding2-long-field.csv", "neuron,time_s\n0," + "7" * 20000 + "\n")
    put("spikecsv", "finding2-binary-field.csv", b"neuron,time_s\n0,\x00\xff\xfe\x1b[2J\n")
    # Finding 4: spike times beyond the trial (1e308 / dt has no int64 step).
    put("spikecsv", "finding4-time-1e308.csv", "neuron,time_s\n1,0.01\n0,1e308\n")
    put("spikecsv", "finding4-time-9.3e14.csv", "neuron,time_s\n0,9.3e14\n")
    put("spikecsv", "finding4-trial-end.csv", "neuron,time_s\n0,0.09995\n1,0.099949999999\n2,0.1\n")
    put("spikecsv", "non-finite.csv", "neuron,time_s\n0,nan\n1,inf\n2,-inf\n0,-0\n1,0x1p-4\n")
    put("spikecsv", "negative.csv", "neuron,time_s\n-1,0.01\n0,-0.01\n")
    put("spikecsv", "fields.csv", 'neuron,time_s\n"1","0.01"\n 2 , 0.02 \n3,0.03,4\n4\n,\n')


# --- .npz -----------------------------------------------------------------------------------------

def npy(descr, shape, data=b"", fortran=False, version=1):
    """A .npy file: magic, version, header dict padded to 64 bytes, then `data`."""
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    length_bytes = 2 if version == 1 else 4
    header += " " * ((64 - (8 + length_bytes + len(header) + 1) % 64) % 64) + "\n"
    length = struct.pack("<H" if version == 1 else "<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + length + header.encode("latin-1") + data


def npz(entries, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:  # a fixed date: the seeds do not change when rewritten
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compression)
    return buffer.getvalue()


def spikes(indices, times, n_neurons=None):
    entries = [("indices.npy", npy("<i8", "(%d,)" % len(indices), struct.pack("<%dq" % len(indices), *indices))),
               ("times.npy", npy("<f8", "(%d,)" % len(times), struct.pack("<%dd" % len(times), *times)))]
    if n_neurons is not None:
        entries.append(("n_neurons.npy", npy("<i8", "()", struct.pack("<q", n_neurons))))
    return entries


def npz_seeds():
    valid = spikes([0, 1, 2, 0], [0.005, 0.012, 0.02, 0.05], 3)
    metadata = '{"seed": 7}'
    valid.append(("metadata.npy", npy("<U%d" % len(metadata), "()", metadata.encode("utf-32-le"))))
    put("npz", "valid-spikes.npz", npz(valid))
    put("npz", "valid-spikes-deflated.npz", npz(valid, zipfile.ZIP_DEFLATED))
    put("npz", "weights.npz", npz([("layer1.weight.npy", npy("<f8", "(2, 3)", struct.pack("<6d", *range(6))))]))
    # Finding 3: shape (2^61,) of 8-byte items and no data (2^64 bytes wrapped to 0).
    put("npz", "finding3-shape-overflow.npz", npz([("indices.npy", npy("<i8", "(2305843009213693952,)"))]))
    put("npz", "finding3-shape-product-overflow.npz",
        npz([("indices.npy", npy("<i8", "(4294967296, 4294967296, 2)"))]))
    put("npz", "finding3-n-neurons-1e15.npz", npz(spikes([0], [0.01], 10**15)))
    put("npz", "finding3-n-neurons-negative.npz", npz(spikes([0], [0.01], -1)))
    # Finding 1: a bomb (2 MB inflating to 2.14 GB took 5.1 GB). The refusal reads the sizes the
    # archive declares: 16 MiB of zeros deflated to 16 kB, declared as 2 GiB; and small accepted ones.
    bomb = bytearray(npz([("indices.npy", npy("<f8", "(268435456,)", bytes(16 << 20)))], zipfile.ZIP_DEFLATED))
    central = bomb.index(b"PK\x01\x02")
    struct.pack_into("<I", bomb, 22, 2 << 30)           # local header: uncompressed size
    struct.pack_into("<I", bomb, central + 24, 2 << 30)  # central directory: uncompressed size
    put("npz", "finding1-bomb-declared-2GiB.npz", bytes(bomb))
    put("npz", "finding1-bomb-4MiB.npz",
        npz([("indices.npy", npy("<f8", "(524288,)", bytes(4 << 20)))], zipfile.ZIP_DEFLATED))
    put("npz", "finding1-inflates-1MiB.npz", npz([("times.npy", npy("<f8", "(131072,)", bytes(1 << 20)))],
                                                  zipfile.ZIP_DEFLATED))
    # Finding 4: spike times beyond the trial.
    put("npz", "finding4-time-1e308.npz", npz(spikes([1, 0], [0.01, 1e308], 2)))
    put("npz", "finding4-time-nan.npz", npz(spikes([0], [float("nan")], 1)))
    # Other types the reader accepts, and ones it refuses.
    put("npz", "dtypes.npz", npz([
        ("indices.npy", npy(">i4", "(2,)", struct.pack(">2i", 0, 1))),
        ("times.npy", npy(">f4", "(2,)", struct.pack(">2f", 0.01, 0.02))),
        ("flags.npy", npy("|b1", "(3,)", b"\x00\x01\x02")),
        ("bytes.npy", npy("|u1", "(2, 2)", b"\x01\x02\x03\x04")),
        ("text.npy", npy("<U3", "()", "abc".encode("utf-32-le")))]))
    put("npz", "float-indices.npz", npz([("indices.npy", npy("<f8", "(2,)", struct.pack("<2d", 1.0, 1.5))),
                                         ("times.npy", npy("<f8", "(2,)", struct.pack("<2d", 0.01, 0.02)))]))
    put("npz", "fortran-order.npz", npz([("a.npy", npy("<f8", "(2, 2)", bytes(32), fortran=True))]))
    put("npz", "format-2.npz", npz([("a.npy", npy("<i8", "(1,)", bytes(8), version=2))]))
    put("npz", "mismatched-lengths.npz", npz(spikes([0, 1], [0.01])))
    twice = ("a.npy", npy("<i8", "()", bytes(8)))
    put("npz", "duplicate-names.npz", npz([twice, twice]))
    put("npz", "truncated-data.npz", npz([("a.npy", npy("<f8", "(4,)", bytes(8)))]))
    put("npz", "not-npy-entries.npz", npz([("readme.txt", b"hello"), ("x.npy", b"\x93NUMPY")]))
    put("npz", "empty-archive.npz", npz([]))
    put("npz", "truncated-archive.npz", npz(valid)[:150])
    put("npz", "not-a-zip.npz", b"\x93NUMPY\x01\x00")


# --- IDX ------------------------------------------------------------------------------------------
# One input of fuzz_idx: a flags byte (1: gzip the images here, 2: gzip the labels, 4: allow empty
# classes, 8: 10 classes, 16: a 4 KiB cap), the images file, "@LABELS@", the labels file.

def idx_images(count, rows, columns, pixels=None):
    pixels = bytes((i * 37) % 256 for i in range(count * rows * columns)) if pixels is None else pixels
    return b"\x00\x00\x08\x03" + struct.pack(">III", count, rows, columns) + pixels


def idx_labels(labels, count=None):
    return b"\x00\x00\x08\x01" + struct.pack(">I", len(labels) if count is None else count) + bytes(labels)


def idx(flags, images, labels):
    return bytes([flags]) + images + b"@LABELS@" + labels


def idx_seeds():
    images, labels = idx_images(4, 2, 3), idx_labels([0, 1, 2, 1])
    put("idx", "valid.idx", idx(0, images, labels))
    put("idx", "valid-gzipped-here.idx", idx(3, images, labels))
    put("idx", "valid-gzip-files.idx", idx(0, gzip.compress(images, mtime=0), gzip.compress(labels, mtime=0)))
    put("idx", "truncated-gzip.idx", idx(0, gzip.compress(images, mtime=0)[:-6], labels))
    put("idx", "ten-classes.idx", idx(8, images, labels))
    put("idx", "empty-class-allowed.idx", idx(4 | 8, images, idx_labels([0, 9, 9, 0])))
    put("idx", "empty-class.idx", idx(0, images, idx_labels([0, 2, 2, 0])))
    put("idx", "label-outside.idx", idx(8, images, idx_labels([0, 1, 12, 1])))
    put("idx", "no-images.idx", idx(0, idx_images(0, 28, 28), idx_labels([])))
    # Headers that announce far more than the file holds (finding 1 for IDX): allocated only when
    # the budget allows, and the truncation named.
    put("idx", "header-60000-images.idx", idx(0, idx_images(60000, 28, 28, b""), idx_labels([], 60000)))
    put("idx", "header-max-count.idx", idx(0, idx_images(0xFFFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, b""),
                                           idx_labels([], 0xFFFFFFFF)))
    put("idx", "header-huge-rows.idx", idx(0, idx_images(1, 0xFFFFFFFF, 1, b""), idx_labels([0])))
    put("idx", "zero-rows.idx", idx(0, idx_images(1, 0, 5, b""), idx_labels([0])))
    put("idx", "over-4KiB-cap.idx", idx(16, idx_images(10, 28, 28), idx_labels(list(range(10)))))
    put("idx", "count-mismatch.idx", idx(0, images, idx_labels([0, 1, 2])))
    put("idx", "extra-bytes.idx", idx(0, images + b"\x00", labels))
    put("idx", "wrong-type.idx", idx(0, b"\x00\x00\x0d\x03" + images[4:], labels))
    put("idx", "wrong-dimensions.idx", idx(0, labels, images))
    put("idx", "no-labels.idx", b"\x00" + images)


# --- CSV tables -----------------------------------------------------------------------------------

def csvtable_seeds():
    iris = (ROOT / "resources" / "datasets" / "iris.csv").read_text().splitlines(keepends=True)
    put("csvtable", "iris-head.csv", "".join(iris[:8] + iris[60:64] + iris[120:124]))
    put("csvtable", "integer-labels.csv", "a,b,label\n1,2,0\n3,4,1\n5,6,2\n")
    put("csvtable", "integer-labels-gap.csv", "a,b,label\n1,2,0\n3,4,2\n")
    put("csvtable", "label-first.csv", "class,x\nfoo,1\nbar,2\n")
    put("csvtable", "no-header.csv", "1,2,a\n3,4,b\n")
    put("csvtable", "quoted.csv", '"x ""1""",y,label\r\n"1.5",2,"a,b"\r\n3,"4","c\nd"\r\n')
    put("csvtable", "unterminated-quote.csv", 'x,label\n1,"abc\n2,b\n')
    put("csvtable", "non-finite.csv", "x,label\nnan,a\ninf,b\n1e400,c\n-0,d\n")
    put("csvtable", "empty-label.csv", "x,label\n1,\n2,b\n")
    put("csvtable", "ragged.csv", "x,y,label\n1,2,a\n3,b\n4,5,6,c\n")
    put("csvtable", "header-only.csv", "x,y,label\n")
    put("csvtable", "empty.csv", "")
    put("csvtable", "blank-lines.csv", "x,label\n\n1,a\n\n\n2,b\n\n")
    put("csvtable", "bom-semicolons.csv", "\ufeffx;label\n1;a\n")
    # Finding 2: a long field (100 MB was echoed whole), NUL bytes and invalid UTF-8 in a value.
    put("csvtable", "finding2-long-field.csv", "x,label\n" + "9" * 20000 + "x,a\n1,b\n")
    put("csvtable", "finding2-binary-field.csv", b"x,label\n\x00\xff\xfe,a\n1,b\n")
    # Finding 1, scaled: many rows and many columns, and a bad last row.
    put("csvtable", "finding1-bad-last-row.csv", "x,label\n" + "1,a\n" * 5000 + "1,\n")
    put("csvtable", "many-columns.csv", ",".join("c%d" % i for i in range(2000)) + ",label\n" +
        ",".join("1" for _ in range(2000)) + ",a\n")
    put("csvtable", "many-classes.csv", "x,label\n" + "".join("%d,%d\n" % (i, i * 1000) for i in range(300)))


# --- the project dictionary -----------------------------------------------------------------------

def project_dictionary():
    """project.dict: JSON syntax and numbers by hand, then every key and string value that
    docs/project-format.md and tests/data name (so new fields reach the fuzzer when this is rerun)."""
    import re
    keys, values = set(), set()
    for path in [ROOT / "docs" / "project-format.md"] + sorted((ROOT / "tests" / "data").glob("*.json")):
        text = path.read_text()
        keys |= set(re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:', text))
        values |= set(re.findall(r':\s*"([A-Za-z][A-Za-z0-9_-]{1,30})"', text))
        for cells in re.findall(r"^\|\s*((?:`[A-Za-z_][A-Za-z0-9_]*`,?\s*)+)\|", text, re.M):
            keys |= set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", cells))
    lines = ["# libFuzzer dictionary of fuzz_project (written by make_seeds.py; docs/testing.md).",
             "# JSON syntax, numbers at the edges of double and int64, and the project format's keys."]
    def entry(name, token):  # libFuzzer's escapes: \\ and \" (and \xAB)
        return '%s="%s"' % (name, token.replace("\\", "\\\\").replace('"', '\\"'))

    syntax = ["{", "}", "[", "]", ",", ":", '"', '\\"', "\\u0000", "\\ud800", "true", "false", "null",
              "[]", "{}", "[[]]", "[{}]", "-", "0", "-0", "1e308", "1e-308", "5e-324", "1e400", "-1",
              "2147483648", "9223372036854775807", "18446744073709551616", "2305843009213693952",
              "NaN", "Infinity", "0.0001", "0.1"]
    lines += [entry("syntax_%d" % i, token) for i, token in enumerate(syntax)]
    lines += [entry("key_" + key, '"%s":' % key) for key in sorted(keys)]
    lines += [entry("value_" + re.sub(r"[^A-Za-z0-9_]", "_", value), '"%s"' % value) for value in sorted(values - keys)]
    (HERE / "project.dict").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    project_dictionary()
    import warnings
    warnings.filterwarnings("ignore", "Duplicate name")  # duplicate-names.npz is meant
    for seeds in (project_seeds, spikecsv_seeds, npz_seeds, idx_seeds, csvtable_seeds):
        seeds()
    for folder in sorted(CORPUS.iterdir()):
        files = list(folder.iterdir())
        print("%-9s %3d seeds, largest %d bytes" % (folder.name, len(files), max(f.stat().st_size for f in files)))
