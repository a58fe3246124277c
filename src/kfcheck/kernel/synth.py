"""Probe programs: one kfunc called with synthesized arguments, for ``kfcheck table probe``.

Arguments come from the prototype and its annotations: scalars (0), NULL for ``__nullable`` /
``__opt``, zeroed stack memory (sized by the next ``__sz`` argument), the context, iterators on
the stack (``bpf_iter_<type>_new`` first, ``_destroy`` before exit), dynptrs over a map value
(``bpf_dynptr_from_mem``), ``__str`` strings in a frozen read-only map, objects of program BTF
types (``bpf_obj_new``), and pointers to
kernel structs from a producer (a kfunc or helper, see ``PRODUCERS``) whose reference, if any,
is dropped before exit. Producers' own arguments are synthesized the same way. Which kfunc
acquires, releases or may return NULL is read from the table: a wrong table entry makes the
program fail to load, never makes a probe agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kfcheck.btf import Btf, BtfType, Kind, Member, Param
from kfcheck.btf.encode import encode_btf
from kfcheck.isa import asm
from kfcheck.isa.opcodes import AluOp, JmpOp, Size
from kfcheck.profile.kfuncs.schema import (
    ITER_FLAGS,
    Annotation,
    Family,
    KfFlag,
    KfuncSpec,
    SetDef,
)
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.uapi import AttachType, HelperId, ProgType

STACK_LIMIT = 512
BUF = 64  # bytes of stack per memory argument
DYNPTR_SIZE = 16


class Unsynth(Exception):
    """An argument the probe cannot synthesize (the message says which and why)."""


# ---- program types ----


@dataclass(frozen=True, slots=True)
class Target:
    """A program type as loaded for probing (with the attach details it needs to load)."""

    key: str
    prog_type: ProgType
    attach_type: int = 0
    attach_to: str = ""  # BTF name whose id goes in attach_btf_id
    attach_kind: Kind = Kind.FUNC
    member: str = ""  # struct_ops: the member whose index is the expected attach type
    sleepable: bool = False
    ret: int = 0
    ctx: str = ""  # UAPI context struct
    kctx: str = ""  # kernel context struct (bpf_cast_to_kern_ctx)


_SKB, _KSKB = "__sk_buff", "sk_buff"
TARGETS: tuple[Target, ...] = (
    Target("socket", ProgType.SOCKET_FILTER, ctx=_SKB, kctx=_KSKB),
    Target("tc", ProgType.SCHED_CLS, ctx=_SKB, kctx=_KSKB),
    Target("action", ProgType.SCHED_ACT, ctx=_SKB, kctx=_KSKB),
    Target("xdp", ProgType.XDP, ret=2, ctx="xdp_md", kctx="xdp_buff"),
    Target("raw_tp", ProgType.RAW_TRACEPOINT),
    Target("tp", ProgType.TRACEPOINT),
    Target("perf_event", ProgType.PERF_EVENT),
    Target("kprobe", ProgType.KPROBE),
    Target("kprobe.session", ProgType.KPROBE, AttachType.TRACE_KPROBE_SESSION),
    Target("syscall.s", ProgType.SYSCALL, sleepable=True),
    Target("cgroup_skb", ProgType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, ret=1,
           ctx=_SKB, kctx=_KSKB),
    Target("cgroup_sock", ProgType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, ret=1),
    Target("cgroup_sock_addr", ProgType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT,
           ret=1, ctx="bpf_sock_addr", kctx="bpf_sock_addr_kern"),
    Target("cgroup_device", ProgType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE, ret=1),
    Target("cgroup_sysctl", ProgType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, ret=1),
    Target("sockops", ProgType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, ret=1,
           ctx="bpf_sock_ops", kctx="bpf_sock_ops_kern"),
    Target("lwt_in", ProgType.LWT_IN, ctx=_SKB, kctx=_KSKB),
    Target("lwt_xmit", ProgType.LWT_XMIT, ctx=_SKB, kctx=_KSKB),
    Target("sk_skb", ProgType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, ctx=_SKB, kctx=_KSKB),
    Target("sk_msg", ProgType.SK_MSG, AttachType.SK_MSG_VERDICT),
    Target("sk_lookup", ProgType.SK_LOOKUP, AttachType.SK_LOOKUP),
    Target("netfilter", ProgType.NETFILTER, AttachType.NETFILTER, ret=1, ctx="bpf_nf_ctx"),
    Target("tp_btf", ProgType.TRACING, AttachType.TRACE_RAW_TP, "btf_trace_sched_switch",
           Kind.TYPEDEF),
    Target("iter", ProgType.TRACING, AttachType.TRACE_ITER, "bpf_iter_task"),
    Target("iter.s", ProgType.TRACING, AttachType.TRACE_ITER, "bpf_iter_task", sleepable=True),
    Target("fentry", ProgType.TRACING, AttachType.TRACE_FENTRY, "bpf_fentry_test1"),
    Target("lsm", ProgType.LSM, AttachType.LSM_MAC, "bpf_lsm_file_open"),
    Target("struct_ops", ProgType.STRUCT_OPS, 0, "tcp_congestion_ops", Kind.STRUCT,
           member="ssthresh"),
)
TARGET_BY_KEY = {t.key: t for t in TARGETS}


def set_allows(sdef: SetDef, target: Target) -> bool:
    """Whether a kfunc set lets ``target`` call its kfuncs (``SetDef.access``: the COMMON hook
    or the program type's hook, then the set's filter on program and attach type)."""
    return sdef.access.allows(target.prog_type, target.attach_type)


def table_allows(spec: KfuncSpec, target: Target) -> bool:
    """The table's answer to "may ``target`` call this kfunc" (``KfuncSpec.allows``)."""
    return spec.allows(target.prog_type, target.attach_type)


# ---- program BTF (for bpf_obj_new and friends) ----


@dataclass(frozen=True, slots=True)
class ProgBtf:
    """The program BTF of probes that allocate objects: a plain struct, a refcounted one, and
    the FUNC the single ``func_info`` record names (without it the kernel ignores the BTF)."""

    data: bytes
    func_info: bytes
    plain: int
    refcounted: int
    int_type: int = 1
    locked: int = 0  # a struct holding a bpf_spin_lock (the value type of ``Maps.locked``)


@dataclass(frozen=True, slots=True)
class Maps:
    """The maps probe programs point into (fds; -1 when not created, e.g. without a kernel):
    an array of ``BUF``-byte values for dynptr data, and a frozen read-only array holding
    ``STRING`` for ``__str`` arguments."""

    data: int = -1
    string: int = -1
    locked: int = -1  # an array of ``ProgBtf.locked`` values (a bpf_spin_lock at offset 0)
    arena: int = -1  # a one-page arena: the program of an arena kfunc (KF_ARENA_*) uses it
    no_arena: str = ""  # why there is no arena map (its creation failed)


STRING = b"kfcheck\0"
LOCKED_SIZE = 8


def locked_program(target: Target, maps: Maps, call: bytes) -> bytes:
    """``bpf_spin_lock``; ``call``; ``bpf_spin_unlock``; exit: what may be called while a lock
    is held (``function calls are not allowed while holding a lock`` is checked before the
    call itself, so a bare call tells)."""
    if maps.locked < 0:
        raise Unsynth("spin lock: needs a map (not created)")
    lock = asm.ld_map_value(1, maps.locked, 0)
    return b"".join((lock, asm.call_helper(HelperId.spin_lock), call, lock,
                     asm.call_helper(HelperId.spin_unlock), asm.mov64_imm(0, target.ret),
                     asm.exit_()))


def prog_btf() -> ProgBtf:
    """Encode the probe programs' BTF."""
    types = [
        BtfType(1, Kind.INT, "int", size=4, int_encoding=1, int_bits=32),
        BtfType(2, Kind.STRUCT, "bpf_refcount", size=4, members=(Member("rc", 1, 0),)),
        BtfType(3, Kind.STRUCT, "kfcheck_plain", size=8,
                members=(Member("a", 1, 0), Member("b", 1, 32))),
        BtfType(4, Kind.STRUCT, "kfcheck_counted", size=8,
                members=(Member("a", 1, 0), Member("ref", 2, 32))),
        BtfType(5, Kind.FUNC_PROTO, type=1, params=(Param("ctx", 6),)),
        BtfType(6, Kind.PTR, type=0),
        BtfType(7, Kind.FUNC, "kfcheck_probe", type=5, linkage=1),
        BtfType(8, Kind.STRUCT, "bpf_spin_lock", size=4, members=(Member("val", 1, 0),)),
        BtfType(9, Kind.STRUCT, "kfcheck_locked", size=8,
                members=(Member("lock", 8, 0), Member("a", 1, 32))),
    ]
    func_info = (0).to_bytes(4, "little") + (7).to_bytes(4, "little")
    return ProgBtf(encode_btf(types), func_info, plain=3, refcounted=4, int_type=1, locked=9)


# ---- producers ----


@dataclass(frozen=True, slots=True)
class Producer:
    """A way to get a pointer to a struct: a kfunc (its arguments synthesized) or, with
    ``call`` empty, ``bpf_get_current_task_btf()``; ``release`` drops its reference (empty: the
    pointer holds none, or none that a kfunc other than the one probed can drop);
    ``local``: the program BTF type of ``bpf_obj_new``."""

    call: str
    release: str = ""
    local: str = ""


_OBJ = (Producer("bpf_obj_new_impl", "bpf_obj_drop_impl", "plain"),)
_TASK = (Producer(""), Producer("bpf_task_from_pid", "bpf_task_release"))
_CGROUP = (Producer("bpf_cgroup_from_id", "bpf_cgroup_release"),)
_CPUMASK = (Producer("bpf_cpumask_create", "bpf_cpumask_release"),)
PRODUCERS: dict[str, tuple[Producer, ...]] = {
    "task_struct": _TASK,
    "cgroup": _CGROUP,
    "cgroup_subsys_state": _CGROUP,  # struct cgroup begins with its css
    "bpf_cpumask": _CPUMASK,
    "cpumask": _CPUMASK,
    "bpf_crypto_ctx": (Producer("bpf_crypto_ctx_create", "bpf_crypto_ctx_release"),),
    "bpf_key": (Producer("bpf_lookup_system_key", "bpf_key_put"),
                Producer("bpf_lookup_user_key", "bpf_key_put")),
    "nf_conn": (Producer("bpf_skb_ct_lookup", "bpf_ct_release"),
                Producer("bpf_xdp_ct_lookup", "bpf_ct_release")),
    # bpf_ct_release refuses nf_conn___init: only bpf_ct_insert_entry consumes it
    "nf_conn___init": (Producer("bpf_skb_ct_alloc"), Producer("bpf_xdp_ct_alloc")),
    "xfrm_state": (Producer("bpf_xdp_get_xfrm_state", "bpf_xdp_xfrm_state_release"),),
    "file": (Producer("bpf_get_task_exe_file", "bpf_put_file"),),
    Annotation.ALLOC.value: _OBJ,
    Annotation.REFCOUNTED_KPTR.value: (
        Producer("bpf_obj_new_impl", "bpf_obj_drop_impl", "refcounted"),),
    "percpu" + Annotation.ALLOC.value: (
        Producer("bpf_percpu_obj_new_impl", "bpf_percpu_obj_drop_impl", "plain"),),
}


# ---- assembling ----


@dataclass(slots=True)
class Asm:
    """Instructions with forward conditional jumps (``reg == imm``) to named labels."""

    code: list[bytes] = field(default_factory=list)
    fixups: list[tuple[int, str, JmpOp, int, int]] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)

    @property
    def index(self) -> int:
        """The next instruction's index."""
        return sum(len(c) for c in self.code) // 8

    def emit(self, *insns: bytes) -> None:
        """Append instructions."""
        self.code.extend(insns)

    def jump(self, op: JmpOp, reg: int, imm: int, label: str) -> None:
        """A conditional jump to ``label`` (resolved by ``assemble``)."""
        self.fixups.append((len(self.code), label, op, reg, imm))
        self.code.append(asm.jmp_imm(op, reg, imm, 0))

    def label(self, name: str) -> None:
        """Name the next instruction."""
        self.labels[name] = self.index

    def assemble(self) -> bytes:
        """The program bytes with jump offsets filled in."""
        for pos, label, op, reg, imm in self.fixups:
            here = sum(len(c) for c in self.code[:pos]) // 8
            self.code[pos] = asm.jmp_imm(op, reg, imm, self.labels[label] - here - 1)
        return b"".join(self.code)


@dataclass(frozen=True, slots=True)
class Built:
    """A probe program: its bytes, the probed call's index, the call indexes of the referenced
    objects passed to it, and whether it needs the program BTF."""

    insns: bytes
    call_at: int
    passed_refs: tuple[int, ...]
    uses_btf: bool
    untrusted_reg: int = 0  # the argument register given an untrusted pointer (0: none)


@dataclass(frozen=True, slots=True)
class Synth:
    """What argument synthesis needs besides the kfunc: kernel BTF, table, program type."""

    btf: Btf
    table: KfuncTable
    target: Target
    types: ProgBtf
    maps: Maps = Maps()

    def build(self, spec: KfuncSpec, after_call: Callable[[Asm], None] | None = None, *,
              referenced: bool = False, consumed: bool = False, twice: bool = False,
              untrusted: bool = False) -> Built:
        """``spec`` called with synthesized arguments, then ``after_call``, then the cleanups
        (references dropped, iterators destroyed) in reverse order and exit. A NULL from a
        producer jumps to the cleanups of the objects made before it.

        ``referenced``: pass referenced objects where a producer makes one; ``consumed``: do
        not drop the references passed to the call (it released them); ``twice``: call it a
        second time with the same arguments; ``untrusted``: pass the first kernel-object pointer
        argument as an untrusted pointer (``bpf_rdonly_cast``) instead of a produced one."""
        prog = _Program(self, referenced, untrusted)
        moves = prog.arguments(spec, top=True)
        prog.asm.emit(*moves)
        call_at = prog.asm.index
        prog.asm.emit(asm.call_kfunc(spec.btf_id))
        if twice:
            prog.asm.emit(*moves, asm.call_kfunc(spec.btf_id))
        if after_call is not None:
            after_call(prog.asm)
        return Built(prog.finish(consumed), call_at, tuple(prog.passed_refs), prog.uses_btf,
                     prog.untrusted_reg)


@dataclass(slots=True)
class _Cleanup:
    """Instructions run before exit (None: the reference cannot be dropped); ``passed``: a
    reference passed to the probed call."""

    code: bytes | None
    passed: bool = False
    what: str = ""


class _Program:
    """One probe program under construction."""

    def __init__(self, synth: Synth, referenced: bool, untrusted: bool = False) -> None:
        self.s = synth
        self.asm = Asm()
        self.asm.emit(asm.mov64_reg(6, 1))
        self.stack = 0
        self.cleanups: list[_Cleanup] = []
        self.passed_refs: list[int] = []
        self.busy: set[str] = set()
        self.uses_btf = False
        self.referenced = referenced
        self.untrusted = untrusted
        self.untrusted_reg = 0

    def alloc(self, size: int) -> int:
        """Reserve stack; return its (negative, 8-aligned) offset from r10."""
        self.stack += (size + 7) // 8 * 8
        if self.stack > STACK_LIMIT:
            raise Unsynth(f"needs more than {STACK_LIMIT} bytes of stack")
        return -self.stack

    def finish(self, consumed: bool) -> bytes:
        a = self.asm
        for k in range(len(self.cleanups), 0, -1):
            a.label(f"rel{k}")
            c = self.cleanups[k - 1]
            if c.passed and consumed:
                continue
            if c.code is None:
                raise Unsynth(f"no kfunc releases {c.what} here")
            a.emit(c.code)
        a.label("rel0")
        a.emit(asm.mov64_imm(0, self.s.target.ret), asm.exit_())
        return a.assemble()

    def fid(self, name: str) -> int:
        spec = self.s.table.by_name(name)
        if spec is not None:
            return spec.btf_id
        funcs = self.s.btf.by_name(name, Kind.FUNC)
        if not funcs:
            raise Unsynth(f"no FUNC {name}")
        return funcs[0].id

    def arguments(self, spec: KfuncSpec, top: bool = False, local: str = "",
                  first: int = 0) -> list[bytes]:
        """Emit what ``spec``'s arguments (from ``first`` on) need; return the moves into r1-r5
        (emitted by the caller right before the call, as producers clobber r0-r5)."""
        self.busy.add(spec.name)
        moves = [self.argument(spec, i, top, local) for i in range(first, len(spec.args))]
        self.busy.discard(spec.name)
        return moves

    def argument(self, spec: KfuncSpec, i: int, top: bool, local: str) -> bytes:
        arg = spec.args[i]
        reg, ann, btf = i + 1, arg.annotation, self.s.btf
        t = btf[btf.resolve(arg.type_id)] if arg.type_id else None
        obj_new = spec.families & {Family.OBJ_NEW, Family.PERCPU_OBJ_NEW}
        if obj_new and i == 0:
            self.uses_btf = True
            types = self.s.types
            return asm.mov64_imm(reg, types.refcounted if local == "refcounted" else types.plain)
        if ann is Annotation.SZ or (ann is Annotation.SZK and i > 0):
            return asm.mov64_imm(reg, 0 if _nullable(spec, i - 1) else BUF)
        if ann in (Annotation.IGN, Annotation.K, Annotation.SZK) or (
                t is not None and t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64)):
            return asm.mov64_imm(reg, 0)
        if t is None or t.kind is not Kind.PTR:
            raise Unsynth(f"argument {arg.name}: not a scalar or pointer")
        if _nullable(spec, i):
            return asm.mov64_imm(reg, 0)
        pointee = btf[btf.resolve(t.type)] if t.type else None
        name = pointee.name if pointee is not None else ""
        if ann is Annotation.ITER or (i == 0 and spec.flags & ITER_FLAGS):
            return self.iterator(spec, name, reg)
        if name == "bpf_dynptr":
            return self.dynptr(reg, init=ann is not Annotation.UNINIT)
        if ann is Annotation.ALLOC:
            key = ("percpu" if Family.PERCPU_OBJ_DROP in spec.families else "") + ann.value
            return self.produce(PRODUCERS[key], reg, top, key)
        if ann is Annotation.REFCOUNTED_KPTR:
            return self.produce(PRODUCERS[ann.value], reg, top, ann.value)
        if ann is Annotation.STR:
            return asm.ld_map_value(reg, self.map_fd(self.s.maps.string, "__str"), 0)
        if ann in (Annotation.MAP, Annotation.PROG, Annotation.IRQ_FLAG):
            raise Unsynth(f"argument {arg.name}: {ann.value} argument")
        target = self.s.target
        if Family.CTX_ARG in spec.families or (name and name == target.ctx):
            return asm.mov64_reg(reg, 6)
        kernel_object = pointee is not None and pointee.kind is Kind.STRUCT and (
            name in PRODUCERS or name == target.kctx)
        if kernel_object and top and self.untrusted and not self.untrusted_reg:
            assert pointee is not None
            self.untrusted_reg = reg
            return self.untrusted_ptr(reg, pointee.id)
        if pointee is not None and pointee.kind is Kind.STRUCT and name in PRODUCERS:
            return self.produce(PRODUCERS[name], reg, top, f"struct {name}")
        if name and name == target.kctx:
            return self.produce((Producer("bpf_cast_to_kern_ctx"),), reg, top, f"struct {name}")
        nxt = spec.args[i + 1] if i + 1 < len(spec.args) else None
        sized = nxt is not None and nxt.annotation is Annotation.SZ
        scalar = pointee is None or self.scalar_struct(pointee.id)
        if sized or ann is Annotation.UNINIT or (
                scalar and pointee is not None and btf.size_of(pointee.id) <= BUF):
            return self.zeroed(reg)
        what = btf.type_str(pointee.id).strip() if pointee is not None else "void"
        raise Unsynth(f"argument {arg.name}: pointer to {what}")

    def untrusted_ptr(self, reg: int, struct_id: int) -> bytes:
        """``reg`` = ``bpf_rdonly_cast(0, struct_id)``: an untrusted pointer to the struct."""
        off = self.alloc(8)
        self.asm.emit(asm.mov64_imm(1, 0), asm.mov64_imm(2, struct_id),
                      asm.call_kfunc(self.fid("bpf_rdonly_cast")), asm.stx(Size.DW, 10, 0, off))
        return asm.ldx(Size.DW, reg, 10, off)

    def zeroed(self, reg: int) -> bytes:
        """``reg`` = zeroed stack memory of ``BUF`` bytes."""
        off = self.alloc(BUF)
        for word in range(0, BUF, 8):
            self.asm.emit(asm.st(Size.DW, 10, off + word, 0))
        return _stack_ptr(reg, off)

    def dynptr(self, reg: int, init: bool) -> bytes:
        """``reg`` = a dynptr slot: for ``init``, a local dynptr over a map value (the helper
        takes no other memory)."""
        off = self.alloc(DYNPTR_SIZE)
        if init:
            data = self.map_fd(self.s.maps.data, "dynptr")
            self.asm.emit(asm.ld_map_value(1, data, 0), asm.mov64_imm(2, BUF),
                          asm.mov64_imm(3, 0), _stack_ptr(4, off),
                          asm.call_helper(HelperId.dynptr_from_mem))
        return _stack_ptr(reg, off)

    @staticmethod
    def map_fd(fd: int, what: str) -> int:
        if fd < 0:
            raise Unsynth(f"{what} argument: needs a map (not created)")
        return fd

    def iterator(self, spec: KfuncSpec, struct: str, reg: int) -> bytes:
        """``reg`` = an iterator slot: created by ``bpf_iter_<type>_new`` unless ``spec`` is
        that constructor, destroyed before exit unless ``spec`` is the destructor."""
        kind = struct.removeprefix("bpf_iter_")
        if not struct.startswith("bpf_iter_") or not kind:
            raise Unsynth(f"iterator argument of type struct {struct}")
        found = self.s.btf.by_name(struct, Kind.STRUCT)
        if not found:
            raise Unsynth(f"no struct {struct}")
        off = self.alloc(self.s.btf.size_of(found[0].id))
        if not spec.has(KfFlag.KF_ITER_NEW):
            new = self.s.table.by_name(f"bpf_iter_{kind}_new")
            if new is None:
                raise Unsynth(f"no bpf_iter_{kind}_new in the table")
            moves = self.arguments(new, first=1)  # the first is the iterator slot
            self.asm.emit(*moves, _stack_ptr(1, off), asm.call_kfunc(new.btf_id))
        if not spec.has(KfFlag.KF_ITER_DESTROY):
            destroy = self.fid(f"bpf_iter_{kind}_destroy")
            self.cleanups.append(_Cleanup(_stack_ptr(1, off) + asm.call_kfunc(destroy)))
        return _stack_ptr(reg, off)

    def produce(self, cands: tuple[Producer, ...], reg: int, top: bool, what: str) -> bytes:
        """``reg`` = a pointer from the first usable producer (for a referenced top-level
        argument: the first that gives a referenced one), kept in a stack slot."""
        prod, spec = self.pick(cands, top and self.referenced, what)
        if spec is None:
            self.asm.emit(asm.call_helper(HelperId.get_current_task_btf))
        else:
            self.asm.emit(*self.arguments(spec, local=prod.local), asm.call_kfunc(spec.btf_id))
        call_at = self.asm.index - 1
        if spec is not None and spec.has(KfFlag.KF_RET_NULL):
            self.asm.jump(JmpOp.JEQ, 0, 0, f"rel{len(self.cleanups)}")
        off = self.alloc(8)
        self.asm.emit(asm.stx(Size.DW, 10, 0, off))
        if spec is not None and spec.has(KfFlag.KF_ACQUIRE):
            code = None
            if prod.release:
                release = self.s.table.by_name(prod.release)
                extra = len(release.args) - 1 if release is not None else 0
                code = (asm.ldx(Size.DW, 1, 10, off)
                        + b"".join(asm.mov64_imm(r, 0) for r in range(2, 2 + extra))
                        + asm.call_kfunc(self.fid(prod.release)))
            self.cleanups.append(_Cleanup(code, top, what))
            if top:
                self.passed_refs.append(call_at)
        return asm.ldx(Size.DW, reg, 10, off)

    def pick(self, cands: tuple[Producer, ...], referenced: bool,
             what: str) -> tuple[Producer, KfuncSpec | None]:
        target = self.s.target
        for prod in cands:
            if not prod.call:
                if not referenced:
                    return prod, None
                continue
            spec = self.s.table.by_name(prod.call)
            if spec is None or prod.call in self.busy:
                continue
            if spec.has(KfFlag.KF_SLEEPABLE) and not target.sleepable:
                continue
            if referenced and not spec.has(KfFlag.KF_ACQUIRE):
                continue
            if table_allows(spec, target):
                return prod, spec
        kind = "referenced " if referenced else ""
        raise Unsynth(f"no {kind}{what} producer for {target.key}")

    def scalar_struct(self, type_id: int, depth: int = 0) -> bool:
        t = self.s.btf[self.s.btf.resolve(type_id)]
        if t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64):
            return True
        if t.kind is Kind.ARRAY:
            return self.scalar_struct(t.elem_type, depth + 1)
        if t.kind not in (Kind.STRUCT, Kind.UNION) or depth > 3:
            return False
        return all(self.scalar_struct(m.type, depth + 1) for m in t.members)


def _nullable(spec: KfuncSpec, i: int) -> bool:
    return i >= 0 and spec.args[i].annotation in (Annotation.NULLABLE, Annotation.OPT)


def _stack_ptr(reg: int, off: int) -> bytes:
    return asm.mov64_reg(reg, 10) + asm.alu64_imm(AluOp.ADD, reg, off)
