"""BTF load speed against bpftool, side by side, on the live kernel BTF.

Prints best-of-N seconds and ratios to ``bpftool btf dump file X format raw``; exits 1 if a
target is missed: warm load (cache hit) under 0.3 s, cold parse (no cache) at most 3x bpftool.
Usage: python bench/bench_btf.py [BTF_FILE] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from kfcheck.btf import load_btf
from kfcheck.btf.dump import dump_type

WARM_LIMIT_S = 0.3
COLD_RATIO_LIMIT = 3.0


def best(fn: Callable[[], object], runs: int) -> float:
    """Best wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_quiet(cmd: list[str]) -> None:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", default="/sys/kernel/btf/vmlinux")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path, runs = args.file, args.runs
    bpftool = shutil.which("bpftool")
    if bpftool is None or not os.path.exists(path):
        print(f"skipped: needs bpftool and {path}")
        return 0

    with tempfile.TemporaryDirectory(prefix="kfcheck-bench-") as cache:
        os.environ["KFCHECK_CACHE_DIR"] = cache
        ref = best(lambda: run_quiet([bpftool, "btf", "dump", "file", path, "format", "raw"]),
                   runs)
        cold = best(lambda: load_btf(path, cache=False), runs)
        cold_named = best(lambda: load_btf(path, cache=False).by_name("task_struct"), runs)

        def miss() -> None:
            for entry in os.listdir(cache):
                os.unlink(os.path.join(cache, entry))
            load_btf(path).by_name("task_struct")

        cache_miss = best(miss, runs)
        load_btf(path)
        warm = best(lambda: load_btf(path).by_name("task_struct"), runs)
        warm_proc = best(lambda: run_quiet([
            sys.executable, "-c",
            f"from kfcheck.btf import load_btf; load_btf({path!r}).by_name('task_struct')",
        ]), runs)
        btf = load_btf(path, cache=False)
        decode_all = best(lambda: sum(1 for _ in load_btf(path, cache=False).types()), 1)
        dump_all = best(lambda: [dump_type(btf, t) for t in btf.types()], 1)

    rows = [
        ("bpftool btf dump (process, parse+print)", ref, "reference"),
        ("cold parse: load_btf(cache=False)", cold, f"target <= {COLD_RATIO_LIMIT:g}x bpftool"),
        ("cold parse + name index (by_name)", cold_named, "info"),
        ("cache miss: load + index + write entry", cache_miss, "info"),
        ("warm load: cache hit + by_name", warm, f"target < {WARM_LIMIT_S} s"),
        ("warm load in a fresh python process", warm_proc, "info (includes interpreter start)"),
        ("decode every type record", decode_all, "info (lazy: paid only on use)"),
        ("render bpftool dump of every type", dump_all, "info"),
    ]
    print(f"{path}: {len(btf) - 1} types, best of {runs}")
    print(f"{'measure':44} {'seconds':>8} {'x bpftool':>10}  note")
    for label, secs, note in rows:
        print(f"{label:44} {secs:8.3f} {secs / ref:10.2f}  {note}")

    failures = []
    if warm >= WARM_LIMIT_S:
        failures.append(f"warm load {warm:.3f} s >= {WARM_LIMIT_S} s")
    if cold > COLD_RATIO_LIMIT * ref:
        failures.append(f"cold parse {cold / ref:.2f}x bpftool > {COLD_RATIO_LIMIT:g}x")
    for failure in failures:
        print(f"MISSED: {failure}")
    if not failures:
        print("targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
