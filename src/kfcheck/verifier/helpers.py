"""The helper table: each helper's argument and return kinds (``struct bpf_func_proto``) and the
program-type groups whose ``get_func_proto`` offers it. A helper not in the table is
``unsupported``, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto


class Arg(Enum):
    """``enum bpf_arg_type`` (with the flags kfcheck distinguishes)."""

    ANYTHING = auto()
    CONST_MAP_PTR = auto()
    MAP_KEY = auto()
    MAP_VALUE = auto()
    MEM_RDONLY = auto()  # ARG_PTR_TO_MEM | MEM_RDONLY: the helper reads it
    MEM_RDONLY_OR_NULL = auto()  # ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY
    MEM_UNINIT = auto()  # ARG_PTR_TO_UNINIT_MEM: the helper writes it
    CONST_SIZE = auto()
    CONST_SIZE_OR_ZERO = auto()
    CONST_ALLOC_SIZE_OR_ZERO = auto()
    CTX = auto()
    RINGBUF_MEM_RELEASE = auto()
    SOCK_COMMON_RELEASE = auto()  # ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE
    SPIN_LOCK = auto()
    TIMER = auto()  # ARG_PTR_TO_TIMER: a map value's struct bpf_timer
    BTF_ID = auto()  # ARG_PTR_TO_BTF_ID to the helper's ``btf_struct``
    FUNC = auto()  # ARG_PTR_TO_FUNC: a static subprogram, the callback
    STACK_OR_NULL = auto()  # ARG_PTR_TO_STACK_OR_NULL: the callback's context
    DYNPTR = auto()  # ARG_PTR_TO_DYNPTR | MEM_RDONLY: an initialised dynptr of any type
    DYNPTR_LOCAL_UNINIT = auto()  # ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_LOCAL | MEM_UNINIT
    DYNPTR_RINGBUF_UNINIT = auto()  # ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | MEM_UNINIT
    DYNPTR_RINGBUF_RELEASE = auto()  # ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | OBJ_RELEASE


class Ret(Enum):
    """``enum bpf_return_type``."""

    INTEGER = auto()
    VOID = auto()
    MAP_VALUE_OR_NULL = auto()
    RINGBUF_MEM_OR_NULL = auto()
    SOCKET_OR_NULL = auto()
    CURRENT_TASK_BTF = auto()  # RET_PTR_TO_BTF_ID_TRUSTED to struct task_struct
    DYNPTR_MEM_OR_NULL = auto()  # RET_PTR_TO_DYNPTR_MEM_OR_NULL: a slice of the dynptr


@dataclass(frozen=True, slots=True)
class Helper:
    """One helper's prototype and where it is offered."""

    name: str
    args: tuple[Arg, ...]
    ret: Ret
    groups: frozenset[str]
    changes_pkt_data: bool = False  # packet pointers are invalid after the call
    map_types: frozenset[int] = frozenset()  # the map argument's allowed types (any if empty)
    leaves_program: bool = False  # a tail call: no reference or region may be open
    gpl_only: bool = False  # only GPL-compatible programs may call it (probed)
    btf_struct: str = ""  # the kernel struct a BTF_ID argument points to
    other_protos: frozenset[str] = frozenset()  # groups offering it with another prototype
    mem_map_value: bool = False  # its memory argument must be a map value (dynptr_from_mem)
    changes_skb_dynptr: bool = False  # writing an skb dynptr invalidates packet pointers


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
               map_types=frozenset({3}), leaves_program=True),  # BPF_MAP_TYPE_PROG_ARRAY
    15: Helper("get_current_uid_gid", (), Ret.INTEGER, ALL),
    16: Helper("get_current_comm", (A.MEM_UNINIT, A.CONST_SIZE), Ret.INTEGER, ALL),
    23: Helper("redirect", (A.ANYTHING, A.ANYTHING), Ret.INTEGER, TC | XDP),
    25: Helper("perf_event_output", (A.CTX, A.CONST_MAP_PTR, A.ANYTHING, A.MEM_RDONLY,
                                     A.CONST_SIZE_OR_ZERO), Ret.INTEGER, ALL,
               map_types=frozenset({4}), gpl_only=True),  # BPF_MAP_TYPE_PERF_EVENT_ARRAY
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
                Ret.INTEGER, ALL, gpl_only=True),
    115: Helper("probe_read_kernel_str", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING),
                Ret.INTEGER, ALL, gpl_only=True),
    126: Helper("seq_printf", (A.BTF_ID, A.MEM_RDONLY, A.CONST_SIZE, A.MEM_RDONLY_OR_NULL,
                               A.CONST_SIZE_OR_ZERO), Ret.INTEGER, frozenset({"iter"}),
                gpl_only=True, btf_struct="seq_file"),
    125: Helper("ktime_get_boot_ns", (), Ret.INTEGER, ALL),
    130: Helper("ringbuf_output", (A.CONST_MAP_PTR, A.MEM_RDONLY, A.CONST_SIZE_OR_ZERO,
                                   A.ANYTHING), Ret.INTEGER, ALL),
    131: Helper("ringbuf_reserve", (A.CONST_MAP_PTR, A.CONST_ALLOC_SIZE_OR_ZERO, A.ANYTHING),
                Ret.RINGBUF_MEM_OR_NULL, ALL),
    132: Helper("ringbuf_submit", (A.RINGBUF_MEM_RELEASE, A.ANYTHING), Ret.VOID, ALL),
    133: Helper("ringbuf_discard", (A.RINGBUF_MEM_RELEASE, A.ANYTHING), Ret.VOID, ALL),
    134: Helper("ringbuf_query", (A.CONST_MAP_PTR, A.ANYTHING), Ret.INTEGER, ALL),
    84: Helper("sk_lookup_tcp", (A.CTX, A.MEM_RDONLY, A.CONST_SIZE, A.ANYTHING, A.ANYTHING),
               Ret.SOCKET_OR_NULL, frozenset({"tc", "xdp", "cgroup_skb"})),
    85: Helper("sk_lookup_udp", (A.CTX, A.MEM_RDONLY, A.CONST_SIZE, A.ANYTHING, A.ANYTHING),
               Ret.SOCKET_OR_NULL, frozenset({"tc", "xdp", "cgroup_skb"})),
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
                Ret.INTEGER, ALL, map_types=frozenset({31})),  # BPF_MAP_TYPE_USER_RINGBUF
    197: Helper("dynptr_from_mem", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.ANYTHING,
                                    A.DYNPTR_LOCAL_UNINIT), Ret.INTEGER, ALL, mem_map_value=True),
    198: Helper("ringbuf_reserve_dynptr", (A.CONST_MAP_PTR, A.ANYTHING, A.ANYTHING,
                                           A.DYNPTR_RINGBUF_UNINIT), Ret.INTEGER, ALL,
                map_types=frozenset({27})),  # BPF_MAP_TYPE_RINGBUF
    199: Helper("ringbuf_submit_dynptr", (A.DYNPTR_RINGBUF_RELEASE, A.ANYTHING), Ret.VOID, ALL),
    200: Helper("ringbuf_discard_dynptr", (A.DYNPTR_RINGBUF_RELEASE, A.ANYTHING), Ret.VOID,
                ALL),
    201: Helper("dynptr_read", (A.MEM_UNINIT, A.CONST_SIZE_OR_ZERO, A.DYNPTR, A.ANYTHING,
                                A.ANYTHING), Ret.INTEGER, ALL),
    202: Helper("dynptr_write", (A.DYNPTR, A.ANYTHING, A.MEM_RDONLY, A.CONST_SIZE_OR_ZERO,
                                 A.ANYTHING), Ret.INTEGER, ALL, changes_skb_dynptr=True),
    203: Helper("dynptr_data", (A.DYNPTR, A.ANYTHING, A.CONST_ALLOC_SIZE_OR_ZERO),
                Ret.DYNPTR_MEM_OR_NULL, ALL),
}


def helper_ids() -> list[int]:
    """The ids of the helpers the table describes."""
    return sorted(_HELPERS)


def helper(helper_id: int) -> Helper | None:
    """The helper with this id, None if the table does not describe it."""
    return _HELPERS.get(helper_id)
