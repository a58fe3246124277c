"""Exact results of the scalar domain, worked out by hand from the kernel's code, and its log text
(the expected strings are what Linux 6.18 prints for the same registers)."""

from __future__ import annotations

import pytest

from kfcheck.isa.opcodes import AluOp, JmpOp
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.scalar import S32_MAX, S32_MIN, S64_MAX, S64_MIN, Scalar
from kfcheck.verifier.tnum import U32, U64, Tnum

UNK = Scalar.unknown()


def u8() -> Scalar:
    return sc.alu(AluOp.AND, UNK, Scalar.imm(0xFF), True)


# ---- tnum ----

def test_tnum_basics() -> None:
    assert Tnum.range(0, 2) == Tnum(0, 3)
    assert Tnum.range(0x100, 0x1FF) == Tnum(0x100, 0xFF)
    assert Tnum.range(0, U64) == Tnum(0, U64)
    assert Tnum.range(5, 5) == Tnum.const(5)
    assert Tnum(0b1010, 0b0101).add(Tnum.const(1)) == Tnum(0, 0b11111)  # {10,11,14,15}+1
    assert Tnum.const(3).sub(Tnum.const(5)) == Tnum.const(U64 - 1)
    assert Tnum(0, 0xFF0).neg() == Tnum(0, 0xFFFF_FFFF_FFFF_FFF0)
    assert Tnum(0xF0, 0xF).and_(Tnum.const(0x3C)) == Tnum(0x30, 0xC)
    assert Tnum.const(0b1010).union(Tnum.const(0b0101)) == Tnum(0, 0b1111)
    assert Tnum(0, 0xFF0).bswap(16) == Tnum(0, 0xF00F)
    assert Tnum(0x8000_0000, 0x1).arshift(4, 32) == Tnum(0xF800_0000, 0)
    assert Tnum(1 << 63, 0).arshift(63) == Tnum.const(U64)
    assert str(Tnum(0, 0xFF)) == "(0x0; 0xff)"
    assert Tnum(0b10, 0b1).sbin().endswith("1x")
    assert Tnum(0, 0xF).is_aligned(1) and not Tnum(0, 0xF).is_aligned(2)
    assert Tnum(0, 0xFF).contains(Tnum(0x10, 0x3)) and not Tnum(0, 0xF).contains(Tnum(0, 0x10))


def test_tnum_mul_is_the_618_algorithm() -> None:
    # 6.18 adds the union of "nothing" and "b" for an unknown bit of a: x * 3 for x in {0, 1}
    assert Tnum(0, 1).mul(Tnum.const(3)) == Tnum(0, 3)
    # the pre-6.18 algorithm gave (0; 0x7) for {0,1,2,3} * 3 ({0,3,6,9}): 6.18 gives (0; 0xf)
    assert Tnum(0, 3).mul(Tnum.const(3)) == Tnum(0, 0xF)
    assert Tnum.const(6).mul(Tnum.const(7)) == Tnum.const(42)


def test_tnum_step_kernel_example() -> None:
    t = Tnum(0b0111_0000, 0b1000_0010)  # x11100x0
    assert t.step(241) == 242
    assert t.step(0) == t.value
    assert t.step(U64) == t.max


def test_tnum_subreg_helpers() -> None:
    t = Tnum(0x1_0000_0000, 0xF)
    assert t.subreg() == Tnum(0, 0xF)
    assert t.clear_subreg() == Tnum(0x1_0000_0000, 0)
    assert t.with_subreg(Tnum.const(7)) == Tnum(0x1_0000_0007, 0)
    assert t.const_subreg(9) == Tnum(0x1_0000_0009, 0)
    assert t.cast(1) == Tnum(0, 0xF)


# ---- log text ----

@pytest.mark.parametrize(("s", "text"), [
    (UNK, "scalar()"),
    (Scalar.const(0), "0"),
    (Scalar.const(U64), "-1"),
    (Scalar.const(3840), "3840"),
    (Scalar.const(0x8000), "0x8000"),
    (Scalar.const(-0x8000), "-32768"),
    (Scalar.const(0x1_0000_0000), "0x100000000"),
    (Scalar.const(-0x8001), "0xffffffffffff7fff"),
    (None, "scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))"),
])
def test_log_text(s: Scalar | None, text: str) -> None:
    assert (s if s is not None else u8()).log_text() == text


def test_log_text_ids_precise_and_hex_halves() -> None:
    assert UNK.log_text(id=3) == "scalar(id=3)"
    assert u8().log_text(precise=True).startswith("Pscalar(smin=smin32=0,")
    assert Scalar.const(5).log_text(precise=True) == "P5"
    r = sc.alu(AluOp.ADD, Scalar.from_ranges(umin=0x80, umax=0xC0), Scalar.imm(0x100), True)
    assert r.log_text(id=1, delta=256) == (
        "scalar(id=1+256,smin=umin=smin32=umin32=384,smax=umax=smax32=umax32=448,"
        "var_off=(0x180; 0x7f))")
    r = sc.alu(AluOp.OR, UNK, Scalar.imm(0xE00), True)
    assert r.log_text() == ("scalar(smin=0x8000000000000e00,umin=umin32=3584,smin32=0x80000e00,"
                            "var_off=(0xe00; 0xfffffffffffff1ff))")
    # a negative signed bound never merges with an unsigned one
    neg = sc.neg(sc.alu(AluOp.AND, UNK, Scalar.imm(0xFF0), True), True)
    assert neg.log_text() == ("scalar(smin=smin32=-4080,smax=smax32=0,umax=0xfffffffffffffff0,"
                              "umax32=0xfffffff0,var_off=(0x0; 0xfffffffffffffff0))")


# ---- ALU ----

def test_alu_and_or_tnum_step_single_value() -> None:
    r = sc.alu(AluOp.OR, UNK, Scalar.imm(0xE00), True)
    r = sc.alu(AluOp.AND, r, Scalar.imm(0xF00), True)
    assert (r.umin, r.umax, r.var_off) == (0xE00, 0xF00, Tnum(0xE00, 0x100))
    # fall-through of "== 0xe00": the range [0xe01, 0xf00] meets the tnum only in 0xf00
    _, _, fall, _ = sc.refine(JmpOp.JEQ, r, Scalar.imm(0xE00), False)
    assert fall == Scalar.const(0xF00)


def test_add_sub_wrapping() -> None:
    a = Scalar.from_ranges(umin=U64 - 127, umax=U64 - 63)
    r = sc.alu(AluOp.ADD, a, Scalar.imm(0x100), True)  # every sum wraps: still a range
    assert (r.umin, r.umax) == (0x80, 0xC0)
    r = sc.alu(AluOp.ADD, Scalar.from_ranges(umin=U64 - 1, umax=U64), Scalar.imm(1), True)
    assert (r.umin, r.umax) == (0, U64)  # some wrap, some not
    r = sc.alu(AluOp.SUB, Scalar.from_ranges(umin=0x100, umax=0x1FF), Scalar.imm(0x200), True)
    assert (r.umin, r.umax, r.smin, r.smax) == (U64 - 0xFF, U64, -256, -1)


def test_mul_signed_products() -> None:
    a = Scalar.from_ranges(smin=-3, smax=5)
    r = sc.alu(AluOp.MUL, a, Scalar.imm(7), True)
    assert (r.smin, r.smax, r.s32_min, r.s32_max) == (-21, 35, -21, 35)
    # the product bounds overflow (unbounded); the tnum still says "multiple of 2**30"
    r = sc.alu(AluOp.MUL, Scalar.from_ranges(umin=0, umax=1 << 40), Scalar.imm(1 << 30), True)
    assert (r.umin, r.umax, r.var_off) == (0, U64 - (1 << 30) + 1, Tnum(0, U64 - (1 << 30) + 1))


def test_div_mod_and_bad_shifts_unknown() -> None:
    for op in (AluOp.DIV, AluOp.MOD):
        assert sc.alu(op, Scalar.const(10), Scalar.imm(3), True) is UNK
        assert sc.alu(op, u8(), Scalar.imm(3), False) is UNK  # not even zero-extended
    assert sc.alu(AluOp.LSH, u8(), Scalar.imm(64), True) is UNK
    assert sc.alu(AluOp.LSH, u8(), u8(), True) is UNK
    assert sc.alu(AluOp.LSH, u8(), Scalar.const(0xFFFF_FFFF_0000_0003), False) is UNK


def test_shifts() -> None:
    r = sc.alu(AluOp.LSH, u8(), Scalar.imm(4), True)
    assert (r.umin, r.umax, r.var_off) == (0, 0xFF0, Tnum(0, 0xFF0))
    r = sc.alu(AluOp.RSH, u8(), Scalar.imm(4), False)
    assert (r.umax, r.var_off) == (0xF, Tnum(0, 0xF))
    # "<<32 s>>32" sign extension keeps the s32 bounds
    w = sc.alu(AluOp.ADD, Scalar.from_ranges(smin=0, smax=10, umax=10), Scalar.imm(-5), False)
    r = sc.alu(AluOp.LSH, w, Scalar.imm(32), True)
    r = sc.alu(AluOp.ARSH, r, Scalar.imm(32), True)
    assert (r.smin, r.smax) == (-5, 5)


def test_alu32_zero_extends() -> None:
    r = sc.alu(AluOp.ADD, Scalar.const(U64), Scalar.imm(2), False)
    assert r == Scalar.const(1)
    r = sc.neg(Scalar.const(1), False)
    assert r == Scalar.const(U32)


def test_split_neg1_zero() -> None:
    a = Scalar.from_ranges(smin=-1, smax=0)
    split = sc.split_neg1_zero(a)
    assert split == (Scalar.const(U64), Scalar.const(0))
    assert sc.split_neg1_zero(u8()) is None
    w = Scalar.from_ranges(s32_min=-1, s32_max=0)
    split = sc.split_neg1_zero(w)
    assert split is not None
    assert split[0].is_const32() and split[0].value & U32 == U32
    assert split[1].value & U32 == 0 and not split[1].is_const()


def test_end() -> None:
    x = sc.alu(AluOp.AND, UNK, Scalar.imm(0xFF0), True)
    assert sc.bswap(x, 16, alu64=True).var_off == Tnum(0, 0xF00F)
    assert sc.bswap(Scalar.const(0x1122_3344_5566_7788), 64, alu64=True) == \
        Scalar.const(0x8877_6655_4433_2211)
    assert sc.bswap(Scalar.const(0x1122_3344_5566_7788), 16, alu64=False) == Scalar.const(0x7788)
    assert sc.bswap(Scalar.const(0x1122_3344_5566_7788), 32, alu64=False, to_be=True) == \
        Scalar.const(0x8877_6655)
    assert sc.bswap(UNK, 64, alu64=False) == UNK  # le64 on a little-endian host


def test_movsx() -> None:
    assert sc.movsx(Scalar.const(0x80), 8, True) == Scalar.const(-128)
    assert sc.movsx(Scalar.const(0x80), 8, False) == Scalar.const(0xFFFF_FF80)
    r = sc.movsx(sc.alu(AluOp.AND, UNK, Scalar.imm(0x1FF), True), 8, True)
    assert (r.smin, r.smax, r.umin, r.umax) == (-128, 127, 0, U64)
    # 6.18: the result is the low half read as s32 when that fits the narrow type
    r = sc.movsx(Scalar.from_ranges(smin=-32, smax=95), 8, True)
    assert r.log_text() == "scalar(smin=smin32=-32,smax=smax32=95)"
    r = sc.movsx(Scalar.from_ranges(umin=0, umax=0xFFFF_FFFE), 32, True)
    assert r.log_text() == ("scalar(smin=0xffffffff80000000,smax=0x7fffffff,"
                            "umax=0xfffffffffffffffe,umax32=0xfffffffe)")
    r = sc.movsx(sc.mov(UNK, alu64=False), 8, False)
    assert (r.s32_min, r.s32_max, r.umax) == (-128, 127, U32)


def test_coerce_to_size() -> None:
    r = sc.coerce_to_size(Scalar.from_ranges(umin=0x1_0000_0010, umax=0x1_0000_0020), 4)
    assert (r.umin, r.umax) == (0x10, 0x20)
    r = sc.coerce_to_size(Scalar.from_ranges(umin=0xF0, umax=0x110), 1)
    assert (r.umin, r.umax) == (0, 0xFF)


# ---- branches ----

@pytest.mark.parametrize(("op", "k", "want"), [
    (JmpOp.JGT, 255, False), (JmpOp.JGT, 254, None), (JmpOp.JLE, 255, True),
    (JmpOp.JEQ, 256, False), (JmpOp.JNE, 256, True), (JmpOp.JSET, 0x100, False),
    (JmpOp.JSLT, 0, False), (JmpOp.JSGE, 0, True), (JmpOp.JSET, 0x1, None),
])
def test_branch_taken_u8(op: int, k: int, want: bool | None) -> None:
    assert sc.branch_taken(op, u8(), Scalar.imm(k), False) is want


def test_branch_taken_tnum_overlap_and_32bit() -> None:
    even = sc.alu(AluOp.AND, UNK, Scalar.imm(0xFE), True)
    assert sc.branch_taken(JmpOp.JEQ, even, Scalar.imm(3), False) is False
    hi = Scalar.from_ranges(umin=0x1_0000_0000, umax=0x1_0000_00FF)
    assert sc.branch_taken(JmpOp.JLT, hi, Scalar.imm(0x100), True) is True
    assert sc.branch_taken(JmpOp.JLT, hi, Scalar.imm(0x100), False) is False


def test_refine_ranges() -> None:
    t1, t2, f1, f2 = sc.refine(JmpOp.JGT, u8(), Scalar.imm(10), False)
    assert (t1.umin, t1.umax, f1.umin, f1.umax) == (11, 255, 0, 10)
    assert f1.var_off == Tnum(0, 0xF) and t2 == Scalar.const(10) == f2
    t1, _, f1, _ = sc.refine(JmpOp.JSLT, UNK, Scalar.imm(0), True)
    assert (t1.s32_min, t1.s32_max, f1.s32_min, f1.s32_max) == (S32_MIN, -1, 0, S32_MAX)
    # a negative low half rules out the 64-bit values whose low half is non-negative
    assert (t1.smin, t1.smax) == (S64_MIN + 0x8000_0000, S64_MAX)


def test_refine_jne_edges_and_jeq_tnum() -> None:
    _, _, f1, _ = sc.refine(JmpOp.JEQ, u8(), Scalar.imm(0), False)
    assert (f1.umin, f1.umax) == (1, 255)
    t1, _, _, _ = sc.refine(JmpOp.JEQ, u8(), Scalar.imm(7), False)
    assert t1 == Scalar.const(7)
    a = sc.alu(AluOp.AND, UNK, Scalar.imm(0xF0), True)
    b = sc.alu(AluOp.AND, UNK, Scalar.imm(0x3C), True)
    t1, t2, _, _ = sc.refine(JmpOp.JEQ, a, b, False)
    assert t1.var_off == t2.var_off == Tnum(0, 0x30)


def test_refine_jset() -> None:
    t1, _, f1, _ = sc.refine(JmpOp.JSET, u8(), Scalar.imm(0x10), False)
    assert t1.var_off == Tnum(0x10, 0xEF) and f1.var_off == Tnum(0, 0xEF)
    t1, _, f1, _ = sc.refine(JmpOp.JSET, u8(), Scalar.imm(0x3), False)
    assert t1 == u8()  # more than one bit: nothing learnt when taken
    assert f1.var_off == Tnum(0, 0xFC)


def test_refine_same_register_aliases() -> None:
    taken, fall = sc.refine_same(JmpOp.JGT, UNK, False)
    assert (taken.umin, taken.umax) == (1, U64 - 1)
    assert fall == UNK


def test_sanity_check_resets_bounds() -> None:
    bad = Scalar.make(umin=5, umax=4)
    s, msg = sc.sanity_check(bad, "true_reg1")
    assert msg == ("REG INVARIANTS VIOLATION (true_reg1): range bounds violation u64=[0x5, 0x4] "
                   "s64=[0x8000000000000000, 0x7fffffffffffffff] u32=[0x0, 0xffffffff] "
                   "s32=[0x80000000, 0x7fffffff] var_off=(0x0, 0xffffffffffffffff)")
    assert s == UNK
    assert sc.sanity_check(u8(), "alu") == (u8(), None)
    s, msg = sc.sanity_check(Scalar.make(var_off=Tnum.const(3)), "x")
    assert msg is not None and "const tnum out of sync" in msg
    assert s.var_off == Tnum.const(3) and s.umax == U64


def test_immutable_and_hashable() -> None:
    s = u8()
    with pytest.raises(AttributeError):
        s.umin = 3  # type: ignore[misc, unused-ignore]
    assert hash(s) == hash(u8()) and s == u8() and s != UNK
    assert s.contains(200) and not s.contains(256)
    assert Scalar.imm(-1) == Scalar.const(U64)
    assert Scalar.from_ranges(smin=0, smax=S32_MAX).u32_max == S32_MAX
    assert not UNK.is_const() and Scalar.const(1).is_const()
