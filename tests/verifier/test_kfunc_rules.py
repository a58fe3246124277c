"""kfunc rules are table-driven: no verifier module names a kfunc (the kernel's message strings,
in the registry, may), and a kfunc's rules follow its flags and families in the table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from corpus_intent import CORPUS_DIR

import kfcheck.verifier
from kfcheck.btf import Kind
from kfcheck.isa import decode
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.profile.embedded import list_manifests, load_profile
from kfcheck.profile.kfuncs.schema import Family, KfFlag
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.verifier.check import verify

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
    old = table.by_name(name)
    assert old is not None
    spec = replace(old, **changes)  # type: ignore[arg-type]
    by_id = {**table._by_id, spec.btf_id: spec}
    by_name = {**table._by_name, name: spec}
    masks = {i: s.family_mask for i, s in by_id.items() if s.family_mask}
    return replace(table, _by_id=by_id, _by_name=by_name, _masks=masks)


def _kfunc_then_exit(btf_id: int) -> Program:
    """A tc program (no maps) rewritten to: call the kfunc; r0 = 0; exit."""
    linked = next(p for p in link_file(str(CORPUS_DIR / "cast_to_kern_ctx_ok.bpf.o"),
                                       KernelTarget.from_profile(load_profile()))
                  if isinstance(p, Program))
    insns = (bytes([0x85, 0x20, 0, 0]) + btf_id.to_bytes(4, "little")
             + bytes([0xB7, 0, 0, 0, 0, 0, 0, 0]) + bytes([0x95, 0, 0, 0, 0, 0, 0, 0]))
    return replace(linked, insns=tuple(decode(insns)))


@pytest.mark.parametrize(("changes", "outcome", "error"), [
    ({}, "reject", "BPF_EXIT instruction in main prog cannot be used inside "
                   "bpf_preempt_disable-ed region"),
    ({"families": frozenset({Family.RCU_UNLOCK}), "family_mask": int(Family.RCU_UNLOCK)},
     "reject", "unmatched rcu read unlock (kernel function bpf_preempt_disable)"),
    ({"families": frozenset(), "family_mask": 0}, "accept", ""),
    ({"flags": KfFlag.KF_SLEEPABLE}, "reject",
     "program must be sleepable to call sleepable kfunc bpf_preempt_disable"),
    ({"families": frozenset({Family.STREAM}), "family_mask": int(Family.STREAM)},
     "unsupported", "unsupported: kfunc family STREAM"),
    ({"families": frozenset({Family.TRAP}), "family_mask": int(Family.TRAP)},
     "reject", "unexpected __bpf_trap() due to uninitialized variable?"),
])
def test_rules_follow_the_table(changes: dict[str, object], outcome: str, error: str) -> None:
    """The same kfunc behaves as its table entry says: moved between families or given a
    flag in a copy of the table, its rules change with no code change."""
    profile = load_profile()
    spec = profile.table.by_name("bpf_preempt_disable")  # a kfunc with no arguments
    assert spec is not None
    table = _table_with(profile.table, spec.name, **changes)
    verdict = verify(_kfunc_then_exit(spec.btf_id), replace(profile, table=table))
    assert (verdict.outcome.value, verdict.error) == (outcome, error)
