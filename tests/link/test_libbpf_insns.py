"""The linked instructions equal those libbpf 1.1 sends to the kernel (map fds aside), for
every program of the corpus and of the link test objects: CO-RE values, kfunc and ksym ids,
subprogram layout, map references."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from kfcheck.isa.insn import to_bytes
from kfcheck.link import KernelTarget, Program, link_file

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parent.parent
OBJECTS = sorted((ROOT / "corpus").glob("*.bpf.o")) + sorted((ROOT / "link" / "progs").glob(
    "*.bpf.o"))
# ld_imm64 src_reg values whose imm is a map fd (libbpf) or map index (kfcheck)
MAP_SRCS = frozenset({1, 2, 5, 6})

Insn = tuple[int, int, int, int | None]  # code, regs, off, imm (None: a map fd)


def comparable(insns: bytes) -> list[Insn]:
    out: list[Insn] = []
    for at in range(0, len(insns), 8):
        code, regs, off, imm = struct.unpack_from("<BBhi", insns, at)
        is_map = code == 0x18 and regs >> 4 in MAP_SRCS
        out.append((code, regs, off, None if is_map else imm))
    return out


@pytest.fixture(scope="module")
def libbpf() -> Any:
    from kfcheck.kernel.syscall import available

    if (reason := available()) is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    from libbpf_load import Libbpf, LoaderError

    try:
        return Libbpf()
    except LoaderError as exc:
        pytest.skip(f"libbpf reference loader unavailable: {exc}")


@pytest.mark.parametrize("path", OBJECTS, ids=[p.name for p in OBJECTS])
def test_linked_insns_equal_libbpfs(libbpf: Any, kernel: KernelTarget, path: Path) -> None:
    from libbpf_load import relocated_insns

    linked = [p for p in link_file(str(path), kernel) if isinstance(p, Program)]
    assert linked
    try:
        expected = {p.name: relocated_insns(libbpf, path, p.name) for p in linked}
    except OSError as exc:
        pytest.skip(f"libbpf 1.1 cannot open {path.name}: {exc.strerror}")
    for prog in linked:
        assert comparable(to_bytes(prog.insns)) == comparable(expected[prog.name]), prog.name
