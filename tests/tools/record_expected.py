"""Record the running kernel's verdicts on the corpus, through the project oracle.

Writes tests/records/<release>/corpus.json: ``{"kernel": <release>, "btf_sha256": <digest>,
"files": {object: {program: row}}}`` where a row holds only what is stable from run to run on
one kernel build (no timings). The corpus is
verified ``--runs`` times (default 2) and nothing is written unless every run gives the same
rows; ``--check`` compares with the recorded file instead of writing. Needs root (bpf()).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from builds import RECORDS, running_record
from corpus_intent import corpus_sources

from kfcheck.host import KernelBuild, running_build
from kfcheck.verdict import Verdict

# The Verdict.to_json fields that do not change between loads on one kernel.
STABLE_FIELDS = ("section", "verdict", "stage", "error", "insn", "errno", "btf_error",
                 "processed_insns", "total_states", "peak_states", "max_states_per_insn",
                 "stack_depth")
Row = dict[str, Any]
Record = dict[str, dict[str, Row]]


def record_row(verdict: Verdict) -> Row:
    """The recorded (stable) part of one verdict."""
    row = verdict.to_json()
    return {key: row[key] for key in STABLE_FIELDS}


def corpus_objects() -> list[Path]:
    """The object of every corpus source, in name order."""
    return [source.with_suffix(".o") for source in corpus_sources()]


def verify_corpus(objects: list[Path]) -> dict[str, list[Verdict]]:
    """The oracle's verdicts on every program of every object, by object name."""
    from kfcheck.kernel.oracle import check_file
    from kfcheck.link import KernelTarget

    target = KernelTarget.running()
    return {obj.name: check_file(str(obj), target) for obj in objects}


def to_record(verdicts: dict[str, list[Verdict]]) -> Record:
    return {name: {v.program: record_row(v) for v in vs} for name, vs in verdicts.items()}


def dump(record: Record, build: KernelBuild) -> str:
    """The file's text: sorted keys, one-space indent, trailing newline (deterministic)."""
    return json.dumps({"kernel": build.release, "btf_sha256": build.btf_sha256,
                       "files": record}, indent=1, sort_keys=True) + "\n"


def differences(a: Record, b: Record) -> list[str]:
    """Human-readable differences between two records (empty when equal)."""
    out: list[str] = []
    for name in sorted(a.keys() | b.keys()):
        progs_a, progs_b = a.get(name, {}), b.get(name, {})
        for prog in sorted(progs_a.keys() | progs_b.keys()):
            row_a, row_b = progs_a.get(prog), progs_b.get(prog)
            if row_a is None or row_b is None:
                out.append(f"{name}:{prog}: only in {'second' if row_a is None else 'first'}")
                continue
            for key in STABLE_FIELDS:
                if row_a.get(key) != row_b.get(key):
                    out.append(f"{name}:{prog}: {key}: {row_a.get(key)!r} != {row_b.get(key)!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="verify the corpus this many times "
                        "and require identical results (default 2)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the recorded file instead of writing it")
    args = parser.parse_args(argv)
    from kfcheck.errors import KfcheckError

    objects = corpus_objects()
    build = running_build()
    if build is None:
        print("record_expected: the running kernel's BTF cannot be read", file=sys.stderr)
        return 2
    try:
        runs = [to_record(verify_corpus(objects)) for _ in range(max(1, args.runs))]
    except KfcheckError as exc:
        print(f"record_expected: {exc}", file=sys.stderr)
        return 2
    unstable = [d for later in runs[1:] for d in differences(runs[0], later)]
    for line in unstable:
        print(f"unstable: {line}")
    if unstable:
        return 1
    record = runs[0]
    programs = sum(len(p) for p in record.values())
    if args.check:
        known = running_record()
        if known is None:
            print(f"record_expected: no record of {build.short}")
            return 1
        diff = differences(known.corpus_files(), record)
        for line in diff:
            print(f"differs: {line}")
        print(f"{len(objects)} objects, {programs} programs, {len(diff)} differences")
        return 1 if diff else 0
    output = RECORDS / build.release / "corpus.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(dump(record, build))
    print(f"{output}: {len(objects)} objects, {programs} programs, {len(runs)} identical runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
