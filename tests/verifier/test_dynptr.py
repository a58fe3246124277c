"""Dynptr rules on cases the corpus lacks (progs/dynptr.bpf.c): the offline verdict on both
shipped builds, and the running kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from verdict_rows import kernel_rows

from kfcheck.profile.embedded import list_manifests, load_profile
from kfcheck.verifier.check import check

DYNPTR = Path(__file__).parent / "progs" / "dynptr.bpf.o"
UNACQUIRED = ("reject", "arg 1 is an unacquired reference")
SCALAR_R0 = ("reject", "R0 invalid mem access 'scalar'")
# the kernel's verdict on each program (6.18.44-fc-v1272)
EXPECTED = {
    "ringbuf_discard": ("accept", ""),
    "ringbuf_submit_twice": UNACQUIRED,
    "submit_local": UNACQUIRED,
    "ringbuf_overwrite": ("reject", "cannot overwrite referenced dynptr"),
    "ringbuf_data_write": ("accept", ""),
    "ringbuf_data_after_submit": ("reject", "R7 invalid mem access 'scalar'"),
    "data_past_size": ("reject", "R0 min value is outside of the allowed memory range"),
    "local_reinit": ("accept", ""),
    "local_overwrite_use": ("reject", "Expected an initialized dynptr as arg #2"),
    "slice_after_overwrite": SCALAR_R0,
    "from_mem_stack": ("reject", "Unsupported reg type fp for bpf_dynptr_from_mem data"),
    "dynptr_in_map_value": ("reject", "R4 type=map_value expected=fp, dynptr_ptr"),
    "reserve_array": ("reject", "cannot pass map_type 2 into func bpf_ringbuf_reserve_dynptr#198"),
    "misaligned": ("reject", "Dynptr has to be an uninitialized dynptr"),
    "clone_after_discard": ("reject", "Expected an initialized dynptr as arg #0"),
    "read_into_dynptr": ("reject", "potential write to dynptr at off=-16 disallowed"),
    "slice_write": ("reject", "R0 cannot write into rdonly_mem"),
    "clone_slice": ("accept", ""),
    "slice_rdwr_uninit": ("reject", "Expected an initialized dynptr as arg #0"),
    "xdp_slice_rdwr": ("reject", "bpf_dynptr_slice_rdwr() is not allowed"),
}
# where v595 differs: it does not refuse bpf_dynptr_slice_rdwr (XDP may write packets)
V595 = {**EXPECTED, "xdp_slice_rdwr": ("accept", "")}
BY_BUILD = {"6.18.44-fc-v1272": EXPECTED, "6.18.44-fc-v595": V595}
PROFILES = [m.name for m in list_manifests()]


@pytest.mark.parametrize("name", PROFILES)
def test_offline_verdicts(name: str) -> None:
    got = {v.program: (v.outcome.value, v.error) for v in check(str(DYNPTR), name)}
    assert got == BY_BUILD[name]


def test_misaligned_offset_is_logged_first() -> None:
    """A dynptr at a misaligned offset: the kernel says which on the line before the error."""
    verdict = next(v for v in check(str(DYNPTR), PROFILES[0], log_level=1)
                   if v.program == "misaligned")
    assert "cannot pass in dynptr at an offset=-20" in verdict.log.splitlines()


def test_kernel_agrees(bpf_fds_checked: None) -> None:
    release, got = kernel_rows(DYNPTR, BY_BUILD)
    assert got == BY_BUILD[release]


def test_refused_is_a_table_fact() -> None:
    """v1272 refuses the DYNPTR_SLICE_RDWR family (``refused_families``); v595 does not."""

    for name, refused in (("6.18.44-fc-v1272", True), ("6.18.44-fc-v595", False)):
        table = load_profile(name=name).table
        rdwr, ro = table.by_name("bpf_dynptr_slice_rdwr"), table.by_name("bpf_dynptr_slice")
        assert rdwr is not None and ro is not None
        assert (table.refused(rdwr), table.refused(ro)) == (refused, False)
