"""Loads through kernel BTF pointers (btf_struct_walk) on the shipped profile's BTF."""

from __future__ import annotations

import pytest

from kfcheck.btf import Btf, Kind
from kfcheck.profile.embedded import load_profile
from kfcheck.verifier.btfptr import walk
from kfcheck.verifier.messages import Reject


def _member_off(btf: Btf, struct: str, name: str) -> int:
    t = btf.by_name(struct, Kind.STRUCT)[0]
    return next(m.bit_offset // 8 for m in t.members if m.name == name)


def test_walk_scalar_pointer_and_errors() -> None:
    btf = load_profile().btf
    task = btf.by_name("task_struct", Kind.STRUCT)[0]
    pid = _member_off(btf, "task_struct", "pid")
    assert walk(btf, task.id, pid, 4).btf_id == 0
    parent = walk(btf, task.id, _member_off(btf, "task_struct", "real_parent"), 8)
    assert parent.field == "real_parent" and btf[parent.btf_id].name == "task_struct"
    with pytest.raises(Reject, match=f"access beyond struct task_struct at off {task.size} "):
        walk(btf, task.id, task.size, 8)
    with pytest.raises(Reject, match="cannot access ptr member real_parent"):
        walk(btf, task.id, _member_off(btf, "task_struct", "real_parent"), 4)
