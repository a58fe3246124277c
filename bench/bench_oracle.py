"""The kernel oracle against libbpf's loader: the whole corpus, each in one process.

kfcheck: ``kfcheck kernel --json tests/corpus/*.bpf.o`` as a subprocess (start-up, reading,
linking, loading and the JSON included). libbpf: the same objects in one Python process through
libbpf's ``bpf_object__load`` (ctypes, the reference loader of tests/tools/libbpf_load.py):
each program loaded on its own, as the oracle loads it (the object opened afresh, only that
program autoloaded), at log level 4 (statistics only) into one reused buffer: libbpf's cost
for a verdict and the statistics, without the error line the oracle also gives. Objects that
libbpf 1.1 cannot open (tcx sections) cost libbpf nothing.

The two alternate, A B A B ...; per side the median wall and system time of the runs; the
ratio kfcheck/libbpf is the median of the pairwise ratios. Also the kernel's own verification
time (the sum of the ``verification time N usec`` statistics) on each side. Target: wall
ratio <= 1.5 (exit 1 if missed). Needs root (bpf()) and libbpf; prints ``skipped`` otherwise.

Measured (2 cores, Linux 6.18, Python 3.11, libbpf 1.1.2; 215 objects, 215 programs, 5
alternating runs, medians):

=========================  =======  ======  ======================
                           kfcheck  libbpf  ratio kfcheck/libbpf
=========================  =======  ======  ======================
wall (s)                   1.52     2.60    0.59
system (s)                 0.69     2.02    0.34
user (s)                   0.82     0.54    1.50
kernel verification (s)    0.57     0.59
=========================  =======  ======  ======================

The kernel's verification is 0.57 s of kfcheck's 1.52 s; the rest: Python start-up, reading
and linking the objects (about 0.7 s), the 131 second loads of rejects at log level 1 (not in
the sum), BTF and map creation for each program. libbpf's system time is mostly its own: it
reads the kernel's BTF (5.5 MB, in 4 KiB reads) again for every object it opens.

Before (a zero-filled 64 MiB log buffer allocated per program, log level 2 for every
program): kfcheck 16.8 s wall, 14.8 s system, 460 MB peak memory (ratio 6.4); now 60 MB.
One program dominates the kernel's time: loop_too_many_insns_bad (1,000,001 instructions:
0.55 s at log level 4; at log level 1 or 2 its 85-110 MB log takes 3-4 s, so its reject is
answered from the statistics log, whose error line names no instruction).

Usage: python bench/bench_oracle.py [--runs N] [OBJ ...]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KFCHECK = ROOT / ".venv" / "bin" / "kfcheck"
RATIO_LIMIT = 1.5
LOG_SIZE = 1 << 20
STATS_LOG = 4  # BPF_LOG_STATS
_TIME = re.compile(r"^verification time (\d+) usec", re.M)


@dataclass(frozen=True)
class Run:
    """One timed process: wall and CPU seconds, and what it reported."""

    wall: float
    sys: float
    user: float
    programs: int
    verification_us: int


def timed(cmd: list[str]) -> tuple[float, float, float, str]:
    """Run ``cmd``; its wall, system and user seconds, and its standard output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: some program rejected
        raise SystemExit(f"{cmd[0]} exited {proc.returncode}")
    return wall, usage.ru_stime, usage.ru_utime, out.decode()


def run_kfcheck(objects: list[str]) -> Run:
    wall, sys_s, user, out = timed([str(KFCHECK), "kernel", "--json", *objects])
    rows = json.loads(out)
    return Run(wall, sys_s, user, len(rows),
               sum(r.get("verification_time_us") or 0 for r in rows))


def run_libbpf(objects: list[str]) -> Run:
    wall, sys_s, user, out = timed([sys.executable, __file__, "--libbpf-child", *objects])
    done = json.loads(out)
    return Run(wall, sys_s, user, done["programs"], done["verification_us"])


def libbpf_child(objects: list[str]) -> int:
    """In the child: verify every program of every object with libbpf; print the totals."""
    sys.path.insert(0, str(ROOT / "tests" / "tools"))
    from libbpf_load import Libbpf

    lib = Libbpf()
    log = ctypes.create_string_buffer(LOG_SIZE)  # one buffer for every load
    programs = verification_us = 0
    for path in map(Path, objects):
        index, count = 0, 1
        while index < count:  # open the object afresh for each program, load only that one
            log[0] = b"\0"
            try:
                with lib.opened(path) as obj:
                    progs = list(lib.programs(obj))
                    count = len(progs)
                    if not progs:
                        break
                    for n, prog in enumerate(progs):
                        lib.lib.bpf_program__set_autoload(prog, n == index)
                    lib.lib.bpf_program__set_log_level(progs[index], STATS_LOG)
                    lib.lib.bpf_program__set_log_buf(progs[index], log, LOG_SIZE)
                    lib.lib.bpf_object__load(obj)
            except OSError:  # libbpf cannot open it
                break
            programs += 1
            index += 1
            if m := _TIME.search(log.value.decode(errors="replace")):
                verification_us += int(m.group(1))
    json.dump({"programs": programs, "verification_us": verification_us}, sys.stdout)
    return 0


def unusable() -> str | None:
    """Why the bench cannot run here, or None."""
    sys.path.insert(0, str(ROOT / "tests" / "tools"))
    from libbpf_load import Libbpf, LoaderError

    from kfcheck.kernel.syscall import available

    if (reason := available()) is not None:
        return f"kernel oracle unavailable: {reason}"
    if not KFCHECK.exists():
        return f"no {KFCHECK} (make install)"
    try:
        Libbpf()
    except LoaderError as exc:
        return str(exc)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("objects", nargs="*", help="default: tests/corpus/*.bpf.o")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--libbpf-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    objects = args.objects or sorted(str(p) for p in (ROOT / "tests" / "corpus").glob("*.bpf.o"))
    if args.libbpf_child:
        return libbpf_child(objects)
    if (reason := unusable()) is not None:
        print(f"skipped: {reason}")
        return 0

    run_kfcheck(objects), run_libbpf(objects)  # warm-up: page cache, BTF index cache
    ours: list[Run] = []
    theirs: list[Run] = []
    for _ in range(args.runs):
        ours.append(run_kfcheck(objects))
        theirs.append(run_libbpf(objects))

    def med(runs: list[Run], field: str) -> float:
        return statistics.median(float(getattr(r, field)) for r in runs)

    def ratio(field: str) -> float:
        return statistics.median(getattr(a, field) / max(getattr(b, field), 1e-9)
                                 for a, b in zip(ours, theirs, strict=True))

    print(f"kernel oracle vs libbpf: {len(objects)} objects, {ours[0].programs} programs "
          f"(libbpf: {theirs[0].programs}), {args.runs} alternating runs, medians")
    print(f"{'':26}{'kfcheck':>9}{'libbpf':>9}{'ratio':>8}")
    for label, field in (("wall (s)", "wall"), ("system (s)", "sys"), ("user (s)", "user")):
        print(f"{label:26}{med(ours, field):9.2f}{med(theirs, field):9.2f}{ratio(field):8.2f}")
    print(f"{'kernel verification (s)':26}{med(ours, 'verification_us') / 1e6:9.2f}"
          f"{med(theirs, 'verification_us') / 1e6:9.2f}")
    wall = ratio("wall")
    print(f"target: wall ratio <= {RATIO_LIMIT}: {'met' if wall <= RATIO_LIMIT else 'MISSED'}")
    return 0 if wall <= RATIO_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
