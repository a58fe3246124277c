"""Embedded profile load speed, side by side: cold (empty cache: xz decompress + index) and warm
(decompressed copy + index cache), against the raw sysfs BTF load; plus the table compile.

Prints best-of-N seconds and ratios to the warm load.
Usage: python bench/bench_profile.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kfcheck.btf import load_btf
from kfcheck.profile.embedded import embedded_btf, load_profile, read_manifest, sysfs_btf
from kfcheck.profile.kfuncs.btfview import from_btf
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.table import KfuncTable


def best(fn: Callable[[], object], runs: int) -> float:
    """Best wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    manifest = read_manifest()
    scratch = tempfile.mkdtemp(prefix="kfcheck-bench-")
    os.environ["KFCHECK_CACHE_DIR"] = scratch

    def cold() -> None:
        shutil.rmtree(scratch, ignore_errors=True)
        embedded_btf(manifest)

    rows: list[tuple[str, float]] = [("embedded BTF, cold (empty cache)", best(cold, args.runs))]
    embedded_btf(manifest)
    rows.append(("embedded BTF, warm", best(lambda: embedded_btf(manifest), args.runs)))
    rows.append(("load_profile(), warm (BTF + table)", best(load_profile, args.runs)))
    if Path(sysfs_btf()).exists():
        load_btf(sysfs_btf())
        rows.append(("sysfs BTF via Btf.load, warm", best(lambda: load_btf(sysfs_btf()),
                                                         args.runs)))
    btf = embedded_btf(manifest)
    file = load_table_file(manifest.table)
    rows.append(("table file read + validate", best(lambda: load_table_file(manifest.table),
                                                    args.runs)))
    rows.append(("table compile (kfunc view + build)",
                 best(lambda: KfuncTable.build(file, from_btf(btf)), args.runs)))
    shutil.rmtree(scratch, ignore_errors=True)
    warm = rows[1][1]
    print(f"compressed {manifest.btf.stat().st_size} bytes, BTF {manifest.btf_size} bytes")
    for name, secs in rows:
        print(f"{name:<40} {secs:8.4f}s  {secs / warm:6.2f}x warm")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
