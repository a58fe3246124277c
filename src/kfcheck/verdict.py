"""The verdict on one program, shared by the offline verifier and the kernel oracle.

A verdict is ``accept``, ``reject`` or ``unsupported``. For a reject, ``error`` is the
*last meaningful line* of the log: the log is read from the end, skipping blank lines, the
statistics the kernel appends after the verdict (``verification time N usec``,
``stack depth N[+N...]``, ``processed N insns ...``) and the state dumps that follow some
errors (``cur state: ...``, ``old state: ...``); the first line left is the error.

The instruction index of a reject is the one the error names (``... at insn N``,
``... (insn N) ...``); None for the errors of checks that concern no single instruction
(the stack-size checks made after the main pass, the complexity limit); otherwise that of
the last instruction line (``N: (op) ...``) printed before the error, when the log level
printed instructions.
"""

from __future__ import annotations

import errno as errno_mod
import re
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from kfcheck.errors import KernelError, KfcheckError, LinkError, Unsupported
from kfcheck.host import KernelBuild
from kfcheck.link import LinkFailure

# "processed N insns (limit N) key N key N ...": the keys vary with the kernel version.
_PROCESSED = re.compile(r"^processed (\d+) insns \(limit (\d+)\)(.*)$")
_NUMBER = re.compile(r"^\d+(?:\+\d+)*$")
_TIME = re.compile(r"^verification time (\d+) usec\s*$")
_STACK = re.compile(r"^stack depth (\d+(?:\+\d+)*)\s*$")
# State dumps the kernel prints after some errors ("infinite loop detected at insn N").
_STATE_DUMP = re.compile(r"^(cur|old) state:")
_EXIT_NOTE = "BPF_EXIT instruction in main prog"
_INSN_LINE = re.compile(r"^(\d+): \([0-9a-f]{2}\) ")
# Errors naming their instruction: "infinite loop detected at insn 2",
# "bpf_throw kfunc (insn 10) cannot be called from callback subprog 1".
_NAMED_INSN = re.compile(r"\bat insn (\d+)\b|\(insn (\d+)\)")
# Errors no instruction is at fault for: check_max_stack_depth, fixup_call_args and
# do_misc_fixups run after the main pass; the complexity limit stops it anywhere.
_NO_INSN = re.compile(
    r"^(?:combined stack size of \d+ calls is \d+\. Too large"
    r"|stack size of subprog \d+ is \d+\. Too large"
    r"|tail_calls are not allowed when call stack of previous frames is \d+ bytes\. Too large"
    r"|the call stack of \d+ frames is too deep !"
    r"|stack size \d+\(extra \d+\) is too large"
    r"|calling kernel functions are not allowed in non-JITed programs"
    r"|tail_calls are not allowed in non-JITed programs with bpf-to-bpf calls"
    r"|callbacks are not allowed in non-JITed programs"
    r"|BPF program is too large\. Processed \d+ insn)$"
)


class Outcome(Enum):
    """What the verifier decided."""

    ACCEPT = "accept"
    REJECT = "reject"
    UNSUPPORTED = "unsupported"


class Stage(Enum):
    """Where a verdict was decided."""

    LINK = "link"  # before bpf(): the linker refused the program (as libbpf would), or lacks
    # a feature (unsupported); no verifier ran
    KERNEL = "kernel"  # the kernel answered: its verifier, or a map it would not create
    VERIFIER = "verifier"  # kfcheck's offline verifier answered, for the profile's build


@dataclass(frozen=True)
class LogStats:
    """The statistics the kernel prints at the end of its log (None when absent).

    ``extra`` holds the ``processed ...`` line's fields kfcheck does not name (other kernel
    versions print other ones), in order.
    """

    processed_insns: int | None = None
    insn_limit: int | None = None
    max_states_per_insn: int | None = None
    total_states: int | None = None
    peak_states: int | None = None
    mark_read: int | None = None
    verification_time_us: int | None = None
    stack_depth: tuple[int, ...] = ()
    extra: tuple[tuple[str, int], ...] = ()


_NAMED_FIELDS = frozenset({"max_states_per_insn", "total_states", "peak_states", "mark_read"})


def _processed_fields(m: re.Match[str]) -> dict[str, Any]:
    """The fields of a ``processed N insns (limit N) ...`` line: the rest is read as
    ``key N`` pairs (a key may be several words, as in older kernels' ``, stack depth 0+8``)."""
    fields: dict[str, Any] = {"processed_insns": int(m.group(1)), "insn_limit": int(m.group(2))}
    extra: list[tuple[str, int]] = []
    words: list[str] = []
    for token in m.group(3).replace(",", " ").split():
        if not _NUMBER.match(token):
            words.append(token)
            continue
        key, words = "_".join(words), []
        if key == "stack_depth":
            fields[key] = tuple(int(x) for x in token.split("+"))
        elif "+" in token or not key:
            continue
        elif key in _NAMED_FIELDS:
            fields[key] = int(token)
        else:
            extra.append((key, int(token)))
    fields["extra"] = tuple(extra)
    return fields


# A kernel message printed without its newline ("expected prog array map for tail call") runs
# into the statistics line after it.
_GLUED_STATS = re.compile(r"(?<=\S)(?=processed \d+ insns \(limit \d+\))")


def _log_lines(log: str) -> list[str]:
    """The log's lines, a message glued to the statistics line split from it."""
    return _GLUED_STATS.sub("\n", log).splitlines()


def _is_stats(line: str) -> bool:
    return not line.strip() or bool(
        _PROCESSED.match(line) or _TIME.match(line) or _STACK.match(line)
    )


def _is_trailer(line: str) -> bool:
    return _is_stats(line) or bool(_STATE_DUMP.match(line))


def parse_stats(log: str) -> LogStats:
    """Read the trailing statistics lines of a kernel verifier log."""
    fields: dict[str, Any] = {}
    for line in reversed(_log_lines(log)):
        if not _is_stats(line):
            break
        if m := _PROCESSED.match(line):
            fields.update(_processed_fields(m))
        elif m := _TIME.match(line):
            fields["verification_time_us"] = int(m.group(1))
        elif m := _STACK.match(line):
            fields["stack_depth"] = tuple(int(x) for x in m.group(1).split("+"))
    return LogStats(**fields)


def split_stats(log: str) -> tuple[str, str]:
    """A log's lines before the statistics that end it, and those statistics lines (blank
    lines dropped; each part '' or lines ending in a newline)."""
    lines = log.splitlines()
    end = len(lines)
    while end and _is_stats(lines[end - 1]):
        end -= 1
    return ("".join(f"{line}\n" for line in lines[:end]),
            "".join(f"{line}\n" for line in lines[end:] if line.strip()))


def insn_settled_by(error: str) -> bool:
    """Whether an error line alone decides the instruction a reject is about: it names one
    (``... at insn N``), or it is a check no instruction is at fault for (no instruction)."""
    return bool(_NAMED_INSN.search(error) or _NO_INSN.match(error))


def _error_lines(log: str) -> list[str]:
    """A log's lines up to its error line (the statistics and state dumps after it dropped)."""
    lines = _log_lines(log)
    end = len(lines)
    while end and _is_trailer(lines[end - 1]):
        end -= 1
    return lines[:end]


def last_meaningful_line(log: str) -> tuple[str, int | None]:
    """The error line of a log and the index of the instruction it is about."""
    lines = _error_lines(log)
    if not lines:
        return "", None
    error = lines[-1].strip()
    if m := _NAMED_INSN.search(error):
        return error, int(m.group(1) or m.group(2))
    if _NO_INSN.match(error):
        return error, None
    for line in reversed(lines[:-1]):
        if m := _INSN_LINE.match(line):
            return error, int(m.group(1))
    return error, None


def cause_line(log: str) -> str:
    """The line naming what a reject is about: the error line, except that after the note on
    the exit a resource outlives (``BPF_EXIT instruction in main prog would lead to reference
    leak``) it is the line before, naming the resource (``Unreleased reference id=N
    alloc_insn=N``)."""
    lines = [line.strip() for line in _error_lines(log) if line.strip()]
    while len(lines) > 1 and lines[-1].startswith(_EXIT_NOTE):
        lines.pop()
    return lines[-1] if lines else ""


@dataclass(frozen=True)
class Verdict:
    """The verdict on one program, with the numbers and the log behind it."""

    outcome: Outcome
    error: str = ""
    insn: int | None = None
    stats: LogStats = LogStats()
    log: str = ""
    errno: int = 0
    file: str = ""
    program: str = ""
    section: str = ""
    # Why the program BTF did not load; the program was then loaded without BTF, func_info
    # and line_info, as libbpf does when BTF is optional. None when it loaded (or was empty).
    btf_error: str | None = None
    stage: Stage = Stage.KERNEL
    # The kernel build that gave (or, for a link-stage verdict, was the target of) the verdict;
    # None when there is none (the offline verifier) or its BTF could not be read.
    build: KernelBuild | None = None

    @property
    def processed_insns(self) -> int | None:
        """Instructions the verifier processed."""
        return self.stats.processed_insns

    @property
    def total_states(self) -> int | None:
        """States the verifier stored."""
        return self.stats.total_states

    @property
    def peak_states(self) -> int | None:
        """Peak number of stored states."""
        return self.stats.peak_states

    @property
    def verification_time_us(self) -> int | None:
        """Verification time reported by the kernel, in microseconds."""
        return self.stats.verification_time_us

    @classmethod
    def from_kernel(cls, ok: bool, err: int, log: str) -> Verdict:
        """Build the verdict of a BPF_PROG_LOAD from its result and log.

        A rejection whose log holds no line (the kernel refused before verifying) gets the
        errno name as its error, e.g. ``EINVAL``.
        """
        stats = parse_stats(log)
        if ok:
            return cls(Outcome.ACCEPT, stats=stats, log=log)
        error, insn = last_meaningful_line(log)
        if not error:
            error = errno_mod.errorcode.get(err, f"errno {err}")
        return cls(Outcome.REJECT, error=error, insn=insn, stats=stats, log=log, errno=err)

    @classmethod
    def unsupported(cls, what: str) -> Verdict:
        """A program kfcheck cannot handle; ``error`` is ``unsupported: <what>``."""
        return cls(Outcome.UNSUPPORTED, error=f"unsupported: {what}")

    def named(self, file: str, program: str, section: str) -> Verdict:
        """This verdict attributed to a program of a file."""
        return replace(self, file=file, program=program, section=section)

    def to_json(self, *, with_log: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (the ``kfcheck kernel --json`` row)."""
        row: dict[str, Any] = {
            "file": self.file,
            "program": self.program,
            "section": self.section,
            "verdict": self.outcome.value,
            "stage": self.stage.value,
            "error": self.error,
            "insn": self.insn,
            "processed_insns": self.stats.processed_insns,
            "verification_time_us": self.stats.verification_time_us,
            "total_states": self.stats.total_states,
            "peak_states": self.stats.peak_states,
            "max_states_per_insn": self.stats.max_states_per_insn,
            "stack_depth": list(self.stats.stack_depth),
            "errno": errno_mod.errorcode.get(self.errno) if self.errno else None,
            "btf_error": self.btf_error,
            "kernel": self.build.release if self.build is not None else None,
            "btf_sha256": self.build.btf_sha256 if self.build is not None else None,
        }
        if with_log:
            row["log"] = self.log
        return row


def link_failure_verdict(failure: LinkFailure) -> Verdict:
    """The verdict of a program that could not be linked (stage ``link``): unsupported for a
    feature kfcheck lacks, else a reject with the linker's message (as libbpf refuses)."""
    if failure.unsupported:
        verdict = Verdict.unsupported(failure.unsupported)
    else:
        verdict = Verdict(Outcome.REJECT, error=failure.problem, errno=errno_mod.EINVAL)
    return replace(verdict, stage=Stage.LINK).named(failure.file, failure.name,
                                                    failure.section)


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
        message = err.problem if err.in_file(path).path == path else str(err)
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
