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

# Verdicts the corpus cannot show for a family or flag on this machine's build (v1272), with
# the reason; a gap in other verdicts is still counted.
_ARENA = "arena maps cannot be created here (BPF_MAP_CREATE: EPERM), so no program has an arena"
UNREACHABLE: dict[str, tuple[frozenset[str], str]] = {
    "family DEV_BOUND": (frozenset({"accept"}), "a device-bound load needs a device with "
                         "ndo_bpf: binding to lo is refused (EOPNOTSUPP) before verification"),
    "family DENTRY_XATTR": (frozenset({"accept"}), "LSM programs only; loading one is "
                            "refused here (EPERM)"),
    "family DYNPTR_SLICE_RDWR": (frozenset({"accept"}), "v1272 refuses the kfunc in every "
                                 "program (`bpf_dynptr_slice_rdwr() is not allowed`)"),
    "family TRAP": (frozenset({"accept"}), "a call of __bpf_trap is always refused"),
    "flag KF_ARENA_ARG2": (frozenset({"accept"}), _ARENA),
    "flag KF_ARENA_RET": (frozenset({"accept"}), _ARENA),
}


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
        verdicts, reason = UNREACHABLE.get(key, (frozenset(), ""))
        if gap and set(gap) <= verdicts:
            note += f" ({reason})"
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
