"""Loads and stores: ``check_mem_access`` for the stack, map values, the context, packets and
memory regions, as the kernel checks them for a privileged (CAP_BPF + CAP_PERFMON) loader:
uninitialised stack may be read, pointers may be spilled and leaked into maps.
"""

from __future__ import annotations

from dataclasses import replace

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import BPF_FETCH, AtomicOp
from kfcheck.link.program import MapRole
from kfcheck.verifier import btfptr, kptr, precision
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.env import Env
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.path import stack_access
from kfcheck.verifier.progtypes import (
    CtxField,
    bpf_sock_access,
    bpf_sock_common_access,
    bpf_tcp_sock_access,
)
from kfcheck.verifier.state import (
    FP,
    SCALAR_UNKNOWN,
    SLOT,
    STACK_SIZE,
    TF,
    Base,
    Frame,
    Reg,
    SlotKind,
    StackSlot,
    State,
    const,
    map_regs,
    pointer,
    scalar,
)
from kfcheck.verifier.tnum import U64, t_add

MAX_VAR_OFF = 1 << 29  # BPF_MAX_VAR_OFF
BPF_F_RDONLY_PROG = 1 << 7
BPF_F_WRONLY_PROG = 1 << 8


def check_reg_read(st: State, regno: int, insn: int) -> Reg:
    """The register, which must have been written (``R%d !read_ok``)."""
    reg = st.reg(regno)
    if reg.base is Base.NOT_INIT:
        raise Reject(Msg.NOT_READ_OK, regno, insn=insn)
    return reg


def set_reg(st: State, regno: int, reg: Reg, insn: int) -> State:
    """Write a register (``frame pointer is read only`` for r10)."""
    if regno == FP:
        raise Reject(Msg.FP_READ_ONLY, insn=insn)
    return st.with_reg(regno, reg)


def _loaded(reg: Reg, size: int, signed: bool) -> Reg:
    """A loaded scalar narrowed to ``size`` bytes (``coerce_reg_to_size[_sx]``)."""
    if reg.base is not Base.SCALAR or size == 8:
        return reg
    coerce = sc.coerce_to_size_sx if signed else sc.coerce_to_size
    return replace(reg, s=coerce(reg.s, size), id=0)


def access(env: Env, st: State, insn: int, regno: int, off: int, size: int, write: bool,
           value: Reg | None, value_regno: int, signed: bool = False,
           atomic: bool = False) -> tuple[State, Reg | None]:
    """One load (``write`` False: return the loaded register) or store of ``size`` bytes at
    ``regno + off``. ``value`` is the stored register (None for ``BPF_ST``'s immediate)."""
    reg = st.reg(regno)
    base = reg.base
    if base is Base.PTR_TO_STACK:
        st, loaded = _stack(env, st, insn, regno, reg, off, size, write, value, value_regno)
        return st, None if loaded is None else _loaded(loaded, size, signed)
    if reg.maybe_null or base in (Base.SCALAR, Base.NOT_INIT, Base.PTR_TO_PACKET_END,
                                  Base.CONST_PTR_TO_MAP, Base.CONST_PTR_TO_DYNPTR):
        if base is Base.CONST_PTR_TO_MAP and not reg.maybe_null:
            raise Unsupported("loads from a map pointer", insn)
        raise Reject(Msg.INVALID_MEM_ACCESS, regno, reg.type_name, insn=insn)
    off += reg.off
    if base is Base.PTR_TO_MAP_VALUE:
        loaded = _map_value(env, st, insn, regno, reg, off, size, write, value, value_regno,
                            atomic)
    elif base is Base.PTR_TO_CTX:
        loaded = _ctx(env, st, insn, regno, reg, off, size, write, value, value_regno)
    elif base in (Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META):
        loaded = _packet(env, insn, regno, reg, off, size, write, value, value_regno)
    elif base is Base.PTR_TO_MEM:
        loaded = _mem(insn, regno, reg, off, size, write, value, value_regno)
    elif base is Base.PTR_TO_BTF_ID:
        loaded = btfptr.access(env, st, insn, regno, reg, off, size, write)
    elif base is Base.PTR_TO_MAP_KEY:
        loaded = _map_key(insn, regno, reg, off, size, write)
    elif base in _SOCK_ACCESS:
        loaded = _sock(insn, regno, reg, off, size, write)
    else:
        raise Unsupported(f"memory access through {reg.type_name}", insn)
    if loaded is not None:
        loaded = _loaded(loaded, size, signed)
    return st, loaded


_SOCK_ACCESS = {Base.PTR_TO_SOCKET: bpf_sock_access,
                Base.PTR_TO_SOCK_COMMON: bpf_sock_common_access,
                Base.PTR_TO_TCP_SOCK: bpf_tcp_sock_access}


def _sock(insn: int, regno: int, reg: Reg, off: int, size: int, write: bool) -> Reg | None:
    """``check_sock_access``: loads of the fields the socket's struct offers; no stores."""
    if write:
        raise Reject(Msg.CANNOT_WRITE, regno, reg.type_name, insn=insn)
    if not _SOCK_ACCESS[reg.base](off, size):
        raise Reject(Msg.SOCK_ACCESS, regno, reg.type_name, off, size, insn=insn)
    return SCALAR_UNKNOWN


# ---- atomic read-modify-write ----

# check_atomic: pointers atomics may not write through (reg_type_str names them)
_NO_ATOMIC = frozenset({Base.PTR_TO_CTX, Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META,
                        Base.PTR_TO_SOCKET, Base.PTR_TO_SOCK_COMMON, Base.PTR_TO_TCP_SOCK})


def atomic(env: Env, st: State, insn: Insn) -> State:
    """``BPF_STX | BPF_ATOMIC``: read the old value (into the fetch register, for the fetching
    forms), then write the same bytes; as ``check_atomic_rmw`` orders the checks."""
    idx, op = insn.index, insn.atomic_op
    if op is None or op in (AtomicOp.LOAD_ACQ, AtomicOp.STORE_REL):
        raise Unsupported("load-acquire and store-release instructions", idx)
    assert insn.size is not None
    size = insn.size.nbytes
    check_reg_read(st, insn.src, idx)
    check_reg_read(st, insn.dst, idx)
    if op is AtomicOp.CMPXCHG:
        check_reg_read(st, 0, idx)
    dst = st.reg(insn.dst)
    if dst.base in _NO_ATOMIC:
        raise Reject(Msg.ATOMIC_NOT_ALLOWED, insn.dst, dst.type_name, insn=idx)
    fetch = 0 if op is AtomicOp.CMPXCHG else insn.src if op & BPF_FETCH else -1
    if fetch >= 0:  # check_reg_arg(DST_OP): the fetch register is overwritten first
        st = set_reg(st, fetch, SCALAR_UNKNOWN, idx)
    _strictly_aligned(st.reg(insn.dst), insn.off, size, idx)
    st, old = access(env, st, idx, insn.dst, insn.off, size, False, None, fetch, atomic=True)
    if fetch >= 0:
        assert old is not None
        st = set_reg(st, fetch, old, idx)
    st, _ = access(env, st, idx, insn.dst, insn.off, size, True, None, -1, atomic=True)
    return st


_ALIGN_DESC = {Base.PTR_TO_MAP_KEY: "key ", Base.PTR_TO_MAP_VALUE: "value ",
               Base.PTR_TO_STACK: "stack ", Base.PTR_TO_SOCKET: "sock ",
               Base.PTR_TO_SOCK_COMMON: "sock_common ", Base.PTR_TO_TCP_SOCK: "tcp_sock "}


def _strictly_aligned(reg: Reg, off: int, size: int, insn: int) -> None:
    """``check_generic_ptr_alignment`` in strict mode (atomics always are): the address's
    known bits must be aligned to ``size``, whatever the register holds."""
    value, mask = t_add(reg.s.value, reg.s.mask, (reg.off + off) & U64, 0)
    if (value | mask) & (size - 1):
        desc = _ALIGN_DESC.get(reg.base, "") if not reg.flags else ""
        raise Reject(Msg.MISALIGNED, desc, sc.var_off_text(reg.s), reg.off, off, size,
                     insn=insn)
def _map_key(insn: int, regno: int, reg: Reg, off: int, size: int, write: bool) -> Reg | None:
    """A map key a callback was given: read-only, ``key_size`` bytes."""
    if write:
        raise Reject(Msg.CHANGE_KEY, regno, insn=insn)
    if not reg.s.is_const() or reg.s.value >= 1 << 63:
        raise Unsupported("variable-offset access to a map key", insn)
    assert reg.map is not None
    start = reg.s.value + off
    if start < 0 or start + size > reg.map.key_size:
        raise Reject(Msg.MAP_KEY_ACCESS, reg.map.key_size, start, size, insn=insn)
    return SCALAR_UNKNOWN


# ---- the stack ----


def destroy_dynptr(st: State, frameno: int, spi: int, idx: int) -> State:
    """``destroy_if_dynptr_stack_slot``: a write to slot ``spi`` of a dynptr invalidates both
    its slots and its slices; a referenced (ringbuf) dynptr may not be overwritten."""
    frame = st.frames[frameno]
    slot = frame.stack.get(spi)
    if slot is None or slot.dynptr is None or slot.kinds[0] is not SlotKind.DYNPTR:
        return st
    first = spi if slot.dynptr.first else spi + 1
    if slot.dynptr.ref_obj_id:
        raise Reject(Msg.DYNPTR_OVERWRITE_REF, insn=idx)
    stack = dict(frame.stack)
    stack[first] = StackSlot()
    stack[first - 1] = StackSlot()
    st = st.with_frame_at(frameno, replace(frame, stack=stack))
    return _invalidate_slices(st, slot.dynptr.id)


def _invalidate_slices(st: State, dyn_id: int) -> State:
    """Slices of the dynptr ``dyn_id`` become unknown scalars (``mark_reg_invalid``)."""
    return map_regs(st, lambda r: SCALAR_UNKNOWN if (r.base is Base.PTR_TO_MEM and r.dynptr_id
                                                    == dyn_id) else r)


def _stack(env: Env, st: State, insn: int, regno: int, reg: Reg, off: int, size: int,
           write: bool, value: Reg | None, value_regno: int = -1) -> tuple[State, Reg | None]:
    if not reg.s.is_const():
        return _stack_var(env, st, insn, regno, reg, off, size, write, value, value_regno)
    start = reg.s.value + reg.off + off
    if start % size:
        raise Reject(Msg.MISALIGNED, "stack ", sc.var_off_text(reg.s), reg.off, off, size,
                     insn=insn)
    if start < -STACK_SIZE or start + size > 0:
        what = " write to" if write else " read from"
        raise Reject(Msg.STACK_OFF_ANY, what, regno, reg.off + off, size, insn=insn)
    frame = st.frames[reg.frameno]
    if any(frame.stack.get(spi, StackSlot()).kinds[k] is SlotKind.IRQ_FLAG
           for spi, k in _slot_bytes(start, size)):
        raise Unsupported("loads and stores of a saved irq flag", insn)
    if any(frame.stack.get(spi, StackSlot()).kinds[k] is SlotKind.ITER
           for spi, k in _slot_bytes(start, size)):
        raise Unsupported("loads and stores of an iterator's stack slots", insn)
    if -start > env.stack_depth[frame.subprog]:
        env.stack_depth[frame.subprog] = -start
    if write:
        st = destroy_dynptr(st, reg.frameno, (-start - 1) // SLOT, insn)
        if value_regno >= 0:  # destroying a dynptr may have invalidated a slice it held
            value = st.frames[-1].regs[value_regno]
        if (value is not None and value_regno >= 0 and value.is_scalar and value.id == 0
                and start % SLOT == 0 and not value.s.is_const()
                and value.s.umax.bit_length() <= 8 * size):
            # assign_scalar_id_before_mov: the spill and its register share their bounds
            value = replace(value, id=env.new_id())
            st = st.with_reg(value_regno, value)
        frame = _stack_write(st.frames[reg.frameno], start, size, value, insn)
        if _spills(value, start):
            _record_access(env, reg.frameno, start)
        elif value is not None and value.is_null and value_regno >= 0:
            precision.mark(env, st, value_regno)  # the slot's bytes become STACK_ZERO
        return st.with_frame_at(reg.frameno, frame), None
    for i, (spi, k) in enumerate(_slot_bytes(start, size)):
        if frame.stack.get(spi, StackSlot()).kinds[k] is SlotKind.DYNPTR:
            raise Reject(Msg.STACK_READ, start, i, size, insn=insn)
    loaded, filled = _stack_read(frame, start, size, insn)
    if filled:
        _record_access(env, reg.frameno, start)
    return st, loaded


def _record_access(env: Env, frameno: int, start: int) -> None:
    """A spill or a fill: precision backtracking follows the value through the slot."""
    if env.path is not None:
        env.path.push_hist(stack_access(frameno, (-start - 1) // SLOT))


def _spills(value: Reg | None, start: int) -> bool:
    """Whether a write of ``value`` at ``start`` keeps the register in the slot (a spill)."""
    return value is not None and start % SLOT == 0 and (value.is_scalar or value.is_pointer)


_PLAIN_KINDS = frozenset({SlotKind.INVALID, SlotKind.SPILL, SlotKind.MISC, SlotKind.ZERO})


def _stack_var(env: Env, st: State, insn: int, regno: int, reg: Reg, off: int, size: int,
               write: bool, value: Reg | None,
               value_regno: int) -> tuple[State, Reg | None]:
    """A stack access at a variable offset (privileged: uninitialised bytes and spilled
    pointers in range are allowed): a write leaves unknown bytes (zero where a zero is
    written over zeros), a read gives zero only if every byte in range may be read as zero."""
    _strictly_aligned(reg, off, size, insn)
    what = " write to" if write else " read from"
    s = reg.s
    if s.smax >= MAX_VAR_OFF or s.smin <= -MAX_VAR_OFF:
        raise Reject(Msg.STACK_VAR_UNBOUNDED, what, regno, insn=insn)
    off += reg.off
    lo, hi = s.smin + off, s.smax + off + size
    if lo < -STACK_SIZE or hi > 0:
        raise Reject(Msg.STACK_VAR_OFF, what, regno, sc.var_off_text(s), off, size, insn=insn)
    frame = st.frames[reg.frameno]
    span = _slot_bytes(lo, hi - lo)
    stack = dict(frame.stack)
    if any(stack.get(spi, StackSlot()).kinds[k] not in _PLAIN_KINDS for spi, k in span):
        raise Unsupported("variable-offset access to a special stack slot", insn)
    if -lo > env.stack_depth[frame.subprog]:
        env.stack_depth[frame.subprog] = -lo
    if not write:
        zero = all(stack.get(spi, StackSlot()).kinds[k] is SlotKind.ZERO for spi, k in span)
        return st, const(0) if zero else SCALAR_UNKNOWN
    writing_zero = value is not None and value.is_null
    zero_used = False
    for spi in {spi for spi, _ in span}:
        old = stack.get(spi, StackSlot())
        kinds = [SlotKind.MISC if k is SlotKind.SPILL else k for k in old.kinds]
        for spi_i, k in span:
            if spi_i == spi:
                zero = writing_zero and old.kinds[k] is SlotKind.ZERO
                zero_used = zero_used or zero
                kinds[k] = SlotKind.ZERO if zero else SlotKind.MISC
        stack[spi] = StackSlot(tuple(kinds), None)
    if zero_used and value_regno >= 0:
        precision.mark(env, st, value_regno)
    return st.with_frame_at(reg.frameno, replace(frame, stack=stack)), None


def _slot_bytes(start: int, size: int) -> list[tuple[int, int]]:
    """(slot index, byte index) of each byte of ``[start, start + size)``, lowest first."""
    out = []
    for addr in range(start, start + size):
        spi, k = divmod(-addr - 1, SLOT)
        out.append((spi, k))
    return out


def _stack_write(frame: Frame, start: int, size: int, value: Reg | None,
                 insn: int) -> Frame:
    spi = (-start - 1) // SLOT
    stack = dict(frame.stack)
    old = stack.get(spi, StackSlot())
    # value None: a BPF_ATOMIC write, which leaves unknown bytes (BPF_ST's immediate comes as
    # a constant register)
    if _spills(value, start):
        assert value is not None
        if value.is_pointer and size != SLOT:
            raise Reject(Msg.SPILL_SIZE, insn=insn)
        kinds = list(old.kinds)
        for k in range(SLOT - size, SLOT):
            kinds[k] = SlotKind.SPILL
        for k in range(SLOT - size):
            if kinds[k] not in (SlotKind.ZERO, SlotKind.INVALID):
                kinds[k] = SlotKind.MISC
        stack[spi] = StackSlot(tuple(kinds), value)
        return replace(frame, stack=stack)
    zero = value is not None and value.is_null
    kind = SlotKind.ZERO if zero else SlotKind.MISC
    for spi_i, k in _slot_bytes(start, size):
        slot = stack.get(spi_i, StackSlot())
        kinds = list(slot.kinds)
        kinds[k] = kind
        spilled = slot.spilled
        if spilled is not None and SlotKind.SPILL not in kinds:
            spilled = None
        if spilled is not None:  # a partly overwritten spill is no longer a spill
            kinds = [SlotKind.MISC if x is SlotKind.SPILL else x for x in kinds]
            spilled = None
        stack[spi_i] = StackSlot(tuple(kinds), spilled)
    return replace(frame, stack=stack)


def _stack_read(frame: Frame, start: int, size: int, insn: int) -> tuple[Reg, bool]:
    """The value read, and whether it is the spilled register (a fill)."""
    spi = (-start - 1) // SLOT
    slot = frame.stack.get(spi, StackSlot())
    if slot.spilled is not None and slot.kinds[SLOT - 1] is SlotKind.SPILL:
        spill_size = 0
        for k in range(SLOT - 1, -1, -1):
            if slot.kinds[k] is not SlotKind.SPILL:
                break
            spill_size += 1
        reg = slot.spilled
        if size == SLOT and spill_size == SLOT:
            return reg, True
        if reg.base is not Base.SCALAR:
            raise Reject(Msg.FILL_SIZE, insn=insn)
        if size <= spill_size and start % SLOT == 0:
            return (reg if reg.s.is_const() or size >= spill_size else replace(reg, id=0)), True
        kinds = [slot.kinds[k] for _, k in _slot_bytes(start, size)]
        if all(k is SlotKind.ZERO for k in kinds):
            return const(0), False
        return SCALAR_UNKNOWN, False
    kinds = [frame.stack.get(s, StackSlot()).kinds[k] for s, k in _slot_bytes(start, size)]
    if all(k is SlotKind.ZERO for k in kinds):
        return const(0), False
    return SCALAR_UNKNOWN, False  # uninitialised bytes read as unknown (allow_uninit_stack)


# ---- map values ----


def _map_caps(reg: Reg) -> tuple[bool, bool]:
    """(can read, can write) for program access to the map's values."""
    assert reg.map is not None
    flags = reg.map.map_flags
    return not flags & BPF_F_WRONLY_PROG, not flags & BPF_F_RDONLY_PROG


def _map_value(env: Env, st: State, insn: int, regno: int, reg: Reg, off: int, size: int,
               write: bool, value: Reg | None, value_regno: int, atomic: bool) -> Reg | None:
    m = reg.map
    assert m is not None
    can_read, can_write = _map_caps(reg)
    if write and not can_write:
        raise Reject(Msg.MAP_WRITE_FORBIDDEN, m.value_size, off, size, insn=insn)
    if not write and not can_read:
        raise Reject(Msg.MAP_READ_FORBIDDEN, m.value_size, off, size, insn=insn)
    region(insn, regno, reg, off, size, m.value_size, "map value")
    kptr.check_fields(env, insn, reg, off, size, True)
    loaded = kptr.access(env, st, insn, reg, off, write, value, value_regno, atomic)
    if loaded is not kptr.NOT_KPTR:
        return loaded
    if write:
        return None
    if (reg.s.is_const() and m.frozen and m.map_flags & BPF_F_RDONLY_PROG
            and m.role in (MapRole.RODATA, MapRole.KCONFIG)):
        at = off + reg.s.value
        data = m.initial[at:at + size].ljust(size, b"\0")
        return const(int.from_bytes(data, "little"))
    return SCALAR_UNKNOWN


def region(insn: int, regno: int, reg: Reg, off: int, size: int, mem_size: int,
           what: str, zero_size_ok: bool = False) -> None:
    """``check_mem_region_access``: ``[off + var_off, + size)`` inside ``mem_size`` bytes."""
    s = reg.s
    if s.smin < 0 and (s.smin == sc.S64_MIN or not -(1 << 31) <= off + s.smin < (1 << 31)
                       or s.smin + off < 0):
        raise Reject(Msg.MIN_NEGATIVE, regno, insn=insn)
    if not _fits(s.smin + off, size, mem_size, zero_size_ok):
        raise Reject(Msg.MIN_OUTSIDE, regno, insn=insn,
                     before=_region_line(what, mem_size, s.smin + off, size))
    if s.umax >= MAX_VAR_OFF:
        raise Reject(Msg.UNBOUNDED_ACCESS, regno, insn=insn)
    if not _fits(s.umax + off, size, mem_size, zero_size_ok):
        raise Reject(Msg.MAX_OUTSIDE, regno, insn=insn,
                     before=_region_line(what, mem_size, s.umax + off, size))


def _fits(off: int, size: int, mem_size: int, zero_size_ok: bool) -> bool:
    return off >= 0 and (size > 0 or (size == 0 and zero_size_ok)) and off + size <= mem_size


def _region_line(what: str, mem_size: int, off: int, size: int) -> str:
    off = sc.sx32(off & 0xFFFFFFFF)
    if what == "map value":
        return Msg.MAP_VALUE_ACCESS.format(mem_size, off, size)
    if what == "map key":
        return Msg.MAP_KEY_ACCESS.format(mem_size, off, size)
    return Msg.MEM_ACCESS.format(mem_size, off, size)


# ---- memory regions ----


def _mem(insn: int, regno: int, reg: Reg, off: int, size: int, write: bool,
         value: Reg | None, value_regno: int) -> Reg | None:
    rdonly = bool(reg.flags & TF.RDONLY)
    if write and rdonly:
        raise Reject(Msg.CANNOT_WRITE, regno, reg.type_name, insn=insn)
    if not (rdonly and reg.flags & TF.UNTRUSTED):  # untrusted memory: probe reads
        region(insn, regno, reg, off, size, reg.mem_size, "mem")
    return None if write else SCALAR_UNKNOWN


# ---- packets ----


def _packet(env: Env, insn: int, regno: int, reg: Reg, off: int, size: int, write: bool,
            value: Reg | None, value_regno: int) -> Reg | None:
    if write and not env.info.pkt_write:
        raise Reject(Msg.CANNOT_WRITE_PACKET, insn=insn)
    if reg.s.smin < 0:
        raise Reject(Msg.MIN_NEGATIVE, regno, insn=insn)
    if not _fits(off, size, reg.range, False):
        raise Reject(Msg.PACKET_OUTSIDE, regno, insn=insn,
                     before=Msg.PACKET_ACCESS.format(off, size, regno, reg.id, off, reg.range))
    return None if write else SCALAR_UNKNOWN


# ---- the context ----


def _ctx(env: Env, st: State, insn: int, regno: int, reg: Reg, off: int, size: int,
         write: bool, value: Reg | None, value_regno: int) -> Reg | None:
    if reg.off < 0:
        raise Reject(Msg.CTX_NEGATIVE, reg.type_name, regno, reg.off, insn=insn)
    if reg.off:
        raise Reject(Msg.CTX_MODIFIED, reg.type_name, regno, reg.off, insn=insn)
    if not reg.s.is_const() or reg.s.value:
        raise Unsupported("variable-offset context access", insn)
    ctx_access = env.info.ctx_access or btfptr.btf_ctx
    field = ctx_access(off, size, write, env)
    if field is None:
        raise Reject(Msg.CTX_ACCESS, off, size, insn=insn)
    if write:
        return None
    return _ctx_value(env, field)


def _ctx_value(env: Env, field: CtxField) -> Reg:
    if field.base is Base.SCALAR:
        return SCALAR_UNKNOWN
    loaded = pointer(field.base, field.flags, btf_id=field.btf_id)
    if field.flags & TF.MAYBE_NULL:
        loaded = replace(loaded, id=env.new_id())
    return loaded


def imm_value(imm: int) -> Reg:
    """The register a ``BPF_ST`` stores: its immediate, sign-extended."""
    return scalar(sc.Scalar.const(imm & ((1 << 64) - 1)))


def imm_value64(imm64: int) -> Reg:
    """The register an ``ld_imm64`` of a plain 64-bit constant loads."""
    return scalar(sc.Scalar.const(imm64))


# ---- memory passed to helpers ----


def helper_mem(env: Env, st: State, idx: int, regno: int, size: int, write: bool,
                zero_ok: bool = False, raw: bool = False) -> State:
    """``check_helper_mem_access``: the helper reads or writes ``size`` bytes at ``regno``
    (``raw``: a helper's uninitialised memory, which may not overlap a dynptr)."""
    reg = st.reg(regno)
    if reg.base is Base.PTR_TO_STACK:
        if not reg.s.is_const():
            raise Unsupported("variable-offset stack memory passed to a helper", idx)
        start = reg.s.value + reg.off
        if size == 0 and zero_ok:
            return st
        if size == 0:  # check_stack_range_initialized
            raise Reject(Msg.ZERO_SIZED_READ, insn=idx)
        if start < -512 or start + size > 0:
            raise Reject(Msg.STACK_OFF_ANY, " write to" if write else " read from", regno,
                         reg.off, size, insn=idx)
        if any(st.frames[reg.frameno].stack.get(spi, StackSlot()).kinds[k] is SlotKind.ITER
               for spi, k in _slot_bytes(start, size)):
            raise Unsupported("an iterator's stack slots passed as helper memory", idx)
        for addr, (spi, k) in zip(range(start, start + size), _slot_bytes(start, size),
                                  strict=True):
            if st.frames[reg.frameno].stack.get(spi, StackSlot()).kinds[k] is SlotKind.DYNPTR:
                if write and raw:
                    raise Reject(Msg.DYNPTR_RAW_WRITE, addr, insn=idx)
                raise Unsupported("a dynptr's stack slots passed as memory", idx)
        if write:  # the helper fills the bytes: they become initialised (STACK_MISC)
            for i in range(size):
                st, _ = access(env, st, idx, regno, i, 1, True, SCALAR_UNKNOWN, -1)
        return st
    if reg.base in (Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META):
        if size == 0 and zero_ok:
            return st
        if reg.s.smin < 0 or reg.off + size > reg.range:
            raise Reject(Msg.PACKET_OUTSIDE, regno, insn=idx,
                         before=Msg.PACKET_ACCESS.format(reg.off, size, regno, reg.id,
                                                         reg.off, reg.range))
        return st
    if reg.base is Base.PTR_TO_MAP_VALUE:
        assert reg.map is not None
        if write and reg.map.map_flags & BPF_F_RDONLY_PROG:
            raise Reject(Msg.MAP_WRITE_FORBIDDEN, reg.map.value_size,
                         reg.off + reg.s.value, size, insn=idx)
        region(idx, regno, reg, reg.off, size, reg.map.value_size, "map value", zero_ok)
        kptr.check_fields(env, idx, reg, reg.off, size, False)
        return st
    if reg.base is Base.PTR_TO_MEM:
        if write and reg.flags & TF.RDONLY:
            raise Reject(Msg.CANNOT_WRITE, regno, reg.type_name, insn=idx)
        region(idx, regno, reg, reg.off, size, reg.mem_size, "mem", zero_ok)
        return st
    if reg.base is Base.PTR_TO_MAP_KEY:  # a callback's key: read only
        assert reg.map is not None
        if write:
            raise Reject(Msg.CANNOT_WRITE, regno, reg.type_name, insn=idx)
        region(idx, regno, reg, reg.off, size, reg.map.key_size, "map key")
        return st
    raise Unsupported(f"helper memory access through {reg.type_name}", idx)
