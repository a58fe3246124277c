"""Verdict reports of ``kfcheck kernel`` and ``kfcheck check``: one row per program as a
veristat-like table or a JSON list of rows, the same shape for the kernel and the offline
verifier so the two compare directly. The exit code is the worst result's: 0 every program
accepted (or unsupported), 1 a program rejected, 2 a file that could not be checked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kfcheck.verdict import FileError, Outcome, Result, Stage, Verdict

BTF_NOT_LOADED = "program BTF not loaded (loaded without BTF, func_info and line_info)"
COLUMNS = ("File", "Program", "Verdict", "Duration (us)", "Insns", "States", "Error")
EXIT_OK, EXIT_REJECT, EXIT_BAD_INPUT = 0, 1, 2


@dataclass(frozen=True)
class Report:
    """The formatted report and the exit code it calls for."""

    text: str
    exit_code: int


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _row(v: Verdict) -> tuple[str, ...]:
    outcome = v.outcome.value + (" (link)" if v.stage is Stage.LINK else "")
    return (v.file, v.program, outcome, _cell(v.verification_time_us),
            _cell(v.processed_insns), _cell(v.total_states), v.error)


def format_table(results: Sequence[Result], with_log: bool = False) -> str:
    """Aligned columns, one row per program (the error column last, unpadded); a file that
    could not be checked is one line ``FILE: error: PROBLEM`` in its place."""
    verdicts = [r for r in results if isinstance(r, Verdict)]
    rows = [COLUMNS, *(_row(v) for v in verdicts)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]

    def line(r: tuple[str, ...]) -> str:
        cells = [c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)]
        return "  ".join([*cells, r[-1]]).rstrip()

    lines = [line(COLUMNS),
             "  ".join(["-" * w for w in widths] + ["-" * len(COLUMNS[-1])])]
    lines += [line(_row(r)) if isinstance(r, Verdict) else r.line for r in results]
    text = "\n".join(lines) + "\n"
    if with_log:
        for v in verdicts:
            text += f"\n--- {v.file}: {v.program} ---\n"
            if v.btf_error is not None:
                text += f"{BTF_NOT_LOADED}: {v.btf_error}\n"
            text += v.log
    return text


def exit_code(results: Sequence[Result]) -> int:
    """2 when a file could not be checked, else 1 when a program was rejected, else 0."""
    if any(isinstance(r, FileError) for r in results):
        return EXIT_BAD_INPUT
    if any(r.outcome is Outcome.REJECT for r in results if isinstance(r, Verdict)):
        return EXIT_REJECT
    return EXIT_OK


def render(results: Sequence[Result], as_json: bool = False, with_log: bool = False) -> Report:
    """The formatted report (a table, or a JSON list of rows) and its exit code."""
    if as_json:
        rows = [r.to_json(with_log=with_log) if isinstance(r, Verdict) else r.to_json()
                for r in results]
        text = json.dumps(rows, indent=1) + "\n"
    else:
        text = format_table(results, with_log)
    return Report(text, exit_code(results))
