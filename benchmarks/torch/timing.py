"""The one timing rule of the PyTorch twins (the JMH side: average time per call after warm-up).

STRUCTFLOW_TWIN_SMOKE=1 (set by `compare.sh --smoke`) makes `timed` call each case once and return
that call's time: a check that the twins run on a PyTorch build, not a measurement."""
import os
import statistics
import time

SMOKE = os.environ.get("STRUCTFLOW_TWIN_SMOKE") == "1"


def timed(fn, min_time=0.5, repeats=5, warmup=20):
    """Median over `repeats` runs of the mean time per call (µs), each run at least `min_time`
    seconds, after up to `warmup` calls (at least 3; stopping early once they took `min_time`,
    so slow calls do not warm up for minutes)."""
    if SMOKE:
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1e6
    start = time.perf_counter()
    for i in range(warmup):
        fn()
        if i >= 2 and time.perf_counter() - start > min_time:
            break
    results = []
    for _ in range(repeats):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed > min_time:
                break
        results.append(elapsed / n * 1e6)
    return statistics.median(results)
