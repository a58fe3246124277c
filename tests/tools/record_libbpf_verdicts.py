"""Load every corpus object with the libbpf reference loader and record the verdicts.

Writes tests/corpus/libbpf_verdicts.json ({file: {program: {verdict, error, ...}}}) and
prints every program whose verdict or error differs from its header's intent.
Exit status 1 when any differs. Needs root (bpf(BPF_PROG_LOAD)).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_intent import CORPUS_DIR, corpus_sources, read_intent  # noqa: E402
from libbpf_load import Libbpf, Stage, load_object  # noqa: E402

OUTPUT = CORPUS_DIR / "libbpf_verdicts.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, help="default: the whole corpus")
    parser.add_argument("--no-write", action="store_true", help="only compare with intent")
    args = parser.parse_args(argv)
    sources = args.sources or corpus_sources()
    lib = Libbpf()
    record: dict[str, dict[str, dict[str, str | int]]] = {}
    mismatches = 0
    for source in sources:
        intent = read_intent(source)
        results = load_object(intent.object, lib=lib)
        record[intent.object.name] = {r.program: r.summary() for r in results}
        for r in results:
            if r.stage is not Stage.KERNEL:
                print(f"{source.name}:{r.program}: libbpf {lib.version} stopped: {r.error}")
                continue
            if not intent.matches(r.verdict, r.error):
                mismatches += 1
                wanted = "accept" if intent.accept else f'reject "{intent.error}"'
                print(f"{source.name}:{r.program}: wanted {wanted}, got {r.verdict}: {r.error}")
    if not args.no_write and not args.sources:
        OUTPUT.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    print(f"libbpf {lib.version}: {len(sources)} sources, {mismatches} not as intended")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
