"""The kfunc table's vocabulary: flags, families, hooks, filters, argument annotations, records.

Everything here is version-independent; a profile's table file says which flags, families and
annotations its kernel has (the flag set is data of the profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum, IntFlag

from kfcheck.uapi import AttachType, ProgType


class KfFlag(IntFlag):
    """``KF_*`` kfunc flags (``include/linux/btf.h``), every bit any supported kernel has used."""

    KF_ACQUIRE = 1 << 0
    KF_RELEASE = 1 << 1
    KF_RET_NULL = 1 << 2
    KF_KPTR_GET = 1 << 3
    KF_TRUSTED_ARGS = 1 << 4
    KF_SLEEPABLE = 1 << 5
    KF_DESTRUCTIVE = 1 << 6
    KF_RCU = 1 << 7
    KF_ITER_NEW = 1 << 8
    KF_ITER_NEXT = 1 << 9
    KF_ITER_DESTROY = 1 << 10
    KF_RCU_PROTECTED = 1 << 11
    KF_FASTCALL = 1 << 12
    KF_ARENA_RET = 1 << 13
    KF_ARENA_ARG1 = 1 << 14
    KF_ARENA_ARG2 = 1 << 15
    KF_IMPLICIT_ARGS = 1 << 16


ITER_FLAGS = KfFlag.KF_ITER_NEW | KfFlag.KF_ITER_NEXT | KfFlag.KF_ITER_DESTROY
# ``btf_check_iter_kfuncs``: an iterator kfunc is named bpf_iter_<type>_<method of its flag>.
ITER_PREFIX = "bpf_iter_"
ITER_METHODS = {KfFlag.KF_ITER_NEW: "new", KfFlag.KF_ITER_NEXT: "next",
                KfFlag.KF_ITER_DESTROY: "destroy"}


def flag_names(flags: int) -> tuple[str, ...]:
    """The ``KF_*`` names set in ``flags``, lowest bit first."""
    return tuple(f.name for f in KfFlag if f & flags and f.name is not None)


class Family(IntEnum):
    """Named kfunc sets the verifier's rules key on; each value is one bit of a family mask.

    A family is either listed by its kfuncs or defined in the table as a union of others.
    Comments name the 6.18 verifier test the family stands for.
    """

    OBJ_NEW = 1 << 0  # bpf_obj_new_impl comparisons (check_special_kfunc, fixup)
    PERCPU_OBJ_NEW = 1 << 1  # bpf_percpu_obj_new_impl comparisons
    OBJ_DROP = 1 << 2  # bpf_obj_drop_impl (KF_ARG_PTR_TO_ALLOC_BTF_ID, fixup)
    PERCPU_OBJ_DROP = 1 << 3  # bpf_percpu_obj_drop_impl
    REFCOUNT_ACQUIRE = 1 << 4  # bpf_refcount_acquire_impl (is_kfunc_ret_null, fixup)
    LIST_PUSH = 1 << 5  # is_bpf_list_push_kfunc / push_front|back in check_kfunc_call
    LIST_API = 1 << 6  # is_bpf_list_api_kfunc
    LIST_NODE_API = 1 << 7  # check_kfunc_is_graph_node_api, BPF_LIST_NODE
    RBTREE_ADD = 1 << 8  # bpf_rbtree_add_impl comparisons
    RBTREE_API = 1 << 9  # is_bpf_rbtree_api_kfunc
    RBTREE_NODE_API = 1 << 10  # check_kfunc_is_graph_node_api, BPF_RB_NODE
    GRAPH_API = 1 << 11  # is_bpf_graph_api_kfunc
    RBTREE_LOCK_REQUIRED = 1 << 12  # is_rbtree_lock_required_kfunc
    ITER_NUM = 1 << 13  # is_bpf_iter_num_api_kfunc
    RES_LOCK = 1 << 14  # res_spin_lock / _irqsave: PROCESS_SPIN_LOCK, failure-state fork
    RES_UNLOCK = 1 << 15  # res_spin_unlock / _irqrestore
    RES_SPIN_LOCK = 1 << 16  # is_bpf_res_spin_lock_kfunc
    SPIN_ALLOWED = 1 << 17  # kfunc_spin_allowed
    IRQ_SAVE = 1 << 18  # process_irq_flag: saves irq flags
    IRQ_RESTORE = 1 << 19  # process_irq_flag: restores irq flags
    RCU_LOCK = 1 << 20  # is_kfunc_bpf_rcu_read_lock
    RCU_UNLOCK = 1 << 21  # is_kfunc_bpf_rcu_read_unlock
    PREEMPT_DISABLE = 1 << 22  # is_kfunc_bpf_preempt_disable
    PREEMPT_ENABLE = 1 << 23  # is_kfunc_bpf_preempt_enable
    CAST_KERN_CTX = 1 << 24  # bpf_cast_to_kern_ctx: ctx argument, kernel ctx return
    RDONLY_CAST = 1 << 25  # bpf_rdonly_cast (check_special_kfunc)
    DYNPTR_FROM_SKB = 1 << 26  # dynptr constructor of type SKB
    DYNPTR_FROM_XDP = 1 << 27  # dynptr constructor of type XDP
    DYNPTR_FROM_SKB_META = 1 << 28  # dynptr constructor of type SKB_META
    DYNPTR_CTOR = 1 << 29  # all of the typed dynptr constructors
    DYNPTR_CLONE = 1 << 30  # bpf_dynptr_clone (__uninit clone copies the parent's type)
    DYNPTR_SLICE = 1 << 31  # bpf_dynptr_slice(_rdwr) (check_special_kfunc)
    DYNPTR_SLICE_RDWR = 1 << 32  # bpf_dynptr_slice_rdwr: needs packet write access
    PKT_CHANGING = 1 << 33  # bpf_is_kfunc_pkt_changing: invalidates packet pointers
    THROW = 1 << 34  # is_bpf_throw_kfunc
    TRAP = 1 << 35  # __bpf_trap
    WQ = 1 << 36  # is_bpf_wq_set_callback_impl_kfunc
    TASK_WORK = 1 << 37  # is_task_work_add_kfunc
    CALLBACK_SYNC = 1 << 38  # is_sync_callback_calling_kfunc
    CALLBACK_ASYNC = 1 << 39  # is_async_callback_calling_kfunc
    CALLBACK_CALLING = 1 << 40  # is_callback_calling_kfunc
    ITER_CSS_TASK = 1 << 41  # bpf_iter_css_task_new allowlist (check_css_task_iter_allowlist)
    SESSION_COOKIE = 1 << 42  # bpf_session_cookie (r0 size, call_session_cookie)
    RET_UNTRUSTED = 1 << 43  # bpf_get_kmem_cache: the returned pointer is PTR_UNTRUSTED
    DENTRY_XATTR = 1 << 44  # set/remove_dentry_xattr: specialised to the _locked variants
    ARENA = 1 << 45  # is_bpf_arena_kfunc (6.19+)
    STREAM = 1 << 46  # is_bpf_stream_kfunc (6.19+)
    CTX_ARG = 1 << 47  # get_kfunc_ptr_arg_type forces KF_ARG_PTR_TO_CTX
    DEV_BOUND = 1 << 48  # bpf_dev_bound_kfunc_id: the xdp_metadata_kfunc_ids set (net/core/xdp.c)

    @property
    def predicate(self) -> str:
        """The generated C predicate name when the kernel has no predicate of its own."""
        return f"is_bpf_{self.name.lower()}_kfunc"


class Hook(IntEnum):
    """``enum btf_kfunc_hook``: where a kfunc set is registered."""

    COMMON = 0
    XDP = 1
    TC = 2
    STRUCT_OPS = 3
    TRACING = 4
    SYSCALL = 5
    FMODRET = 6
    CGROUP = 7
    SCHED_ACT = 8
    SK_SKB = 9
    SOCKET_FILTER = 10
    LWT = 11
    NETFILTER = 12
    KPROBE = 13


_HOOK_OF_PROG: dict[ProgType, Hook] = {
    ProgType.XDP: Hook.XDP,
    ProgType.SCHED_CLS: Hook.TC,
    ProgType.STRUCT_OPS: Hook.STRUCT_OPS,
    ProgType.TRACING: Hook.TRACING,
    ProgType.TRACEPOINT: Hook.TRACING,
    # RAW_TRACEPOINT has no hook (COMMON kfuncs only), as the 6.18 kernel shows when probed
    ProgType.PERF_EVENT: Hook.TRACING,
    ProgType.LSM: Hook.TRACING,
    ProgType.SYSCALL: Hook.SYSCALL,
    ProgType.CGROUP_SKB: Hook.CGROUP,
    ProgType.CGROUP_SOCK: Hook.CGROUP,
    ProgType.CGROUP_DEVICE: Hook.CGROUP,
    ProgType.CGROUP_SOCK_ADDR: Hook.CGROUP,
    ProgType.CGROUP_SOCKOPT: Hook.CGROUP,
    ProgType.CGROUP_SYSCTL: Hook.CGROUP,
    ProgType.SOCK_OPS: Hook.CGROUP,
    ProgType.SCHED_ACT: Hook.SCHED_ACT,
    ProgType.SK_SKB: Hook.SK_SKB,
    ProgType.SOCKET_FILTER: Hook.SOCKET_FILTER,
    ProgType.LWT_IN: Hook.LWT,
    ProgType.LWT_OUT: Hook.LWT,
    ProgType.LWT_XMIT: Hook.LWT,
    ProgType.LWT_SEG6LOCAL: Hook.LWT,
    ProgType.NETFILTER: Hook.NETFILTER,
    ProgType.KPROBE: Hook.KPROBE,
}


def hook_of(prog_type: ProgType) -> Hook | None:
    """``bpf_prog_type_to_kfunc_hook``: the hook a program type's kfuncs come from (None: MAX)."""
    return _HOOK_OF_PROG.get(prog_type)


def prog_types_of(hook: Hook) -> frozenset[ProgType]:
    """The program types that can call kfuncs registered on ``hook``."""
    if hook is Hook.COMMON:
        return frozenset(p for p in ProgType if p is not ProgType.UNSPEC)
    return frozenset(p for p, h in _HOOK_OF_PROG.items() if h is hook)


class FilterKind(Enum):
    """Kernel-side filters (``btf_kfunc_filter_t``) that narrow a set below its hooks."""

    LSM_PROG = "LSM_PROG"  # bpf_fs_kfuncs_filter: BPF_PROG_TYPE_LSM only
    SESSION_ATTACH = "SESSION_ATTACH"  # bpf_kprobe_multi_filter: kprobe/uprobe session only
    ITER_ATTACH = "ITER_ATTACH"  # tracing_iter_filter: BPF_TRACE_ITER only
    ARENA_PROG = "ARENA_PROG"  # a build's arena filter: programs that use an arena map only

    @property
    def prog_types(self) -> frozenset[ProgType]:
        """Program types the filter lets through."""
        return _FILTER_PROGS[self]

    @property
    def attach_types(self) -> frozenset[AttachType]:
        """Attach types the filter requires (empty: any)."""
        return _FILTER_ATTACH[self]


_FILTER_PROGS: dict[FilterKind, frozenset[ProgType]] = {
    FilterKind.LSM_PROG: frozenset({ProgType.LSM}),
    FilterKind.SESSION_ATTACH: frozenset({ProgType.KPROBE}),
    FilterKind.ITER_ATTACH: frozenset({ProgType.TRACING}),
    FilterKind.ARENA_PROG: frozenset(p for p in ProgType if p is not ProgType.UNSPEC),
}
_FILTER_ATTACH: dict[FilterKind, frozenset[AttachType]] = {
    FilterKind.LSM_PROG: frozenset(),
    FilterKind.SESSION_ATTACH: frozenset(
        {AttachType.TRACE_KPROBE_SESSION, AttachType.TRACE_UPROBE_SESSION}
    ),
    FilterKind.ITER_ATTACH: frozenset({AttachType.TRACE_ITER}),
    FilterKind.ARENA_PROG: frozenset(),
}


class Annotation(Enum):
    """Argument annotations: BTF parameter name suffixes (``__x``) or exact names."""

    SZ = "__sz"
    SZK = "__szk"
    K = "__k"
    IGN = "__ign"
    UNINIT = "__uninit"
    OPT = "__opt"
    NULLABLE = "__nullable"
    STR = "__str"
    MAP = "__map"
    ALLOC = "__alloc"
    REFCOUNTED_KPTR = "__refcounted_kptr"
    IRQ_FLAG = "__irq_flag"
    PROG = "__prog"
    ITER = "__iter"
    NONOWN_ALLOWED = "__nonown_allowed"
    RDONLY_BUF_SIZE = "rdonly_buf_size"
    RDWR_BUF_SIZE = "rdwr_buf_size"

    @property
    def is_suffix(self) -> bool:
        """True for ``__x`` suffixes, false for exact parameter names."""
        return self.value.startswith("__")

    def matches(self, param_name: str) -> bool:
        """``btf_param_match_suffix`` (or an exact name match)."""
        if not self.is_suffix:
            return param_name == self.value
        return len(param_name) > len(self.value) and param_name.endswith(self.value)


@dataclass(frozen=True, slots=True)
class Access:
    """Who may call a set's kfuncs: program types, narrowed to attach types where a filter
    checks them (empty: any attach type) and to programs that use an arena map where the
    filter is ``ARENA_PROG``."""

    prog_types: frozenset[ProgType]
    attach_types: frozenset[AttachType] = frozenset()
    needs_arena: bool = False

    def allows(self, prog_type: ProgType, attach_type: int | None = None,
               has_arena: bool = False) -> bool:
        """True if a program of ``prog_type`` with expected ``attach_type`` (None: no attach
        type, which satisfies no attach-type filter) that uses an arena map or not
        (``has_arena``) may call the kfuncs."""
        if prog_type not in self.prog_types or (self.needs_arena and not has_arena):
            return False
        return not self.attach_types or attach_type in self.attach_types


def access_labels(access: tuple[Access, ...]) -> tuple[str, ...]:
    """Sorted ``PROG`` names, or ``PROG:ATTACH`` per attach type where every grant of that
    program type is narrowed to attach types."""
    out: set[str] = set()
    for prog in frozenset().union(*(a.prog_types for a in access)):
        grants = [a.attach_types for a in access if prog in a.prog_types]
        if any(not g for g in grants):
            out.add(prog.name)
        else:
            out.update(f"{prog.name}:{t.name}" for g in grants for t in g)
    return tuple(sorted(out))


# ---- the table file, as written (no BTF ids yet) ----


@dataclass(frozen=True, slots=True)
class SetDef:
    """A kernel kfunc id set (``BTF_KFUNCS_START(name)``) and where it is registered."""

    name: str
    hooks: frozenset[Hook]
    file: str = ""
    filter: FilterKind | None = None
    kernel_filter: str = ""
    note: str = ""

    @property
    def prog_types(self) -> frozenset[ProgType]:
        """Program types allowed by the hooks, narrowed by the filter."""
        progs: frozenset[ProgType] = frozenset().union(*(prog_types_of(h) for h in self.hooks))
        if self.filter is not None:
            progs &= self.filter.prog_types
        return progs

    @property
    def access(self) -> Access:
        """Program types (hooks and filter) and the attach types the filter requires."""
        attach = self.filter.attach_types if self.filter is not None else frozenset()
        return Access(self.prog_types, attach, self.filter is FilterKind.ARENA_PROG)


@dataclass(frozen=True, slots=True)
class FamilyDef:
    """A family of the profile: listed members plus the families it includes."""

    family: Family
    union: tuple[Family, ...] = ()
    doc: str = ""
    kernel_predicate: str = ""  # the kernel's name for the family's test, if it has one
    kernel_set: str = ""  # the kernel tests membership of this kfunc set (members: exactly it)

    @property
    def predicate(self) -> str:
        """The C predicate's name: the kernel's, else ``Family.predicate``."""
        return self.kernel_predicate or self.family.predicate


@dataclass(frozen=True, slots=True)
class KfuncEntry:
    """One ``[[kfunc]]`` entry of the table file."""

    name: str
    flags: int
    families: frozenset[Family]
    sets: tuple[str, ...]
    since: str = ""
    config: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class TableFile:
    """A validated table file: the profile's vocabulary and its entries, in file order."""

    path: str
    profile: str
    kernel: str
    flags: KfFlag
    annotations: tuple[Annotation, ...]
    special_kfuncs: tuple[str, ...]
    families: dict[Family, FamilyDef]
    sets: dict[str, SetDef]
    kfuncs: tuple[KfuncEntry, ...]
    # The build checks every kfunc pointer argument as trusted, KF_TRUSTED_ARGS or not.
    args_trusted_by_default: bool = False
    sleepable_cb_needs_sleepable_prog: bool = False  # async kfunc callbacks: sleepable progs
    map_arg_matched_always: bool = False  # __map must be the field's map, whatever it holds
    # Families whose kfuncs the build refuses once their arguments are checked
    # (``%s() is not allowed``).
    refused: int = 0


# ---- compiled records (with BTF ids) ----


@dataclass(frozen=True, slots=True)
class ArgSpec:
    """A kfunc parameter: BTF name and type id, and its annotation (from the name)."""

    name: str
    type_id: int
    annotation: Annotation | None


@dataclass(frozen=True, slots=True)
class KfuncSpec:
    """Everything the table knows about one kfunc of one kernel."""

    name: str
    btf_id: int
    flags: int
    families: frozenset[Family]
    family_mask: int
    sets: tuple[str, ...]
    hooks: frozenset[Hook]
    prog_types: frozenset[ProgType]  # with a fitting attach type: see ``access``, ``allows``
    access: tuple[Access, ...]
    args: tuple[ArgSpec, ...]
    ret_type_id: int
    since: str = ""
    config: str = ""
    note: str = ""

    @property
    def flag_names(self) -> tuple[str, ...]:
        """The ``KF_*`` names of ``flags``."""
        return flag_names(self.flags)

    def has(self, flag: KfFlag) -> bool:
        """True if the kfunc carries ``flag``."""
        return bool(self.flags & flag)

    def allows(self, prog_type: ProgType, attach_type: int | None = None,
               has_arena: bool = False) -> bool:
        """True if a program of ``prog_type`` with expected ``attach_type`` (that uses an
        arena map: ``has_arena``) may call it (hooks, then filters: program type and, for
        some, attach type or an arena)."""
        return any(a.allows(prog_type, attach_type, has_arena) for a in self.access)
