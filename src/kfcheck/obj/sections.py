"""Section name → program type, expected attach type, attach target and flags.

A table mirroring libbpf's ``section_defs`` (libbpf 1.5 / Linux 6.12+, plus the
uprobe.session entries of later releases), scanned in order with libbpf's matching rule:

- a pattern ending in ``/`` matches any name with that prefix;
- a pattern ending in ``+`` matches the bare word or the word followed by ``/...``;
- any other pattern matches exactly.

The attach target is the text after the first ``/`` of the section name for patterns ending in
``+`` or ``/`` (what libbpf passes to its attach-target lookup), ``None`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag

from kfcheck.uapi import AttachType, ProgType


class SecFlag(IntFlag):
    """libbpf's ``enum sec_def_flags``."""

    NONE = 0
    EXP_ATTACH_OPT = 1
    ATTACHABLE = 2
    ATTACHABLE_OPT = 3
    ATTACH_BTF = 4
    SLEEPABLE = 8
    XDP_FRAGS = 16
    USDT = 32


@dataclass(frozen=True, slots=True)
class SecDef:
    """One row of the section table."""

    pattern: str
    prog_type: ProgType
    attach_type: AttachType | None
    flags: SecFlag

    def matches(self, sec_name: str) -> bool:
        """libbpf's ``sec_def_matches``."""
        pat = self.pattern
        if pat.endswith("/"):
            return sec_name.startswith(pat)
        if pat.endswith("+"):
            word = pat[:-1]
            return sec_name == word or sec_name.startswith(word + "/")
        return sec_name == pat

    @property
    def takes_target(self) -> bool:
        """True if the part after ``/`` names the attach target."""
        return self.pattern.endswith(("+", "/"))


_P = ProgType
_A = AttachType
_F = SecFlag

SECTION_DEFS: tuple[SecDef, ...] = tuple(
    SecDef(pattern, prog_type, attach_type, flags)
    for pattern, prog_type, attach_type, flags in (
        ("socket", _P.SOCKET_FILTER, None, _F.NONE),
        ("sk_reuseport/migrate", _P.SK_REUSEPORT, _A.SK_REUSEPORT_SELECT_OR_MIGRATE,
         _F.ATTACHABLE),
        ("sk_reuseport", _P.SK_REUSEPORT, _A.SK_REUSEPORT_SELECT, _F.ATTACHABLE),
        ("kprobe+", _P.KPROBE, None, _F.NONE),
        ("uprobe+", _P.KPROBE, None, _F.NONE),
        ("uprobe.s+", _P.KPROBE, None, _F.SLEEPABLE),
        ("kretprobe+", _P.KPROBE, None, _F.NONE),
        ("uretprobe+", _P.KPROBE, None, _F.NONE),
        ("uretprobe.s+", _P.KPROBE, None, _F.SLEEPABLE),
        ("kprobe.multi+", _P.KPROBE, _A.TRACE_KPROBE_MULTI, _F.NONE),
        ("kretprobe.multi+", _P.KPROBE, _A.TRACE_KPROBE_MULTI, _F.NONE),
        ("kprobe.session+", _P.KPROBE, _A.TRACE_KPROBE_SESSION, _F.NONE),
        ("uprobe.multi+", _P.KPROBE, _A.TRACE_UPROBE_MULTI, _F.NONE),
        ("uretprobe.multi+", _P.KPROBE, _A.TRACE_UPROBE_MULTI, _F.NONE),
        ("uprobe.multi.s+", _P.KPROBE, _A.TRACE_UPROBE_MULTI, _F.SLEEPABLE),
        ("uretprobe.multi.s+", _P.KPROBE, _A.TRACE_UPROBE_MULTI, _F.SLEEPABLE),
        ("uprobe.session+", _P.KPROBE, _A.TRACE_UPROBE_SESSION, _F.NONE),
        ("uprobe.session.s+", _P.KPROBE, _A.TRACE_UPROBE_SESSION, _F.SLEEPABLE),
        ("ksyscall+", _P.KPROBE, None, _F.NONE),
        ("kretsyscall+", _P.KPROBE, None, _F.NONE),
        # libbpf switches USDT programs to the uprobe-multi attach type when the kernel
        # supports it (6.6+), as the reference kernel does.
        ("usdt+", _P.KPROBE, _A.TRACE_UPROBE_MULTI, _F.USDT),
        ("usdt.s+", _P.KPROBE, _A.TRACE_UPROBE_MULTI, _F.USDT | _F.SLEEPABLE),
        ("tc/ingress", _P.SCHED_CLS, _A.TCX_INGRESS, _F.NONE),
        ("tc/egress", _P.SCHED_CLS, _A.TCX_EGRESS, _F.NONE),
        ("tcx/ingress", _P.SCHED_CLS, _A.TCX_INGRESS, _F.NONE),
        ("tcx/egress", _P.SCHED_CLS, _A.TCX_EGRESS, _F.NONE),
        ("tc", _P.SCHED_CLS, None, _F.NONE),
        ("classifier", _P.SCHED_CLS, None, _F.NONE),
        ("action", _P.SCHED_ACT, None, _F.NONE),
        ("netkit/primary", _P.SCHED_CLS, _A.NETKIT_PRIMARY, _F.NONE),
        ("netkit/peer", _P.SCHED_CLS, _A.NETKIT_PEER, _F.NONE),
        ("tracepoint+", _P.TRACEPOINT, None, _F.NONE),
        ("tp+", _P.TRACEPOINT, None, _F.NONE),
        ("raw_tracepoint+", _P.RAW_TRACEPOINT, None, _F.NONE),
        ("raw_tp+", _P.RAW_TRACEPOINT, None, _F.NONE),
        ("raw_tracepoint.w+", _P.RAW_TRACEPOINT_WRITABLE, None, _F.NONE),
        ("raw_tp.w+", _P.RAW_TRACEPOINT_WRITABLE, None, _F.NONE),
        ("tp_btf+", _P.TRACING, _A.TRACE_RAW_TP, _F.ATTACH_BTF),
        ("fentry+", _P.TRACING, _A.TRACE_FENTRY, _F.ATTACH_BTF),
        ("fmod_ret+", _P.TRACING, _A.MODIFY_RETURN, _F.ATTACH_BTF),
        ("fexit+", _P.TRACING, _A.TRACE_FEXIT, _F.ATTACH_BTF),
        ("fentry.s+", _P.TRACING, _A.TRACE_FENTRY, _F.ATTACH_BTF | _F.SLEEPABLE),
        ("fmod_ret.s+", _P.TRACING, _A.MODIFY_RETURN, _F.ATTACH_BTF | _F.SLEEPABLE),
        ("fexit.s+", _P.TRACING, _A.TRACE_FEXIT, _F.ATTACH_BTF | _F.SLEEPABLE),
        ("freplace+", _P.EXT, None, _F.ATTACH_BTF),
        ("lsm+", _P.LSM, _A.LSM_MAC, _F.ATTACH_BTF),
        ("lsm.s+", _P.LSM, _A.LSM_MAC, _F.ATTACH_BTF | _F.SLEEPABLE),
        ("lsm_cgroup+", _P.LSM, _A.LSM_CGROUP, _F.ATTACH_BTF),
        ("iter+", _P.TRACING, _A.TRACE_ITER, _F.ATTACH_BTF),
        ("iter.s+", _P.TRACING, _A.TRACE_ITER, _F.ATTACH_BTF | _F.SLEEPABLE),
        ("syscall", _P.SYSCALL, None, _F.SLEEPABLE),
        ("xdp.frags/devmap", _P.XDP, _A.XDP_DEVMAP, _F.XDP_FRAGS),
        ("xdp/devmap", _P.XDP, _A.XDP_DEVMAP, _F.ATTACHABLE),
        ("xdp.frags/cpumap", _P.XDP, _A.XDP_CPUMAP, _F.XDP_FRAGS),
        ("xdp/cpumap", _P.XDP, _A.XDP_CPUMAP, _F.ATTACHABLE),
        ("xdp.frags", _P.XDP, _A.XDP, _F.XDP_FRAGS),
        ("xdp", _P.XDP, _A.XDP, _F.ATTACHABLE_OPT),
        ("perf_event", _P.PERF_EVENT, None, _F.NONE),
        ("lwt_in", _P.LWT_IN, None, _F.NONE),
        ("lwt_out", _P.LWT_OUT, None, _F.NONE),
        ("lwt_xmit", _P.LWT_XMIT, None, _F.NONE),
        ("lwt_seg6local", _P.LWT_SEG6LOCAL, None, _F.NONE),
        ("sockops", _P.SOCK_OPS, _A.CGROUP_SOCK_OPS, _F.ATTACHABLE_OPT),
        ("sk_skb/stream_parser", _P.SK_SKB, _A.SK_SKB_STREAM_PARSER, _F.ATTACHABLE_OPT),
        ("sk_skb/stream_verdict", _P.SK_SKB, _A.SK_SKB_STREAM_VERDICT, _F.ATTACHABLE_OPT),
        ("sk_skb/verdict", _P.SK_SKB, _A.SK_SKB_VERDICT, _F.ATTACHABLE_OPT),
        ("sk_skb", _P.SK_SKB, None, _F.NONE),
        ("sk_msg", _P.SK_MSG, _A.SK_MSG_VERDICT, _F.ATTACHABLE_OPT),
        ("lirc_mode2", _P.LIRC_MODE2, _A.LIRC_MODE2, _F.ATTACHABLE_OPT),
        ("flow_dissector", _P.FLOW_DISSECTOR, _A.FLOW_DISSECTOR, _F.ATTACHABLE_OPT),
        ("cgroup_skb/ingress", _P.CGROUP_SKB, _A.CGROUP_INET_INGRESS, _F.ATTACHABLE_OPT),
        ("cgroup_skb/egress", _P.CGROUP_SKB, _A.CGROUP_INET_EGRESS, _F.ATTACHABLE_OPT),
        ("cgroup/skb", _P.CGROUP_SKB, None, _F.NONE),
        ("cgroup/sock_create", _P.CGROUP_SOCK, _A.CGROUP_INET_SOCK_CREATE, _F.ATTACHABLE),
        ("cgroup/sock_release", _P.CGROUP_SOCK, _A.CGROUP_INET_SOCK_RELEASE, _F.ATTACHABLE),
        ("cgroup/sock", _P.CGROUP_SOCK, _A.CGROUP_INET_SOCK_CREATE, _F.ATTACHABLE_OPT),
        ("cgroup/post_bind4", _P.CGROUP_SOCK, _A.CGROUP_INET4_POST_BIND, _F.ATTACHABLE),
        ("cgroup/post_bind6", _P.CGROUP_SOCK, _A.CGROUP_INET6_POST_BIND, _F.ATTACHABLE),
        ("cgroup/bind4", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET4_BIND, _F.ATTACHABLE),
        ("cgroup/bind6", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET6_BIND, _F.ATTACHABLE),
        ("cgroup/connect4", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET4_CONNECT, _F.ATTACHABLE),
        ("cgroup/connect6", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET6_CONNECT, _F.ATTACHABLE),
        ("cgroup/connect_unix", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UNIX_CONNECT, _F.ATTACHABLE),
        ("cgroup/sendmsg4", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UDP4_SENDMSG, _F.ATTACHABLE),
        ("cgroup/sendmsg6", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UDP6_SENDMSG, _F.ATTACHABLE),
        ("cgroup/sendmsg_unix", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UNIX_SENDMSG, _F.ATTACHABLE),
        ("cgroup/recvmsg4", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UDP4_RECVMSG, _F.ATTACHABLE),
        ("cgroup/recvmsg6", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UDP6_RECVMSG, _F.ATTACHABLE),
        ("cgroup/recvmsg_unix", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UNIX_RECVMSG, _F.ATTACHABLE),
        ("cgroup/getpeername4", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET4_GETPEERNAME,
         _F.ATTACHABLE),
        ("cgroup/getpeername6", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET6_GETPEERNAME,
         _F.ATTACHABLE),
        ("cgroup/getpeername_unix", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UNIX_GETPEERNAME,
         _F.ATTACHABLE),
        ("cgroup/getsockname4", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET4_GETSOCKNAME,
         _F.ATTACHABLE),
        ("cgroup/getsockname6", _P.CGROUP_SOCK_ADDR, _A.CGROUP_INET6_GETSOCKNAME,
         _F.ATTACHABLE),
        ("cgroup/getsockname_unix", _P.CGROUP_SOCK_ADDR, _A.CGROUP_UNIX_GETSOCKNAME,
         _F.ATTACHABLE),
        ("cgroup/sysctl", _P.CGROUP_SYSCTL, _A.CGROUP_SYSCTL, _F.ATTACHABLE),
        ("cgroup/getsockopt", _P.CGROUP_SOCKOPT, _A.CGROUP_GETSOCKOPT, _F.ATTACHABLE),
        ("cgroup/setsockopt", _P.CGROUP_SOCKOPT, _A.CGROUP_SETSOCKOPT, _F.ATTACHABLE),
        ("cgroup/dev", _P.CGROUP_DEVICE, _A.CGROUP_DEVICE, _F.ATTACHABLE_OPT),
        ("struct_ops+", _P.STRUCT_OPS, None, _F.NONE),
        ("struct_ops.s+", _P.STRUCT_OPS, None, _F.SLEEPABLE),
        ("sk_lookup", _P.SK_LOOKUP, _A.SK_LOOKUP, _F.ATTACHABLE),
        ("netfilter", _P.NETFILTER, _A.NETFILTER, _F.NONE),
    )
)


@dataclass(frozen=True, slots=True)
class SecInfo:
    """What a program section name says about its programs."""

    sec_def: SecDef | None  # None: not a known section name (prog type UNSPEC)
    attach_target: str | None

    @property
    def prog_type(self) -> ProgType:
        """The program type, UNSPEC for unknown section names."""
        return self.sec_def.prog_type if self.sec_def else ProgType.UNSPEC

    @property
    def expected_attach_type(self) -> AttachType | None:
        """The expected attach type, ``None`` when the section implies none."""
        return self.sec_def.attach_type if self.sec_def else None

    @property
    def sleepable(self) -> bool:
        """True for sleepable sections (``.s`` variants, syscall)."""
        return bool(self.sec_def and self.sec_def.flags & SecFlag.SLEEPABLE)

    @property
    def xdp_frags(self) -> bool:
        """True for XDP programs that accept non-linear buffers."""
        return bool(self.sec_def and self.sec_def.flags & SecFlag.XDP_FRAGS)


def find_sec_def(sec_name: str) -> SecDef | None:
    """The first table row matching ``sec_name`` (without a leading ``?``), if any."""
    for sec_def in SECTION_DEFS:
        if sec_def.matches(sec_name):
            return sec_def
    return None


def classify_section(sec_name: str) -> SecInfo:
    """Program type, attach type, target and flags for a section name (``?`` stripped)."""
    sec_def = find_sec_def(sec_name)
    target: str | None = None
    if sec_def is not None and sec_def.takes_target:
        slash = sec_name.find("/")
        if slash >= 0:
            target = sec_name[slash + 1 :]
    return SecInfo(sec_def, target)
