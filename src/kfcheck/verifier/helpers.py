"""The helper table: each helper's argument and return kinds (``struct bpf_func_proto``) and the
program-type groups whose ``get_func_proto`` offers it. A helper not in the table is
``unsupported``, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from kfcheck.uapi import MapType as M


class Arg(Enum):
    """``enum bpf_arg_type`` (with the flags kfcheck distinguishes)."""

    ANYTHING = auto()
    CONST_MAP_PTR = auto()
    MAP_KEY = auto()
    MAP_VALUE = auto()
    MAP_VALUE_OR_NULL = auto()  # ARG_PTR_TO_MAP_VALUE_OR_NULL
    MAP_VALUE_UNINIT = auto()  # ARG_PTR_TO_MAP_VALUE | MEM_UNINIT: the helper writes it
    CONST_STR = auto()  # ARG_PTR_TO_CONST_STR: a NUL-terminated string in a read-only map
    MEM_RDONLY = auto()  # ARG_PTR_TO_MEM | MEM_RDONLY: the helper reads it
    MEM_RDONLY_OR_NULL = auto()  # ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY
    MEM_UNINIT = auto()  # ARG_PTR_TO_UNINIT_MEM: the helper writes it
    CONST_SIZE = auto()
    CONST_SIZE_OR_ZERO = auto()
    CONST_ALLOC_SIZE_OR_ZERO = auto()
    CTX = auto()
    RINGBUF_MEM_RELEASE = auto()
    SOCK_COMMON_RELEASE = auto()  # ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE
    SOCK_COMMON = auto()  # ARG_PTR_TO_SOCK_COMMON
    BTF_ID_SOCK_COMMON = auto()  # ARG_PTR_TO_BTF_ID_SOCK_COMMON
    SPIN_LOCK = auto()
    TIMER = auto()  # ARG_PTR_TO_TIMER: a map value's struct bpf_timer
    BTF_ID = auto()  # ARG_PTR_TO_BTF_ID to the helper's ``btf_struct``
    BTF_ID_OR_NULL = auto()  # ARG_PTR_TO_BTF_ID_OR_NULL
    FUNC = auto()  # ARG_PTR_TO_FUNC: a static subprogram, the callback
    STACK_OR_NULL = auto()  # ARG_PTR_TO_STACK_OR_NULL: the callback's context
    DYNPTR = auto()  # ARG_PTR_TO_DYNPTR | MEM_RDONLY: an initialised dynptr of any type
    DYNPTR_LOCAL_UNINIT = auto()  # ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_LOCAL | MEM_UNINIT
    DYNPTR_RINGBUF_UNINIT = auto()  # ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | MEM_UNINIT
    DYNPTR_RINGBUF_RELEASE = auto()  # ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | OBJ_RELEASE
    KPTR_XCHG_DEST = auto()  # ARG_KPTR_XCHG_DEST: a map value's referenced kptr field
    KPTR_XCHG_NEW = auto()  # ARG_PTR_TO_BTF_ID_OR_NULL | OBJ_RELEASE of the kptr's type


class Ret(Enum):
    """``enum bpf_return_type``."""

    INTEGER = auto()
    VOID = auto()
    MAP_VALUE_OR_NULL = auto()
    RINGBUF_MEM_OR_NULL = auto()
    SOCKET_OR_NULL = auto()
    SOCK_COMMON_OR_NULL = auto()
    TCP_SOCK_OR_NULL = auto()
    BTF_ID_OR_NULL = auto()  # RET_PTR_TO_BTF_ID_OR_NULL to the helper's ``btf_struct``
    CURRENT_TASK_BTF = auto()  # RET_PTR_TO_BTF_ID_TRUSTED to struct task_struct
    DYNPTR_MEM_OR_NULL = auto()  # RET_PTR_TO_DYNPTR_MEM_OR_NULL: a slice of the dynptr
    KPTR_OR_NULL = auto()  # RET_PTR_TO_BTF_ID_OR_NULL of the kptr field's type, acquired


@dataclass(frozen=True, slots=True)
class Helper:
    """One helper's prototype and where it is offered."""

    name: str
    args: tuple[Arg, ...]
    ret: Ret
    groups: frozenset[str]
    changes_pkt_data: bool = False  # packet pointers are invalid after the call
    leaves_program: bool = False  # a tail call: no reference or region may be open
    gpl_only: bool = False  # only GPL-compatible programs may call it (probed)
    btf_struct: str = ""  # the kernel struct a BTF_ID argument points to
    other_protos: frozenset[str] = frozenset()  # groups offering it with another prototype
    mem_map_value: bool = False  # its memory argument must be a map value (dynptr_from_mem)
    changes_skb_dynptr: bool = False  # writing an skb dynptr invalidates packet pointers
    ret_size_bound: bool = False  # do_refine_retval_range: R0 in [-MAX_ERRNO, the size]
    acquires: bool = False  # is_acquire_function: R0 holds a new reference
    ptr_cast: bool = False  # is_ptr_cast_function: R0 shares the argument's reference


SKB = frozenset({"socket_filter", "tc", "cgroup_skb"})
NET = SKB | {"xdp"}
# "iter": tracing programs of bpf_iter targets (tracing's helpers and the seq_file ones)
TRACE = frozenset({"kprobe", "tracepoint", "perf_event", "raw_tracepoint", "tracing", "iter"})
# socket and cgroup types whose func_proto falls back to bpf_base_func_proto
SOCK = frozenset({"cgroup_sock", "sock_ops", "sk_msg", "sk_lookup", "cgroup_sysctl"})
ALL = NET | TRACE | SOCK | {"syscall"}  # bpf_base_func_proto (CAP_BPF + CAP_PERFMON)
# The program-type groups this table describes completely for its helpers: a helper of the
# table missing from one of them is "cannot use helper" there.
GROUPS = ALL

A = Arg
TC, XDP = frozenset({"tc"}), frozenset({"xdp"})
# bpf_tracing_func_proto and the types whose func_proto falls back to it (syscall: through
# tracing_prog_func_proto)
TRACING = TRACE | {"syscall"}
_HELPERS: dict[int, Helper] = {
    1: Helper("map_lookup_elem", (A.CONST_MAP_PTR, A.MAP_KEY), Ret.MAP_VALUE_OR_NULL, ALL),
    2: Helper("map_update_elem", (A.CONST_MAP_PTR, A.MAP_KEY, A.MAP_VALUE, A.ANYTHING),
              Ret.INTEGER, ALL),
    3: Helper("map_delete_elem", (A.CONST_MAP_PTR, A.MAP_KEY), Ret.INTEGER, ALL),
    5: Helper("ktime_get_ns", (), Ret.INTEGER, ALL),
    6: Helper("trace_printk", (A.MEM_RDONLY, A.CONST_SIZE), Ret.INTEGER, ALL, gpl_only=True),
    7: Helper("get_prandom_u32", (), Ret.INTEGER, ALL),
    8: Helper("get_smp_processor_id", (), Ret.INTEGER, ALL),
    14: Helper("get_current_pid_tgid", (), Ret.INTEGER, ALL),
    12: Helper("tail_call", (A.CTX, A.CONST_MAP_PTR, A.ANYTHING), Ret.VOID, ALL,
               leaves_program=True),
    15: Helper("get_current_uid_gid", (), Ret.INTEGER, ALL),
    16: Helper("get_current_comm", (A.MEM_UNINIT, A.CONST_SIZE), Ret.INTEGER, ALL),
    23: Helper("redirect", (A.ANYTHING, A.ANYTHING), Ret.INTEGER, TC | XDP),
    25: Helper("perf_event_output", (A.CTX, A.CONST_MAP_PTR, A.ANYTHING, A.MEM_RDONLY,
                                     A.CONST_SIZE_OR_ZERO), Ret.INTEGER, ALL,
               gpl_only=True),
    9: Helper("skb_store_bytes", (A.CTX, A.ANYTHING, A.MEM_RDONLY, A.CONST_SIZE, A.ANYTHING),
              Ret.INTEGER, TC, changes_pkt_data=True),
    10: Helper("l3_csum_replace", (A.CTX, A.ANYTHING, A.ANYTHING, A.ANYTHING, A.ANYTHING),
               Ret.INTEGER, TC, changes_pkt_data=True),
    11: Helper("l4_csum_replace", (A.CTX, A.ANYTHING, A.ANYTHING, A.ANYTHING, A.ANYTHING),
               Ret.INTEGER, TC, changes_pkt_data=True),
    65: Helper("xdp_adjust_tail", (A.CTX, A.ANYTHING), Ret.INTEGER, XDP, changes_pkt_data=True),
    39: Helper("skb_pull_data", (A.CTX, A.ANYTHING), Ret.INTEGER, TC, changes_pkt_data=True),
    44: Helper("xdp_adjust_head", (A.CTX, A.ANYTHING), Ret.INTEGER, XDP, changes_pkt_data=True),
    46: Helper("get_socket_cookie", (A.CTX,), Ret.INTEGER, SKB | {"cgroup_sock", "sock_ops"},
               other_protos=frozenset({"syscall"})),
    54: Helper("xdp_adjust_meta", (A.CTX, A.ANYTHING), Ret.INTEGER, XDP, changes_pkt_data=True),
    26: Helper("skb_load_bytes", (A.CTX, A.ANYTHING, A.MEM_UNINIT, A.CONST_SIZE), Ret.INTEGER,
               SKB),
    35: Helper("get_current_task", (), Ret.INTEGER, ALL, gpl_only=True),
    158: Helper("get_current_task_btf", (), Ret.CURRENT_TASK_BTF, ALL, gpl_only=True),
    42: Helper("get_numa_node_id", (), Ret.INTEGER, ALL),
    112: Helper("probe_read_user", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING),
                Ret.INTEGER, ALL, gpl_only=True),
    113: Helper("probe_read_kernel", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING),
                Ret.INTEGER, ALL, gpl_only=True),
    114: Helper("probe_read_user_str", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING),
                Ret.INTEGER, ALL, gpl_only=True, ret_size_bound=True),
    115: Helper("probe_read_kernel_str", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING),
                Ret.INTEGER, ALL, gpl_only=True, ret_size_bound=True),
    27: Helper("get_stackid", (A.CTX, A.CONST_MAP_PTR, A.ANYTHING), Ret.INTEGER, TRACING,
               gpl_only=True),
    67: Helper("get_stack", (A.CTX, A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING),
               Ret.INTEGER, TRACING, gpl_only=True, ret_size_bound=True),
    87: Helper("map_push_elem", (A.CONST_MAP_PTR, A.MAP_VALUE, A.ANYTHING), Ret.INTEGER, ALL),
    88: Helper("map_pop_elem", (A.CONST_MAP_PTR, A.MAP_VALUE_UNINIT), Ret.INTEGER, ALL),
    89: Helper("map_peek_elem", (A.CONST_MAP_PTR, A.MAP_VALUE_UNINIT), Ret.INTEGER, ALL),
    195: Helper("map_lookup_percpu_elem", (A.CONST_MAP_PTR, A.MAP_KEY, A.ANYTHING),
                Ret.MAP_VALUE_OR_NULL, ALL),
    182: Helper("strncmp", (A.MEM_RDONLY, A.CONST_SIZE, A.CONST_STR), Ret.INTEGER, ALL),
    156: Helper("task_storage_get", (A.CONST_MAP_PTR, A.BTF_ID_OR_NULL, A.MAP_VALUE_OR_NULL,
                                     A.ANYTHING), Ret.MAP_VALUE_OR_NULL, ALL,
                btf_struct="task_struct"),
    157: Helper("task_storage_delete", (A.CONST_MAP_PTR, A.BTF_ID_OR_NULL), Ret.INTEGER,
                ALL, btf_struct="task_struct"),
    126: Helper("seq_printf", (A.BTF_ID, A.MEM_RDONLY, A.CONST_SIZE, A.MEM_RDONLY_OR_NULL,
                               A.CONST_SIZE_OR_ZERO), Ret.INTEGER, frozenset({"iter"}),
                gpl_only=True, btf_struct="seq_file"),
    125: Helper("ktime_get_boot_ns", (), Ret.INTEGER, ALL),
    130: Helper("ringbuf_output", (A.CONST_MAP_PTR, A.MEM_RDONLY, A.CONST_SIZE_OR_ZERO,
                                   A.ANYTHING), Ret.INTEGER, ALL),
    131: Helper("ringbuf_reserve", (A.CONST_MAP_PTR, A.CONST_ALLOC_SIZE_OR_ZERO, A.ANYTHING),
                Ret.RINGBUF_MEM_OR_NULL, ALL, acquires=True),
    132: Helper("ringbuf_submit", (A.RINGBUF_MEM_RELEASE, A.ANYTHING), Ret.VOID, ALL),
    133: Helper("ringbuf_discard", (A.RINGBUF_MEM_RELEASE, A.ANYTHING), Ret.VOID, ALL),
    134: Helper("ringbuf_query", (A.CONST_MAP_PTR, A.ANYTHING), Ret.INTEGER, ALL),
    84: Helper("sk_lookup_tcp", (A.CTX, A.MEM_RDONLY, A.CONST_SIZE, A.ANYTHING, A.ANYTHING),
               Ret.SOCKET_OR_NULL, frozenset({"tc", "xdp", "cgroup_skb"}), acquires=True),
    85: Helper("sk_lookup_udp", (A.CTX, A.MEM_RDONLY, A.CONST_SIZE, A.ANYTHING, A.ANYTHING),
               Ret.SOCKET_OR_NULL, frozenset({"tc", "xdp", "cgroup_skb"}), acquires=True),
    99: Helper("skc_lookup_tcp", (A.CTX, A.MEM_RDONLY, A.CONST_SIZE_OR_ZERO, A.ANYTHING,
                                  A.ANYTHING), Ret.SOCK_COMMON_OR_NULL,
               frozenset({"tc", "xdp", "cgroup_skb"}), acquires=True),
    95: Helper("sk_fullsock", (A.SOCK_COMMON,), Ret.SOCKET_OR_NULL,
               frozenset({"tc", "cgroup_skb"}), ptr_cast=True),
    96: Helper("tcp_sock", (A.SOCK_COMMON,), Ret.TCP_SOCK_OR_NULL,
               frozenset({"tc", "cgroup_skb", "sock_ops"}), ptr_cast=True),
    137: Helper("skc_to_tcp_sock", (A.BTF_ID_SOCK_COMMON,), Ret.BTF_ID_OR_NULL,
                NET | {"sock_ops", "sk_msg", "sk_lookup", "tracing", "iter", "syscall"},
                ptr_cast=True, btf_struct="tcp_sock"),
    86: Helper("sk_release", (A.SOCK_COMMON_RELEASE,), Ret.INTEGER,
               frozenset({"tc", "xdp", "cgroup_skb", "sk_lookup"})),
    93: Helper("spin_lock", (A.SPIN_LOCK,), Ret.VOID, ALL),
    94: Helper("spin_unlock", (A.SPIN_LOCK,), Ret.VOID, ALL),
    169: Helper("timer_init", (A.TIMER, A.CONST_MAP_PTR, A.ANYTHING), Ret.INTEGER, ALL,
                gpl_only=True),
    170: Helper("timer_set_callback", (A.TIMER, A.FUNC), Ret.INTEGER, ALL, gpl_only=True),
    171: Helper("timer_start", (A.TIMER, A.ANYTHING, A.ANYTHING), Ret.INTEGER, ALL,
                gpl_only=True),
    172: Helper("timer_cancel", (A.TIMER,), Ret.INTEGER, ALL, gpl_only=True),
    164: Helper("for_each_map_elem", (A.CONST_MAP_PTR, A.FUNC, A.STACK_OR_NULL, A.ANYTHING),
                Ret.INTEGER, ALL),
    181: Helper("loop", (A.ANYTHING, A.FUNC, A.STACK_OR_NULL, A.ANYTHING), Ret.INTEGER, ALL),
    # bpf_base_func_proto offers find_vma in 6.18 (probed: every group loads it)
    180: Helper("find_vma", (A.BTF_ID, A.ANYTHING, A.FUNC, A.STACK_OR_NULL, A.ANYTHING),
                Ret.INTEGER, ALL, btf_struct="task_struct"),
    209: Helper("user_ringbuf_drain", (A.CONST_MAP_PTR, A.FUNC, A.STACK_OR_NULL, A.ANYTHING),
                Ret.INTEGER, ALL),
    197: Helper("dynptr_from_mem", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING,
                                    A.DYNPTR_LOCAL_UNINIT), Ret.INTEGER, ALL, mem_map_value=True),
    198: Helper("ringbuf_reserve_dynptr", (A.CONST_MAP_PTR, A.ANYTHING, A.ANYTHING,
                                           A.DYNPTR_RINGBUF_UNINIT), Ret.INTEGER, ALL),
    199: Helper("ringbuf_submit_dynptr", (A.DYNPTR_RINGBUF_RELEASE, A.ANYTHING), Ret.VOID, ALL),
    200: Helper("ringbuf_discard_dynptr", (A.DYNPTR_RINGBUF_RELEASE, A.ANYTHING), Ret.VOID,
                ALL),
    201: Helper("dynptr_read", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.DYNPTR, A.ANYTHING,
                                A.ANYTHING), Ret.INTEGER, ALL),
    202: Helper("dynptr_write", (A.DYNPTR, A.ANYTHING, A.MEM_RDONLY, A.CONST_SIZE_OR_ZERO,
                                 A.ANYTHING), Ret.INTEGER, ALL, changes_skb_dynptr=True),
    194: Helper("kptr_xchg", (A.KPTR_XCHG_DEST, A.KPTR_XCHG_NEW), Ret.KPTR_OR_NULL, ALL,
                acquires=True),
    203: Helper("dynptr_data", (A.DYNPTR, A.ANYTHING, A.CONST_ALLOC_SIZE_OR_ZERO),
                Ret.DYNPTR_MEM_OR_NULL, ALL),
}


def helper_ids() -> list[int]:
    """The ids of the helpers the table describes."""
    return sorted(_HELPERS)


def helper(helper_id: int) -> Helper | None:
    """The helper with this id, None if the table does not describe it."""
    return _HELPERS.get(helper_id)


# check_map_func_compatibility, first half: the helpers a map of these types may be passed to
# (sockmap/sockhash updates and deletes depend on the program type: not modelled)
_RINGBUF_FUNCS = frozenset({"ringbuf_output", "ringbuf_reserve", "ringbuf_query",
                            "ringbuf_reserve_dynptr", "ringbuf_submit_dynptr",
                            "ringbuf_discard_dynptr"})
_QUEUE_FUNCS = frozenset({"map_peek_elem", "map_pop_elem", "map_push_elem"})
_SOCKMAP_FUNCS = frozenset({"sk_redirect_map", "sock_map_update", "msg_redirect_map",
                            "sk_select_reuseport", "map_lookup_elem"})
_SOCKHASH_FUNCS = frozenset({"sk_redirect_hash", "sock_hash_update", "msg_redirect_hash",
                             "sk_select_reuseport", "map_lookup_elem"})
MAP_FUNCS: dict[M, frozenset[str]] = {
    M.PROG_ARRAY: frozenset({"tail_call"}),
    M.PERF_EVENT_ARRAY: frozenset({"perf_event_read", "perf_event_output", "skb_output",
                                   "perf_event_read_value", "xdp_output"}),
    M.RINGBUF: _RINGBUF_FUNCS,
    M.USER_RINGBUF: frozenset({"user_ringbuf_drain"}),
    M.STACK_TRACE: frozenset({"get_stackid"}),
    M.CGROUP_ARRAY: frozenset({"skb_under_cgroup", "current_task_under_cgroup"}),
    M.CGROUP_STORAGE: frozenset({"get_local_storage"}),
    M.PERCPU_CGROUP_STORAGE: frozenset({"get_local_storage"}),
    M.DEVMAP: frozenset({"redirect_map", "map_lookup_elem"}),
    M.DEVMAP_HASH: frozenset({"redirect_map", "map_lookup_elem"}),
    M.CPUMAP: frozenset({"redirect_map"}),
    M.XSKMAP: frozenset({"redirect_map", "map_lookup_elem"}),
    M.ARRAY_OF_MAPS: frozenset({"map_lookup_elem"}),
    M.HASH_OF_MAPS: frozenset({"map_lookup_elem"}),
    M.SOCKMAP: _SOCKMAP_FUNCS,
    M.SOCKHASH: _SOCKHASH_FUNCS,
    M.REUSEPORT_SOCKARRAY: frozenset({"sk_select_reuseport"}),
    M.QUEUE: _QUEUE_FUNCS,
    M.STACK: _QUEUE_FUNCS,
    M.SK_STORAGE: frozenset({"sk_storage_get", "sk_storage_delete", "kptr_xchg"}),
    M.INODE_STORAGE: frozenset({"inode_storage_get", "inode_storage_delete", "kptr_xchg"}),
    M.TASK_STORAGE: frozenset({"task_storage_get", "task_storage_delete", "kptr_xchg"}),
    M.CGRP_STORAGE: frozenset({"cgrp_storage_get", "cgrp_storage_delete", "kptr_xchg"}),
    M.BLOOM_FILTER: frozenset({"map_peek_elem", "map_push_elem"}),
}
# ... and the second half: the map types these helpers take
_PERF = frozenset({M.PERF_EVENT_ARRAY})
_QUEUES = frozenset({M.QUEUE, M.STACK})
FUNC_MAPS: dict[str, frozenset[M]] = {
    "tail_call": frozenset({M.PROG_ARRAY}),
    **dict.fromkeys(("perf_event_read", "perf_event_output", "perf_event_read_value",
                     "skb_output", "xdp_output"), _PERF),
    **dict.fromkeys(_RINGBUF_FUNCS, frozenset({M.RINGBUF})),
    "user_ringbuf_drain": frozenset({M.USER_RINGBUF}),
    "get_stackid": frozenset({M.STACK_TRACE}),
    "current_task_under_cgroup": frozenset({M.CGROUP_ARRAY}),
    "skb_under_cgroup": frozenset({M.CGROUP_ARRAY}),
    "redirect_map": frozenset({M.DEVMAP, M.DEVMAP_HASH, M.CPUMAP, M.XSKMAP}),
    **dict.fromkeys(("sk_redirect_map", "msg_redirect_map", "sock_map_update"),
                    frozenset({M.SOCKMAP})),
    **dict.fromkeys(("sk_redirect_hash", "msg_redirect_hash", "sock_hash_update"),
                    frozenset({M.SOCKHASH})),
    "get_local_storage": frozenset({M.CGROUP_STORAGE, M.PERCPU_CGROUP_STORAGE}),
    "sk_select_reuseport": frozenset({M.REUSEPORT_SOCKARRAY, M.SOCKMAP, M.SOCKHASH}),
    "map_pop_elem": _QUEUES,
    "map_peek_elem": _QUEUES | {M.BLOOM_FILTER},
    "map_push_elem": _QUEUES | {M.BLOOM_FILTER},
    "map_lookup_percpu_elem": frozenset({M.PERCPU_ARRAY, M.PERCPU_HASH, M.LRU_PERCPU_HASH}),
    **dict.fromkeys(("sk_storage_get", "sk_storage_delete"), frozenset({M.SK_STORAGE})),
    **dict.fromkeys(("inode_storage_get", "inode_storage_delete"),
                    frozenset({M.INODE_STORAGE})),
    **dict.fromkeys(("task_storage_get", "task_storage_delete"), frozenset({M.TASK_STORAGE})),
    **dict.fromkeys(("cgrp_storage_get", "cgrp_storage_delete"), frozenset({M.CGRP_STORAGE})),
}


def map_func_compatible(map_type: M, name: str) -> bool | None:
    """``check_map_func_compatibility``: may a map of ``map_type`` be passed to helper
    ``name`` (None: it depends on the program type, which is not modelled)?"""
    allowed = MAP_FUNCS.get(map_type)
    if allowed is not None and name not in allowed:
        if map_type in (M.SOCKMAP, M.SOCKHASH) and name in ("map_update_elem",
                                                            "map_delete_elem"):
            return None
        return False
    takes = FUNC_MAPS.get(name)
    return takes is None or map_type in takes
