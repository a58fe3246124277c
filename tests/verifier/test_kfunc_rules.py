"""kfunc rules are table-driven: no verifier module names a kfunc (the kernel's message strings,
in the registry, may), and a kfunc's rules follow its flags and families in the table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import kfcheck.verifier
from kfcheck.btf import Kind
from kfcheck.profile.embedded import list_manifests, load_profile
from kfcheck.profile.kfuncs.schema import Family, KfFlag
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.verifier import kfuncs
from kfcheck.verifier.messages import Reject, Unsupported

VERIFIER = Path(kfcheck.verifier.__file__).parent
REGISTRY = VERIFIER / "messages.py"  # kernel message strings, not rules


@pytest.mark.parametrize("name", [m.name for m in list_manifests()])
def test_no_rule_names_a_kfunc(name: str) -> None:
    profile = load_profile(name=name)
    # a kfunc named like a kernel struct (bpf_res_spin_lock) may be named as the struct
    names = {spec.name for spec in profile.table if not profile.btf.by_name(spec.name, Kind.STRUCT)}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    hits = []
    for path in sorted(VERIFIER.rglob("*.py")):
        if path == REGISTRY:
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            found = pattern.search(line)
            if found:
                hits.append(f"{path.name}:{lineno}: {found.group(0)}")
    assert hits == []


def _table_with(table: KfuncTable, name: str, **changes: object) -> KfuncTable:
    """A copy of ``table`` where kfunc ``name`` has other flags or families."""
    spec = replace(table.by_name(name), **changes)  # type: ignore[arg-type]
    by_id = {**table._by_id, spec.btf_id: spec}
    by_name = {**table._by_name, name: spec}
    masks = {i: s.family_mask for i, s in by_id.items() if s.family_mask}
    return replace(table, _by_id=by_id, _by_name=by_name, _masks=masks)


def test_rules_follow_the_table() -> None:
    """A kfunc moved into the RCU_UNLOCK family behaves as an RCU unlock (unmatched here),
    one given an unmodelled family is unsupported: no code names it."""
    from kfcheck.verifier.engine import initial_state
    from kfcheck.verifier.env import Env
    from kfcheck.verifier.progtypes import prog_type_info

    profile = load_profile()
    spec = profile.table.by_name("bpf_preempt_disable")  # a kfunc with no arguments
    assert spec is not None
    unlock = _table_with(profile.table, spec.name, families=frozenset({Family.RCU_UNLOCK}),
                         family_mask=int(Family.RCU_UNLOCK))
    listy = _table_with(profile.table, spec.name, families=frozenset({Family.LIST_API}),
                        family_mask=int(Family.LIST_API))
    sleepy = _table_with(profile.table, spec.name, flags=spec.flags | KfFlag.KF_SLEEPABLE)
    from kfcheck.isa.insn import decode

    raw = bytes([0x85, 0x20, 0, 0]) + spec.btf_id.to_bytes(4, "little")
    call = decode(raw + bytes([0x95, 0, 0, 0, 0, 0, 0, 0]), "t")[0]
    from kfcheck.link.program import Program
    from kfcheck.uapi import ProgType

    program = Program("p", "tc", ProgType.SCHED_CLS, 0, 0, "", False, 0, raw, (), (), b"", b"",
                      b"", "GPL", 0)
    info = prog_type_info(ProgType.SCHED_CLS, 0, 0)
    assert info is not None
    for table, expect in ((unlock, "unmatched rcu read unlock"), (listy, None),
                          (sleepy, "program must be sleepable")):
        env = Env(program, replace(profile, table=table), info, [call, None])
        if expect is None:
            with pytest.raises(Unsupported, match="LIST_API"):
                kfuncs.do_kfunc_call(env, initial_state(env), call)
        else:
            with pytest.raises(Reject, match=expect):
                kfuncs.do_kfunc_call(env, initial_state(env), call)
    env = Env(program, profile, info, [call, None])
    after = kfuncs.do_kfunc_call(env, initial_state(env), call)
    assert after is not None and after.preempt == 1
