"""Which kfunc families and ``KF_*`` flags of a build's table the corpus exercises, and with
which recorded verdicts (issue 11: each needs an accepted and a rejected program), plus the
count of corpus programs that call no kfunc (issue 10).

A corpus object calls a kfunc when it has a kfunc extern (clang emits only the externs a
program uses). Families or flags with no program are listed with the reason when this machine
cannot exercise them (``UNREACHABLE``), never filled with a fake.

    python tests/tools/kfunc_coverage.py [RELEASE]   (default: the newest record)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from builds import RecordedBuild, recorded_builds
from corpus_intent import CORPUS_DIR

from kfcheck.obj.model import ExternKind
from kfcheck.obj.reader import read_object
from kfcheck.profile.embedded import list_manifests, load_profile
from kfcheck.profile.kfuncs.schema import Family, KfFlag, flag_names
from kfcheck.profile.kfuncs.table import KfuncTable

# Families and flags the corpus cannot exercise on the recorded builds, with the reason.
UNREACHABLE: dict[str, str] = {}


def called_kfuncs(obj: Path) -> tuple[str, ...]:
    """The kfuncs an object calls (its kfunc externs)."""
    return tuple(e.name for e in read_object(str(obj)).externs if e.kind is ExternKind.KFUNC)


def _verdicts(rows: dict[str, dict[str, object]]) -> set[str]:
    return {str(row["verdict"]) for row in rows.values()}


def coverage(build: RecordedBuild, table: KfuncTable) -> dict[str, dict[str, set[str]]]:
    """``{family or flag name: {verdict: {object, ...}}}`` for every family and flag the
    table uses (empty inner dict: no corpus program calls a kfunc of it)."""
    used: dict[str, dict[str, set[str]]] = {}
    for spec in table:
        for fam in spec.families:
            used.setdefault(f"family {fam.name}", defaultdict(set))
        for name in flag_names(spec.flags):
            used.setdefault(f"flag {name}", defaultdict(set))
    for file, rows in build.corpus_files().items():
        for name in called_kfuncs(CORPUS_DIR / file):
            called = table.by_name(name)
            if called is None:
                continue
            keys = [f"family {f.name}" for f in called.families]
            keys += [f"flag {n}" for n in flag_names(called.flags)]
            for key in keys:
                for verdict in _verdicts(rows):
                    used[key][verdict].add(file)
    return used


def no_kfunc_programs(build: RecordedBuild) -> dict[str, int]:
    """Programs (per recorded verdict) in objects that call no kfunc."""
    counts: dict[str, int] = defaultdict(int)
    for file, rows in build.corpus_files().items():
        if not called_kfuncs(CORPUS_DIR / file):
            for row in rows.values():
                counts[str(row["verdict"])] += 1
    return dict(counts)


def main(argv: list[str]) -> int:
    builds = {b.release: b for b in recorded_builds()}
    release = argv[0] if argv else sorted(builds)[0]
    build = builds[release]
    profile = next(m.name for m in list_manifests() if m.btf_sha256 == build.btf_sha256)
    table = load_profile(name=profile).table
    cov = coverage(build, table)
    missing = 0
    print(f"{release}: {len(cov)} families and flags in the table")
    for key in sorted(cov):
        acc, rej = sorted(cov[key].get("accept", ())), sorted(cov[key].get("reject", ()))
        gap = [v for v, files in (("accept", acc), ("reject", rej)) if not files]
        note = f"  no {'/'.join(gap)}" if gap else ""
        if gap and key in UNREACHABLE:
            note += f" ({UNREACHABLE[key]})"
        elif gap:
            missing += 1
        print(f"{key:34} accept {len(acc):3}  reject {len(rej):3}{note}")
    nokf = no_kfunc_programs(build)
    print(f"programs calling no kfunc: {sum(nokf.values())} {nokf}")
    print(f"families/flags lacking an accepted or a rejected program: {missing}")
    return 0


# Names kept importable for tests; Family/KfFlag document what the keys are.
__all__ = ["Family", "KfFlag", "coverage", "no_kfunc_programs", "called_kfuncs"]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
