"""``kfcheck kernel``: verdicts of the running kernel as a veristat-like table or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from kfcheck.errors import KernelError
from kfcheck.kernel import syscall
from kfcheck.kernel.oracle import check_file
from kfcheck.link import KernelTarget
from kfcheck.verdict import Stage, Verdict

BTF_NOT_LOADED = "program BTF not loaded (loaded without BTF, func_info and line_info)"
COLUMNS = ("File", "Program", "Verdict", "Duration (us)", "Insns", "States", "Error")


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _row(v: Verdict) -> tuple[str, ...]:
    outcome = v.outcome.value + (" (link)" if v.stage is Stage.LINK else "")
    return (v.file, v.program, outcome, _cell(v.verification_time_us),
            _cell(v.processed_insns), _cell(v.total_states), v.error)


def format_table(verdicts: Sequence[Verdict], with_log: bool = False) -> str:
    """Aligned columns, one row per program (the error column last, unpadded)."""
    rows = [COLUMNS, *(_row(v) for v in verdicts)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]
    lines = []
    for n, r in enumerate(rows):
        cells = [c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
        if n == 0:
            lines.append("  ".join(["-" * w for w in widths] + ["-" * len(COLUMNS[-1])]))
    text = "\n".join(lines) + "\n"
    if with_log:
        for v in verdicts:
            text += f"\n--- {v.file}: {v.program} ---\n"
            if v.btf_error is not None:
                text += f"{BTF_NOT_LOADED}: {v.btf_error}\n"
            text += v.log
    return text


def kernel_report(paths: Sequence[str], as_json: bool = False, with_log: bool = False) -> str:
    """Verify every program of every object with the running kernel; the formatted report."""
    reason = syscall.available()
    if reason is not None:
        raise KernelError(paths[0] if paths else "kernel", reason)
    target = KernelTarget.running()
    verdicts = [v for path in paths for v in check_file(path, target)]
    if as_json:
        return json.dumps([v.to_json(with_log=with_log) for v in verdicts], indent=1) + "\n"
    return format_table(verdicts, with_log)
