"""The scalar domain against Linux 6.18's verifier log.

``data/scalar_kernel_6.18.json`` holds what the kernel printed (log level 2) for hand-written and
random scalar programs (``record_scalar_kernel.py`` records it); each is replayed through the
domain and every printed register compared. The live test does the same against the running
kernel for fresh random programs (root and bpf() only).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import scalar_programs as sp

DATA = Path(__file__).parent / "data" / "scalar_kernel_6.18.json"
RECORD = json.loads(DATA.read_text())


def _step(raw: list[Any]) -> sp.Step:
    return tuple(tuple(x) if isinstance(x, list) else x for x in raw)


@pytest.mark.parametrize("name", sorted(RECORD["cases"]))
def test_recorded_kernel_states(name: str) -> None:
    case = RECORD["cases"][name]
    prog = [_step(s) for s in case["program"]]
    ks = sp.KernelStates(
        ok=case["ok"],
        main={int(k): {int(r): t for r, t in v.items()} for k, v in case["main"].items()},
        queued={int(k): {int(r): t for r, t in v.items()} for k, v in case["queued"].items()},
        violations=case["violations"], last_line=case["last_line"],
    )
    _, where = sp.assemble(prog)
    assert sp.compare(prog, ks, where) == []


def test_record_covers_every_step_kind() -> None:
    kinds = {s[0] for c in RECORD["cases"].values() for s in c["program"]}
    assert kinds == {"init", "alu", "jmp", "neg", "end", "movsx", "mov32"}
    assert any(c["violations"] for c in RECORD["cases"].values())


@pytest.mark.kernel
def test_live_kernel_agrees(bpf_fds_checked: object) -> None:
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    for i in range(25):
        prog = sp.random_program(random.Random(seed + i), 16)
        ks, where = sp.kernel_states(prog)
        assert sp.compare(prog, ks, where) == [], f"seed {seed + i}: {prog}"
