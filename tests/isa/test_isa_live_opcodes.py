"""The opcode table against the running kernel's list of valid opcodes."""

from __future__ import annotations

import pytest

from kfcheck.isa import OPCODES, asm
from kfcheck.kernel.syscall import available, prog_load
from kfcheck.uapi import ProgType

pytestmark = pytest.mark.kernel


def _kernel_refuses(code: int) -> bool:
    """True if the kernel rejects the opcode itself, before looking at its fields' meaning."""
    body = asm.encode(code) + (bytes(8) if code == 0x18 else b"")
    result = prog_load(asm.mov64_imm(0, 0) + body + asm.exit_(), ProgType.SOCKET_FILTER,
                       log_level=1)
    # LDX with a mode other than MEM/MEMSX is refused by an earlier check of the same pass.
    return (f"unknown opcode {code:02x}" in result.log
            or "BPF_LDX uses reserved fields" in result.log)


def test_table_is_the_kernels_opcode_list() -> None:
    reason = available()
    if reason:
        pytest.skip(f"kernel bpf() unavailable: {reason}")
    valid = {code for code in range(256) if not _kernel_refuses(code)}
    assert valid == set(OPCODES)
