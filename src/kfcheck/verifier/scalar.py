"""The verifier's scalar domain: what the Linux 6.18 verifier knows about a scalar register.

A ``Scalar`` is a tnum (``value``/``mask``: the known bits) plus four pairs of bounds, signed
and unsigned, over the whole 64-bit value and over its low 32 bits, exactly the scalar part of
the kernel's ``struct bpf_reg_state``. Every function here mirrors the kernel's (named in its
docstring), so results and log text can be compared with the kernel's verifier log:

- ``Scalar.unknown()``, ``Scalar.const(v)``, ``Scalar.imm(imm32)``, ``Scalar.from_ranges(...)``;
- ``sync()``: ``reg_bounds_sync`` (bounds from bits, bounds from each other, bits from bounds);
- ``alu(op, dst, src, alu64)``: ``adjust_scalar_min_max_vals`` for ADD SUB MUL DIV MOD AND OR
  XOR LSH RSH ARSH; ``neg``, ``bswap`` (``BPF_END``), ``mov``, ``movsx``, ``coerce_to_size``,
  ``coerce_to_size_sx``, ``zext_32_to_64``, ``split_neg1_zero`` (``maybe_fork_scalars``);
- ``branch_taken(op, a, b, is32)`` (``is_scalar_branch_taken``) and ``refine(op, a, b, is32)``
  (``reg_set_min_max`` on two scalars: ``regs_refine_cond_op`` + ``reg_bounds_sync`` for the
  jump and the fall-through branch), ``refine_same`` for ``if rX op rX``;
- ``sanity_check(s, ctx)``: ``reg_bounds_sanity_check`` (message, reset bounds);
- ``log_text(...)``: the register as ``print_reg_state`` prints a scalar (``scalar(...)``, ``-1``).

Values are plain ints: unsigned fields in ``[0, 2**64)`` / ``[0, 2**32)``, signed fields in
the signed ranges. ``Scalar`` is immutable; the functions build each result by filling in one
fresh object (the private mutable ``_W``, whose class is then switched to ``Scalar``), the way the
kernel updates one ``bpf_reg_state`` in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kfcheck.isa.opcodes import AluOp, JmpOp
from kfcheck.verifier.tnum import (
    U32,
    U64,
    Tnum,
    t_add,
    t_and,
    t_arshift,
    t_bswap,
    t_mul,
    t_neg,
    t_or,
    t_overlap,
    t_range,
    t_step,
    t_sub,
    t_xor,
)
from kfcheck.verifier.tnum import UNKNOWN as TNUM_UNKNOWN

S64_MIN = -(1 << 63)
S64_MAX = (1 << 63) - 1
S32_MIN = -(1 << 31)
S32_MAX = (1 << 31) - 1
HI32 = U64 & ~U32
_SIGN64 = 1 << 63

JSET_FALSE = int(JmpOp.JSET) | 0x08
"""``BPF_JSET | BPF_X``: the kernel's name for "JSET not taken" in ``regs_refine_cond_op``."""


def sx64(x: int) -> int:
    """The u64 ``x`` read as s64."""
    x &= U64
    return x - (1 << 64) if x & _SIGN64 else x


def sx32(x: int) -> int:
    """The low 32 bits of ``x`` read as s32."""
    x &= U32
    return x - (1 << 32) if x & 0x8000_0000 else x


def sx(x: int, bits: int) -> int:
    """The low ``bits`` bits of ``x`` read as a signed number."""
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >> (bits - 1) else x


_FIELDS = ("value", "mask", "smin", "smax", "umin", "umax",
           "s32_min", "s32_max", "u32_min", "u32_max")


class Scalar:
    """An abstract scalar: ``var_off`` (as ``value``/``mask``) and the eight bounds."""

    __slots__ = _FIELDS

    value: int
    mask: int
    smin: int
    smax: int
    umin: int
    umax: int
    s32_min: int
    s32_max: int
    u32_min: int
    u32_max: int

    def __setattr__(self, name: str, val: Any) -> None:
        raise AttributeError(f"Scalar is immutable (setting {name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Scalar is immutable (deleting {name})")

    # ---- constructors ----

    @staticmethod
    def unknown() -> Scalar:
        """``__mark_reg_unknown``: nothing known."""
        return UNKNOWN

    @staticmethod
    def const(v: int) -> Scalar:
        """``__mark_reg_known``: the u64 ``v`` (a negative ``v`` is taken modulo 2**64)."""
        w = _new()
        _mark_known(w, v & U64)
        return _freeze(w)

    @staticmethod
    def imm(imm: int) -> Scalar:
        """An instruction's 32-bit immediate as the verifier sees it: sign-extended to 64 bits
        (``BPF_K`` sources, ``r = imm``)."""
        return Scalar.const(sx32(imm))

    @staticmethod
    def make(var_off: Tnum = TNUM_UNKNOWN, smin: int = S64_MIN, smax: int = S64_MAX,
             umin: int = 0, umax: int = U64, s32_min: int = S32_MIN, s32_max: int = S32_MAX,
             u32_min: int = 0, u32_max: int = U32) -> Scalar:
        """Exactly these fields, nothing deduced (a state as the kernel may hold it)."""
        w = _new()
        w.value, w.mask = var_off.value, var_off.mask
        w.smin, w.smax, w.umin, w.umax = smin, smax, umin, umax
        w.s32_min, w.s32_max, w.u32_min, w.u32_max = s32_min, s32_max, u32_min, u32_max
        return _freeze(w)

    @staticmethod
    def from_ranges(var_off: Tnum = TNUM_UNKNOWN, smin: int = S64_MIN, smax: int = S64_MAX,
                    umin: int = 0, umax: int = U64, s32_min: int = S32_MIN,
                    s32_max: int = S32_MAX, u32_min: int = 0, u32_max: int = U32) -> Scalar:
        """These constraints, then ``reg_bounds_sync`` to deduce what follows from them."""
        w = _thaw(Scalar.make(var_off, smin, smax, umin, umax, s32_min, s32_max, u32_min,
                              u32_max))
        _sync(w)
        return _freeze(w)

    # ---- views ----

    @property
    def var_off(self) -> Tnum:
        return Tnum(self.value, self.mask)

    def is_const(self) -> bool:
        """``tnum_is_const(var_off)``."""
        return self.mask == 0

    def is_const32(self) -> bool:
        """``tnum_subreg_is_const(var_off)``."""
        return not self.mask & U32

    def is_unknown(self) -> bool:
        """Nothing known at all (the ``scalar()`` of the log)."""
        return self == UNKNOWN

    def sync(self) -> Scalar:
        """``reg_bounds_sync``."""
        w = _thaw(self)
        _sync(w)
        return _freeze(w)

    def contains(self, x: int) -> bool:
        """The concrete 64-bit value ``x`` satisfies every constraint."""
        u = x & U64
        s = sx64(u)
        u32 = u & U32
        s32 = sx32(u)
        return ((u & ~self.mask) == self.value and self.umin <= u <= self.umax
                and self.smin <= s <= self.smax and self.u32_min <= u32 <= self.u32_max
                and self.s32_min <= s32 <= self.s32_max)

    def fields(self) -> tuple[int, ...]:
        return (self.value, self.mask, self.smin, self.smax, self.umin, self.umax,
                self.s32_min, self.s32_max, self.u32_min, self.u32_max)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scalar):
            return NotImplemented
        return self.fields() == other.fields()

    def __hash__(self) -> int:
        return hash(self.fields())

    def __repr__(self) -> str:
        return f"Scalar<{self.log_text()}>"

    # ---- checks and text ----

    def invariant_violation(self, ctx: str) -> str | None:
        """``reg_bounds_sanity_check``'s message if the bounds contradict each other or the
        tnum, else None. The kernel prints it as ``verifier bug: `` + message; see
        ``sanity_check`` for what it then does to the register."""
        msg = None
        if (self.umin > self.umax or self.smin > self.smax or self.u32_min > self.u32_max
                or self.s32_min > self.s32_max):
            msg = "range bounds violation"
        elif self.mask == 0 and (self.umin != self.value or self.umax != self.value
                                 or self.smin != sx64(self.value)
                                 or self.smax != sx64(self.value)):
            msg = "const tnum out of sync with range bounds"
        elif not self.mask & U32:
            v32 = self.value & U32
            if (self.u32_min != v32 or self.u32_max != v32 or self.s32_min != sx32(v32)
                    or self.s32_max != sx32(v32)):
                msg = "const subreg tnum out of sync with range bounds"
        if msg is None:
            return None
        return (f"REG INVARIANTS VIOLATION ({ctx}): {msg} u64=[{self.umin:#x}, {self.umax:#x}] "
                f"s64=[{self.smin & U64:#x}, {self.smax & U64:#x}] "
                f"u32=[{self.u32_min:#x}, {self.u32_max:#x}] "
                f"s32=[{self.s32_min & U32:#x}, {self.s32_max & U32:#x}] "
                f"var_off=({self.value:#x}, {self.mask:#x})")

    def log_text(self, *, id: int = 0, delta: int | None = None, precise: bool = False) -> str:
        """``print_reg_state`` for a scalar: ``-1``, ``P3840``, ``scalar()``,
        ``scalar(id=1+256,smin=umin=...,var_off=(0x80; 0x7f))``. ``id`` and the linked-scalar
        ``delta`` (``BPF_ADD_CONST``) are the caller's; ``precise`` prints the ``P`` mark."""
        p = "P" if precise else ""
        if self.mask == 0:
            return p + _snum(sx64(self.value))
        parts: list[str] = []
        if id:
            parts.append(f"id={id}" + (f"{delta:+d}" if delta is not None else ""))
        parts.extend(_ranges_text(self))
        if self.mask != U64:
            parts.append(f"var_off=({self.value:#x}; {self.mask:#x})")
        return p + "scalar(" + ",".join(parts) + ")"


class _W(Scalar):
    """The mutable twin of ``Scalar`` (same layout) in which results are computed."""

    __slots__ = ()
    __setattr__ = object.__setattr__  # type: ignore[assignment]


_new_obj = object.__new__


def _new() -> _W:
    return _new_obj(_W)


def _freeze(w: _W) -> Scalar:
    w.__class__ = Scalar  # type: ignore[assignment]
    return w


def _thaw(s: Scalar) -> _W:
    w = _new_obj(_W)
    w.value = s.value
    w.mask = s.mask
    w.smin = s.smin
    w.smax = s.smax
    w.umin = s.umin
    w.umax = s.umax
    w.s32_min = s.s32_min
    w.s32_max = s.s32_max
    w.u32_min = s.u32_min
    w.u32_max = s.u32_max
    return w


# ---- text ----

def _snum(v: int) -> str:
    """``verbose_snum``: decimal within s16, else the 64-bit pattern in hex."""
    return str(v) if -0x8000 <= v <= 0x7FFF else f"{v & U64:#x}"


def _unum(v: int) -> str:
    """``verbose_unum``: decimal up to u16 max, else hex."""
    return str(v) if v <= 0xFFFF else f"{v:#x}"


def var_off_text(s: Scalar) -> str:
    """The register's ``var_off`` as alignment errors print it: a constant as a number, else
    ``(value; mask)``."""
    return _unum(s.value) if s.is_const() else f"({s.value:#x}; {s.mask:#x})"


def _ranges_text(s: Scalar) -> list[str]:
    """``print_scalar_ranges``: the non-default bounds, equal ones merged as ``smin=umin=...``
    (a negative signed bound never merges with an unsigned one)."""
    s32min = s.s32_min if -0x8000 <= s.s32_min <= 0x7FFF else s.s32_min & U32
    s32max = s.s32_max if -0x8000 <= s.s32_max <= 0x7FFF else s.s32_max & U32
    items = [
        ("smin", s.smin, s.smin == S64_MIN),
        ("smax", s.smax, s.smax == S64_MAX),
        ("umin", s.umin, s.umin == 0),
        ("umax", s.umax, s.umax == U64),
        ("smin32", s32min, s.s32_min == S32_MIN),
        ("smax32", s32max, s.s32_max == S32_MAX),
        ("umin32", s.u32_min, s.u32_min == 0),
        ("umax32", s.u32_max, s.u32_max == U32),
    ]
    omit = [o for _, _, o in items]
    out: list[str] = []
    for i, (name, val, _) in enumerate(items):
        if omit[i]:
            continue
        signed = name[0] == "s"
        neg = signed and val < 0
        names = [name]
        for j in range(i + 2, len(items), 2):
            name2, val2, _ = items[j]
            if omit[j] or (val2 & U64) != (val & U64):
                continue
            if (name2[0] == "s" and val2 < 0) != neg:
                continue
            omit[j] = True
            names.append(name2)
        out.append("=".join(names) + "=" + (_snum(sx64(val)) if signed else _unum(val)))
    return out


# ---- the kernel's in-place helpers, on _W ----

def _mark_known(r: _W, v: int) -> None:
    """``___mark_reg_known`` (``v`` is a u64)."""
    r.value = v
    r.mask = 0
    r.smin = r.smax = sx64(v)
    r.umin = r.umax = v
    r.s32_min = r.s32_max = sx32(v)
    r.u32_min = r.u32_max = v & U32


def _mark32_known(r: _W, v: int) -> None:
    """``__mark_reg32_known``: the low half becomes ``v``; 64-bit bounds untouched."""
    r.value = (r.value & HI32) | (v & U32)
    r.mask &= HI32
    r.s32_min = r.s32_max = sx32(v)
    r.u32_min = r.u32_max = v & U32


def _unbounded(r: _W) -> None:
    r.smin = S64_MIN
    r.smax = S64_MAX
    r.umin = 0
    r.umax = U64
    r.s32_min = S32_MIN
    r.s32_max = S32_MAX
    r.u32_min = 0
    r.u32_max = U32


def _unbounded64(r: _W) -> None:
    r.smin = S64_MIN
    r.smax = S64_MAX
    r.umin = 0
    r.umax = U64


def _unbounded32(r: _W) -> None:
    r.s32_min = S32_MIN
    r.s32_max = S32_MAX
    r.u32_min = 0
    r.u32_max = U32


def _mark_unknown(r: _W) -> None:
    r.value = 0
    r.mask = U64
    _unbounded(r)


def _update32(r: _W) -> None:
    """``__update_reg32_bounds``: bounds of the low half from its known bits."""
    v = r.value & U32
    m = r.mask & U32
    lo = ((v | (m & 0x8000_0000)) ^ 0x8000_0000) - 0x8000_0000
    if lo > r.s32_min:
        r.s32_min = lo
    hi = ((v | (m & 0x7FFF_FFFF)) ^ 0x8000_0000) - 0x8000_0000
    if hi < r.s32_max:
        r.s32_max = hi
    if v > r.u32_min:
        r.u32_min = v
    if v | m < r.u32_max:
        r.u32_max = v | m


def _update64(r: _W) -> None:
    """``__update_reg64_bounds``, with 6.18's ``tnum_step`` check: a u64 range that meets the
    tnum in a single value makes the register that constant."""
    v = r.value
    m = r.mask
    lo = ((v | (m & _SIGN64)) ^ _SIGN64) - _SIGN64
    if lo > r.smin:
        r.smin = lo
    hi = ((v | (m & S64_MAX)) ^ _SIGN64) - _SIGN64
    if hi < r.smax:
        r.smax = hi
    if v > r.umin:
        r.umin = v
    tmax = v | m
    if tmax < r.umax:
        r.umax = tmax
    umin = r.umin
    umax = r.umax
    nxt = t_step(v, m, umin)
    if (umin & ~m) == v:
        if nxt > umax:
            _mark_known(r, umin)
    elif nxt == tmax:
        _mark_known(r, tmax)
    elif nxt <= umax and t_step(v, m, nxt) > umax:
        _mark_known(r, nxt)


def _deduce(r: _W) -> None:
    """``__reg_deduce_bounds`` three times, as ``reg_bounds_sync`` runs it (stopping early once
    a round changes nothing, which gives the same result): each round is
    ``__reg32_deduce_bounds`` (32-bit bounds from the 64-bit ones and from each other),
    ``__reg64_deduce_bounds`` (signed and unsigned 64-bit bounds from each other) and
    ``__reg_deduce_mixed_bounds`` (64-bit bounds from the 32-bit ones). Works on locals: this
    is the domain's hot path."""
    smin, smax, umin, umax = r.smin, r.smax, r.umin, r.umax
    s32min, s32max, u32min, u32max = r.s32_min, r.s32_max, r.u32_min, r.u32_max
    for _ in range(3):
        before = (smin, smax, umin, umax, s32min, s32max, u32min, u32max)
        # -- __reg32_deduce_bounds --
        lo = ((umin & U32) ^ 0x8000_0000) - 0x8000_0000
        hi = ((umax & U32) ^ 0x8000_0000) - 0x8000_0000
        if umin >> 32 == umax >> 32:
            if umin & U32 > u32min:
                u32min = umin & U32
            if umax & U32 < u32max:
                u32max = umax & U32
            if lo <= hi:
                if lo > s32min:
                    s32min = lo
                if hi < s32max:
                    s32max = hi
        elif ((umin >> 32) + 1) & U32 == umax >> 32 and lo < 0 <= hi:
            # upper halves N and N+1, low half going from negative to non-negative
            if lo > s32min:
                s32min = lo
            if hi < s32max:
                s32max = hi
        lo = ((smin & U32) ^ 0x8000_0000) - 0x8000_0000
        hi = ((smax & U32) ^ 0x8000_0000) - 0x8000_0000
        if smin >> 32 == smax >> 32:
            if smin & U32 <= smax & U32:
                if smin & U32 > u32min:
                    u32min = smin & U32
                if smax & U32 < u32max:
                    u32max = smax & U32
            if lo <= hi:
                if lo > s32min:
                    s32min = lo
                if hi < s32max:
                    s32max = hi
        elif ((smin >> 32) + 1) & U32 == (smax >> 32) & U32 and lo < 0 <= hi:
            if lo > s32min:
                s32min = lo
            if hi < s32max:
                s32max = hi
        lo = (u32min ^ 0x8000_0000) - 0x8000_0000
        hi = (u32max ^ 0x8000_0000) - 0x8000_0000
        if lo <= hi:
            # the u32 range does not cross the s32 sign boundary
            if lo > s32min:
                s32min = lo
            if hi < s32max:
                s32max = hi
        lo = s32min & U32
        hi = s32max & U32
        if lo <= hi:
            if lo > u32min:
                u32min = lo
            if hi < u32max:
                u32max = hi
        elif u32max < lo:
            # a sign-crossing s32 range of which the u32 range meets only the non-negative part
            s32min = (u32min ^ 0x8000_0000) - 0x8000_0000
            if hi < u32max:
                u32max = hi
        elif hi < u32min:
            # ... or only the negative part
            s32max = (u32max ^ 0x8000_0000) - 0x8000_0000
            if lo > u32min:
                u32min = lo
        # -- __reg64_deduce_bounds --
        lo = (umin ^ _SIGN64) - _SIGN64
        hi = (umax ^ _SIGN64) - _SIGN64
        if lo <= hi:
            if lo > smin:
                smin = lo
            if hi < smax:
                smax = hi
        lo = smin & U64
        hi = smax & U64
        if lo <= hi:
            if lo > umin:
                umin = lo
            if hi < umax:
                umax = hi
        elif umax < lo:
            smin = (umin ^ _SIGN64) - _SIGN64
            if hi < umax:
                umax = hi
        elif hi < umin:
            smax = (umax ^ _SIGN64) - _SIGN64
            if lo > umin:
                umin = lo
        # -- __reg_deduce_mixed_bounds --
        x = (umin & HI32) | u32min
        if x > umin:
            umin = x
        x = (umax & HI32) | u32max
        if x < umax:
            umax = x
        x = (smin & ~U32) | u32min
        if x > smin:
            smin = x
        x = (smax & ~U32) | u32max
        if x < smax:
            smax = x
        lo = s32min & U32
        hi = s32max & U32
        if lo <= hi:
            x = (umin & HI32) | lo
            if x > umin:
                umin = x
            x = (umax & HI32) | hi
            if x < umax:
                umax = x
            x = (smin & ~U32) | lo
            if x > smin:
                smin = x
            x = (smax & ~U32) | hi
            if x < smax:
                smax = x
        if s32min >= 0 and smin >= S32_MIN and smax <= S32_MAX:
            # after a sign-extending load: a non-negative low half rules out all-ones upper
            # bits, so the register is the non-negative s32 range
            smin = umin = s32min
            smax = s32max
            umax = s32max & U64
            rv, rm = t_range(smin & U64, smax & U64)
            mu = r.mask & rm
            r.value = (r.value | rv) & ~mu
            r.mask = mu
        if (smin, smax, umin, umax, s32min, s32max, u32min, u32max) == before:
            break
    r.smin, r.smax, r.umin, r.umax = smin, smax, umin, umax
    r.s32_min, r.s32_max, r.u32_min, r.u32_max = s32min, s32max, u32min, u32max


def _bound_offset(r: _W) -> None:
    """``__reg_bound_offset``: known bits from the unsigned bounds, 64-bit and 32-bit."""
    rv, rm = t_range(r.umin, r.umax)
    m64 = r.mask & rm
    v64 = (r.value | rv) & ~m64
    rv, rm = t_range(r.u32_min, r.u32_max)
    m32 = m64 & rm & U32
    v32 = ((v64 & U32) | rv) & ~m32
    v = (v64 & HI32) | v32
    r.value = v
    r.mask = ((m64 & HI32) | m32) & ~v


def _sync(r: _W) -> None:
    """``reg_bounds_sync`` (a constant whose bounds all agree with it is left as it is, which is
    what the kernel's code computes for it)."""
    v = r.value
    if (r.mask == 0 and r.umin == v == r.umax and r.smin == r.smax == (v ^ _SIGN64) - _SIGN64
            and r.u32_min == r.u32_max == v & U32
            and r.s32_min == r.s32_max == ((v & U32) ^ 0x8000_0000) - 0x8000_0000):
        return
    _update32(r)
    _update64(r)
    _deduce(r)
    _bound_offset(r)
    _update32(r)
    _update64(r)


def _assign_32_into_64(r: _W) -> None:
    """``__reg_assign_32_into_64``."""
    r.umin = r.u32_min
    r.umax = r.u32_max
    if 0 <= r.s32_min and 0 <= r.s32_max:
        r.smin = r.s32_min
        r.smax = r.s32_max
    else:
        r.smin = 0
        r.smax = U32


def _zext(r: _W) -> None:
    """``zext_32_to_64``: what a 32-bit ALU op leaves in the upper half (zeros)."""
    r.value &= U32
    r.mask &= U32
    _assign_32_into_64(r)


def _coerce(r: _W, size: int) -> None:
    """``coerce_reg_to_size`` (``size`` < 8 bytes): zero-extend the low ``size`` bytes."""
    keep = (1 << (size * 8)) - 1
    r.value &= keep
    r.mask &= keep
    if r.umin & ~keep == r.umax & ~keep:
        r.umin &= keep
        r.umax &= keep
    else:
        r.umin = 0
        r.umax = keep
    r.smin = r.umin
    r.smax = r.umax
    if size < 4:
        _unbounded32(r)
    _sync(r)


def _coerce_sx(r: _W, size: int) -> None:
    """``coerce_reg_to_size_sx``: sign-extend the low ``size`` (1, 2, 4) bytes to 64 bits.

    The first branch is what the running 6.18 kernel does and 6.12's code does not: when the low
    half's s32 range fits the narrow signed type (always, for 4 bytes) the result keeps the
    32-bit bounds and takes them as its s64 range, the tnum is dropped and the bounds synced.
    It was inferred from the kernel's logs (hundreds of random programs agree), not read from
    its source; the rest is 6.12's algorithm, which the kernel still matches there."""
    bits = size * 8
    if r.mask == 0:
        _mark_known(r, sx(r.value, bits) & U64)
        return
    half = 1 << (bits - 1)
    if size == 4 or (-half <= r.s32_min and r.s32_max < half):
        # the result is the low half read as s32 (for s8/s16: when it is in their range)
        r.smin = r.s32_min
        r.smax = r.s32_max
        r.umin = 0
        r.umax = U64
        r.value = 0
        r.mask = U64
        _sync(r)
        return
    if (r.smax & U64) >> bits == (r.smin & U64) >> bits:
        hi = sx(r.smax, bits)
        lo = sx(r.smin, bits)
        if hi < lo:
            hi, lo = lo, hi
        if (hi >= 0) == (lo >= 0):
            r.smin = r.s32_min = lo
            r.smax = r.s32_max = hi
            r.umin = lo & U64
            r.umax = hi & U64
            r.u32_min = lo & U32
            r.u32_max = hi & U32
            r.value, r.mask = t_range(lo & U64, hi & U64)
            return
    half = 1 << (bits - 1)
    r.smin = r.s32_min = -half
    r.smax = r.s32_max = half - 1
    r.umin = r.u32_min = 0
    r.umax = U64
    r.u32_max = U32
    r.value = 0
    r.mask = U64


def _coerce_subreg_sx(r: _W, size: int) -> None:
    """``coerce_subreg_to_size_sx``: sign-extend the low ``size`` (1, 2) bytes to 32 bits
    (the caller zero-extends to 64 and syncs)."""
    bits = size * 8
    if r.mask == 0:
        _mark_known(r, sx(r.value, bits) & U64)
        return
    if (r.s32_max & U32) >> bits == (r.s32_min & U32) >> bits:
        hi = sx(r.s32_max, bits)
        lo = sx(r.s32_min, bits)
        if hi < lo:
            hi, lo = lo, hi
        if (lo >= 0) == (hi >= 0):
            r.s32_min = lo
            r.s32_max = hi
            r.u32_min = lo & U32
            r.u32_max = hi & U32
            v, m = t_range(lo & U64, hi & U64)
            r.value = v & U32
            r.mask = m & U32
            return
    half = 1 << (bits - 1)
    r.s32_min = -half
    r.s32_max = half - 1
    r.u32_min = 0
    r.u32_max = U32
    r.value = 0
    r.mask = U32


# ---- ALU: scalar{32,}_min_max_<op> ----

def _add32(r: _W, s: Scalar) -> None:
    lo = r.s32_min + s.s32_min
    hi = r.s32_max + s.s32_max
    if lo < S32_MIN or hi > S32_MAX or hi < S32_MIN or lo > S32_MAX:
        r.s32_min = S32_MIN
        r.s32_max = S32_MAX
    else:
        r.s32_min = lo
        r.s32_max = hi
    lo = r.u32_min + s.u32_min
    hi = r.u32_max + s.u32_max
    # all sums wrap or none does: still a range; only some wrap: nothing known
    if lo <= U32 < hi:
        r.u32_min = 0
        r.u32_max = U32
    else:
        r.u32_min = lo & U32
        r.u32_max = hi & U32


def _add64(r: _W, s: Scalar) -> None:
    lo = r.smin + s.smin
    hi = r.smax + s.smax
    if lo < S64_MIN or hi > S64_MAX or hi < S64_MIN or lo > S64_MAX:
        r.smin = S64_MIN
        r.smax = S64_MAX
    else:
        r.smin = lo
        r.smax = hi
    lo = r.umin + s.umin
    hi = r.umax + s.umax
    if lo <= U64 < hi:
        r.umin = 0
        r.umax = U64
    else:
        r.umin = lo & U64
        r.umax = hi & U64


def _sub32(r: _W, s: Scalar) -> None:
    lo = r.s32_min - s.s32_max
    hi = r.s32_max - s.s32_min
    if lo < S32_MIN or hi > S32_MAX or hi < S32_MIN or lo > S32_MAX:
        r.s32_min = S32_MIN
        r.s32_max = S32_MAX
    else:
        r.s32_min = lo
        r.s32_max = hi
    lo = r.u32_min - s.u32_max
    hi = r.u32_max - s.u32_min
    if lo < 0 <= hi:
        r.u32_min = 0
        r.u32_max = U32
    else:
        r.u32_min = lo & U32
        r.u32_max = hi & U32


def _sub64(r: _W, s: Scalar) -> None:
    lo = r.smin - s.smax
    hi = r.smax - s.smin
    if lo < S64_MIN or hi > S64_MAX or hi < S64_MIN or lo > S64_MAX:
        r.smin = S64_MIN
        r.smax = S64_MAX
    else:
        r.smin = lo
        r.smax = hi
    lo = r.umin - s.umax
    hi = r.umax - s.umin
    if lo < 0 <= hi:
        r.umin = 0
        r.umax = U64
    else:
        r.umin = lo & U64
        r.umax = hi & U64


def _mul32(r: _W, s: Scalar) -> None:
    hi = r.u32_max * s.u32_max
    lo = r.u32_min * s.u32_min
    if hi > U32 or lo > U32:
        r.u32_min = 0
        r.u32_max = U32
    else:
        r.u32_min = lo
        r.u32_max = hi
    p = (r.s32_min * s.s32_min, r.s32_min * s.s32_max, r.s32_max * s.s32_min,
         r.s32_max * s.s32_max)
    lo = min(p)
    hi = max(p)
    if lo < S32_MIN or hi > S32_MAX:
        r.s32_min = S32_MIN
        r.s32_max = S32_MAX
    else:
        r.s32_min = lo
        r.s32_max = hi


def _mul64(r: _W, s: Scalar) -> None:
    hi = r.umax * s.umax
    lo = r.umin * s.umin
    if hi > U64 or lo > U64:
        r.umin = 0
        r.umax = U64
    else:
        r.umin = lo
        r.umax = hi
    p = (r.smin * s.smin, r.smin * s.smax, r.smax * s.smin, r.smax * s.smax)
    lo = min(p)
    hi = max(p)
    if lo < S64_MIN or hi > S64_MAX:
        r.smin = S64_MIN
        r.smax = S64_MAX
    else:
        r.smin = lo
        r.smax = hi


def _s32_from_u32(r: _W) -> None:
    if sx32(r.u32_min) <= sx32(r.u32_max):
        r.s32_min = sx32(r.u32_min)
        r.s32_max = sx32(r.u32_max)
    else:
        r.s32_min = S32_MIN
        r.s32_max = S32_MAX


def _s64_from_u64(r: _W) -> None:
    if sx64(r.umin) <= sx64(r.umax):
        r.smin = sx64(r.umin)
        r.smax = sx64(r.umax)
    else:
        r.smin = S64_MIN
        r.smax = S64_MAX


def _and32(r: _W, s: Scalar) -> None:
    v = r.value & U32
    if not s.mask & U32 and not r.mask & U32:
        _mark32_known(r, v)
        return
    r.u32_min = v
    r.u32_max = min(r.u32_max, s.u32_max)
    _s32_from_u32(r)


def _and64(r: _W, s: Scalar) -> None:
    if s.mask == 0 and r.mask == 0:
        _mark_known(r, r.value)
        return
    r.umin = r.value
    r.umax = min(r.umax, s.umax)
    _s64_from_u64(r)
    _update32(r)
    _update64(r)


def _or32(r: _W, s: Scalar) -> None:
    v = r.value & U32
    if not s.mask & U32 and not r.mask & U32:
        _mark32_known(r, v)
        return
    r.u32_min = max(r.u32_min, s.u32_min)
    r.u32_max = v | (r.mask & U32)
    _s32_from_u32(r)


def _or64(r: _W, s: Scalar) -> None:
    if s.mask == 0 and r.mask == 0:
        _mark_known(r, r.value)
        return
    r.umin = max(r.umin, s.umin)
    r.umax = r.value | r.mask
    _s64_from_u64(r)
    _update32(r)
    _update64(r)


def _xor32(r: _W, s: Scalar) -> None:
    v = r.value & U32
    if not s.mask & U32 and not r.mask & U32:
        _mark32_known(r, v)
        return
    r.u32_min = v
    r.u32_max = v | (r.mask & U32)
    _s32_from_u32(r)


def _xor64(r: _W, s: Scalar) -> None:
    if s.mask == 0 and r.mask == 0:
        _mark_known(r, r.value)
        return
    r.umin = r.value
    r.umax = r.value | r.mask
    _s64_from_u64(r)
    _update32(r)
    _update64(r)


def _lsh32_bounds(r: _W, lo: int, hi: int) -> None:
    """``__scalar32_min_max_lsh``."""
    r.s32_min = S32_MIN
    r.s32_max = S32_MAX
    if hi > 31 or r.u32_max > 1 << (31 - hi):
        r.u32_min = 0
        r.u32_max = U32
    else:
        r.u32_min = (r.u32_min << lo) & U32
        r.u32_max = (r.u32_max << hi) & U32


def _lsh32(r: _W, s: Scalar) -> None:
    lo = s.u32_min
    sub_v = r.value & U32
    sub_m = r.mask & U32
    _lsh32_bounds(r, lo, s.u32_max)
    r.value = (sub_v << lo) & U32
    r.mask = (sub_m << lo) & U32
    _unbounded64(r)
    _update32(r)


def _lsh64(r: _W, s: Scalar) -> None:
    lo = s.umin
    hi = s.umax
    if lo == 32 and hi == 32:
        # the common "<<32 s>>32" sign extension: s32 bounds shift into s64 ones
        r.smax = r.s32_max << 32
        r.smin = r.s32_min << 32
    else:
        r.smin = S64_MIN
        r.smax = S64_MAX
    if r.umax > 1 << (63 - hi):
        r.umin = 0
        r.umax = U64
    else:
        r.umin = (r.umin << lo) & U64
        r.umax = (r.umax << hi) & U64
    _lsh32_bounds(r, lo, hi)
    r.value = (r.value << lo) & U64
    r.mask = (r.mask << lo) & U64
    _update32(r)
    _update64(r)


def _rsh32(r: _W, s: Scalar) -> None:
    lo = s.u32_min
    hi = s.u32_max
    r.s32_min = S32_MIN
    r.s32_max = S32_MAX
    r.value = (r.value & U32) >> lo
    r.mask = (r.mask & U32) >> lo
    r.u32_min >>= hi
    r.u32_max >>= lo
    _unbounded64(r)
    _update32(r)


def _rsh64(r: _W, s: Scalar) -> None:
    lo = s.umin
    hi = s.umax
    r.smin = S64_MIN
    r.smax = S64_MAX
    r.value >>= lo
    r.mask >>= lo
    r.umin >>= hi
    r.umax >>= lo
    _unbounded32(r)
    _update32(r)
    _update64(r)


def _arsh32(r: _W, s: Scalar) -> None:
    sh = s.u32_min
    r.s32_min >>= sh
    r.s32_max >>= sh
    r.value, r.mask = t_arshift(r.value & U32, r.mask & U32, sh, 32)
    r.u32_min = 0
    r.u32_max = U32
    _unbounded64(r)
    _update32(r)


def _arsh64(r: _W, s: Scalar) -> None:
    sh = s.umin
    r.smin >>= sh
    r.smax >>= sh
    r.value, r.mask = t_arshift(r.value, r.mask, sh, 64)
    r.umin = 0
    r.umax = U64
    _unbounded32(r)
    _update32(r)
    _update64(r)


def _op_add(r: _W, s: Scalar) -> None:
    _add32(r, s)
    _add64(r, s)
    r.value, r.mask = t_add(r.value, r.mask, s.value, s.mask)


def _op_sub(r: _W, s: Scalar) -> None:
    _sub32(r, s)
    _sub64(r, s)
    r.value, r.mask = t_sub(r.value, r.mask, s.value, s.mask)


def _op_mul(r: _W, s: Scalar) -> None:
    r.value, r.mask = t_mul(r.value, r.mask, s.value, s.mask)
    _mul32(r, s)
    _mul64(r, s)


def _op_and(r: _W, s: Scalar) -> None:
    r.value, r.mask = t_and(r.value, r.mask, s.value, s.mask)
    _and32(r, s)
    _and64(r, s)


def _op_or(r: _W, s: Scalar) -> None:
    r.value, r.mask = t_or(r.value, r.mask, s.value, s.mask)
    _or32(r, s)
    _or64(r, s)


def _op_xor(r: _W, s: Scalar) -> None:
    r.value, r.mask = t_xor(r.value, r.mask, s.value, s.mask)
    _xor32(r, s)
    _xor64(r, s)


_Op = Callable[[_W, Scalar], None]
_BOTH: dict[int, _Op] = {
    AluOp.ADD: _op_add, AluOp.SUB: _op_sub, AluOp.MUL: _op_mul,
    AluOp.AND: _op_and, AluOp.OR: _op_or, AluOp.XOR: _op_xor,
}
_SHIFT64: dict[int, _Op] = {AluOp.LSH: _lsh64, AluOp.RSH: _rsh64, AluOp.ARSH: _arsh64}
_SHIFT32: dict[int, _Op] = {AluOp.LSH: _lsh32, AluOp.RSH: _rsh32, AluOp.ARSH: _arsh32}
ALU_OPS = frozenset((*_BOTH, *_SHIFT64, AluOp.DIV, AluOp.MOD))
"""The ``op`` values ``alu`` takes (``BPF_OP`` of the instruction)."""


def _safe(op: int, src: Scalar, alu64: bool) -> bool:
    """``is_safe_to_compute_dst_reg_range``: shifts need a constant amount below the width;
    DIV and MOD are never tracked in 6.18."""
    if op in _BOTH:
        return True
    if op in _SHIFT64:
        if alu64:
            const = src.mask == 0 and src.smin == src.smax and src.umin == src.umax
            return const and src.umax < 64
        const = (not src.mask & U32 and src.s32_min == src.s32_max
                 and src.u32_min == src.u32_max)
        return const and src.umax < 32
    return False


def alu(op: int, dst: Scalar, src: Scalar, alu64: bool) -> Scalar:
    """``adjust_scalar_min_max_vals``: ``dst op= src`` for two scalars (``op`` a ``BPF_OP``
    of ``ALU_OPS``; for ``BPF_K`` pass ``Scalar.imm(insn.imm)``). A 32-bit op zero-extends.
    AND/OR with a constant: the kernel first forks a ``[-1, 0]`` destination, see
    ``split_neg1_zero``. DIV/MOD (signed or not) and shifts by a non-constant or too large
    amount give a wholly unknown result, not zero-extended, as in the kernel."""
    if not _safe(op, src, alu64):
        return UNKNOWN
    r = _thaw(dst)
    f = _BOTH.get(op)
    if f is None:
        f = (_SHIFT64 if alu64 else _SHIFT32)[op]
    f(r, src)
    if not alu64:
        _zext(r)
    _sync(r)
    return _freeze(r)


def split_neg1_zero(dst: Scalar) -> tuple[Scalar, Scalar] | None:
    """``maybe_fork_scalars``, run before AND/OR with a constant source: a destination in
    ``[-1, 0]`` (64-bit, else 32-bit signed) is split; returns ``(-1 variant, 0 variant)``:
    the kernel continues with the first and queues the instruction again with the second.
    The 32-bit case only sets the low half (``__mark_reg32_known``)."""
    if dst.smin == -1 and dst.smax == 0:
        return Scalar.const(U64), Scalar.const(0)
    if dst.s32_min == -1 and dst.s32_max == 0:
        a = _thaw(dst)
        _mark32_known(a, U32)
        b = _thaw(dst)
        _mark32_known(b, 0)
        return _freeze(a), _freeze(b)
    return None


def neg(dst: Scalar, alu64: bool) -> Scalar:
    """``BPF_NEG`` (6.18: ``0 - dst`` with the SUB bounds and ``tnum_neg``)."""
    r = _new()
    _mark_known(r, 0)
    _sub32(r, dst)
    _sub64(r, dst)
    r.value, r.mask = t_neg(dst.value, dst.mask)
    if not alu64:
        _zext(r)
    _sync(r)
    return _freeze(r)


def bswap(dst: Scalar, bits: int, *, alu64: bool, to_be: bool = False) -> Scalar:
    """``BPF_END`` (``scalar_byte_swap`` on a little-endian host): ``bswap16/32/64`` (ALU64),
    ``be16/32/64`` (``to_be``: swap) and ``le16/32/64`` (truncate only). 16 and 32 keep only
    that many low bits; nothing is zero-extended beyond that."""
    r = _thaw(dst)
    if alu64 or to_be:
        r.value, r.mask = t_bswap(r.value, r.mask, bits)
        _unbounded(r)
    if bits in (16, 32):
        _coerce(r, bits // 8)
    _sync(r)
    return _freeze(r)


def mov(src: Scalar, alu64: bool) -> Scalar:
    """``rX = rY`` (a copy) or ``wX = wY`` (the low half, zero-extended)."""
    if alu64:
        return src
    r = _thaw(src)
    _zext(r)
    _sync(r)
    return _freeze(r)


def movsx(src: Scalar, bits: int, alu64: bool) -> Scalar:
    """``rX = (s8|s16|s32)rY`` (``coerce_reg_to_size_sx``, no sync after, as the kernel) or
    ``wX = (s8|s16)wY`` (``coerce_subreg_to_size_sx``, zero-extended, synced)."""
    r = _thaw(src)
    if alu64:
        _coerce_sx(r, bits // 8)
    else:
        _coerce_subreg_sx(r, bits // 8)
        _zext(r)
        _sync(r)
    return _freeze(r)


def zext_32_to_64(s: Scalar) -> Scalar:
    """``zext_32_to_64`` (no sync)."""
    r = _thaw(s)
    _zext(r)
    return _freeze(r)


def coerce_to_size(s: Scalar, size: int) -> Scalar:
    """``coerce_reg_to_size``: a ``size``-byte (1, 2, 4) zero-extending load or truncation."""
    r = _thaw(s)
    _coerce(r, size)
    return _freeze(r)


def coerce_to_size_sx(s: Scalar, size: int) -> Scalar:
    """``coerce_reg_to_size_sx``: a ``size``-byte (1, 2, 4) sign-extending load."""
    r = _thaw(s)
    _coerce_sx(r, size)
    return _freeze(r)


def sanity_check(s: Scalar, ctx: str) -> tuple[Scalar, str | None]:
    """``reg_bounds_sanity_check`` as 6.18 runs it: on a contradiction it logs
    ``verifier bug: <message>`` and goes on with the register's bounds reset
    (``__mark_reg_unbounded``, ``var_off`` kept); the program is not rejected. The kernel checks
    the destination after every ALU instruction (``ctx`` ``alu``) and the four registers after
    a branch refinement (``true_reg1``, ``true_reg2``, ``false_reg1``, ``false_reg2``, in that
    order; for ``if rX op rX`` both checks of a branch see the same, already reset, register)."""
    msg = s.invariant_violation(ctx)
    if msg is None:
        return s, None
    r = _thaw(s)
    _unbounded(r)
    return _freeze(r), msg


# ---- branches ----

_FLIP: dict[int, int] = {JmpOp.JEQ: JmpOp.JEQ, JmpOp.JNE: JmpOp.JNE, JmpOp.JSET: JmpOp.JSET,
         JmpOp.JGE: JmpOp.JLE, JmpOp.JGT: JmpOp.JLT, JmpOp.JLE: JmpOp.JGE,
         JmpOp.JLT: JmpOp.JGT, JmpOp.JSGE: JmpOp.JSLE, JmpOp.JSGT: JmpOp.JSLT,
         JmpOp.JSLE: JmpOp.JSGE, JmpOp.JSLT: JmpOp.JSGT}
_REV: dict[int, int] = {JmpOp.JEQ: JmpOp.JNE, JmpOp.JNE: JmpOp.JEQ, JmpOp.JSET: JSET_FALSE,
        JSET_FALSE: JmpOp.JSET, JmpOp.JGE: JmpOp.JLT, JmpOp.JGT: JmpOp.JLE,
        JmpOp.JLE: JmpOp.JGT, JmpOp.JLT: JmpOp.JGE, JmpOp.JSGE: JmpOp.JSLT,
        JmpOp.JSGT: JmpOp.JSLE, JmpOp.JSLE: JmpOp.JSGT, JmpOp.JSLT: JmpOp.JSGE}
JMP_OPS = frozenset(_FLIP)
"""The ``op`` values ``branch_taken`` and ``refine`` take."""


def flip_op(op: int) -> int:
    """``flip_opcode``: the op for the swapped operands (``a < b`` is ``b > a``)."""
    return int(_FLIP[op])


def reverse_op(op: int) -> int:
    """``rev_opcode``: the op of the fall-through (JSET's is ``JSET_FALSE``)."""
    return int(_REV[op])


def branch_taken(op: int, a: Scalar, b: Scalar, is32: bool) -> bool | None:
    """``is_scalar_branch_taken`` for ``if a op b``: True (always jumps), False (never), None."""
    if is32:
        t1v = a.value & U32
        t1m = a.mask & U32
        t2v = b.value & U32
        t2m = b.mask & U32
        umin1, umax1, smin1, smax1 = a.u32_min, a.u32_max, a.s32_min, a.s32_max
        umin2, umax2, smin2, smax2 = b.u32_min, b.u32_max, b.s32_min, b.s32_max
    else:
        t1v, t1m, t2v, t2m = a.value, a.mask, b.value, b.mask
        umin1, umax1, smin1, smax1 = a.umin, a.umax, a.smin, a.smax
        umin2, umax2, smin2, smax2 = b.umin, b.umax, b.smin, b.smax
    if op == JmpOp.JEQ or op == JmpOp.JNE:
        eq = op == JmpOp.JEQ
        if t1m == 0 and t2m == 0:
            return (t1v == t2v) == eq
        if (not t_overlap(t1v, t1m, t2v, t2m) or umin1 > umax2 or umax1 < umin2
                or smin1 > smax2 or smax1 < smin2):
            return not eq
        if not is32 and (a.u32_min > b.u32_max or a.u32_max < b.u32_min
                         or a.s32_min > b.s32_max or a.s32_max < b.s32_min):
            return not eq
        return None
    if op == JmpOp.JSET:
        if t2m:
            t1v, t1m, t2v, t2m = t2v, t2m, t1v, t1m
        if t2m:
            return None
        if t1v & t2v:
            return True
        if not (t1m | t1v) & t2v:
            return False
        return None
    if op == JmpOp.JGT:
        return True if umin1 > umax2 else False if umax1 <= umin2 else None
    if op == JmpOp.JSGT:
        return True if smin1 > smax2 else False if smax1 <= smin2 else None
    if op == JmpOp.JLT:
        return True if umax1 < umin2 else False if umin1 >= umax2 else None
    if op == JmpOp.JSLT:
        return True if smax1 < smin2 else False if smin1 >= smax2 else None
    if op == JmpOp.JGE:
        return True if umin1 >= umax2 else False if umax1 < umin2 else None
    if op == JmpOp.JSGE:
        return True if smin1 >= smax2 else False if smax1 < smin2 else None
    if op == JmpOp.JLE:
        return True if umax1 <= umin2 else False if umin1 > umax2 else None
    if op == JmpOp.JSLE:
        return True if smax1 <= smin2 else False if smin1 > smax2 else None
    raise ValueError(f"not a conditional jump op: {op:#x}")


def _refine_cond(r1: _W, r2: _W, op: int, is32: bool) -> None:
    """``regs_refine_cond_op``: narrow ``r1`` and ``r2`` (possibly the same object, as when
    an instruction compares a register with itself) assuming ``r1 op r2`` holds."""
    if op in (JmpOp.JGE, JmpOp.JGT, JmpOp.JSGE, JmpOp.JSGT):
        op = _FLIP[op]
        r1, r2 = r2, r1
    if op == JmpOp.JEQ:
        if is32:
            r1.u32_min = max(r1.u32_min, r2.u32_min)
            r1.u32_max = min(r1.u32_max, r2.u32_max)
            r1.s32_min = max(r1.s32_min, r2.s32_min)
            r1.s32_max = min(r1.s32_max, r2.s32_max)
            r2.u32_min = r1.u32_min
            r2.u32_max = r1.u32_max
            r2.s32_min = r1.s32_min
            r2.s32_max = r1.s32_max
            tm = r1.mask & r2.mask & U32
            tv = ((r1.value | r2.value) & U32) & ~tm
            r1.value = (r1.value & HI32) | tv
            r1.mask = (r1.mask & HI32) | tm
            r2.value = (r2.value & HI32) | tv
            r2.mask = (r2.mask & HI32) | tm
        else:
            r1.umin = max(r1.umin, r2.umin)
            r1.umax = min(r1.umax, r2.umax)
            r1.smin = max(r1.smin, r2.smin)
            r1.smax = min(r1.smax, r2.smax)
            r2.umin = r1.umin
            r2.umax = r1.umax
            r2.smin = r1.smin
            r2.smax = r1.smax
            tm = r1.mask & r2.mask
            tv = (r1.value | r2.value) & ~tm
            r1.value = r2.value = tv
            r1.mask = r2.mask = tm
    elif op == JmpOp.JNE:
        if r2.mask & (U32 if is32 else U64):
            r1, r2 = r2, r1
        if r2.mask & (U32 if is32 else U64):
            return
        # a constant at the very edge of the other's range shrinks it by one
        if is32:
            val = r2.value & U32
            if r1.u32_min == val:
                r1.u32_min = (r1.u32_min + 1) & U32
            if r1.u32_max == val:
                r1.u32_max = (r1.u32_max - 1) & U32
            if r1.s32_min == sx32(val):
                r1.s32_min = sx32(r1.s32_min + 1)
            if r1.s32_max == sx32(val):
                r1.s32_max = sx32(r1.s32_max - 1)
        else:
            val = r2.value
            if r1.umin == val:
                r1.umin = (r1.umin + 1) & U64
            if r1.umax == val:
                r1.umax = (r1.umax - 1) & U64
            if r1.smin == sx64(val):
                r1.smin = sx64(r1.smin + 1)
            if r1.smax == sx64(val):
                r1.smax = sx64(r1.smax - 1)
    elif op == JmpOp.JSET:
        if r2.mask & (U32 if is32 else U64):
            r1, r2 = r2, r1
        if r2.mask & (U32 if is32 else U64):
            return
        val = r2.value & U32 if is32 else r2.value
        # only a single tested bit tells which bit is set
        if val & (val - 1) or not val:
            return
        r1.mask &= ~val
        r1.value |= val
    elif op == JSET_FALSE:
        if r2.mask & (U32 if is32 else U64):
            r1, r2 = r2, r1
        if r2.mask & (U32 if is32 else U64):
            return
        val = r2.value & U32 if is32 else r2.value
        _unbounded(r1)
        r1.value &= ~val
        r1.mask &= ~val
    elif op == JmpOp.JLE:
        if is32:
            r1.u32_max = min(r1.u32_max, r2.u32_max)
            r2.u32_min = max(r1.u32_min, r2.u32_min)
        else:
            r1.umax = min(r1.umax, r2.umax)
            r2.umin = max(r1.umin, r2.umin)
    elif op == JmpOp.JLT:
        if is32:
            r1.u32_max = min(r1.u32_max, (r2.u32_max - 1) & U32)
            r2.u32_min = max((r1.u32_min + 1) & U32, r2.u32_min)
        else:
            r1.umax = min(r1.umax, (r2.umax - 1) & U64)
            r2.umin = max((r1.umin + 1) & U64, r2.umin)
    elif op == JmpOp.JSLE:
        if is32:
            r1.s32_max = min(r1.s32_max, r2.s32_max)
            r2.s32_min = max(r1.s32_min, r2.s32_min)
        else:
            r1.smax = min(r1.smax, r2.smax)
            r2.smin = max(r1.smin, r2.smin)
    elif op == JmpOp.JSLT:
        if is32:
            r1.s32_max = min(r1.s32_max, sx32(r2.s32_max - 1))
            r2.s32_min = max(sx32(r1.s32_min + 1), r2.s32_min)
        else:
            r1.smax = min(r1.smax, sx64(r2.smax - 1))
            r2.smin = max(sx64(r1.smin + 1), r2.smin)


def refine(op: int, a: Scalar, b: Scalar,
           is32: bool) -> tuple[Scalar, Scalar, Scalar, Scalar]:
    """``reg_set_min_max`` for ``if a op b`` with two different registers (or ``b`` a
    ``Scalar.imm``): ``(a, b)`` where the jump is taken, then ``(a, b)`` on the fall-through.
    Call it when ``branch_taken`` is None, then pass each result through ``sanity_check`` as
    the kernel does (``true_reg1``, ``true_reg2``, ``false_reg1``, ``false_reg2``)."""
    f1 = _thaw(a)
    f2 = _thaw(b)
    _refine_cond(f1, f2, _REV[op], is32)
    _sync(f1)
    _sync(f2)
    t1 = _thaw(a)
    t2 = _thaw(b)
    _refine_cond(t1, t2, op, is32)
    _sync(t1)
    _sync(t2)
    return _freeze(t1), _freeze(t2), _freeze(f1), _freeze(f2)


def refine_same(op: int, a: Scalar, is32: bool) -> tuple[Scalar, Scalar]:
    """``reg_set_min_max`` for ``if rX op rX`` (6.18 does not special-case it: both operands
    are the same register state, refined and synced twice): ``(taken, fall-through)``."""
    f = _thaw(a)
    _refine_cond(f, f, _REV[op], is32)
    _sync(f)
    _sync(f)
    t = _thaw(a)
    _refine_cond(t, t, op, is32)
    _sync(t)
    _sync(t)
    return _freeze(t), _freeze(f)


def _make_unknown() -> Scalar:
    w = _new()
    _mark_unknown(w)
    return _freeze(w)


UNKNOWN = _make_unknown()
