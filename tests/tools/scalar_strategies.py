"""Hypothesis strategies for the scalar domain: abstract values together with members."""

from __future__ import annotations

from hypothesis import strategies as st

from kfcheck.verifier.scalar import Scalar, sx32, sx64
from kfcheck.verifier.tnum import U32, U64, Tnum

_interesting = st.sampled_from([0, 1, 2, 7, 0xFF, 0x100, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
                                1 << 32, (1 << 63) - 1, 1 << 63, U64 - 1, U64])
u64s = st.one_of(st.integers(0, U64), _interesting, st.integers(0, 0x1FF),
                 st.integers(0, 0xFFFF_FFFF), st.integers(U64 - 0x1FF, U64))


@st.composite
def scalar_with_members(draw: st.DrawFn, n: int = 3) -> tuple[Scalar, list[int]]:
    """An abstract value (bounds drawn around ``n`` members, then synced) and its members."""
    xs = [draw(u64s) for _ in range(n)]
    if draw(st.booleans()):
        return Scalar.const(xs[0]), [xs[0]]
    union = 0
    for x in xs:
        union |= x ^ xs[0]
    mask = union | draw(st.integers(0, U64)) & draw(st.integers(0, U64))
    if draw(st.integers(0, 4)) == 0:
        mask = U64
    var_off = Tnum(xs[0] & ~mask, mask)
    us = sorted(xs)
    ss = sorted(sx64(x) for x in xs)
    u32s = sorted(x & U32 for x in xs)
    s32s = sorted(sx32(x) for x in xs)

    def widen_lo(lo: int, floor: int) -> int:
        return lo if draw(st.booleans()) else draw(st.integers(floor, lo))

    def widen_hi(hi: int, ceil: int) -> int:
        return hi if draw(st.booleans()) else draw(st.integers(hi, ceil))

    full = draw(st.integers(0, 3)) == 0
    s = Scalar.from_ranges(
        var_off,
        smin=-(1 << 63) if full else widen_lo(ss[0], -(1 << 63)),
        smax=(1 << 63) - 1 if full else widen_hi(ss[-1], (1 << 63) - 1),
        umin=0 if full else widen_lo(us[0], 0),
        umax=U64 if full else widen_hi(us[-1], U64),
        s32_min=widen_lo(s32s[0], -(1 << 31)),
        s32_max=widen_hi(s32s[-1], (1 << 31) - 1),
        u32_min=widen_lo(u32s[0], 0),
        u32_max=widen_hi(u32s[-1], U32),
    )
    return s, xs


@st.composite
def tnum_with_members(draw: st.DrawFn) -> tuple[Tnum, list[int]]:
    x = draw(u64s)
    mask = draw(st.one_of(st.integers(0, U64), st.integers(0, 0xFF), st.just(0),
                          st.just(U64)))
    t = Tnum(x & ~mask, mask)
    others = [(x & ~mask) | (draw(st.integers(0, U64)) & mask) for _ in range(2)]
    return t, [x, *others]
