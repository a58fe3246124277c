"""Record the running kernel's register liveness for the corpus objects (needs root and bpf()).

    .venv/bin/python tests/tools/record_live_regs.py \
        > tests/verifier/data/live_regs_<release>.json

Loads every program once at log level 2 and keeps the ``Live regs before insn:`` masks
(``live_regs.encode``); ``test_liveness.py`` compares kfcheck's with them offline.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import live_regs

from kfcheck.kernel import oracle

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def main() -> None:
    files: dict[str, dict[str, str]] = {}
    for obj in sorted(CORPUS.glob("*.bpf.o")):
        for v in oracle.check_file(str(obj), log_level=2):
            masks = live_regs.parse_kernel_log(v.log or "")
            if masks:
                files.setdefault(obj.name, {})[v.program] = live_regs.encode(masks)
    json.dump({"kernel": platform.release(), "files": files}, sys.stdout, indent=1,
              sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
