"""Disassembler cases the recorded kernel lines cannot show (callbacks, privilege, fallbacks)."""

from __future__ import annotations

import pytest

from kfcheck.isa import (
    AluOp,
    AtomicOp,
    Insn,
    JmpOp,
    Op,
    PseudoSrc,
    Size,
    asm,
    decode,
    disassemble,
    format_insn,
    format_line,
)


def one(data: bytes) -> Insn:
    (insn,) = decode(data)
    return insn


def test_brief_examples() -> None:
    prog = (asm.mov64_imm(0, 0) + asm.mov64_reg(1, 10) + asm.alu64_imm(AluOp.ADD, 1, -8)
            + asm.ldx(Size.DW, 1, 1, 0) + asm.ja(3) + asm.call_subprog(5)
            + asm.atomic(Size.DW, AtomicOp.ADD, 1, 2, 0) + asm.exit_())
    assert disassemble(decode(prog)) == [
        "0: (b7) r0 = 0", "1: (bf) r1 = r10", "2: (07) r1 += -8",
        "3: (79) r1 = *(u64 *)(r1 +0)", "4: (05) goto pc+3", "5: (85) call pc+5",
        "6: (db) lock *(u64 *)(r1 +0) += r2", "7: (95) exit",
    ]


def test_kfunc_name_from_resolver() -> None:
    insn = one(asm.call_kfunc(65910))
    names = {65910: "bpf_task_release"}

    def resolve(i: Insn) -> str | None:
        return names.get(i.imm) if i.op == Op.CALL_KFUNC else None

    assert format_insn(insn, resolve) == "(85) call bpf_task_release#65910"
    assert format_insn(insn) == "(85) call kernel-function#65910"


def test_helper_table_wins_over_resolver() -> None:
    insn = one(asm.call_helper(1))
    assert format_insn(insn, lambda i: "other") == "(85) call bpf_map_lookup_elem#1"


def test_unknown_helper_asks_resolver_then_says_unknown() -> None:
    insn = one(asm.call_helper(5000))
    assert format_insn(insn) == "(85) call unknown#5000"
    assert format_insn(insn, lambda i: "custom") == "(85) call custom#5000"


def test_subprog_call_offsets() -> None:
    assert format_insn(one(asm.call_subprog(-7))) == "(85) call pc-7"
    assert format_insn(one(asm.call_subprog(0))) == "(85) call pc+0"


@pytest.mark.parametrize("pseudo", [PseudoSrc.MAP_FD, PseudoSrc.MAP_VALUE])
def test_pointers_hidden_without_ptr_leaks(pseudo: PseudoSrc) -> None:
    # As the verifier prints it: the kernel address it substituted for the map fd.
    (insn,) = decode(asm.ld_imm64(3, 0xFFFF888100000000, pseudo), strict=False)
    assert format_insn(insn) == "(18) r3 = 0xffff888100000000"
    assert format_insn(insn, allow_ptr_leaks=False) == "(18) r3 = 0x0"


def test_other_imm64_never_hidden() -> None:
    # kernel/bpf/disasm.c hides only BPF_PSEUDO_MAP_FD and BPF_PSEUDO_MAP_VALUE.
    for pseudo in (PseudoSrc.IMM, PseudoSrc.FUNC, PseudoSrc.BTF_ID, PseudoSrc.MAP_IDX,
                   PseudoSrc.MAP_IDX_VALUE):
        insn = one(asm.ld_imm64(1, 6, pseudo))
        assert format_insn(insn, allow_ptr_leaks=False) == "(18) r1 = 0x6"


def test_line_uses_slot_index() -> None:
    insns = decode(asm.ld_imm64(1, 1) + asm.exit_())
    assert format_line(insns[1]) == "2: (95) exit"


def test_extreme_values() -> None:
    assert format_insn(one(asm.mov64_imm(1, -(1 << 31)))) == "(b7) r1 = -2147483648"
    assert format_insn(one(asm.jmp32_imm(JmpOp.JSLT, 2, -1, -32768))) == (
        "(c6) if w2 s< 0xffffffff goto pc-32768")
    assert format_insn(one(asm.gotol(-100000))) == "(06) gotol pc-100000"
    assert format_insn(one(asm.st(Size.B, 10, 32767, -128))) == (
        "(72) *(u8 *)(r10 +32767) = -128")
    assert format_insn(one(asm.addr_space_cast(1, 2, 1, 0))) == (
        "(bf) r1 = addr_space_cast(r2, 1, 0)")


def test_encoder_range_checks() -> None:
    with pytest.raises(ValueError):
        asm.mov64_imm(16, 0)
    with pytest.raises(ValueError):
        asm.ja(1 << 15)
    with pytest.raises(ValueError):
        asm.mov64_imm(0, 1 << 32)
    assert asm.mov64_imm(0, 0xFFFFFFFF) == asm.mov64_imm(0, -1)
