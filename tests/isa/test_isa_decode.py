"""Decoder: fields, forms picked by selector fields, errors for unknown and reserved encodings."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfcheck.errors import InsnError
from kfcheck.isa import (
    OPCODES,
    AluOp,
    AtomicOp,
    Insn,
    Op,
    PseudoSrc,
    Size,
    asm,
    decode,
    format_insn,
)
from kfcheck.isa.opcodes import InsnClass


def one(data: bytes, *, strict: bool = True) -> Insn:
    (insn,) = decode(data, strict=strict)
    return insn


def test_fields_and_raw() -> None:
    insn = one(asm.ldx(Size.DW, 1, 10, -8))
    assert (insn.code, insn.dst, insn.src, insn.off, insn.imm) == (0x79, 1, 10, -8, 0)
    assert insn.raw == bytes.fromhex("79a1f8ff00000000")
    assert insn.op == Op.LDX and insn.size == Size.DW and insn.cls == InsnClass.LDX


def test_indexes_count_ld_imm64_as_two_slots() -> None:
    prog = asm.mov64_imm(0, 1) + asm.ld_imm64(1, 0x1_0000_0002) + asm.exit_()
    insns = decode(prog)
    assert [i.index for i in insns] == [0, 1, 3]
    wide = insns[1]
    assert wide.imm64 == 0x1_0000_0002 and wide.slots == 2 and wide.next_index == 3
    assert len(wide.raw) == 16 and wide.pseudo == PseudoSrc.IMM


def test_negative_imm64_is_unsigned() -> None:
    assert one(asm.ld_imm64(2, -1)).imm64 == (1 << 64) - 1


@pytest.mark.parametrize(("data", "op"), [
    (asm.alu64_reg(AluOp.DIV, 1, 2), Op.DIV),
    (asm.alu64_reg(AluOp.DIV, 1, 2, signed=True), Op.SDIV),
    (asm.alu32_imm(AluOp.MOD, 1, 3, signed=True), Op.SMOD),
    (asm.movsx64(1, 2, 32), Op.MOVSX),
    (asm.movsx32(1, 2, 16), Op.MOVSX),
    (asm.mov64_reg(1, 2), Op.MOV),
    (asm.addr_space_cast(1, 2, 0, 1), Op.ADDR_SPACE_CAST),
    (asm.bswap(1, 64), Op.BSWAP),
    (asm.endian(1, 16, big=True), Op.END_BE),
    (asm.endian(1, 32, big=False), Op.END_LE),
    (asm.call_helper(1), Op.CALL_HELPER),
    (asm.call_subprog(4), Op.CALL_SUBPROG),
    (asm.call_kfunc(1234, 1), Op.CALL_KFUNC),
    (asm.may_goto(3), Op.MAY_GOTO),
    (asm.gotol(100000), Op.GOTOL),
    (asm.ja(-1), Op.JA),
    (asm.ldsx(Size.H, 1, 2, 4), Op.LDSX),
    (asm.load_acquire(Size.B, 1, 2, 0), Op.LOAD_ACQ),
    (asm.store_release(Size.H, 1, 2, 0), Op.STORE_REL),
    (asm.atomic(Size.W, AtomicOp.CMPXCHG, 1, 2, 0), Op.ATOMIC_CMPXCHG),
    (asm.atomic(Size.DW, AtomicOp.FETCH_XOR, 1, 2, 0), Op.ATOMIC_FETCH_XOR),
    (asm.ld_abs(Size.B, 3), Op.LD_ABS),
    (asm.ld_ind(Size.W, 2, 3), Op.LD_IND),
])
def test_selector_picks_form(data: bytes, op: Op) -> None:
    assert one(data).op == op


def test_atomic_op_property() -> None:
    insn = one(asm.atomic(Size.DW, AtomicOp.XCHG, 1, 2, 0))
    assert insn.atomic_op == AtomicOp.XCHG
    assert one(asm.exit_()).atomic_op is None


@pytest.mark.parametrize("pseudo", list(PseudoSrc))
def test_ld_imm64_every_pseudo(pseudo: PseudoSrc) -> None:
    insn = one(asm.ld_imm64(1, 5, pseudo))
    assert insn.op == Op.LD_IMM64 and insn.pseudo == pseudo


@pytest.mark.parametrize(("data", "problem"), [
    (bytes.fromhex("8c00000000000000"), "insn 0: unknown opcode 0x8c"),
    (bytes.fromhex("0d00000000000000"), "insn 0: unknown opcode 0x0d"),
    (bytes.fromhex("8600000000000000"), "insn 0: unknown opcode 0x86"),
    (asm.encode(0xDB, 1, 2, 0, 0x12), "insn 0: unknown opcode 0xdb (imm=0x12)"),
    (asm.encode(0xD3, 1, 2, 0, AtomicOp.ADD), "insn 0: unknown opcode 0xd3 (imm=0x0)"),
    (asm.encode(0xBF, 1, 2, 7), "insn 0: unknown opcode 0xbf (off=7)"),
    (asm.encode(0xBC, 1, 2, 32), "insn 0: unknown opcode 0xbc (off=32)"),
    (asm.encode(0x3F, 1, 2, 2), "insn 0: unknown opcode 0x3f (off=2)"),
    (asm.encode(0x85, 0, 3, 0, 1), "insn 0: unknown opcode 0x85 (src=3)"),
    (asm.encode(0x18, 1, 7) + bytes(8), "insn 0: unknown opcode 0x18 (src=7)"),
    (asm.encode(0xE5, 0, 1, 2), "insn 0: unknown opcode 0xe5 (src=1)"),
    (asm.encode(0x18, 1), "insn 0: ld_imm64 is missing its second slot"),
    (bytes(5), "program size 5 is not a multiple of 8"),
])
def test_undecodable(data: bytes, problem: str) -> None:
    with pytest.raises(InsnError) as err:
        decode(data)
    assert err.value.path is None and err.value.problem == problem  # the reader names the file
    with pytest.raises(InsnError):
        decode(data, strict=False)


@pytest.mark.parametrize(("data", "problem"), [
    (asm.encode(0x07, 1, 2, 0, 5), "BPF_ALU uses reserved fields (src=2)"),
    (asm.encode(0x0F, 1, 2, 0, 5), "BPF_ALU uses reserved fields (imm=0x5)"),
    (asm.encode(0x0F, 1, 2, 1), "BPF_ALU uses reserved fields (off=1)"),
    (asm.encode(0xB7, 1, 0, 3, 5), "BPF_MOV uses reserved fields (off=3)"),
    (asm.encode(0x87, 1, 0, 0, 1), "BPF_NEG uses reserved fields (imm=0x1)"),
    (asm.encode(0xD4, 1, 0, 0, 8), "BPF_END uses reserved fields (imm=0x8)"),
    (asm.encode(0x05, 0, 0, 1, 1), "BPF_JA uses reserved fields (imm=0x1)"),
    (asm.encode(0x06, 0, 0, 1, 1), "BPF_JA uses reserved fields (off=1)"),
    (asm.encode(0x95, 1), "BPF_EXIT uses reserved fields (dst=1)"),
    (asm.encode(0x85, 0, 0, 2, 1), "BPF_CALL uses reserved fields (off=2)"),
    (asm.encode(0x15, 1, 2, 1, 0), "BPF_JMP/JMP32 uses reserved fields (src=2)"),
    (asm.encode(0x61, 1, 2, 0, 9), "BPF_LDX uses reserved fields (imm=0x9)"),
    (asm.encode(0x62, 1, 2, 0, 9), "BPF_ST uses reserved fields (src=2)"),
    (asm.encode(0x20, 1, 0, 0, 9), "BPF_LD_[ABS|IND] uses reserved fields (dst=1)"),
    (asm.encode(0xE5, 1, 0, 2), "BPF_JCOND uses reserved fields (dst=1)"),
    (asm.encode(0xB7, 11, 0, 0, 1), "R11 is invalid"),
    (asm.encode(0x18, 1, 0, 0, 1) + asm.encode(0x07), "invalid bpf_ld_imm64 insn"),
    (asm.encode(0x18, 1, 1, 0, 5) + asm.encode(0, 0, 0, 0, 1), "unrecognized bpf_ld_imm64"),
])
def test_reserved_fields_strict_only(data: bytes, problem: str) -> None:
    with pytest.raises(InsnError) as err:
        decode(data)
    assert problem in err.value.problem
    assert decode(data, strict=False)


def test_kfunc_call_may_use_off() -> None:
    insn = one(asm.call_kfunc(77, fd_idx=3))
    assert (insn.off, insn.imm) == (3, 77)


def test_table_size_matches_kernel_6_18() -> None:
    # 6.12's bpf_opcode_in_insntable() lists 126 opcodes; 6.18 adds 8/16-bit atomics
    # (load-acquire / store-release).
    assert len(OPCODES) == 128


def test_index_in_error_points_at_offending_slot() -> None:
    prog = asm.mov64_imm(0, 0) + asm.ld_imm64(1, 2) + bytes.fromhex("ff00000000000000")
    with pytest.raises(InsnError, match="insn 3: unknown opcode 0xff"):
        decode(prog)


@settings(max_examples=400)
@given(st.binary(max_size=256))
def test_random_bytes_decode_or_insn_error(data: bytes) -> None:
    for strict in (True, False):
        try:
            insns = decode(data, strict=strict)
        except InsnError:
            continue
        assert sum(i.slots for i in insns) * 8 == len(data)
        for insn in insns:
            format_insn(insn)


_SLOT = st.builds(lambda code, regs, off, imm: struct.pack("<BBhi", code, regs, off, imm),
                  st.sampled_from(sorted(OPCODES)), st.integers(0, 255),
                  st.sampled_from([0, 1, 8, 16, 32, -1, 5]),
                  st.sampled_from([0, 1, 16, 32, 64, 0x100, 0x110, 0xE1, 0xF1, -1, 7]))


@settings(max_examples=400)
@given(st.lists(_SLOT, max_size=12))
def test_plausible_slots_decode_or_insn_error(slots: list[bytes]) -> None:
    """Valid opcodes with odd fields: reach the selector and reserved-field checks."""
    data = b"".join(slots)
    for strict in (True, False):
        try:
            insns = decode(data, strict=strict)
        except InsnError:
            continue
        for insn in insns:
            assert format_insn(insn).startswith(f"({insn.code:02x}) ")


@settings(max_examples=200)
@given(st.binary(min_size=8, max_size=64).filter(lambda b: len(b) % 8 == 0))
def test_decode_is_deterministic_and_lossless(data: bytes) -> None:
    try:
        insns = decode(data, strict=False)
    except InsnError:
        return
    assert b"".join(i.raw for i in insns) == data
