"""A probe run compared with the kfunc table: where they disagree."""

from __future__ import annotations

from dataclasses import dataclass

from kfcheck.kernel.probe.model import (
    _FAMILY_OF,
    _FLAG_OF,
    Fact,
    ProbeRun,
    TargetStatus,
    table_says,
)
from kfcheck.kernel.synth import (
    TARGET_BY_KEY,
    table_allows,
)
from kfcheck.profile.kfuncs.table import KfuncTable

# ---- comparison with the table ----


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The table and the kernel differ on one fact (``target``: for availability)."""

    kfunc: str
    fact: Fact
    table: bool
    kernel: bool
    target: str = ""
    evidence: str = ""

    def line(self) -> str:
        """One report line."""
        where = f" in {self.target}" if self.target else ""
        why = f" ({self.evidence})" if self.evidence else ""
        return (f"{self.kfunc}: {self.fact.value}{where}: table says {_yn(self.table)}, "
                f"kernel says {_yn(self.kernel)}{why}")


@dataclass(frozen=True, slots=True)
class Comparison:
    """Disagreements, facts confirmed, and what could not be probed (with reasons)."""

    disagreements: tuple[Disagreement, ...]
    confirmed: dict[Fact, int]
    unprobed: tuple[tuple[str, Fact, str], ...]
    unprobeable_targets: tuple[TargetStatus, ...]
    missing: tuple[str, ...]  # table kfuncs the run has no observation for


def _yn(value: bool) -> str:
    return "yes" if value else "no"


def compare(table: KfuncTable, run: ProbeRun) -> Comparison:
    """Every disagreement between ``table`` and the observations of ``run``."""
    out: list[Disagreement] = []
    confirmed = {f: 0 for f in Fact}
    unprobed: list[tuple[str, Fact, str]] = []
    seen: set[str] = set()
    for obs in run.kfuncs:
        spec = table.by_name(obs.name)
        if spec is None:
            continue
        seen.add(obs.name)
        for key, allowed in sorted(obs.allowed.items()):
            target = TARGET_BY_KEY.get(key)
            if target is None:
                continue
            want = table_allows(spec, target)
            if want == allowed:
                confirmed[Fact.ALLOWED] += 1
            else:
                out.append(Disagreement(obs.name, Fact.ALLOWED, want, allowed, key))
        if Fact.ALLOWED in obs.unprobed:
            unprobed.append((obs.name, Fact.ALLOWED, obs.unprobed[Fact.ALLOWED]))
        for fact in (*_FLAG_OF, *_FAMILY_OF):
            if fact in obs.facts:
                want = table_says(table, spec, fact)
                if want == obs.facts[fact]:
                    confirmed[fact] += 1
                else:
                    out.append(Disagreement(obs.name, fact, want, obs.facts[fact],
                                            evidence=obs.evidence.get(fact, "")))
            elif fact in obs.unprobed:
                unprobed.append((obs.name, fact, obs.unprobed[fact]))
    missing = tuple(sorted(s.name for s in table if s.name not in seen))
    bad_targets = tuple(t for t in run.targets if not t.loadable)
    return Comparison(tuple(out), confirmed, tuple(unprobed), bad_targets, missing)


