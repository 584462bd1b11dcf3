#!/usr/bin/env python3
"""SavedModel Lens smoke test: the TensorFlow runtime.

Shipped with the extension and run with the user's own Python. It loads a SavedModel with
TensorFlow, pins the GPU if there is one (and says which), runs one signature after warm-up, and
prints one JSON object on stdout. Nothing else is written to stdout.

  smoke_tf.py probe
      {"python": "3.11.7", "executable": "...", "tensorflow": "2.16.1" | null, "gpus": [...], "error": "..."}
  smoke_tf.py run --model DIR --signature KEY --request FILE [--runs N] [--warmup N] [--device gpu|cpu] [--tags serve]
      {"ok": true, "device": {...}, "load_ms": ..., "latencies_ms": [...], "outputs": [...]}
      {"ok": false, "kind": "no-tensorflow" | "no-gpu" | "model" | "missing-op" | "shape-mismatch" | "out-of-memory" | "runtime", "error": "..."}

The request file: {"inputs": {KEY: {"dtype": "DT_FLOAT", "shape": [...], "values": [...flat...]}}};
string values are base64. Output values are flat lists; strings are base64; non-finite floats are
the strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
"""
import argparse
import base64
import json
import math
import sys
import time


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def import_tensorflow():
    try:
        import tensorflow as tf  # noqa: the user's own installation
        return tf, None
    except Exception as e:  # ImportError, or an installation that fails while importing
        return None, "%s: %s" % (type(e).__name__, e)


def probe(_args):
    tf, error = import_tensorflow()
    out = {"python": sys.version.split()[0], "executable": sys.executable, "tensorflow": tf.__version__ if tf else None}
    if error:
        out["error"] = error
    if tf:
        out["gpus"] = [d.name for d in tf.config.list_physical_devices("GPU")]
    emit(out)
    return 0


def pick_device(tf, want):
    """Make only the device to use visible; returns (device, fallback reason)."""
    cpu = {"backend": "/CPU:0", "name": "CPU", "kind": "cpu"}
    gpus = tf.config.list_physical_devices("GPU")
    if want == "cpu":
        tf.config.set_visible_devices([], "GPU")
        return cpu, None
    if not gpus:
        return cpu, "no GPU found: TensorFlow lists no GPU (is a GPU build of TensorFlow and the NVIDIA driver installed?)"
    tf.config.set_visible_devices(gpus[0], "GPU")
    details = tf.config.experimental.get_device_details(gpus[0]) or {}
    name = details.get("device_name") or gpus[0].name
    return {"backend": "/GPU:0", "name": name, "kind": "gpu",
            "details": dict((str(k), str(v)) for k, v in details.items())}, None


NUMPY_DTYPES = {
    "DT_FLOAT": "float32", "DT_DOUBLE": "float64", "DT_HALF": "float16", "DT_INT8": "int8", "DT_UINT8": "uint8",
    "DT_INT16": "int16", "DT_UINT16": "uint16", "DT_INT32": "int32", "DT_UINT32": "uint32", "DT_INT64": "int64",
    "DT_UINT64": "uint64", "DT_BOOL": "bool",
}


def feed(tf, np, spec):
    shape = spec["shape"]
    if spec["dtype"] == "DT_STRING":
        values = [base64.b64decode(v) for v in spec["values"]]
        return tf.constant(np.array(values, dtype=object).reshape(shape), dtype=tf.string)
    if spec["dtype"] == "DT_BFLOAT16":
        return tf.cast(tf.constant(np.array(spec["values"], dtype="float32").reshape(shape)), tf.bfloat16)
    return tf.constant(np.array(spec["values"], dtype=NUMPY_DTYPES[spec["dtype"]]).reshape(shape))


def json_number(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def output(key, value):
    dtype = "DT_" + value.dtype.name.upper()
    array = value.numpy()
    if value.dtype.name == "string":
        values = [base64.b64encode(b).decode("ascii") for b in array.ravel().tolist()]
    elif value.dtype.name == "bfloat16":
        values = [json_number(float(v)) for v in array.astype("float32").ravel().tolist()]
    else:
        values = [json_number(v) for v in array.ravel().tolist()]
    dtype = {"DT_FLOAT32": "DT_FLOAT", "DT_FLOAT64": "DT_DOUBLE", "DT_FLOAT16": "DT_HALF"}.get(dtype, dtype)
    return {"key": key, "dtype": dtype, "shape": list(array.shape), "values": values}


def error_kind(tf, e):
    if isinstance(e, tf.errors.ResourceExhaustedError):
        return "out-of-memory"
    if isinstance(e, tf.errors.NotFoundError) and "Op type not registered" in str(e):
        return "missing-op"
    if "shape" in str(e).lower():
        return "shape-mismatch"
    return "runtime"


def file_access_ops(fn, refuse):
    """The refused op types the signature's traced graph holds, functions included (a second look
    after the extension's own analysis of the model file: this is what TensorFlow will really run)."""
    refused = set(op for op in (refuse or "").split(",") if op)
    if not refused:
        return []
    graph_def = fn.graph.as_graph_def()
    ops = set(n.op for n in graph_def.node)
    for f in graph_def.library.function:
        ops.update(n.op for n in f.node_def)
    return sorted(ops & refused)


def run(args):
    tf, error = import_tensorflow()
    if tf is None:
        emit({"ok": False, "kind": "no-tensorflow", "error": "TensorFlow cannot be imported by %s (%s)" % (sys.executable, error)})
        return 3
    import numpy as np
    device, fallback = pick_device(tf, args.device)
    if fallback:
        device["fallback"] = fallback
    with open(args.request) as f:
        request = json.load(f)
    start = time.perf_counter()
    try:
        tags = args.tags.split(",") if args.tags else None
        loaded = tf.saved_model.load(args.model, tags=tags)
    except Exception as e:
        emit({"ok": False, "kind": "missing-op" if "Op type not registered" in str(e) else "model",
              "error": "TensorFlow could not load the model: %s" % e, "device": device})
        return 2
    fn = loaded.signatures.get(args.signature)
    if fn is None:
        emit({"ok": False, "kind": "model", "error": "no signature %r; the model has: %s" % (args.signature, ", ".join(loaded.signatures.keys())), "device": device})
        return 2
    load_ms = (time.perf_counter() - start) * 1000
    touching = file_access_ops(fn, args.refuse_ops)
    if touching:
        emit({"ok": False, "kind": "file-access", "device": device,
              "error": "signature %r runs ops that touch files or the log (%s); smoke runs it only with --allow-file-access" % (args.signature, ", ".join(touching))})
        return 2
    try:
        with tf.device(device["backend"]):
            feeds = dict((k, feed(tf, np, v)) for k, v in request["inputs"].items())
            for _ in range(args.warmup):
                dict((k, v.numpy()) for k, v in fn(**feeds).items())
            latencies = []
            result = {}
            for _ in range(args.runs):
                t = time.perf_counter()
                result = fn(**feeds)
                dict((k, v.numpy()) for k, v in result.items())  # wait for the device
                latencies.append((time.perf_counter() - t) * 1000)
    except Exception as e:
        emit({"ok": False, "kind": error_kind(tf, e), "error": str(e).strip().split("\n")[0], "device": device})
        return 1
    emit({"ok": True, "device": device, "tensorflow": tf.__version__, "load_ms": load_ms, "latencies_ms": latencies,
          "outputs": [output(k, v) for k, v in sorted(result.items())]})
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="smoke_tf.py", description="SavedModel Lens smoke test with TensorFlow")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("probe", help="report the Python and TensorFlow versions and the GPUs TensorFlow sees")
    r = sub.add_parser("run", help="run one signature and report")
    r.add_argument("--model", required=True)
    r.add_argument("--signature", required=True)
    r.add_argument("--request", required=True)
    r.add_argument("--runs", type=int, default=10)
    r.add_argument("--warmup", type=int, default=2)
    r.add_argument("--device", choices=["gpu", "cpu"], default="gpu")
    r.add_argument("--tags", default="serve")
    r.add_argument("--refuse-ops", default="", help="comma-separated op types: refuse to run a signature whose graph has one")
    args = parser.parse_args(argv)
    return probe(args) if args.command == "probe" else run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
