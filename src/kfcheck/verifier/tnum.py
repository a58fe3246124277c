"""Tracked numbers (tnums): which bits of a 64-bit value are known, as the Linux verifier has them.

A tnum is a pair ``(value, mask)`` of unsigned 64-bit integers with ``value & mask == 0``: a bit
set in ``mask`` is unknown, any other bit is known to equal the same bit of ``value``. The set
of integers a tnum stands for is ``{value | s for s a submask of mask}``.

The operations follow Linux 6.18's ``kernel/bpf/tnum.c`` (including what 6.18's stable updates
added: ``tnum_neg``, ``tnum_union``, the byte swaps and ``tnum_step``). They come in two forms:

- functions on plain ints (``t_add(av, am, bv, bm) -> (value, mask)``), used by the scalar domain
  on its hot paths so that no object is built per operation;
- the immutable ``Tnum`` value with the same operations as methods, for everything else.
"""

from __future__ import annotations

from typing import NamedTuple

U64 = 0xFFFF_FFFF_FFFF_FFFF
U32 = 0xFFFF_FFFF
S64_SIGN = 1 << 63
S32_SIGN = 1 << 31

Pair = tuple[int, int]


# ---- int-level operations (value, mask pairs; all results masked to 64 bits) ----

def t_range(lo: int, hi: int) -> Pair:
    """The smallest tnum holding every u64 in ``[lo, hi]`` (and possibly more): the common
    high bits of ``lo`` and ``hi`` are known, everything from their highest differing bit down
    is unknown."""
    bits = (lo ^ hi).bit_length()
    if bits > 63:
        return 0, U64
    delta = (1 << bits) - 1
    return lo & ~delta, delta


def t_add(av: int, am: int, bv: int, bm: int) -> Pair:
    sv = (av + bv) & U64
    sigma = (am + bm + sv) & U64
    mu = (sigma ^ sv) | am | bm
    return sv & ~mu, mu


def t_sub(av: int, am: int, bv: int, bm: int) -> Pair:
    dv = (av - bv) & U64
    alpha = (dv + am) & U64
    beta = (dv - bm) & U64
    mu = (alpha ^ beta) | am | bm
    return dv & ~mu, mu


def t_neg(av: int, am: int) -> Pair:
    return t_sub(0, 0, av, am)


def t_and(av: int, am: int, bv: int, bm: int) -> Pair:
    v = av & bv
    return v, (av | am) & (bv | bm) & ~v


def t_or(av: int, am: int, bv: int, bm: int) -> Pair:
    v = av | bv
    return v, (am | bm) & ~v


def t_xor(av: int, am: int, bv: int, bm: int) -> Pair:
    mu = am | bm
    return (av ^ bv) & ~mu, mu


def t_union(av: int, am: int, bv: int, bm: int) -> Pair:
    """A tnum holding every member of both: bits the two disagree on become unknown."""
    mu = (av ^ bv) | am | bm
    return av & bv & ~mu, mu


def t_intersect(av: int, am: int, bv: int, bm: int) -> Pair:
    """Members of both. Where one has a known 1 and the other a known 0 the kernel's result
    has a known 1 (the two are disjoint then; callers only intersect overlapping tnums)."""
    mu = am & bm
    return (av | bv) & ~mu, mu


def t_mul(av: int, am: int, bv: int, bm: int) -> Pair:
    """Long multiplication over the trits of ``a`` (6.18's algorithm): a known 1 adds ``b``,
    an unknown bit adds the union of "add nothing" and "add b"."""
    accv = accm = 0
    while av or am:
        if av & 1:
            accv, accm = t_add(accv, accm, bv, bm)
        elif am & 1:
            sv, sm = t_add(accv, accm, bv, bm)
            mu = (accv ^ sv) | accm | sm
            accv, accm = accv & sv & ~mu, mu
        av >>= 1
        am >>= 1
        bv = (bv << 1) & U64
        bm = (bm << 1) & U64
    return accv, accm


def t_lshift(av: int, am: int, shift: int) -> Pair:
    return (av << shift) & U64, (am << shift) & U64


def t_rshift(av: int, am: int, shift: int) -> Pair:
    return av >> shift, am >> shift


def _sx64(x: int) -> int:
    return x - (1 << 64) if x & S64_SIGN else x


def _sx32(x: int) -> int:
    x &= U32
    return x - (1 << 32) if x & S32_SIGN else x


def t_arshift(av: int, am: int, shift: int, bits: int) -> Pair:
    """Arithmetic shift right by ``shift`` of a 64-bit (``bits`` 64) or 32-bit value; the
    32-bit form works on the low half and returns it zero-extended."""
    if bits == 32:
        return (_sx32(av) >> shift) & U32, (_sx32(am) >> shift) & U32
    return (_sx64(av) >> shift) & U64, (_sx64(am) >> shift) & U64


def t_cast(av: int, am: int, size: int) -> Pair:
    """Keep the low ``size`` bytes."""
    keep = (1 << (size * 8)) - 1
    return av & keep, am & keep


def _swab(x: int, nbytes: int) -> int:
    return int.from_bytes(x.to_bytes(nbytes, "little"), "big")


def t_bswap(av: int, am: int, bits: int) -> Pair:
    """Reverse the low ``bits`` (16, 32, 64) bits' bytes; the bits above are cleared."""
    n = bits // 8
    keep = (1 << bits) - 1
    return _swab(av & keep, n), _swab(am & keep, n)


def t_overlap(av: int, am: int, bv: int, bm: int) -> bool:
    """True if the known bits of both agree, i.e. the two may share a member."""
    mu = ~am & ~bm
    return (av & mu) == (bv & mu)


def t_in(av: int, am: int, bv: int, bm: int) -> bool:
    """True if every member of ``b`` is a member of ``a``."""
    if bm & ~am:
        return False
    return av == (bv & ~am)


def t_step(tv: int, tm: int, z: int) -> int:
    """The smallest member of the tnum greater than ``z``: its largest member if ``z`` is at
    or above it, its smallest if ``z`` is below that (the kernel's ``tnum_step``)."""
    tmax = tv | tm
    if z >= tmax:
        return tmax
    if z < tv:
        return tv
    d = z - tv
    carry = (1 << (d & ~tm).bit_length()) - 1
    filled = (d | carry | (~tm & U64)) & U64
    return tv | (((filled + 1) & U64) & tm)


# ---- the value ----

class Tnum(NamedTuple):
    """An immutable tnum; build it with ``Tnum.const``, ``Tnum.range``, ``Tnum.unknown`` or
    ``Tnum(value, mask)`` with ``value & mask == 0``."""

    value: int
    mask: int

    @staticmethod
    def const(value: int) -> Tnum:
        return Tnum(value & U64, 0)

    @staticmethod
    def range(lo: int, hi: int) -> Tnum:
        return Tnum(*t_range(lo & U64, hi & U64))

    @staticmethod
    def unknown() -> Tnum:
        return UNKNOWN

    # queries
    def is_const(self) -> bool:
        return self.mask == 0

    def equals_const(self, value: int) -> bool:
        return self.mask == 0 and self.value == value & U64

    def is_unknown(self) -> bool:
        return self.mask == U64

    def is_aligned(self, size: int) -> bool:
        """Known to be a multiple of ``size`` (a power of two; 0 means no constraint)."""
        if not size:
            return True
        return not ((self.value | self.mask) & (size - 1))

    def contains(self, other: Tnum) -> bool:
        """The kernel's ``tnum_in(self, other)``: every member of ``other`` is one of ours."""
        return t_in(self.value, self.mask, other.value, other.mask)

    def has(self, x: int) -> bool:
        """``x`` (taken as u64) is a member."""
        return (x & U64 & ~self.mask) == self.value

    def overlap(self, other: Tnum) -> bool:
        return t_overlap(self.value, self.mask, other.value, other.mask)

    def subreg_is_const(self) -> bool:
        return not (self.mask & U32)

    @property
    def min(self) -> int:
        return self.value

    @property
    def max(self) -> int:
        return self.value | self.mask

    def step(self, z: int) -> int:
        return t_step(self.value, self.mask, z & U64)

    # arithmetic
    def add(self, o: Tnum) -> Tnum:
        return Tnum(*t_add(self.value, self.mask, o.value, o.mask))

    def sub(self, o: Tnum) -> Tnum:
        return Tnum(*t_sub(self.value, self.mask, o.value, o.mask))

    def neg(self) -> Tnum:
        return Tnum(*t_neg(self.value, self.mask))

    def and_(self, o: Tnum) -> Tnum:
        return Tnum(*t_and(self.value, self.mask, o.value, o.mask))

    def or_(self, o: Tnum) -> Tnum:
        return Tnum(*t_or(self.value, self.mask, o.value, o.mask))

    def xor(self, o: Tnum) -> Tnum:
        return Tnum(*t_xor(self.value, self.mask, o.value, o.mask))

    def mul(self, o: Tnum) -> Tnum:
        return Tnum(*t_mul(self.value, self.mask, o.value, o.mask))

    def lshift(self, shift: int) -> Tnum:
        return Tnum(*t_lshift(self.value, self.mask, shift))

    def rshift(self, shift: int) -> Tnum:
        return Tnum(*t_rshift(self.value, self.mask, shift))

    def arshift(self, shift: int, bits: int = 64) -> Tnum:
        return Tnum(*t_arshift(self.value, self.mask, shift, bits))

    def intersect(self, o: Tnum) -> Tnum:
        return Tnum(*t_intersect(self.value, self.mask, o.value, o.mask))

    def union(self, o: Tnum) -> Tnum:
        return Tnum(*t_union(self.value, self.mask, o.value, o.mask))

    def cast(self, size: int) -> Tnum:
        return Tnum(*t_cast(self.value, self.mask, size))

    def bswap(self, bits: int) -> Tnum:
        return Tnum(*t_bswap(self.value, self.mask, bits))

    # 32-bit subregister
    def subreg(self) -> Tnum:
        return Tnum(self.value & U32, self.mask & U32)

    def clear_subreg(self) -> Tnum:
        return Tnum(self.value & ~U32 & U64, self.mask & ~U32 & U64)

    def with_subreg(self, sub: Tnum) -> Tnum:
        """Our high half with ``sub``'s low half."""
        return Tnum((self.value & ~U32 & U64) | (sub.value & U32),
                    (self.mask & ~U32 & U64) | (sub.mask & U32))

    def const_subreg(self, value: int) -> Tnum:
        return Tnum((self.value & ~U32 & U64) | (value & U32), self.mask & ~U32 & U64)

    # text
    def __str__(self) -> str:
        """As the verifier log prints a ``var_off``: ``(0x0; 0xff)``."""
        return f"({self.value:#x}; {self.mask:#x})"

    def sbin(self) -> str:
        """64 trits, most significant first: ``0``, ``1`` or ``x``."""
        return "".join("x" if (self.mask >> i) & 1 else "1" if (self.value >> i) & 1 else "0"
                       for i in range(63, -1, -1))


UNKNOWN = Tnum(0, U64)
