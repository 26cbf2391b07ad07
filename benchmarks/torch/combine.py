"""Joins JMH's JSON and the PyTorch twins' timings on one or more PyTorch builds into `ratio` lines
and a results file.

usage: combine.py <work dir> <threads> <out.json>
The work dir (written by benchmarks/compare.sh) holds
  jmh.json                         JMH's results (absent when only the epoch was run)
  build-<i>.json                   build_info.py's line for PyTorch build i (0, 1, …)
  build-<i>-<script>.json          one object {case: µs} per twin script run on build i
  epoch-t<n>-java.json             FashionMnistEpochMemory's line at n threads (optional)
  epoch-t<n>-build-<i>.json        fmnist_epoch_rss.py's line on build i at n threads (optional)

Each ratio is ours ÷ PyTorch's; it is printed against every build and against the peer, the
build with the smaller value for that case (faster, or the smaller peak RSS). The results file keeps
the fields of single-build files with the peer in PyTorch's place — per case "ratio" and "torch_us",
and "fmnist_epoch_memory" {"java", "torch"} (the first epoch's, the peer by peak RSS) — and adds
"torch_builds" (label → build_info), per case "peer" and "builds" {label: {"torch_us", "ratio"}},
and "fmnist_epochs" (each thread count: both sides' lines and the ratios of time and peak RSS).
"""
import datetime
import glob
import json
import os
import platform
import re
import sys

UNIT_TO_US = {"us/op": 1.0, "ms/op": 1000.0, "ns/op": 0.001, "s/op": 1e6}


def case_name(bench):
    """JMH benchmark + params -> the case names the PyTorch script uses."""
    method = bench["benchmark"].rsplit(".", 1)[1]
    params = bench.get("params", {})
    if method == "train_step":
        name = params["network"] + "_train_step"
        return name if params.get("mode", "replay") == "replay" else name + "_eager"
    if method in ("forward", "forward_backward") and "family" in params:
        kind = "fwd" if method == "forward" else "fwd_bwd"
        return "layer_" + params["family"] + "_" + kind + "_w" + params["width"] + "_" + params["mode"]
    if method.startswith("conv_flow_layer") and "mode" in params:
        return method + "_" + params["mode"]
    if method.startswith("dense_"):
        kind = "" if method.startswith("dense_fused") else "composed_"
        suffix = "_replay" if method.endswith("_replay") else "_eager"
        return "gradflow_layer_" + kind + "fwd_bwd_w" + params["width"] + suffix
    return method


def load(path):
    with open(path) as f:
        return json.load(f)


def builds(work):
    """label -> build_info, in build order; the label is the torch version (with #i if repeated)."""
    out = {}
    i = 0
    while os.path.isfile(os.path.join(work, f"build-{i}.json")):
        info = load(os.path.join(work, f"build-{i}.json"))
        label = info["torch"] if info["torch"] not in out else f"{info['torch']}#{i}"
        out[label] = dict(info, index=i)
        i += 1
    return out


def against(java, theirs):
    """Ours ÷ each build's value and ÷ the smallest one (the peer): {peer, ratio, value, builds}."""
    peer = min(theirs, key=theirs.get)
    return {"peer": peer, "ratio": java / theirs[peer], "value": theirs[peer],
            "builds": {label: {"value": v, "ratio": java / v} for label, v in theirs.items()}}


def line(name, java, cmp, unit):
    digits = {"kB": 0, "s": 2}.get(unit, 1)
    each = "; ".join(f"{label}: {b['ratio']:.2f} {b['value']:.{digits}f}{unit}" for label, b in cmp["builds"].items())
    return (f"ratio {name} {cmp['ratio']:.2f} java={java:.{digits}f}{unit} torch={cmp['value']:.{digits}f}{unit}"
            f" peer={cmp['peer']} ({each})")


def timing_rows(work, labels):
    if not os.path.isfile(os.path.join(work, "jmh.json")):
        return []
    jmh = load(os.path.join(work, "jmh.json"))
    java = {case_name(b): b["primaryMetric"]["score"] * UNIT_TO_US[b["primaryMetric"]["scoreUnit"]] for b in jmh}
    torch_times = {label: {} for label in labels}
    for label, info in labels.items():
        for path in sorted(glob.glob(os.path.join(work, f"build-{info['index']}-*.json"))):
            torch_times[label].update(load(path))
    rows = []
    for case, jt in sorted(java.items()):
        base = re.sub(r"_(eager|replay)$", "", case)
        theirs = {label: t[base] for label, t in torch_times.items() if base in t}
        if not theirs:
            print(f"java-only {case} java={jt:.1f}us")
            rows.append({"case": case, "java_us": jt})
            continue
        cmp = against(jt, theirs)
        print(line(case, jt, cmp, "us"))
        rows.append({"case": case, "ratio": cmp["ratio"], "java_us": jt, "torch_us": cmp["value"], "peer": cmp["peer"],
                     "builds": {label: {"torch_us": b["value"], "ratio": b["ratio"]} for label, b in cmp["builds"].items()}})
    for w in ("8", "128"):
        for mode in ("_eager", "_replay"):
            f = java.get("gradflow_layer_fwd_bwd_w" + w + mode)
            c = java.get("gradflow_layer_composed_fwd_bwd_w" + w + mode)
            if f and c:
                print(f"fused-speedup w{w}{mode} {c / f:.2f}")
    return rows


def epochs(work, labels):
    """One entry per thread count with a Java epoch: both sides' lines, ratios of seconds and peak RSS."""
    out = []
    paths = glob.glob(os.path.join(work, "epoch-t*-java.json"))
    for threads in sorted(int(re.search(r"epoch-t(\d+)-java", p).group(1)) for p in paths):
        java = load(os.path.join(work, f"epoch-t{threads}-java.json"))
        torch = {label: load(os.path.join(work, f"epoch-t{threads}-build-{info['index']}.json"))
                 for label, info in labels.items()}
        entry = {"threads": threads, "java": java, "torch": torch}
        for measure, unit in (("seconds", "s"), ("peak_rss_kb", "kB")):
            cmp = against(java[measure], {label: t[measure] for label, t in torch.items()})
            print(line(f"fmnist_epoch_{measure}_t{threads}", java[measure], cmp, unit))
            entry[measure] = {"peer": cmp["peer"], "ratio": cmp["ratio"],
                              "builds": {label: b["ratio"] for label, b in cmp["builds"].items()}}
        print(f"epoch at {threads} thread(s): {java['images']} images, loss java={java['loss']} "
              + " ".join(f"{label}={t['loss']}" for label, t in torch.items()))
        out.append(entry)
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: combine.py <work dir> <threads> <out.json>")
    work = sys.argv[1]
    labels = builds(work)
    out = {"date": datetime.date.today().isoformat(), "threads": int(sys.argv[2]),
           "machine": platform.processor() or platform.machine(),
           "torch_builds": {label: {k: v for k, v in info.items() if k != "index"} for label, info in labels.items()},
           "cases": timing_rows(work, labels)}
    fmnist = epochs(work, labels)
    if fmnist:
        first = fmnist[0]
        out["fmnist_epoch_memory"] = {"java": first["java"], "torch": first["torch"][first["peak_rss_kb"]["peer"]]}
        out["fmnist_epochs"] = fmnist
    with open(sys.argv[3], "w") as f:
        json.dump(out, f, indent=2)
    print("wrote " + sys.argv[3])


if __name__ == "__main__":
    main()
