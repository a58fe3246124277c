"""``kfcheck kernel``: verdicts of the running kernel as a veristat-like table or JSON.

Every object gets its rows whatever happens to the others: an object that cannot be read or
linked becomes one row of its own (a ``FileError``: verdict ``error``, or ``unsupported`` when
kfcheck lacks a feature it uses). The exit code is the worst result's: 0 every program
accepted (or unsupported), 1 a program rejected, 2 a file that could not be checked. A run over
one object keeps the single-file behaviour: its error is raised (``kfcheck: FILE: problem``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kfcheck.errors import KernelError, KfcheckError, LinkError, Unsupported
from kfcheck.host import KernelBuild, running_build
from kfcheck.kernel import syscall
from kfcheck.kernel.oracle import check_file
from kfcheck.link import KernelTarget
from kfcheck.verdict import Outcome, Stage, Verdict

BTF_NOT_LOADED = "program BTF not loaded (loaded without BTF, func_info and line_info)"
COLUMNS = ("File", "Program", "Verdict", "Duration (us)", "Insns", "States", "Error")

EXIT_OK, EXIT_REJECT, EXIT_BAD_INPUT = 0, 1, 2


@dataclass(frozen=True)
class FileError:
    """An object that could not be checked at all: one row for the whole file."""

    file: str
    error: str  # the one-line problem
    stage: str  # "read" (the ELF object), "link" or "kernel"
    build: KernelBuild | None = None
    unsupported: bool = False  # kfcheck lacks a feature the object uses

    @classmethod
    def of(cls, path: str, err: KfcheckError, build: KernelBuild | None = None) -> FileError:
        """The row of ``err`` raised while checking ``path``."""
        stage = "link" if isinstance(err, LinkError) else \
            "kernel" if isinstance(err, KernelError) else "read"
        message = err.problem if err.path == path else str(err)
        return cls(path, message, stage, build, isinstance(err, Unsupported))

    @property
    def verdict(self) -> str:
        """``unsupported`` when kfcheck lacks a feature the object uses, else ``error``."""
        return "unsupported" if self.unsupported else "error"

    def to_json(self) -> dict[str, Any]:
        """The ``kfcheck kernel --json`` row (``program`` ``*``: the whole file)."""
        return {
            "file": self.file,
            "program": "*",
            "stage": self.stage,
            "verdict": self.verdict,
            "error": self.error,
            "kernel": self.build.release if self.build is not None else None,
            "btf_sha256": self.build.btf_sha256 if self.build is not None else None,
        }

    @property
    def line(self) -> str:
        """The text output's line for the file."""
        return f"{self.file}: error: {self.error}"


Result = Verdict | FileError


@dataclass(frozen=True)
class KernelReport:
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


def check_files(paths: Sequence[str], with_log: bool = False) -> list[Result]:
    """The verdicts on every program of every object, a ``FileError`` in place of the
    programs of an object that could not be checked. Raises ``KernelError`` when the kernel
    cannot be used at all, and a single object's error as it is."""
    reason = syscall.available()
    if reason is not None:
        raise KernelError(paths[0] if paths else "kernel", reason)
    target = KernelTarget.running()
    results: list[Result] = []
    for path in paths:
        try:
            results += check_file(path, target, full_log=with_log)
        except KfcheckError as err:
            if len(paths) == 1:
                raise
            results.append(FileError.of(path, err, running_build()))
    return results


def kernel_report(paths: Sequence[str], as_json: bool = False,
                  with_log: bool = False) -> KernelReport:
    """Verify every program of every object with the running kernel; the formatted report
    (a table, or a JSON list of rows) and the exit code."""
    results = check_files(paths, with_log)
    if as_json:
        rows = [r.to_json(with_log=with_log) if isinstance(r, Verdict) else r.to_json()
                for r in results]
        text = json.dumps(rows, indent=1) + "\n"
    else:
        text = format_table(results, with_log)
    return KernelReport(text, exit_code(results))
