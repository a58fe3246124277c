"""kptrs in map values (progs/kptr.bpf.c: ``__kptr``/``__kptr_untrusted`` loads and stores,
``bpf_kptr_xchg``) and pointers read from kernel BTF pointers (progs/btfmem.bpf.c: ``char *``
members as read-only untrusted memory, NULL checks of pointers that may be NULL): the offline
verdict on both shipped builds, and the running kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from verdict_rows import ACCEPT, V1272, kernel_rows, offline_rows, rej

from kfcheck.profile.embedded import list_manifests

PROGS = Path(__file__).parent / "progs"

# the kernel's verdict on each program (recorded from 6.18.44-fc-v1272)
KPTR = {
    "ref_load_sleepable": rej("R1 must be a rcu pointer"),
    "ref_load_rcu": ACCEPT,
    "ref_load_no_null": rej("R1 invalid mem access 'rcu_ptr_or_null_'"),
    "unref_store": ACCEPT,
    "unref_load": ACCEPT,
    "unref_store_null": ACCEPT,
    "unref_store_scalar": rej("invalid kptr access, R0 type=scalar expected=ptr_bpf_cpumask or "
                               "untrusted_ptr_bpf_cpumask"),
    "unref_store_map_value": rej("invalid kptr access, R0 type=map_value expected=ptr_bpf_cpumask "
                                  "or untrusted_ptr_bpf_cpumask"),
    "kptr_half": rej("kptr access size must be BPF_DW"),
    "kptr_misaligned": rej("kptr access misaligned expected=0 off=5"),
    "kptr_helper_mem": rej("kptr cannot be accessed indirectly by helper"),
    "kptr_atomic": rej("kptr in map can only be accessed using BPF_MEM instruction mode"),
    "kptr_st_imm": rej("BPF_ST imm must be 0 when storing to kptr at off=8"),
    "kptr_neighbours": ACCEPT,
    "xchg_ok": ACCEPT,
    "xchg_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "xchg_unref": rej("R2 must be referenced when passed to release function"),
    "xchg_unref_field": rej("off=8 kptr isn't referenced kptr"),
    "xchg_not_kptr": rej("off=16 doesn't point to kptr"),
    "xchg_no_kptr": rej("R1 has no valid kptr"),
    "xchg_stack": rej("R1 type=fp expected=map_value, ptr_"),
    "xchg_maybe_null": rej("Possibly NULL pointer passed to helper arg2"),
    "xchg_offset": rej("invalid kptr access, R2 type=ptr_bpf_cpumask expected=ptr_bpf_cpumask"),
    "global_xchg": ACCEPT,
    "global_store": rej("store to referenced kptr disallowed"),
}
BTFMEM = {
    "filename_str": ACCEPT,
    "filename_load": ACCEPT,
    "filename_store": rej("R1 cannot write into rdonly_untrusted_mem"),
    "filename_null": rej("R0 invalid mem access 'scalar'"),
    "filename_helper_mem": rej("R1 type=rdonly_untrusted_mem expected=fp, pkt, pkt_meta, map_key, "
                                "map_value, mem, ringbuf_mem, buf, trusted_ptr_"),
    "untrusted_null": ACCEPT,
    "rcu_walk_null": rej("R0 invalid mem access 'scalar'"),
    "walk2_null": rej("R0 invalid mem access 'scalar'"),
    "filename_var_off": ACCEPT,
    "filename_compare": ACCEPT,
}
KERNEL = {"kptr": KPTR, "btfmem": BTFMEM}
# offline: pointers read through a union are not modelled
OFFLINE = {
    "kptr": KPTR,
    "btfmem": {**BTFMEM, "walk2_null": (
        "unsupported", "unsupported: pointers read through a union of a trusted BTF pointer")},
}
PROFILES = [m.name for m in list_manifests()]


@pytest.mark.parametrize("name", list(KERNEL))
@pytest.mark.parametrize("profile", PROFILES)
def test_offline_verdicts(profile: str, name: str) -> None:
    assert offline_rows(PROGS / f"{name}.bpf.o", profile) == OFFLINE[name]


@pytest.mark.parametrize("name", list(KERNEL))
def test_kernel_agrees(bpf_fds_checked: None, name: str) -> None:
    _, got = kernel_rows(PROGS / f"{name}.bpf.o", (V1272,))
    assert got == KERNEL[name]
