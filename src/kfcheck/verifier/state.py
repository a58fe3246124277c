"""Verifier state: registers, stack slots, call frames, references and the whole state of one
path, as the kernel's ``bpf_reg_state`` / ``bpf_func_state`` / ``bpf_verifier_state``.

Everything is immutable and shared between states until written: a write builds a new
register, a new frame (registers tuple, stack dict copied) and a new state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import IntEnum, IntFlag
from typing import TypeVar

from kfcheck.link.program import MapSpec
from kfcheck.verifier.scalar import UNKNOWN, Scalar

_T = TypeVar("_T")
MAX_REG = 11  # r0..r10
FP = 10
STACK_SIZE = 512
SLOT = 8


class Base(IntEnum):
    """``enum bpf_reg_type`` base types (the ones kfcheck models)."""

    NOT_INIT = 0
    SCALAR = 1
    PTR_TO_CTX = 2
    CONST_PTR_TO_MAP = 3
    PTR_TO_MAP_VALUE = 4
    PTR_TO_MAP_KEY = 5
    PTR_TO_STACK = 6
    PTR_TO_PACKET_META = 7
    PTR_TO_PACKET = 8
    PTR_TO_PACKET_END = 9
    PTR_TO_SOCKET = 10
    PTR_TO_SOCK_COMMON = 11
    PTR_TO_TCP_SOCK = 12
    PTR_TO_BTF_ID = 13
    PTR_TO_MEM = 14
    PTR_TO_FUNC = 15
    CONST_PTR_TO_DYNPTR = 16  # a callback's dynptr argument (always of type LOCAL in 6.18)


class TF(IntFlag):
    """Type flags (``PTR_MAYBE_NULL``, ``MEM_RDONLY``, ...)."""

    NONE = 0
    MAYBE_NULL = 1 << 0
    RDONLY = 1 << 1
    RINGBUF = 1 << 2
    RCU = 1 << 3
    UNTRUSTED = 1 << 4
    TRUSTED = 1 << 5
    ALLOC = 1 << 6
    PERCPU = 1 << 7
    USER = 1 << 8
    NON_OWN = 1 << 9  # NON_OWN_REF: a non-owning reference to a graph node (until unlock)
    DYNPTR_PKT = 1 << 10  # a slice of an skb/xdp/skb_meta dynptr (DYNPTR_TYPE_SKB, ...)


_NAMES = {
    Base.NOT_INIT: "?", Base.SCALAR: "scalar", Base.PTR_TO_CTX: "ctx",
    Base.CONST_PTR_TO_MAP: "map_ptr", Base.PTR_TO_MAP_VALUE: "map_value",
    Base.PTR_TO_MAP_KEY: "map_key", Base.PTR_TO_STACK: "fp", Base.PTR_TO_PACKET_META: "pkt_meta",
    Base.PTR_TO_PACKET: "pkt", Base.PTR_TO_PACKET_END: "pkt_end", Base.PTR_TO_SOCKET: "sock",
    Base.PTR_TO_SOCK_COMMON: "sock_common", Base.PTR_TO_TCP_SOCK: "tcp_sock",
    Base.PTR_TO_BTF_ID: "ptr_", Base.PTR_TO_MEM: "mem", Base.PTR_TO_FUNC: "func",
    Base.CONST_PTR_TO_DYNPTR: "dynptr_ptr",
}
_PREFIXES = ((TF.RDONLY, "rdonly_"), (TF.RINGBUF, "ringbuf_"), (TF.USER, "user_"),
             (TF.PERCPU, "percpu_"), (TF.RCU, "rcu_"), (TF.UNTRUSTED, "untrusted_"),
             (TF.TRUSTED, "trusted_"))


def type_str(base: Base, flags: TF = TF.NONE) -> str:
    """``reg_type_str``: ``rdonly_mem_or_null``, ``ptr_or_null_``, ``map_value``, ..."""
    prefix = "".join(p for f, p in _PREFIXES if flags & f)
    postfix = ""
    if flags & TF.MAYBE_NULL:
        postfix = "or_null_" if base is Base.PTR_TO_BTF_ID else "_or_null"
    return f"{prefix}{_NAMES[base]}{postfix}"


@dataclass(frozen=True, slots=True)
class Reg:
    """One register. ``s`` is the value of a scalar, or the variable part of a pointer's
    offset (the kernel keeps both in the same fields); ``off`` a pointer's fixed offset."""

    base: Base = Base.NOT_INIT
    flags: TF = TF.NONE
    s: Scalar = UNKNOWN
    off: int = 0
    id: int = 0
    ref_obj_id: int = 0
    map: MapSpec | None = None  # map pointers and map values/keys
    btf_id: int = 0  # PTR_TO_BTF_ID: the kernel BTF type
    mem_size: int = 0  # PTR_TO_MEM: bytes accessible
    range: int = 0  # packet pointers: bytes known to be inside the packet after ``off``
    frameno: int = 0  # PTR_TO_STACK: the frame the stack belongs to
    subprogno: int = 0  # PTR_TO_FUNC: the subprogram it points to
    dynptr_id: int = 0  # PTR_TO_MEM: the dynptr this is a slice of
    # a scalar whose exact value decided something on a path explored from a checkpoint
    # (only checkpoints' registers are marked: precision.py); not part of equality
    precise: bool = field(default=False, compare=False)

    @property
    def type_name(self) -> str:
        return type_str(self.base, self.flags)

    @property
    def is_scalar(self) -> bool:
        return self.base is Base.SCALAR

    @property
    def is_pointer(self) -> bool:
        return self.base not in (Base.SCALAR, Base.NOT_INIT)

    @property
    def maybe_null(self) -> bool:
        return bool(self.flags & TF.MAYBE_NULL)

    def is_const(self) -> bool:
        return self.base is Base.SCALAR and self.s.is_const()

    @property
    def is_null(self) -> bool:
        """``register_is_null``: a scalar known to be 0."""
        return self.is_const() and self.s.value == 0


NOT_INIT = Reg()
SCALAR_UNKNOWN = Reg(Base.SCALAR)


def scalar(value: Scalar) -> Reg:
    """A scalar register of ``value``."""
    return Reg(Base.SCALAR, s=value)


def const(v: int) -> Reg:
    """A scalar register holding the 64-bit constant ``v``."""
    return Reg(Base.SCALAR, s=Scalar.const(v & ((1 << 64) - 1)))


ZERO_OFFSET = Scalar.const(0)


def pointer(base: Base, flags: TF = TF.NONE, **kw: object) -> Reg:
    """A pointer register with a known-zero variable offset."""
    return Reg(base, flags, ZERO_OFFSET, **kw)  # type: ignore[arg-type]


def map_elem_regs(m: MapSpec | None) -> tuple[Reg, Reg, Reg]:
    """A map element callback's first arguments: the map, the element's key and value."""
    return (pointer(Base.CONST_PTR_TO_MAP, map=m), pointer(Base.PTR_TO_MAP_KEY, map=m),
            pointer(Base.PTR_TO_MAP_VALUE, map=m))


def _replace(obj: _T, **changes: object) -> _T:
    """``dataclasses.replace`` for these frozen slotted classes without its per-call field
    introspection (the per-instruction register writes go through here)."""
    cls = type(obj)
    names: tuple[str, ...] = cls.__slots__  # type: ignore[attr-defined]  # the fields
    return cls(*[changes[name] if name in changes else getattr(obj, name) for name in names])


class SlotKind(IntEnum):
    """What a stack byte holds (``STACK_INVALID``, ``STACK_SPILL``, ...)."""

    INVALID = 0
    SPILL = 1
    MISC = 2
    ZERO = 3
    IRQ_FLAG = 4  # saved interrupt flags (STACK_IRQ_FLAG)
    ITER = 5  # an open-coded iterator's state (STACK_ITER)
    DYNPTR = 6  # half of a struct bpf_dynptr (STACK_DYNPTR)


class IterState(IntEnum):
    """``enum bpf_iter_state``."""

    INVALID = 0
    ACTIVE = 1
    DRAINED = 2


@dataclass(frozen=True, slots=True)
class IterInfo:
    """An iterator's stack slot (``reg->iter``): its ``struct bpf_iter_<type>``, state and
    iteration depth."""

    btf_id: int
    state: IterState = IterState.ACTIVE
    depth: int = 0
    flags: TF = TF.NONE  # KF_RCU_PROTECTED iterators: RCU, or UNTRUSTED outside an RCU CS


class DynType(IntEnum):
    """``enum bpf_dynptr_type`` (the ones kfcheck models); the name is ``dynptr_type_str``."""

    LOCAL = 1
    RINGBUF = 2
    SKB = 3
    XDP = 4
    SKB_META = 5

    @property
    def text(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class DynptrInfo:
    """A dynptr's stack slot (``spilled_ptr.dynptr`` and its ids): type, whether this is the
    first (higher) of its two slots, the id its slices carry, and the reference a ringbuf
    dynptr holds."""

    type: DynType
    first: bool
    id: int
    ref_obj_id: int = 0


@dataclass(frozen=True, slots=True)
class StackSlot:
    """One 8-byte stack slot: the kind of each byte (index 0 = lowest address) and, when
    spilled, the register."""

    kinds: tuple[SlotKind, ...] = (SlotKind.INVALID,) * SLOT
    spilled: Reg | None = None
    iter: IterInfo | None = None  # SlotKind.ITER slots
    irq_lock: bool = False  # an irq flag saved by a lock kfunc (IRQ_LOCK_KFUNC), not natively
    dynptr: DynptrInfo | None = None  # SlotKind.DYNPTR slots


@dataclass(frozen=True, slots=True)
class Frame:
    """One call frame: registers and stack (slot index ``i`` covers bytes
    ``[-8*(i+1), -8*i)`` below the frame pointer)."""

    regs: tuple[Reg, ...]
    stack: dict[int, StackSlot] = field(default_factory=dict)
    callsite: int = -1
    subprog: int = 0
    callback_ret: tuple[int, int] | None = None  # a callback's frame: R0's allowed range
    callback_depth: int = 0  # callbacks pushed from this frame's current call (bpf_loop)
    entry: tuple[object, ...] = ()  # a kfunc's sync callback: what it was called holding
    async_cb: str = ""  # the first frame of an async callback: who set it ("timer", a kfunc)

    def with_reg(self, regno: int, reg: Reg) -> Frame:
        regs = list(self.regs)
        regs[regno] = reg
        return _replace(self, regs=tuple(regs))


@dataclass(frozen=True, slots=True)
class RefState:
    """An acquired reference: id, the instruction that took it, and its kind."""

    id: int
    insn: int
    kind: str = "ptr"  # "ptr", "lock" or "irq"


@dataclass(frozen=True, slots=True)
class ResLock:
    """A held ``bpf_res_spin_lock`` (``REF_TYPE_RES_LOCK[_IRQ]``): the map it is in, the id
    of the register that named it, the instruction that took it, and whether irqs were
    saved with it."""

    map: str
    id: int
    insn: int
    irq: bool = False


@dataclass(frozen=True, slots=True)
class State:
    """The state of one path."""

    frames: tuple[Frame, ...]
    refs: tuple[RefState, ...] = ()
    lock: tuple[str, int] | None = None  # (map name, register id) of the held bpf_spin_lock
    rcu: int = 0  # RCU read-side section nesting (active_rcu_lock)
    preempt: int = 0  # preemption-disabled nesting (active_preempt_locks)
    res_locks: tuple[ResLock, ...] = ()  # held resilient spin locks, oldest first

    @property
    def locked(self) -> bool:
        """Any lock held (``active_locks``)."""
        return self.lock is not None or bool(self.res_locks)
    callback_unroll_depth: int = 0  # callback visits pushed on this path
    may_goto_depth: int = 0  # may_goto fall-throughs taken on this path

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def reg(self, regno: int) -> Reg:
        return self.frames[-1].regs[regno]

    def with_reg(self, regno: int, reg: Reg) -> State:
        frame = self.frames[-1].with_reg(regno, reg)
        return _replace(self, frames=(*self.frames[:-1], frame))

    def with_frame(self, frame: Frame) -> State:
        return _replace(self, frames=(*self.frames[:-1], frame))

    def with_frame_at(self, frameno: int, frame: Frame) -> State:
        frames = list(self.frames)
        frames[frameno] = frame
        return _replace(self, frames=tuple(frames))


def map_regs(st: State, fn: Callable[[Reg], Reg]) -> State:
    """``bpf_for_each_reg_in_vstate``: ``fn`` applied to every register and spilled register
    of every frame."""
    frames = []
    for frame in st.frames:
        regs = tuple(fn(r) for r in frame.regs)
        stack = frame.stack
        if any(s.spilled is not None for s in stack.values()):
            stack = {i: (replace(s, spilled=fn(s.spilled)) if s.spilled is not None else s)
                     for i, s in stack.items()}
        frames.append(replace(frame, regs=regs, stack=stack))
    return replace(st, frames=tuple(frames))


def release_reference(st: State, ref_obj_id: int) -> State:
    """``release_reference``: the reference is gone, every register holding it is invalid
    (an unknown scalar for a privileged loader)."""
    st = replace(st, refs=tuple(r for r in st.refs if r.id != ref_obj_id))
    return map_regs(st, lambda r: SCALAR_UNKNOWN if r.ref_obj_id == ref_obj_id else r)
