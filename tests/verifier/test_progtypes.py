"""Socket and cgroup program types, maps of maps, may_goto, bpf_trace_printk and bpf_timer
(with its async callback) on cases the corpus lacks (progs/progtypes.bpf.c): the offline
verdict on both shipped builds, and the running kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from verdict_rows import kernel_rows

from kfcheck.profile.embedded import list_manifests
from kfcheck.verifier.check import check

PROGTYPES = Path(__file__).parent / "progs" / "progtypes.bpf.o"
ACCEPT = ("accept", "")


def _ctx(off: int, size: int) -> tuple[str, str]:
    return ("reject", f"invalid bpf_context access off={off} size={size}")


# the kernel's verdict on each program (6.18.44-fc-v1272 and v595 alike)
KERNEL = {
    "sock_create_mark": ACCEPT,
    "sock_create_src_ip4": _ctx(24, 4),
    "post_bind4_port": ACCEPT,
    "post_bind4_mark": _ctx(16, 4),
    "sock_release_dst_port": ACCEPT,
    "sock_ops_sk": ACCEPT,
    "sock_ops_bytes_narrow": _ctx(168, 4),
    "sock_ops_pkt_read": ACCEPT,
    "sock_ops_pkt_write": ("reject", "cannot write into packet"),
    "sk_msg_pkt": ACCEPT,
    "sk_msg_pkt_past": ("reject", "R2 offset is outside of the packet"),
    "sk_msg_family_narrow": _ctx(16, 2),
    "sk_lookup_port": ACCEPT,
    "sk_lookup_write": _ctx(60, 4),
    "sysctl_file_pos": ACCEPT,
    "sysctl_file_pos_narrow": _ctx(4, 2),
    "sysctl_ret": ("reject", "At program exit the register R0 has smin=2 smax=2 should have "
                             "been in [0, 1]"),
    "hash_of_maps": ACCEPT,
    "map_ptr_load": ("reject", "R0 invalid mem access 'map_ptr_or_null'"),
    "may_goto_repeat": ACCEPT,
    "may_goto_null": ("reject", "R0 invalid mem access 'map_value_or_null'"),
    "may_goto_counter": ACCEPT,
    "may_goto_bounded": ACCEPT,
    "printk_tc": ACCEPT,
    "printk_zero": ("reject", "R2 invalid zero-sized read: u64=[0,0]"),
    "timer_ok": ACCEPT,
    "timer_offset": ("reject", "off 0 doesn't point to 'struct bpf_timer' that is at 8"),
    "timer_no_field": ("reject", "map 'counts' has no valid bpf_timer"),
    "timer_other_map": ("reject", "timer pointer in R1 map_uid=0 doesn't match map pointer in "
                                  "R2 map_uid=0"),
    "timer_maybe_null": ("reject", "R0 pointer arithmetic on map_value_or_null prohibited, "
                                   "null-check it first"),
    "timer_cb_ptr": ("reject", "At async callback return the register R0 is not a known value "
                               "(map_value)"),
}
OFFLINE = KERNEL  # every program judged as the kernel does
BUILDS = ("6.18.44-fc-v1272", "6.18.44-fc-v595")
PROFILES = [m.name for m in list_manifests()]


@pytest.mark.parametrize("name", PROFILES)
def test_offline_verdicts(name: str) -> None:
    got = {v.program: (v.outcome.value, v.error) for v in check(str(PROGTYPES), name)}
    assert got == OFFLINE


def test_kernel_agrees(bpf_fds_checked: None) -> None:
    _, got = kernel_rows(PROGTYPES, BUILDS)
    assert got == KERNEL
