"""Joins JMH's JSON and the PyTorch twins' timings into `ratio` lines and a results file.

usage: combine.py <jmh.json> <torch.json> <threads> <out.json> [<memory.json>]
<torch.json> holds one object {case: µs} merged from the twin scripts; <memory.json>, when given,
holds the peak-RSS lines of one Fashion-MNIST epoch {"java": {...}, "torch": {...}}.
"""
import datetime
import json
import platform
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


def main():
    jmh = json.load(open(sys.argv[1]))
    torch_times = json.load(open(sys.argv[2]))
    java = {case_name(b): b["primaryMetric"]["score"] * UNIT_TO_US[b["primaryMetric"]["scoreUnit"]] for b in jmh}
    rows = []
    for case, jt in sorted(java.items()):
        base = case
        for suffix in ("_eager", "_replay"):
            base = base[:-len(suffix)] if base.endswith(suffix) else base
        tt = torch_times.get(base)
        if tt is None:
            print(f"java-only {case} java={jt:.1f}us")
            rows.append({"case": case, "java_us": jt})
            continue
        ratio = jt / tt
        print(f"ratio {case} {ratio:.2f} java={jt:.1f}us torch={tt:.1f}us")
        rows.append({"case": case, "ratio": ratio, "java_us": jt, "torch_us": tt})
    for w in ("8", "128"):
        for mode in ("_eager", "_replay"):
            f = java.get("gradflow_layer_fwd_bwd_w" + w + mode)
            c = java.get("gradflow_layer_composed_fwd_bwd_w" + w + mode)
            if f and c:
                print(f"fused-speedup w{w}{mode} {c / f:.2f}")
    out = {"date": datetime.date.today().isoformat(), "threads": int(sys.argv[3]),
           "machine": platform.processor() or platform.machine(), "cases": rows}
    if len(sys.argv) > 5:
        memory = json.load(open(sys.argv[5]))
        java_kb, torch_kb = memory["java"]["peak_rss_kb"], memory["torch"]["peak_rss_kb"]
        print(f"ratio fmnist_epoch_peak_rss {java_kb / torch_kb:.2f} java={java_kb}kB torch={torch_kb}kB"
              f" ({memory['java']['images']} images; epoch java={memory['java']['seconds']}s"
              f" torch={memory['torch']['seconds']}s)")
        out["fmnist_epoch_memory"] = memory
    json.dump(out, open(sys.argv[4], "w"), indent=2)
    print("wrote " + sys.argv[4])


if __name__ == "__main__":
    main()
