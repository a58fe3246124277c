"""Reference loader: verify each program of a BPF object with the system libbpf (ctypes).

Stands in for `bpftool prog load` (which pins): every program is loaded on its own (the
others get autoload off) with a verifier log, the verdict and the error line are collected
and the object is closed. Nothing is ever attached, pinned or run.

Usage: python tests/tools/libbpf_load.py [--json] [--log] OBJ.bpf.o...
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import enum
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOG_SIZE = 64 << 20
STATS_LINE = re.compile(
    r"^(processed \d+ insns|verification time \d+ usec|stack depth \d|"
    r"max_states_per_insn|mark_read|peak_states|cur state: |old state: )"
)


class Stage(enum.StrEnum):
    """Where a load got its answer."""

    KERNEL = "kernel"  # the verifier ran (its log is not empty)
    LIBBPF = "libbpf"  # libbpf failed before or around the bpf() call
    OPEN = "open"  # libbpf could not open the object at all


class Verdict(enum.StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


@dataclass(frozen=True)
class ProgramResult:
    """One program's outcome under libbpf."""

    program: str
    section: str
    verdict: Verdict
    error: str
    errno: int
    stage: Stage
    log: str

    def summary(self) -> dict[str, str | int]:
        """The part recorded in libbpf_verdicts.json."""
        data: dict[str, str | int] = {"verdict": str(self.verdict), "error": self.error}
        if self.verdict is Verdict.REJECT:
            data["errno"] = self.errno
            data["stage"] = str(self.stage)
        return data


class LoaderError(Exception):
    """libbpf could not be found or used."""


PRINT_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
# libbpf keeps the print callback for the life of the process, so every callback handed to it
# must stay alive as long: a freed one would be called later (a segfault in another test).
_PRINTERS: list[object] = []


class Libbpf:
    """The few libbpf 1.x entry points the loader needs."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("bpf") or "libbpf.so.1"
        try:
            lib = ctypes.CDLL(name, use_errno=True)
        except OSError as exc:
            raise LoaderError(f"cannot load libbpf: {exc}") from exc
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        self.vsnprintf = libc.vsnprintf
        self.vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                   ctypes.c_void_p]
        self.vsnprintf.restype = ctypes.c_int
        vp = ctypes.c_void_p
        sigs: dict[str, tuple[list[type], type | None]] = {
            "bpf_object__open_file": ([ctypes.c_char_p, vp], vp),
            "bpf_object__next_program": ([vp, vp], vp),
            "bpf_object__load": ([vp], ctypes.c_int),
            "bpf_object__close": ([vp], None),
            "bpf_program__name": ([vp], ctypes.c_char_p),
            "bpf_program__section_name": ([vp], ctypes.c_char_p),
            "bpf_program__set_autoload": ([vp, ctypes.c_bool], ctypes.c_int),
            "bpf_program__set_log_level": ([vp, ctypes.c_uint32], ctypes.c_int),
            "bpf_program__set_log_buf": ([vp, ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int),
            "bpf_program__insns": ([vp], vp),
            "bpf_program__insn_cnt": ([vp], ctypes.c_size_t),
            "libbpf_set_print": ([PRINT_FN], vp),
            "libbpf_major_version": ([], ctypes.c_uint32),
            "libbpf_minor_version": ([], ctypes.c_uint32),
        }
        for fname, (args, res) in sigs.items():
            fn = getattr(lib, fname)
            fn.argtypes = args
            fn.restype = res
        self.lib = lib
        self.messages: list[str] = []
        printer = PRINT_FN(self._print)
        _PRINTERS.append(printer)
        lib.libbpf_set_print(printer)

    @property
    def version(self) -> str:
        return f"{self.lib.libbpf_major_version()}.{self.lib.libbpf_minor_version()}"

    def _print(self, level: int, fmt: bytes, args: int) -> int:
        buf = ctypes.create_string_buffer(4096)
        self.vsnprintf(buf, len(buf), fmt, args)
        self.messages.append(buf.value.decode(errors="replace"))
        return 0

    @contextmanager
    def opened(self, path: Path) -> Iterator[int]:
        """Open an object; raise OSError with libbpf's last message on failure."""
        obj = self.lib.bpf_object__open_file(os.fsencode(path), None)
        if not obj:
            err = ctypes.get_errno()
            raise OSError(err, last_libbpf_line(self.messages) or os.strerror(err))
        try:
            yield obj
        finally:
            self.lib.bpf_object__close(obj)

    def programs(self, obj: int) -> Iterator[int]:
        prog = self.lib.bpf_object__next_program(obj, None)
        while prog:
            yield prog
            prog = self.lib.bpf_object__next_program(obj, prog)

    def name(self, prog: int) -> str:
        return bytes(self.lib.bpf_program__name(prog)).decode()

    def section(self, prog: int) -> str:
        return bytes(self.lib.bpf_program__section_name(prog)).decode()


def last_libbpf_line(messages: list[str]) -> str:
    """The last libbpf warning, without the `libbpf: ` prefix and the trailing newline."""
    for message in reversed(messages):
        text = message.strip()
        text = text.removeprefix("libbpf: ")
        if text and not text.startswith(("-- BEGIN", "-- END", "failed to load object")):
            return text
    return ""


def error_line(log: str) -> str:
    """The last meaningful line of a verifier log: the error, before the statistics."""
    lines = [line for line in log.splitlines() if line.strip()]
    while lines and STATS_LINE.match(lines[-1]):
        lines.pop()
    return lines[-1].strip() if lines else ""


def names_in(lib: Libbpf, path: Path) -> list[tuple[str, str]]:
    with lib.opened(path) as obj:
        return [(lib.name(p), lib.section(p)) for p in lib.programs(obj)]


def load_program(lib: Libbpf, path: Path, name: str, log_level: int) -> ProgramResult:
    """Open `path` afresh and load only program `name`, then close the object."""
    log = ctypes.create_string_buffer(LOG_SIZE)
    lib.messages.clear()
    with lib.opened(path) as obj:
        section = ""
        for prog in lib.programs(obj):
            mine = lib.name(prog) == name
            lib.lib.bpf_program__set_autoload(prog, mine)
            if mine:
                section = lib.section(prog)
                lib.lib.bpf_program__set_log_level(prog, log_level)
                lib.lib.bpf_program__set_log_buf(prog, log, LOG_SIZE)
        err = lib.lib.bpf_object__load(obj)
    text = log.value.decode(errors="replace")
    if err == 0:
        return ProgramResult(name, section, Verdict.ACCEPT, "", 0, Stage.KERNEL, text)
    if text.strip():
        return ProgramResult(name, section, Verdict.REJECT, error_line(text), -err,
                             Stage.KERNEL, text)
    return ProgramResult(name, section, Verdict.REJECT, last_libbpf_line(lib.messages), -err,
                         Stage.LIBBPF, "\n".join(lib.messages))


def relocated_insns(lib: Libbpf, path: Path, name: str) -> bytes:
    """Program `name`'s instructions as libbpf relocated and sent them to the kernel
    (`bpf_program__insns` after loading it alone; the verdict does not matter). Map
    references hold the fds of maps closed since."""
    lib.messages.clear()
    with lib.opened(path) as obj:
        target = None
        for prog in lib.programs(obj):
            mine = lib.name(prog) == name
            lib.lib.bpf_program__set_autoload(prog, mine)
            if mine:
                target = prog
        if target is None:
            raise LoaderError(f"{path}: no program {name}")
        lib.lib.bpf_object__load(obj)
        count = lib.lib.bpf_program__insn_cnt(target)
        insns = lib.lib.bpf_program__insns(target)
        return ctypes.string_at(insns, count * 8) if insns else b""


def load_object(path: Path, log_level: int = 2, lib: Libbpf | None = None) -> list[ProgramResult]:
    """Verify every program of the object at `path`, each on its own."""
    lib = lib or Libbpf()
    lib.messages.clear()
    try:
        names = names_in(lib, path)
    except OSError as exc:
        return [ProgramResult("*", "", Verdict.REJECT, exc.strerror or str(exc), exc.errno or 0,
                              Stage.OPEN, "\n".join(lib.messages))]
    return [load_program(lib, path, name, log_level) for name, _ in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("objects", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print {file: {program: ...}}")
    parser.add_argument("--log", action="store_true", help="print the full verifier logs")
    parser.add_argument("--log-level", type=int, default=2)
    args = parser.parse_args(argv)
    lib = Libbpf()
    everything: dict[str, dict[str, dict[str, str | int]]] = {}
    for path in args.objects:
        results = load_object(path, args.log_level, lib)
        everything[str(path)] = {r.program: r.summary() for r in results}
        if args.json:
            continue
        for r in results:
            where = f"{path}:{r.program}"
            if r.verdict is Verdict.ACCEPT:
                print(f"{where}: accept")
            else:
                print(f"{where}: reject ({r.stage}, errno {r.errno}): {r.error}")
            if args.log:
                print(r.log)
    if args.json:
        json.dump(everything, sys.stdout, indent=1)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["ProgramResult", "Stage", "Verdict", "Libbpf", "LoaderError", "load_object",
           "error_line", "relocated_insns"]
