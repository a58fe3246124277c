"""Probing the running kernel for kfunc facts BTF does not hold (``run``: loads programs),
the observations (``model``), their comparison with the table (``compare``) and its
rendering (``render``)."""

from kfcheck.kernel.probe.compare import Comparison, Disagreement, compare
from kfcheck.kernel.probe.model import (
    ARENA_FLAGS,
    Fact,
    KfuncObservation,
    ProbeRun,
    TargetStatus,
    load_run,
    save_run,
    table_says,
)
from kfcheck.kernel.probe.render import render, report_json
from kfcheck.kernel.probe.run import probe, require_kernel

__all__ = [
    "ARENA_FLAGS", "Comparison", "Disagreement", "Fact", "KfuncObservation", "ProbeRun",
    "TargetStatus", "compare", "load_run", "probe", "render", "report_json", "require_kernel",
    "save_run", "table_says",
]
