"""Register liveness as the kernel prints it (log level 2, ``Live regs before insn:``) and as
kfcheck computes it (``liveness.live_regs_before``), per instruction: a mask of r0-r9."""

from __future__ import annotations

import re
from pathlib import Path

from kfcheck.isa.insn import Insn
from kfcheck.link import KernelTarget, LinkFailure, link_file
from kfcheck.profile.embedded import Profile
from kfcheck.verifier import liveness
from kfcheck.verifier.env import Env
from kfcheck.verifier.progtypes import prog_type_info

_LINE = re.compile(r"^\s*(?:\d+\s+)?(\d+): ([0-9.]{10}) ")
Masks = dict[int, int]


def parse_kernel_log(log: str) -> Masks:
    """The masks of the log's ``Live regs before insn:`` block (empty when it has none)."""
    masks: Masks = {}
    _, _, rest = log.partition("Live regs before insn:\n")
    if not rest:
        return masks
    for line in rest.splitlines():
        m = _LINE.match(line)
        if m is None:
            break
        masks[int(m.group(1))] = sum(1 << i for i, c in enumerate(m.group(2)) if c != ".")
    return masks


def offline(obj: Path, profile: Profile) -> dict[str, Masks]:
    """kfcheck's masks per program of ``obj`` (programs of unmodelled types left out)."""
    out: dict[str, Masks] = {}
    for prog in link_file(str(obj), KernelTarget.from_profile(profile)):
        if isinstance(prog, LinkFailure):
            continue
        info = prog_type_info(prog.prog_type, prog.expected_attach_type, prog.attach_btf_id)
        if info is None:
            continue
        slots: list[Insn | None] = [None] * prog.insn_count
        for insn in prog.insns:
            slots[insn.index] = insn
        live = liveness.live_regs_before(Env(prog, profile, info, slots, prog_btf=prog.btf))
        out[prog.name] = {i.index: live[i.index] & 0x3FF for i in prog.insns}
    return out


def encode(masks: Masks) -> str:
    """``"idx:mask ..."`` with hexadecimal masks."""
    return " ".join(f"{i}:{m:x}" for i, m in sorted(masks.items()))


def decode(text: str) -> Masks:
    return {int(i): int(m, 16) for i, m in (p.split(":") for p in text.split())}
