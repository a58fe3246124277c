"""kfunc rules on cases the corpus lacks (progs/kfam.bpf.c): trust of struct arguments,
callbacks of kfuncs (rbtree ``less``, workqueues), map-field and ``__map`` arguments, bpf_throw
in a subprogram, the session cookie's size; the offline verdict on both shipped builds, and
the running kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from verdict_rows import kernel_rows

from kfcheck.profile.embedded import list_manifests, load_profile
from kfcheck.verifier.check import check

KFAM = Path(__file__).parent / "progs" / "kfam.bpf.o"
ACCEPT = ("accept", "")
NOT_TRUSTED = ("reject", "R1 must be referenced or trusted")
SCALAR = ("reject", "R1 type=scalar expected=fp")
STACK_READ = ("reject", "invalid read from stack R1 off=-24 size=40")
# the kernel's verdict on each program (6.18.44-fc-v1272)
EXPECTED = {
    "acquire_scalar": NOT_TRUSTED,
    "release_stack": NOT_TRUSTED,
    "rcu_scalar": SCALAR,
    "rcu_stack": STACK_READ,
    "rbtree_less_ret_two": ACCEPT,  # a bool callback: clang returns 1
    "rbtree_less_unlocks": ("reject", "can't spin_{lock,unlock} in rbtree cb"),
    "rbtree_less_first": ACCEPT,
    "rbtree_less_reads": ACCEPT,
    "throw_in_static_subprog": ACCEPT,
    "wq_cb_writes_value": ACCEPT,
    "wq_cb_unknown_ret": ACCEPT,
    "wq_init_no_wq": ("reject", "map 'plain' has no valid bpf_wq"),
    "wq_init_bad_offset": ("reject", "off 0 doesn't point to 'struct bpf_wq' that is at 8"),
    "wq_init_plain_map": ("reject", "workqueue pointer in R1 map_uid=0 doesn't match map "
                                    "pointer in R2 map_uid=0"),
    "session_cookie_past_end": ("reject", "R0 min value is outside of the allowed memory "
                                          "range"),
}
# where v595 differs (offline: its trust rules check struct arguments as memory, and 6.18
# compares an __map argument only with maps holding a workqueue or task work)
V595 = {**EXPECTED, "acquire_scalar": SCALAR, "release_stack": STACK_READ,
        "wq_init_plain_map": ("unsupported", "unsupported: an __map argument holding no "
                              "workqueue or task work, other than the field's map")}
BY_BUILD = {"6.18.44-fc-v1272": EXPECTED, "6.18.44-fc-v595": V595}
PROFILES = [m.name for m in list_manifests()]


@pytest.mark.parametrize("name", PROFILES)
def test_offline_verdicts(name: str) -> None:
    got = {v.program: (v.outcome.value, v.error) for v in check(str(KFAM), name)}
    assert got == BY_BUILD[name]


def test_kernel_agrees(bpf_fds_checked: None) -> None:
    release, got = kernel_rows(KFAM, BY_BUILD)
    assert got == BY_BUILD[release]


def test_callback_facts_are_profile_facts() -> None:
    """v1272 refuses async kfunc callbacks of non-sleepable programs and matches every __map
    argument; v595 does neither (table facts, no version test)."""

    for name, fact in (("6.18.44-fc-v1272", True), ("6.18.44-fc-v595", False)):
        table = load_profile(name=name).table
        assert table.file.sleepable_cb_needs_sleepable_prog is fact
        assert table.file.map_arg_matched_always is fact
