"""The helper table's availability per program type is the running kernel's: each helper is
called from a minimal program of each type the table describes, and the kernel's answer
("program of this type cannot use helper", "unknown func") must match the table."""

from __future__ import annotations

import pytest

from kfcheck.isa import asm as a
from kfcheck.kernel import syscall
from kfcheck.uapi import AttachType, ProgType
from kfcheck.verifier.helpers import ALL, helper, helper_ids

BPF_F_SLEEPABLE = 1 << 4
# the program type loaded for each helper group ("tracing" and "iter" need an attach target:
# not probed)
GROUP_TYPES = {
    "socket_filter": ProgType.SOCKET_FILTER, "tc": ProgType.SCHED_CLS,
    "cgroup_skb": ProgType.CGROUP_SKB, "xdp": ProgType.XDP, "kprobe": ProgType.KPROBE,
    "tracepoint": ProgType.TRACEPOINT, "perf_event": ProgType.PERF_EVENT,
    "raw_tracepoint": ProgType.RAW_TRACEPOINT, "syscall": ProgType.SYSCALL,
    "cgroup_sock": ProgType.CGROUP_SOCK, "sock_ops": ProgType.SOCK_OPS,
    "sk_msg": ProgType.SK_MSG, "sk_lookup": ProgType.SK_LOOKUP,
    "cgroup_sysctl": ProgType.CGROUP_SYSCTL,
}
# the attach type a group's programs must be loaded with (others: 0)
GROUP_ATTACH = {"sk_lookup": AttachType.SK_LOOKUP}


def test_every_group_is_probed_but_tracing() -> None:
    assert set(GROUP_TYPES) == ALL - {"tracing", "iter"}


def _offered(helper_id: int, group: str) -> bool:
    code = a.call_helper(helper_id) + a.mov64_imm(0, 0) + a.exit_()
    flags = BPF_F_SLEEPABLE if group == "syscall" else 0
    result = syscall.prog_load(code, GROUP_TYPES[group], log_level=1, prog_flags=flags,
                               expected_attach_type=GROUP_ATTACH.get(group, 0))
    if result.ok:
        return True
    assert "call " in result.log, result.log  # the call was reached
    return "cannot use helper" not in result.log and "unknown func" not in result.log


@pytest.mark.kernel
@pytest.mark.parametrize("helper_id", helper_ids())
def test_availability_is_the_kernels(helper_id: int, bpf_fds_checked: None) -> None:
    fn = helper(helper_id)
    assert fn is not None
    wrong = [group for group in sorted(GROUP_TYPES) if group not in fn.other_protos
             and _offered(helper_id, group) != (group in fn.groups)]
    assert wrong == [], f"bpf_{fn.name}: the table is wrong for {wrong}"


@pytest.mark.kernel
@pytest.mark.parametrize("helper_id", helper_ids())
def test_gpl_only_is_the_kernels(helper_id: int, bpf_fds_checked: None) -> None:
    fn = helper(helper_id)
    assert fn is not None
    group = next((g for g in sorted(GROUP_TYPES) if g in fn.groups and g not in fn.other_protos),
                 None)
    if group is None:
        pytest.skip(f"bpf_{fn.name} is offered only to program types that need an attach target")
    code = a.call_helper(helper_id) + a.mov64_imm(0, 0) + a.exit_()
    flags = BPF_F_SLEEPABLE if group == "syscall" else 0
    result = syscall.prog_load(code, GROUP_TYPES[group], log_level=1, prog_flags=flags,
                               license="MIT", expected_attach_type=GROUP_ATTACH.get(group, 0))
    assert ("GPL-restricted" in result.log) == fn.gpl_only, result.log
