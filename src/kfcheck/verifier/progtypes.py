"""Program-type facts the verifier reads: what the context allows (each type's
``is_valid_access``), what ``R0`` may hold at exit, whether packets may be written, which
helper group the type has. Types kfcheck does not describe are ``unsupported``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kfcheck.uapi import AttachType, ProgType
from kfcheck.verifier.state import TF, Base

if TYPE_CHECKING:
    from kfcheck.verifier.env import Env


@dataclass(frozen=True, slots=True)
class CtxField:
    """What a context load gives: a scalar, or a pointer of ``base`` with ``flags``."""

    base: Base = Base.SCALAR
    flags: TF = TF.NONE
    btf_id: int = 0


SCALAR_FIELD = CtxField()
CtxAccess = Callable[[int, int, bool, "Env"], "CtxField | None"]


@dataclass(frozen=True, slots=True)
class ProgTypeInfo:
    """One program type (with its expected attach type) as the verifier sees it."""

    name: str
    ctx_access: CtxAccess | None  # None: typed by the attach target's BTF (verifier.btfptr)
    ret_range: tuple[int, int] | None  # None: any return value
    pkt_write: bool = False  # may_access_direct_pkt_data for writes
    helpers: str = "base"  # the helper group (see helpers.py)
    tracing: bool = False  # is_tracing_prog_type: no bpf_spin_lock
    # the context's BTF type names a global function's argument may point to
    ctx_type_names: frozenset[str] = frozenset()
    btf_writes: bool = False  # the type's ops have btf_struct_access (writes to some structs)
    kern_ctx: str = ""  # the kernel struct behind the context (bpf_ctx_convert), if modelled


def _narrow_ok(off: int, size: int, default: int) -> bool:
    """``bpf_ctx_narrow_access_ok``: a power-of-two size no larger than the field."""
    return size <= default and size & (size - 1) == 0


# ---- struct __sk_buff (socket filters, tc, cgroup_skb) ----

SKB_SIZE = 192
_CB = (48, 68)
_DATA, _DATA_END, _DATA_META = 76, 80, 140
_FLOW_KEYS, _TSTAMP, _SK, _TSTAMP_TYPE, _HWTSTAMP = 144, 152, 168, 180, 184
_MARK, _QUEUE_MAPPING, _PRIORITY, _TC_INDEX, _TC_CLASSID = 8, 12, 32, 44, 72
_FAMILY_TO_LOCAL_PORT = (88, 140)
_WIRE_LEN = 160
_IP_FIELDS = ((100, 132), (92, 100))  # remote_ip6..local_ip6, remote_ip4..local_ip4


def _in(off: int, start: int, end: int) -> bool:
    return start <= off < end


def _field(off: int, start: int, size: int) -> bool:
    """``bpf_ctx_range(struct, field)``: any byte of a ``size``-byte field at ``start``."""
    return start <= off < start + size


def _skb_common(off: int, size: int, write: bool) -> CtxField | None:
    """``bpf_skb_is_valid_access``."""
    if off < 0 or off >= SKB_SIZE or off % size:
        return None
    if _in(off, *_CB):
        return SCALAR_FIELD if off + size <= _CB[1] else None
    if _field(off, _DATA, 4) or _field(off, _DATA_META, 4) or _field(off, _DATA_END, 4):
        return SCALAR_FIELD if size == 4 else None
    if any(_in(off, a, b) for a, b in _IP_FIELDS):
        return SCALAR_FIELD if size == 4 else None
    if _field(off, _FLOW_KEYS, 8):
        return None
    if _field(off, _HWTSTAMP, 8):
        return SCALAR_FIELD if not write and size == 8 else None
    if _field(off, _TSTAMP, 8):
        return SCALAR_FIELD if size == 8 else None
    if _field(off, _SK, 8):
        if write or size != 8:
            return None
        return CtxField(Base.PTR_TO_SOCK_COMMON, TF.MAYBE_NULL)
    if off == _TSTAMP_TYPE or _in(off, _TSTAMP_TYPE + 1, _HWTSTAMP):
        return None
    if write:
        return SCALAR_FIELD if size == 4 else None
    return SCALAR_FIELD if _narrow_ok(off, size, 4) else None


def _socket_filter_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``sk_filter_is_valid_access``."""
    if (_field(off, _TC_CLASSID, 4) or _field(off, _DATA, 4) or _field(off, _DATA_META, 4)
            or _field(off, _DATA_END, 4) or _in(off, *_FAMILY_TO_LOCAL_PORT)
            or _field(off, _TSTAMP, 8) or _field(off, _WIRE_LEN, 4)
            or _field(off, _HWTSTAMP, 8)):
        return None
    if write and not _in(off, *_CB):
        return None
    return _skb_common(off, size, write)


def _pkt_field(off: int, field: CtxField | None) -> CtxField | None:
    """The packet pointers ``data``, ``data_meta`` and ``data_end`` load as pointers."""
    if field is None:
        return None
    if _field(off, _DATA, 4):
        return CtxField(Base.PTR_TO_PACKET)
    if _field(off, _DATA_META, 4):
        return CtxField(Base.PTR_TO_PACKET_META)
    if _field(off, _DATA_END, 4):
        return CtxField(Base.PTR_TO_PACKET_END)
    return field


def _tc_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``tc_cls_act_is_valid_access``."""
    if write and not (_field(off, _MARK, 4) or _field(off, _TC_INDEX, 4)
                      or _field(off, _PRIORITY, 4) or _field(off, _TC_CLASSID, 4)
                      or _in(off, *_CB) or _field(off, _TSTAMP, 8)
                      or _field(off, _QUEUE_MAPPING, 4)):
        return None
    if _in(off, *_FAMILY_TO_LOCAL_PORT):
        return None
    if off == _TSTAMP_TYPE:
        return SCALAR_FIELD if size == 1 else None
    return _pkt_field(off, _skb_common(off, size, write))


def _cgroup_skb_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``cg_skb_is_valid_access`` (CAP_BPF: data and data_end are readable)."""
    if _field(off, _TC_CLASSID, 4) or _field(off, _DATA_META, 4) or _field(off, _WIRE_LEN, 4):
        return None
    if write and not (_field(off, _MARK, 4) or _field(off, _PRIORITY, 4) or _in(off, *_CB)
                      or _field(off, _TSTAMP, 8)):
        return None
    return _pkt_field(off, _skb_common(off, size, write))


# ---- struct xdp_md ----

XDP_MD_SIZE = 24
_XDP_DATA, _XDP_DATA_END, _XDP_DATA_META, _XDP_EGRESS = 0, 4, 8, 20


def _xdp_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``xdp_is_valid_access`` (not offloaded, not a devmap program)."""
    if off == _XDP_EGRESS or write:
        return None
    if off < 0 or off >= XDP_MD_SIZE or off % size or size != 4:
        return None
    return {_XDP_DATA: CtxField(Base.PTR_TO_PACKET),
            _XDP_DATA_META: CtxField(Base.PTR_TO_PACKET_META),
            _XDP_DATA_END: CtxField(Base.PTR_TO_PACKET_END)}.get(off, SCALAR_FIELD)


# ---- tracing contexts ----

PT_REGS_SIZE = 168  # x86_64 struct pt_regs
PERF_EVENT_DATA_SIZE = 184  # struct bpf_perf_event_data: regs, sample_period, addr
PERF_MAX_TRACE_SIZE = 8192
MAX_BPF_FUNC_ARGS = 12


def _read_only_aligned(lo: int, hi: int) -> CtxAccess:
    def access(off: int, size: int, write: bool, env: Env) -> CtxField | None:
        if off < lo or off >= hi or write or off % size or off + size > hi:
            return None
        return SCALAR_FIELD
    return access


def _perf_event_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``pe_prog_is_valid_access``."""
    if off < 0 or off >= PERF_EVENT_DATA_SIZE or write or off % size:
        return None
    if off >= PT_REGS_SIZE:
        return SCALAR_FIELD if _narrow_ok(off, size, 8) else None
    return SCALAR_FIELD if size == 8 else None


def _tracepoint_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``tp_prog_is_valid_access``: past the common header, read only."""
    if off < 8 or off >= PERF_MAX_TRACE_SIZE or write or off % size:
        return None
    return SCALAR_FIELD


def _raw_tp_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``bpf_tracing_ctx_access``: up to 12 u64 arguments, read only."""
    if off < 0 or off >= 8 * MAX_BPF_FUNC_ARGS or write or off % size:
        return None
    return SCALAR_FIELD


def _syscall_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``syscall_prog_is_valid_access``: any aligned offset below U16_MAX, read or write."""
    if off < 0 or off >= 0xFFFF or off % size:
        return None
    return SCALAR_FIELD


# ---- struct bpf_sock (cgroup_sock) ----

BPF_SOCK_SIZE = 80
_SK_BOUND_DEV_IF, _SK_MARK, _SK_PRIORITY = 0, 16, 20
_SK_SRC_IP4, _SK_SRC_IP6, _SK_SRC_PORT, _SK_DST_PORT = (24, 4), (28, 16), (44, 4), 48
_SK_NARROW_AT = frozenset({4, 8, 12, 44, 72, 76})  # family type protocol src_port state rx_queue
_SK_NARROW_IN = ((24, 28), (28, 44), (52, 56), (56, 72))  # src_ip4 src_ip6 dst_ip4 dst_ip6


def bpf_sock_access(off: int, size: int) -> bool:
    """``bpf_sock_is_valid_access``: the fields of ``struct bpf_sock`` a load may read."""
    if off < 0 or off >= BPF_SOCK_SIZE or off % size:
        return False
    if off in _SK_NARROW_AT or any(_in(off, a, b) for a, b in _SK_NARROW_IN):
        return _narrow_ok(off, size, 4)
    if _field(off, _SK_DST_PORT, 4):
        return _narrow_ok(off, size, 4 if size == 4 else 2)
    if _in(off, _SK_DST_PORT + 2, _SK_DST_PORT + 4):
        return False
    return size == 4


def bpf_sock_common_access(off: int, size: int) -> bool:
    """``bpf_sock_common_is_valid_access``: ``struct bpf_sock`` without type..priority."""
    return not _in(off, 8, _SK_PRIORITY + 4) and bpf_sock_access(off, size)


_TCP_SOCK_END = 112  # offsetofend(struct bpf_tcp_sock, icsk_retransmits)
_TCP_SOCK_U64 = frozenset({80, 88})  # bytes_received, bytes_acked


def bpf_tcp_sock_access(off: int, size: int) -> bool:
    """``bpf_tcp_sock_is_valid_access``: whole fields of ``struct bpf_tcp_sock``."""
    if off < 0 or off >= _TCP_SOCK_END or off % size:
        return False
    return size == (8 if off in _TCP_SOCK_U64 else 4)


def _cgroup_sock_ctx(attach_type: int) -> CtxAccess:
    """``sock_filter_is_valid_access``: ``bpf_sock_is_valid_access`` and the attach type's
    own rules (``__sock_filter_check_attach_type``)."""
    create = attach_type in (AttachType.CGROUP_INET_SOCK_CREATE,
                             AttachType.CGROUP_INET_SOCK_RELEASE)
    post4 = attach_type == AttachType.CGROUP_INET4_POST_BIND
    post6 = attach_type == AttachType.CGROUP_INET6_POST_BIND

    def access(off: int, size: int, write: bool, env: Env) -> CtxField | None:
        if not bpf_sock_access(off, size):
            return None
        if off in (_SK_BOUND_DEV_IF, _SK_MARK, _SK_PRIORITY):
            return SCALAR_FIELD if create else None
        if _field(off, *_SK_SRC_IP4) and not post4:
            return None
        if _field(off, *_SK_SRC_IP6) and not post6:
            return None
        if _field(off, *_SK_SRC_PORT) and not (post4 or post6):
            return None
        return None if write else SCALAR_FIELD
    return access


# ---- struct bpf_sock_ops ----

SOCK_OPS_SIZE = 224
_OPS_REPLY, _OPS_TXHASH, _OPS_TCP_FLAGS = 4, 164, 212
_OPS_BYTES = (168, 184)  # bytes_received, bytes_acked
_OPS_SK, _OPS_DATA, _OPS_DATA_END, _OPS_HWTSTAMP = 184, 192, 200, 216


def _sock_ops_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``sock_ops_is_valid_access``."""
    if off < 0 or off >= SOCK_OPS_SIZE or off % size:
        return None
    if write:
        return SCALAR_FIELD if off in (_OPS_REPLY, _OPS_TXHASH) and size == 4 else None
    pointers = {_OPS_SK: CtxField(Base.PTR_TO_SOCKET, TF.MAYBE_NULL),
                _OPS_DATA: CtxField(Base.PTR_TO_PACKET),
                _OPS_DATA_END: CtxField(Base.PTR_TO_PACKET_END)}
    for start, field in pointers.items():
        if _field(off, start, 8):
            return field if size == 8 else None
    if _in(off, *_OPS_BYTES) or _field(off, _OPS_HWTSTAMP, 8):
        return SCALAR_FIELD if size == 8 else None
    if off == _OPS_TCP_FLAGS:
        return SCALAR_FIELD if _narrow_ok(off, size, 4) else None
    return SCALAR_FIELD if size == 4 else None


# ---- struct sk_msg_md ----

_MSG_DATA, _MSG_DATA_END, _MSG_SK = 0, 8, 72
_MSG_U32 = (16, 72)  # family .. size: every u32 field


def _sk_msg_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``sk_msg_is_valid_access``: read only; data, data_end and sk load as pointers."""
    if write or off % size:
        return None
    pointers = {_MSG_DATA: CtxField(Base.PTR_TO_PACKET),
                _MSG_DATA_END: CtxField(Base.PTR_TO_PACKET_END),
                _MSG_SK: CtxField(Base.PTR_TO_SOCKET)}
    for start, field in pointers.items():
        if _field(off, start, 8):
            return field if size == 8 else None
    if _in(off, *_MSG_U32):
        return SCALAR_FIELD if size == 4 else None
    return None


# ---- struct bpf_sk_lookup ----

SK_LOOKUP_SIZE = 72
_LK_SK, _LK_REMOTE_PORT = 0, 36
_LK_U32 = ((8, 36), (40, 68))  # family .. remote_ip6, local_ip4 .. ingress_ifindex


def _sk_lookup_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``sk_lookup_is_valid_access``: read only; ``sk`` loads as a socket or NULL."""
    if off < 0 or off >= SK_LOOKUP_SIZE or off % size or write:
        return None
    if _field(off, _LK_SK, 8):
        return CtxField(Base.PTR_TO_SOCKET, TF.MAYBE_NULL) if size == 8 else None
    if any(_in(off, a, b) for a, b in _LK_U32):
        return SCALAR_FIELD if _narrow_ok(off, size, 4) else None
    if _field(off, _LK_REMOTE_PORT, 2):
        return SCALAR_FIELD if size == 4 or _narrow_ok(off, size, 2) else None
    if _field(off, _LK_REMOTE_PORT + 2, 2):  # the zero padding
        return SCALAR_FIELD if _narrow_ok(off, size, 2) else None
    return None


# ---- struct bpf_sysctl ----

_SYSCTL_WRITE, _SYSCTL_FILE_POS, SYSCTL_SIZE = 0, 4, 8


def _sysctl_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``sysctl_is_valid_access``: ``write`` is read only, ``file_pos`` writable whole."""
    if off < 0 or off + size > SYSCTL_SIZE or off % size:
        return None
    if _field(off, _SYSCTL_WRITE, 4) and not write:
        return SCALAR_FIELD if _narrow_ok(off, size, 4) else None
    if _field(off, _SYSCTL_FILE_POS, 4):
        ok = size == 4 if write else _narrow_ok(off, size, 4)
        return SCALAR_FIELD if ok else None
    return None


_CGROUP_SOCK_ATTACH = frozenset({0, AttachType.CGROUP_INET_SOCK_CREATE,
                                 AttachType.CGROUP_INET_SOCK_RELEASE,
                                 AttachType.CGROUP_INET4_POST_BIND,
                                 AttachType.CGROUP_INET6_POST_BIND})
_SOCK_TYPES = {
    ProgType.SOCK_OPS: ProgTypeInfo("sock_ops", _sock_ops_ctx, (0, 1), helpers="sock_ops",
                                    kern_ctx="bpf_sock_ops_kern",
                                    ctx_type_names=frozenset({"bpf_sock_ops"})),
    ProgType.SK_MSG: ProgTypeInfo("sk_msg", _sk_msg_ctx, None, pkt_write=True,
                                  helpers="sk_msg", kern_ctx="sk_msg",
                                  ctx_type_names=frozenset({"sk_msg_md"})),
    ProgType.CGROUP_SYSCTL: ProgTypeInfo("cgroup_sysctl", _sysctl_ctx, (0, 1),
                                         helpers="cgroup_sysctl", kern_ctx="bpf_sysctl_kern",
                                         ctx_type_names=frozenset({"bpf_sysctl"})),
}


def _sock_type_info(prog_type: ProgType, attach_type: int) -> ProgTypeInfo | None:
    """The socket and cgroup program types (None: an attach type the kernel refuses)."""
    if prog_type is ProgType.CGROUP_SOCK:
        if attach_type not in _CGROUP_SOCK_ATTACH:
            return None
        # bpf_prog_load_fixup_attach_type: no attach type means sock_create
        access = _cgroup_sock_ctx(attach_type or AttachType.CGROUP_INET_SOCK_CREATE)
        return ProgTypeInfo("cgroup_sock", access, (0, 1), helpers="cgroup_sock",
                            kern_ctx="sock", ctx_type_names=frozenset({"bpf_sock"}))
    if prog_type is ProgType.SK_LOOKUP:
        if attach_type != AttachType.SK_LOOKUP:
            return None
        return ProgTypeInfo("sk_lookup", _sk_lookup_ctx, (0, 1), helpers="sk_lookup",
                            kern_ctx="bpf_sk_lookup_kern",
                            ctx_type_names=frozenset({"bpf_sk_lookup"}))
    return _SOCK_TYPES.get(prog_type)


_SKB = frozenset({"__sk_buff"})
_SKB_TYPES = {
    ProgType.SOCKET_FILTER: ProgTypeInfo("socket_filter", _socket_filter_ctx, None,
                                         helpers="socket_filter", kern_ctx="sk_buff",
                                         ctx_type_names=_SKB),
    ProgType.SCHED_CLS: ProgTypeInfo("sched_cls", _tc_ctx, None, pkt_write=True, helpers="tc",
                                     btf_writes=True, kern_ctx="sk_buff", ctx_type_names=_SKB),
    ProgType.SCHED_ACT: ProgTypeInfo("sched_act", _tc_ctx, None, pkt_write=True, helpers="tc",
                                     btf_writes=True, kern_ctx="sk_buff", ctx_type_names=_SKB),
    ProgType.CGROUP_SKB: ProgTypeInfo("cgroup_skb", _cgroup_skb_ctx, (0, 1),
                                      helpers="cgroup_skb", kern_ctx="sk_buff",
                                      ctx_type_names=_SKB),
}


_SOCK_PROG_TYPES = frozenset({*_SOCK_TYPES, ProgType.CGROUP_SOCK, ProgType.SK_LOOKUP})


def prog_type_info(prog_type: ProgType, attach_type: int,
                   attach_btf_id: int) -> ProgTypeInfo | None:
    """The facts of a program type (None: kfcheck does not describe it)."""
    if prog_type in _SKB_TYPES:
        info = _SKB_TYPES[prog_type]
        if prog_type is ProgType.CGROUP_SKB and attach_type == AttachType.CGROUP_INET_EGRESS:
            return replace(info, ret_range=(0, 3))
        return info
    if prog_type in _SOCK_PROG_TYPES:
        return _sock_type_info(prog_type, attach_type)
    if prog_type is ProgType.XDP:
        return ProgTypeInfo("xdp", _xdp_ctx, None, pkt_write=True, helpers="xdp",
                            btf_writes=True, kern_ctx="xdp_buff",
                            ctx_type_names=frozenset({"xdp_md"}))
    if prog_type is ProgType.KPROBE:
        ret = (0, 1) if attach_type == AttachType.TRACE_KPROBE_SESSION else None
        return ProgTypeInfo("kprobe", _read_only_aligned(0, PT_REGS_SIZE), ret,
                            helpers="kprobe", tracing=True,
                            ctx_type_names=frozenset({"bpf_user_pt_regs_t", "pt_regs"}))
    if prog_type is ProgType.TRACEPOINT:
        return ProgTypeInfo("tracepoint", _tracepoint_ctx, None, helpers="tracepoint",
                            tracing=True)
    if prog_type is ProgType.PERF_EVENT:
        return ProgTypeInfo("perf_event", _perf_event_ctx, None, helpers="perf_event",
                            tracing=True, ctx_type_names=frozenset({"bpf_perf_event_data"}))
    if prog_type is ProgType.RAW_TRACEPOINT:
        return ProgTypeInfo("raw_tracepoint", _raw_tp_ctx, (0, 0) if attach_btf_id else None,
                            helpers="raw_tracepoint", tracing=True,
                            ctx_type_names=frozenset({"bpf_raw_tracepoint_args"}))
    if prog_type is ProgType.SYSCALL:
        return ProgTypeInfo("syscall", _syscall_ctx, None, helpers="syscall")
    if prog_type is ProgType.TRACING and attach_type == AttachType.TRACE_RAW_TP:
        return ProgTypeInfo("tracing", None, None, helpers="tracing")
    if prog_type is ProgType.TRACING and attach_type == AttachType.TRACE_ITER:
        return ProgTypeInfo("tracing", None, (0, 1), helpers="iter")
    return None
