"""bpf_list_head / bpf_rb_root rules on cases the corpus lacks (progs/graph.bpf.c): the offline
verdict on both shipped builds, and the running kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_intent import CORPUS_DIR
from verdict_rows import V1272, kernel_rows

from kfcheck.profile.embedded import list_manifests
from kfcheck.verifier.check import check

GRAPH = Path(__file__).parent / "progs" / "graph.bpf.o"
WRONG_MEMBER = "arg#1 offset=8, but expected bpf_list_node at offset=32 in struct elem"
WRONG_TYPE = ("operation on bpf_rb_root expects arg#1 bpf_rb_node at offset=8 in struct "
              "relem, but arg is at offset=8 in struct relem_rc")
# the kernel's verdict on each program (6.18.44-fc-v1272; the rules do not differ on v595)
EXPECTED = {
    "list_node_wrong_member": ("reject", WRONG_MEMBER),
    "list_head_not_found": ("reject", "bpf_list_head not found at offset=24"),
    "list_other_lock": ("reject", "bpf_spin_lock at off=0 must be held for bpf_list_head"),
    "list_move": ("accept", ""),
    "list_back_write": ("accept", ""),
    "rbtree_first_remove": ("accept", ""),
    "rbtree_remove_map_value": (
        "reject", "bpf_rbtree_remove can only take non-owning or refcounted bpf_rb_node pointer"),
    "rbtree_first_after_unlock": ("reject", "R6 invalid mem access 'scalar'"),
    "rbtree_refcounted_first": ("accept", ""),
    "rbtree_remove_wrong_type": ("reject", WRONG_TYPE),
    "rbtree_remove_owning_unadded": ("accept", ""),
}
PROFILES = [m.name for m in list_manifests()]


@pytest.mark.parametrize("name", PROFILES)
def test_offline_verdicts(name: str) -> None:
    got = {v.program: (v.outcome.value, v.error) for v in check(str(GRAPH), name)}
    assert got == EXPECTED


def test_other_lock_is_logged_first() -> None:
    """A lock of another allocation: the kernel says so on the line before the error."""
    verdict = next(v for v in check(str(GRAPH), PROFILES[0], log_level=1)
                   if v.program == "list_other_lock")
    lines = verdict.log.splitlines()
    assert "held lock and object are not in the same allocation" in lines


def test_kernel_agrees(bpf_fds_checked: None) -> None:
    _, got = kernel_rows(GRAPH, (V1272,))  # EXPECTED is the verdict of 6.18.44-fc-v1272
    assert got == EXPECTED


def test_rbtree_add_callback() -> None:
    """``bpf_rbtree_add``'s ``less`` callback is explored as a sync callback: accepted."""
    for name in PROFILES:
        verdicts = check(str(CORPUS_DIR / "rbtree_add_remove_ok.bpf.o"), name)
        assert [v.outcome.value for v in verdicts] == ["accept"]
