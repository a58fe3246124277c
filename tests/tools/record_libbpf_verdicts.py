"""Load every corpus object with the libbpf reference loader and record the verdicts.

Writes tests/records/<release>/libbpf.json ({"kernel", "btf_sha256", "files": {file: {program:
{verdict, error, ...}}}}) and prints every program whose verdict or error differs from its
header's intent for the running build.
Exit status 1 when any differs. Needs root (bpf(BPF_PROG_LOAD)).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builds import RECORDS  # noqa: E402
from corpus_intent import corpus_sources, read_intent  # noqa: E402
from libbpf_load import Libbpf, Stage, load_object  # noqa: E402

from kfcheck.host import running_build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, help="default: the whole corpus")
    parser.add_argument("--no-write", action="store_true", help="only compare with intent")
    args = parser.parse_args(argv)
    sources = args.sources or corpus_sources()
    build = running_build()
    if build is None:
        print("record_libbpf_verdicts: the running kernel's BTF cannot be read", file=sys.stderr)
        return 2
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
            if not intent.matches(r.verdict, r.error, build.release):
                mismatches += 1
                wanted = intent.expected(build.release).describe()
                print(f"{source.name}:{r.program}: wanted {wanted}, got {r.verdict}: {r.error}")
    if not args.no_write and not args.sources:
        output = RECORDS / build.release / "libbpf.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps({"kernel": build.release, "btf_sha256": build.btf_sha256,
                                      "files": record}, indent=1, sort_keys=True) + "\n")
    print(f"libbpf {lib.version}: {len(sources)} sources, {mismatches} not as intended")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
