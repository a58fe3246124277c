"""A comparison as text (``kfcheck table probe``) and as JSON."""

from __future__ import annotations

from kfcheck.kernel.probe.compare import (
    Comparison,
)
from kfcheck.kernel.probe.model import (
    ProbeRun,
)


def render(cmp: Comparison, run: ProbeRun) -> str:
    """The text report of ``table probe``."""
    out = [f"# probe of Linux {run.kernel}: {len(run.kfuncs)} kfuncs, {run.loads} loads, "
           f"{run.seconds:.1f}s" + (" (time limit reached)" if run.timed_out else "")]
    out.append("# confirmed: " + ", ".join(f"{f.value} {n}" for f, n in cmp.confirmed.items()))
    out.append(f"# disagreements: {len(cmp.disagreements)}")
    out += [d.line() for d in cmp.disagreements]
    out.append(f"# unprobeable program types: {len(cmp.unprobeable_targets)}")
    out += [f"{t.key}: {t.reason}" for t in cmp.unprobeable_targets]
    out.append(f"# unprobed facts: {len(cmp.unprobed)}")
    grouped: dict[tuple[str, str], list[str]] = {}
    for name, fact, why in cmp.unprobed:
        grouped.setdefault((name, why), []).append(fact.value)
    out += [f"{name}: {', '.join(facts)}: {why}" for (name, why), facts in grouped.items()]
    if cmp.missing:
        why = "time limit reached" if run.timed_out else "not in this run"
        out.append(f"# not probed ({why}): {len(cmp.missing)}")
        out += cmp.missing
    return "\n".join(out) + "\n"


def report_json(cmp: Comparison, run: ProbeRun) -> dict[str, object]:
    """The JSON report of ``table probe --json``: the run plus the comparison."""
    return {
        "run": run.to_json(),
        "disagreements": [
            {"kfunc": d.kfunc, "fact": d.fact.value, "target": d.target, "table": d.table,
             "kernel": d.kernel, "evidence": d.evidence}
            for d in cmp.disagreements
        ],
        "confirmed": {f.value: n for f, n in cmp.confirmed.items()},
        "unprobed": [{"kfunc": n, "fact": f.value, "reason": r} for n, f, r in cmp.unprobed],
    }


