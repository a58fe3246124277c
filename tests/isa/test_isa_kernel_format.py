"""Our instruction text against lines the running kernel's verifier printed (recorded once)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from kfcheck.isa import Insn, Op, decode, format_line

EXAMPLES = Path(__file__).with_name("kernel_log_examples.json")
_DATA: dict[str, Any] = json.loads(EXAMPLES.read_text())
_KFUNCS: dict[int, str] = {int(k): v for k, v in _DATA["kfunc_names"].items()}
_LINES = [(case["name"], entry) for case in _DATA["cases"] for entry in case["lines"]]


def _resolve(insn: Insn) -> str | None:
    return _KFUNCS.get(insn.imm) if insn.op == Op.CALL_KFUNC else None


def _at(entry: dict[str, Any]) -> Insn:
    (insn,) = decode(bytes.fromhex(entry["bytes"]))
    return dataclasses.replace(insn, index=entry["index"])


@pytest.mark.parametrize(("case", "entry"), _LINES,
                         ids=[f"{c}-{e['index']}" for c, e in _LINES])
def test_line_matches_kernel(case: str, entry: dict[str, Any]) -> None:
    insn = _at(entry)
    if entry["runtime"]:
        # The kernel printed the address it substituted; everything else must match.
        value = int(re.fullmatch(r".* = 0x([0-9a-f]+)", entry["line"]).group(1), 16)  # type: ignore[union-attr]
        insn = dataclasses.replace(insn, imm64=value)
    assert format_line(insn, _resolve) == entry["line"]


def test_examples_cover_every_operation() -> None:
    """Each operation the decoder knows was seen in the kernel's log at least once."""
    seen = {_at(entry).op for _, entry in _LINES}
    assert set(Op) - seen == set()


def test_examples_cover_every_opcode() -> None:
    from kfcheck.isa import OPCODES

    seen = {int(entry["bytes"][:2], 16) for _, entry in _LINES}
    assert set(OPCODES) - seen == set()


def test_runtime_lines_are_the_address_forms() -> None:
    runtime = {_at(e).pseudo for _, e in _LINES if e["runtime"]}
    assert runtime and all(p is not None and p.name.startswith("MAP") for p in runtime)
