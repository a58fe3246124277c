"""The section-name table: libbpf's matching rules and a sample of its rows."""

from __future__ import annotations

import pytest

from kfcheck.obj.sections import SECTION_DEFS, classify_section, find_sec_def
from kfcheck.uapi import AttachType as A
from kfcheck.uapi import ProgType as P

CASES: list[tuple[str, P, A | None, str | None, bool]] = [
    ("tp_btf/sched_switch", P.TRACING, A.TRACE_RAW_TP, "sched_switch", False),
    ("fentry/do_nanosleep", P.TRACING, A.TRACE_FENTRY, "do_nanosleep", False),
    ("fentry.s/do_nanosleep", P.TRACING, A.TRACE_FENTRY, "do_nanosleep", True),
    ("fexit/x", P.TRACING, A.TRACE_FEXIT, "x", False),
    ("fexit.s/x", P.TRACING, A.TRACE_FEXIT, "x", True),
    ("fmod_ret/x", P.TRACING, A.MODIFY_RETURN, "x", False),
    ("lsm/file_open", P.LSM, A.LSM_MAC, "file_open", False),
    ("lsm.s/file_open", P.LSM, A.LSM_MAC, "file_open", True),
    ("lsm_cgroup/socket_bind", P.LSM, A.LSM_CGROUP, "socket_bind", False),
    ("tc", P.SCHED_CLS, None, None, False),
    ("tc/ingress", P.SCHED_CLS, A.TCX_INGRESS, None, False),
    ("tc/egress", P.SCHED_CLS, A.TCX_EGRESS, None, False),
    ("tcx/ingress", P.SCHED_CLS, A.TCX_INGRESS, None, False),
    ("tcx/egress", P.SCHED_CLS, A.TCX_EGRESS, None, False),
    ("classifier", P.SCHED_CLS, None, None, False),
    ("action", P.SCHED_ACT, None, None, False),
    ("xdp", P.XDP, A.XDP, None, False),
    ("xdp.frags", P.XDP, A.XDP, None, False),
    ("xdp/cpumap", P.XDP, A.XDP_CPUMAP, None, False),
    ("xdp.frags/devmap", P.XDP, A.XDP_DEVMAP, None, False),
    ("socket", P.SOCKET_FILTER, None, None, False),
    ("syscall", P.SYSCALL, None, None, True),
    ("struct_ops/init", P.STRUCT_OPS, None, "init", False),
    ("struct_ops.s/init", P.STRUCT_OPS, None, "init", True),
    ("raw_tp/sys_enter", P.RAW_TRACEPOINT, None, "sys_enter", False),
    ("raw_tracepoint/sys_enter", P.RAW_TRACEPOINT, None, "sys_enter", False),
    ("raw_tp.w/x", P.RAW_TRACEPOINT_WRITABLE, None, "x", False),
    ("tp/sched/sched_switch", P.TRACEPOINT, None, "sched/sched_switch", False),
    ("tracepoint/sched/sched_switch", P.TRACEPOINT, None, "sched/sched_switch", False),
    ("kprobe/do_unlinkat", P.KPROBE, None, "do_unlinkat", False),
    ("kretprobe/do_unlinkat", P.KPROBE, None, "do_unlinkat", False),
    ("kprobe.multi/do_*", P.KPROBE, A.TRACE_KPROBE_MULTI, "do_*", False),
    ("kprobe.session/x", P.KPROBE, A.TRACE_KPROBE_SESSION, "x", False),
    ("uprobe//bin/sh:main", P.KPROBE, None, "/bin/sh:main", False),
    ("uprobe.s//bin/sh:main", P.KPROBE, None, "/bin/sh:main", True),
    ("uprobe.multi//bin/sh:*", P.KPROBE, A.TRACE_UPROBE_MULTI, "/bin/sh:*", False),
    ("usdt/lib:prov:name", P.KPROBE, A.TRACE_UPROBE_MULTI, "lib:prov:name", False),
    ("iter/task", P.TRACING, A.TRACE_ITER, "task", False),
    ("iter.s/task", P.TRACING, A.TRACE_ITER, "task", True),
    ("cgroup_skb/ingress", P.CGROUP_SKB, A.CGROUP_INET_INGRESS, None, False),
    ("cgroup_skb/egress", P.CGROUP_SKB, A.CGROUP_INET_EGRESS, None, False),
    ("cgroup/sock", P.CGROUP_SOCK, A.CGROUP_INET_SOCK_CREATE, None, False),
    ("cgroup/sock_release", P.CGROUP_SOCK, A.CGROUP_INET_SOCK_RELEASE, None, False),
    ("cgroup/connect4", P.CGROUP_SOCK_ADDR, A.CGROUP_INET4_CONNECT, None, False),
    ("cgroup/connect_unix", P.CGROUP_SOCK_ADDR, A.CGROUP_UNIX_CONNECT, None, False),
    ("cgroup/setsockopt", P.CGROUP_SOCKOPT, A.CGROUP_SETSOCKOPT, None, False),
    ("sk_skb/stream_parser", P.SK_SKB, A.SK_SKB_STREAM_PARSER, None, False),
    ("sk_skb/verdict", P.SK_SKB, A.SK_SKB_VERDICT, None, False),
    ("sk_skb", P.SK_SKB, None, None, False),
    ("sk_msg", P.SK_MSG, A.SK_MSG_VERDICT, None, False),
    ("lwt_in", P.LWT_IN, None, None, False),
    ("lwt_out", P.LWT_OUT, None, None, False),
    ("lwt_xmit", P.LWT_XMIT, None, None, False),
    ("lwt_seg6local", P.LWT_SEG6LOCAL, None, None, False),
    ("netfilter", P.NETFILTER, A.NETFILTER, None, False),
    ("perf_event", P.PERF_EVENT, None, None, False),
    ("flow_dissector", P.FLOW_DISSECTOR, A.FLOW_DISSECTOR, None, False),
    ("sk_lookup", P.SK_LOOKUP, A.SK_LOOKUP, None, False),
    ("sockops", P.SOCK_OPS, A.CGROUP_SOCK_OPS, None, False),
    ("freplace/handler", P.EXT, None, "handler", False),
    ("netkit/peer", P.SCHED_CLS, A.NETKIT_PEER, None, False),
]


@pytest.mark.parametrize(("name", "prog_type", "attach", "target", "sleepable"), CASES)
def test_classify(name: str, prog_type: P, attach: A | None, target: str | None,
                  sleepable: bool) -> None:
    info = classify_section(name)
    assert (info.prog_type, info.expected_attach_type, info.attach_target, info.sleepable) == (
        prog_type, attach, target, sleepable)


@pytest.mark.parametrize("name", [
    "tcx", "tc/", "xdpx", "kprobex/foo", "tp_btfx", "fentryfoo", "cgroup/unknown", "", "?xdp",
    "sk_skb/unknown_kind", "lsm.sx/foo",
])
def test_no_match(name: str) -> None:
    if name == "sk_skb/unknown_kind":
        # exact "sk_skb" does not match, and no prefix row covers it
        assert find_sec_def(name) is None
    assert classify_section(name).prog_type is P.UNSPEC
    assert classify_section(name).attach_target is None


def test_plus_rule_bare_and_slash() -> None:
    # "kprobe+" matches "kprobe" and "kprobe/...", but "kprobe.multi" has its own row
    assert classify_section("kprobe").prog_type is P.KPROBE
    assert classify_section("kprobe").attach_target is None
    multi = find_sec_def("kprobe.multi/x")
    assert multi is not None and multi.pattern == "kprobe.multi+"


def test_table_rows_are_unique_and_reachable() -> None:
    patterns = [d.pattern for d in SECTION_DEFS]
    assert len(patterns) == len(set(patterns))
    for d in SECTION_DEFS:
        probe = d.pattern.rstrip("+")
        if d.pattern.endswith("/"):
            probe += "x"
        assert find_sec_def(probe) is d, d.pattern


def test_xdp_frags_flag() -> None:
    assert classify_section("xdp.frags").xdp_frags
    assert classify_section("xdp.frags/cpumap").xdp_frags
    assert not classify_section("xdp").xdp_frags
