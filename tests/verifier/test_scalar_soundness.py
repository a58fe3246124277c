"""Soundness of the scalar domain: concrete results stay inside the abstract ones.

For members ``x`` of ``a`` and ``y`` of ``b``, the concrete ``x op y`` (BPF semantics) must be a
member of ``alu(op, a, b)``; a refined branch must keep every pair that takes it; a predicted
branch must agree with every pair.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from scalar_strategies import scalar_with_members, tnum_with_members, u64s

from kfcheck.isa.opcodes import AluOp, JmpOp
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.scalar import Scalar, sx, sx32, sx64
from kfcheck.verifier.tnum import U32, U64, Tnum

SETTINGS = settings(max_examples=400, deadline=None)


def concrete_alu(op: int, x: int, y: int, alu64: bool) -> int | None:
    """``x op y`` as BPF computes it (None: an op the domain does not track precisely)."""
    if not alu64:
        x &= U32
        y &= U32
    bits = 64 if alu64 else 32
    m = (1 << bits) - 1
    if op == AluOp.ADD:
        r = x + y
    elif op == AluOp.SUB:
        r = x - y
    elif op == AluOp.MUL:
        r = x * y
    elif op == AluOp.AND:
        r = x & y
    elif op == AluOp.OR:
        r = x | y
    elif op == AluOp.XOR:
        r = x ^ y
    elif op == AluOp.LSH:
        r = x << (y & (bits - 1))
    elif op == AluOp.RSH:
        r = x >> (y & (bits - 1))
    elif op == AluOp.ARSH:
        r = sx(x, bits) >> (y & (bits - 1))
    else:
        return None
    return r & m


def concrete_cond(op: int, x: int, y: int, is32: bool) -> bool:
    if is32:
        x &= U32
        y &= U32
        sxx, syy = sx32(x), sx32(y)
    else:
        sxx, syy = sx64(x), sx64(y)
    return {
        JmpOp.JEQ: x == y, JmpOp.JNE: x != y, JmpOp.JSET: bool(x & y),
        JmpOp.JGT: x > y, JmpOp.JGE: x >= y, JmpOp.JLT: x < y, JmpOp.JLE: x <= y,
        JmpOp.JSGT: sxx > syy, JmpOp.JSGE: sxx >= syy, JmpOp.JSLT: sxx < syy,
        JmpOp.JSLE: sxx <= syy,
    }[JmpOp(op)]


ALU = sorted(sc.ALU_OPS)
JMP = sorted(sc.JMP_OPS)


@SETTINGS
@given(scalar_with_members())
def test_sync_keeps_members(am: tuple[Scalar, list[int]]) -> None:
    a, xs = am
    for x in xs:
        assert a.contains(x)
        assert a.sync().contains(x)
    assert a.invariant_violation("t") is None


@SETTINGS
@given(st.sampled_from(ALU), st.booleans(), scalar_with_members(), scalar_with_members(),
       st.one_of(st.none(), st.integers(0, 63)))
def test_alu_sound(op: int, alu64: bool, am: tuple[Scalar, list[int]],
                   bm: tuple[Scalar, list[int]], shift: int | None) -> None:
    a, xs = am
    b, ys = bm
    if shift is not None and op in (AluOp.LSH, AluOp.RSH, AluOp.ARSH):
        b, ys = Scalar.const(shift), [shift]
    r = sc.alu(op, a, b, alu64)
    for x in xs:
        for y in ys:
            c = concrete_alu(op, x, y, alu64)
            if c is None:
                assert r.is_unknown()
            else:
                assert r.contains(c), (hex(x), hex(y), hex(c), r)


@SETTINGS
@given(st.sampled_from([AluOp.AND, AluOp.OR]), st.booleans(), scalar_with_members(),
       u64s)
def test_fork_then_alu_sound(op: int, alu64: bool, am: tuple[Scalar, list[int]],
                             k: int) -> None:
    a, xs = am
    split = sc.split_neg1_zero(a)
    parts = [a] if split is None else list(split)
    b = Scalar.const(k)
    for x in xs:
        c = concrete_alu(op, x, k, alu64)
        assert c is not None
        assert any(p.contains(x) and sc.alu(op, p, b, alu64).contains(c) for p in parts)


@SETTINGS
@given(st.booleans(), scalar_with_members())
def test_neg_sound(alu64: bool, am: tuple[Scalar, list[int]]) -> None:
    a, xs = am
    r = sc.neg(a, alu64)
    for x in xs:
        assert r.contains((-x) & (U64 if alu64 else U32))


def _swab(x: int, bits: int) -> int:
    n = bits // 8
    return int.from_bytes((x & ((1 << bits) - 1)).to_bytes(n, "little"), "big")


@SETTINGS
@given(st.sampled_from([16, 32, 64]), st.sampled_from(["bswap", "be", "le"]),
       scalar_with_members())
def test_end_sound(bits: int, how: str, am: tuple[Scalar, list[int]]) -> None:
    a, xs = am
    r = sc.bswap(a, bits, alu64=how == "bswap", to_be=how == "be")
    for x in xs:
        c = x & ((1 << bits) - 1) if how == "le" else _swab(x, bits)
        assert r.contains(c)


@SETTINGS
@given(st.booleans(), st.sampled_from([8, 16, 32]), scalar_with_members())
def test_movsx_and_mov_sound(alu64: bool, bits: int, am: tuple[Scalar, list[int]]) -> None:
    a, xs = am
    if not alu64 and bits == 32:
        r = sc.mov(a, alu64=False)
        for x in xs:
            assert r.contains(x & U32)
        return
    r = sc.movsx(a, bits, alu64)
    for x in xs:
        c = sx(x, bits) & (U64 if alu64 else U32)
        assert r.contains(c), (hex(x), hex(c), a, r)


@SETTINGS
@given(st.sampled_from([1, 2, 4]), scalar_with_members())
def test_coerce_sound(size: int, am: tuple[Scalar, list[int]]) -> None:
    a, xs = am
    r = sc.coerce_to_size(a, size)
    rs = sc.coerce_to_size_sx(a, size)
    for x in xs:
        assert r.contains(x & ((1 << (size * 8)) - 1))
        assert rs.contains(sx(x, size * 8) & U64)


@SETTINGS
@given(st.sampled_from(JMP), st.booleans(), scalar_with_members(), scalar_with_members(),
       st.booleans())
def test_branches_sound(op: int, is32: bool, am: tuple[Scalar, list[int]],
                        bm: tuple[Scalar, list[int]], imm: bool) -> None:
    a, xs = am
    b, ys = bm
    if imm:
        b = Scalar.imm(ys[0] & U32)
        ys = [b.value]
    pred = sc.branch_taken(op, a, b, is32)
    t1, t2, f1, f2 = sc.refine(op, a, b, is32)
    for x in xs:
        for y in ys:
            cond = concrete_cond(op, x, y, is32)
            if pred is not None:
                assert cond == pred, (hex(x), hex(y))
                continue
            if cond:
                assert t1.contains(x) and t2.contains(y), (hex(x), hex(y), t1, t2)
            else:
                assert f1.contains(x) and f2.contains(y), (hex(x), hex(y), f1, f2)


@SETTINGS
@given(st.sampled_from(JMP), st.booleans(), scalar_with_members())
def test_same_register_branches_sound(op: int, is32: bool,
                                      am: tuple[Scalar, list[int]]) -> None:
    a, xs = am
    taken, fall = sc.refine_same(op, a, is32)
    for x in xs:
        if concrete_cond(op, x, x, is32):
            assert taken.contains(x)
        else:
            assert fall.contains(x)


# ---- tnum ----

TNUM_BINARY = {
    "add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
    "and_": lambda x, y: x & y, "or_": lambda x, y: x | y, "xor": lambda x, y: x ^ y,
}


@SETTINGS
@given(st.sampled_from(sorted(TNUM_BINARY)), tnum_with_members(), tnum_with_members())
def test_tnum_binary_sound(name: str, am: tuple[Tnum, list[int]],
                           bm: tuple[Tnum, list[int]]) -> None:
    a, xs = am
    b, ys = bm
    r = getattr(a, name)(b)
    assert r.value & r.mask == 0
    for x in xs:
        for y in ys:
            assert r.has(TNUM_BINARY[name](x, y) & U64)


@SETTINGS
@given(tnum_with_members(), tnum_with_members(), st.integers(0, 63))
def test_tnum_unary_and_sets(am: tuple[Tnum, list[int]], bm: tuple[Tnum, list[int]],
                             k: int) -> None:
    a, xs = am
    b, ys = bm
    for x in xs:
        assert a.has(x)
        assert a.neg().has(-x & U64)
        assert a.lshift(k).has((x << k) & U64)
        assert a.rshift(k).has(x >> k)
        assert a.arshift(k).has((sx64(x) >> k) & U64)
        assert a.arshift(k & 31, 32).has((sx32(x) >> (k & 31)) & U32)
        assert a.union(b).has(x)
        assert a.cast(2).has(x & 0xFFFF)
        assert a.bswap(32).has(_swab(x, 32))
        assert a.subreg().has(x & U32)
        assert a.contains(Tnum.const(x))
        if b.has(x):
            assert a.intersect(b).has(x)
            assert a.overlap(b)
    for y in ys:
        assert a.union(b).has(y)


@SETTINGS
@given(tnum_with_members(), u64s)
def test_tnum_step(am: tuple[Tnum, list[int]], z: int) -> None:
    t, _ = am
    r = t.step(z)
    assert t.has(r)
    if z < t.max:
        assert r > z
        # nothing in t strictly between z and r: check a few candidates below r
        for c in (r - 1, r - 2, z + 1):
            if z < c < r:
                assert not t.has(c)
    else:
        assert r == t.max


@SETTINGS
@given(u64s, u64s)
def test_tnum_range_holds_range(lo: int, hi: int) -> None:
    if lo > hi:
        lo, hi = hi, lo
    t = Tnum.range(lo, hi)
    for x in (lo, hi, (lo + hi) // 2):
        assert t.has(x)
