"""Recorded kernel verifier logs and their comparison with kfcheck's (``test_verifier_log``).

``tests/records/<release>/logs/<program file stem>.log`` holds the kernel's level-2 log of one
accepted corpus program (loaded at log level 2 alone: no statistics lines). Record them as
root with ``python tests/tools/verifier_logs.py`` (``make record-logs``): the programs of
``LOGGED`` for the running build.

``normalize`` keeps what both logs must agree on: the instruction lines with the registers and
stack slots printed after them, the states printed on their own (the first state, the states
after a pop, a subprogram's caller and callee), source lines, ``from X to Y:``, ``safe`` and the
summary, and the precision lines (``mark_precise:``, ``force_precise:``, ``frame N:
propagating ...``). It leaves out the lines of the kernel's analyses that kfcheck does not
print (``func#N @I``, ``Live regs before insn:`` and its listing, the stack liveness lines
``(0) frame 0 insn ...``, ``SCC enter/exit/backedge``), and so, where such a line comes between an
instruction and its state, prints the state after the instruction as the kernel does when
nothing comes between. The address a map load prints (``r1 = 0xffff8883...``, a kernel
address) becomes ``<map>``, as does kfcheck's ``map[name:...]``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
RECORDS = Path(__file__).resolve().parents[1] / "records"

LOGGED = (
    "alu64_add_after_check_ok",
    "alu_mul_bounded_ok",
    "alu_pkt_ptr_diff_ok",
    "bounds_checked_index_ok",
    "ctx_write_mark_ok",
    "global_data_ok",
    "map_lookup_ok",
    "spill_scalar_bounds_kept_ok",
    "stack_buffer_ok",
    "subprog_static_ok",
)

_INSN = re.compile(r"^(\d+): (\([0-9a-f]{2}\) [^;]*?)(?: +;(.*))?$")
_STATE = re.compile(r"^(\d+):((?: frame\d+:)? (?:R\d+|fp-\d+)=.*)$")
_STATS = re.compile(r" max_states_per_insn \d+ ")
_KEEP = re.compile(r"^(from \d+ to \d+:|\d+: safe$|; |processed \d+ insns|caller:$|callee:$|"
                   r"returning from callee:$|to caller at \d+:$| (?:frame\d+: )?R\d+=|"
                   r"mark_precise: |force_precise: |frame \d+: propagating )")
_PRECISE_MAP = re.compile(r"(before \d+: \(18\) r\d+ = )"
                          r"(?:0xffff[0-9a-f]{12}|map\[name:[^\]]*\](?:\[0\]\+\d+)?)$")
_MAP = re.compile(r"^(\d+: \(18\) r\d+ = )"
                  r"(?:0xffff[0-9a-f]{12}|map\[name:[^\]]*\](?:\[0\]\+\d+)?)$")


def _aligned(insn: str, state: str) -> str:
    """An instruction line with its state, padded as ``print_insn_state`` pads it."""
    pos = len(insn) + 1
    pad = -(-max(pos + 4, 40) // 8) * 8 - pos - 1
    return f"{insn}{' ' * pad};{state}"


def normalize(log: str) -> list[str]:
    """The lines both logs must agree on (see the module doc)."""
    out: list[str] = []
    bare = False  # the last kept line is an instruction line without its state
    for line in log.splitlines():
        m = _INSN.match(line)
        if m:
            text = _MAP.sub(r"\1<map>", f"{m.group(1)}: {m.group(2)}".rstrip())
            if m.group(3) is not None:
                out.append(_aligned(text, m.group(3)))
                bare = False
            else:
                out.append(text)
                bare = True
            continue
        s = _STATE.match(line)
        if s and bare:
            out[-1] = _aligned(out[-1], s.group(2))
            bare = False
            continue
        if s or _KEEP.match(line):
            line = _PRECISE_MAP.sub(r"\1<map>", line)
            out.append(_STATS.sub(" max_states_per_insn _ ", line))
            bare = False
    return out


def record(names: tuple[str, ...] = LOGGED) -> Path:
    """Record the running kernel's level-2 logs of ``names`` (root); return the directory."""
    from kfcheck.kernel.oracle import check_file

    out = RECORDS / os.uname().release / "logs"
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        (verdict,) = check_file(str(CORPUS / f"{name}.bpf.o"), log_level=2)
        if verdict.outcome.value != "accept":
            raise SystemExit(f"{name}: {verdict.outcome.value}: {verdict.error}")
        (out / f"{name}.log").write_text(verdict.log)
    return out


if __name__ == "__main__":
    print(record(tuple(sys.argv[1:]) or LOGGED))
