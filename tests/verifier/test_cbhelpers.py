"""Helpers that call a static subprogram back, on cases the corpus lacks
(progs/cbhelpers.bpf.c): bpf_find_vma (callback(task, vma, ctx)) and bpf_user_ringbuf_drain
(callback(const dynptr, ctx)); the offline verdict on both shipped builds, and the running
kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from verdict_rows import kernel_rows

from kfcheck.profile.embedded import list_manifests
from kfcheck.verifier.check import check

CBHELPERS = Path(__file__).parent / "progs" / "cbhelpers.bpf.o"
ACCEPT = ("accept", "")


def _ret(v: int) -> tuple[str, str]:
    return ("reject", f"At callback return the register R0 has smin={v} smax={v} should have "
                      "been in [0, 1]")


# the kernel's verdict on each program (6.18.44-fc-v1272 and v595 alike)
KERNEL = {
    "vma_ok": ACCEPT,
    "vma_ret": _ret(2),
    "vma_write": ("reject", "only read is supported"),
    "vma_null_ctx": ("reject", "R3 invalid mem access 'scalar'"),
    "vma_tc": ACCEPT,  # 6.18 offers bpf_find_vma to every program type (bpf_base_func_proto)
    "vma_scalar_task": ("reject", "R1 type=scalar expected=ptr_, trusted_ptr_, rcu_ptr_"),
    "drain_ok": ACCEPT,
    "drain_data": ACCEPT,
    "drain_data_past": ("reject", "R1 min value is outside of the allowed memory range"),
    "drain_submit": ("reject", "cannot release unowned const bpf_dynptr"),
    "drain_reinit": ("reject", "Dynptr has to be an uninitialized dynptr"),
    "drain_ret": _ret(5),
    "drain_wrong_map": ("reject", "cannot pass map_type 27 into func bpf_user_ringbuf_drain#209"),
    "drain_deref": ("reject", "R1 invalid mem access 'dynptr_ptr'"),
    "drain_kfunc": ACCEPT,
    "drain_tc": ACCEPT,
    "urb_lookup": ("reject", "invalid zero-sized read"),  # the map's key_size is 0
    "urb_output": ("reject", "cannot pass map_type 31 into func bpf_ringbuf_output#130"),
}
OFFLINE = KERNEL
BUILDS = ("6.18.44-fc-v1272", "6.18.44-fc-v595")
PROFILES = [m.name for m in list_manifests()]


@pytest.mark.parametrize("name", PROFILES)
def test_offline_verdicts(name: str) -> None:
    got = {v.program: (v.outcome.value, v.error) for v in check(str(CBHELPERS), name)}
    assert got == OFFLINE


def test_kernel_agrees(bpf_fds_checked: None) -> None:
    _, got = kernel_rows(CBHELPERS, BUILDS)
    assert got == KERNEL
