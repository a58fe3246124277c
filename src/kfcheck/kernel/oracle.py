"""The running kernel's verifier as an oracle: load each linked program on its own.

For one program: load its BTF, create its maps (with BTF key/value types when the kernel takes
them, else without, as libbpf retries), write global data and freeze ``.rodata``/``.kconfig``,
load the program, then close everything. Nothing is attached, pinned or run.

The log costs the kernel more than the verification (formatting every instruction of every
path), so a program is loaded with only as much log as the answer needs: the statistics
(``BPF_LOG_STATS``: verdict, errno, ``processed N insns ...``, verification time). A reject
needs its error line and the instruction it is about, as the level-2 log gives them: when the
statistics log's error line decides the instruction by itself (it names one, or is a check of
the whole program), that is the answer; otherwise the program is loaded once more at log level 1,
where the kernel keeps only the lines of the path that failed, so the last instruction line
before the error is the same as in the level-2 log. ``full_log`` loads at level 2 plus
statistics, once (``kfcheck kernel --log``); ``log_level`` loads once at exactly that level,
without statistics (``kfcheck kernel --log-level N``: the log ``kfcheck check --log-level N``
reproduces).
"""

from __future__ import annotations

import struct
from dataclasses import replace

from kfcheck.errors import KernelError, in_file
from kfcheck.host import running_build
from kfcheck.isa.insn import to_bytes
from kfcheck.kernel import syscall
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.link.program import FuncRecord, LineRecord, MapSpec
from kfcheck.verdict import (
    Outcome,
    Verdict,
    insn_settled_by,
    last_meaningful_line,
    link_failure_verdict,
    split_stats,
)

BPF_LOG_LEVEL1, BPF_LOG_LEVEL2, BPF_LOG_STATS = 1, 2, 4
FULL_LOG = BPF_LOG_LEVEL2 | BPF_LOG_STATS  # every instruction of every path, and the stats
STATS_LOG = BPF_LOG_STATS  # the verifier's messages (no instructions) and the stats
PATH_LOG = BPF_LOG_LEVEL1  # the instructions of the path that failed, and its error


def _create_map(spec: MapSpec, btf_fd: int, scope: syscall.FdScope) -> int:
    """Create a map (and its inner template), fill and freeze it; the scope owns the fds."""
    inner_fd = _create_map(spec.inner, btf_fd, scope) if spec.inner is not None else 0

    def create(with_btf: bool) -> int:
        return syscall.map_create(
            spec.map_type, spec.key_size, spec.value_size, spec.max_entries,
            map_flags=spec.map_flags, name=spec.name, inner_map_fd=inner_fd,
            map_extra=spec.map_extra, numa_node=spec.numa_node,
            btf_fd=btf_fd if with_btf else 0,
            btf_key_type_id=spec.btf_key_type_id if with_btf else 0,
            btf_value_type_id=spec.btf_value_type_id if with_btf else 0)

    if btf_fd and spec.btf_value_type_id:
        try:
            fd = scope.adopt(create(True))
        except syscall.BpfSyscallError:  # libbpf retries without BTF
            fd = scope.adopt(create(False))
    else:
        fd = scope.adopt(create(False))
    if spec.initial and any(spec.initial):
        syscall.map_update_elem(fd, bytes(4), spec.initial.ljust(spec.value_size, b"\0"))
    if spec.frozen:
        syscall.map_freeze(fd)
    return fd


FUNC_INFO_REC_SIZE = 8   # struct bpf_func_info
LINE_INFO_REC_SIZE = 16  # struct bpf_line_info


def _func_info_bytes(records: tuple[FuncRecord, ...]) -> bytes:
    return b"".join(struct.pack("<II", r.insn, r.type_id) for r in records)


def _line_info_bytes(records: tuple[LineRecord, ...]) -> bytes:
    return b"".join(struct.pack("<IIII", r.insn, r.file_name_off, r.line_off, r.line_col)
                    for r in records)


def _prog_load(prog: Program, fds: list[int], btf_fd: int, log_level: int,
               keep_tail: bool = False) -> syscall.LoadResult:
    return syscall.prog_load(
        to_bytes(prog.with_map_fds(fds)), prog.prog_type, license=prog.license,
        log_level=log_level, keep_tail=keep_tail,
        expected_attach_type=prog.expected_attach_type, attach_btf_id=prog.attach_btf_id,
        prog_btf_fd=btf_fd,
        func_info=_func_info_bytes(prog.func_info) if btf_fd else b"",
        func_info_rec_size=FUNC_INFO_REC_SIZE,
        line_info=_line_info_bytes(prog.line_info) if btf_fd else b"",
        line_info_rec_size=LINE_INFO_REC_SIZE,
        prog_flags=prog.prog_flags, name=prog.name, kern_version=prog.kern_version,
    )


def _path_log(prog: Program, fds: list[int], btf_fd: int) -> tuple[str, str, int | None]:
    """Load a rejected program again at log level 1: its log, error line and instruction.

    A log larger than the buffer keeps its end (the kernel rotates it), which holds the error
    and the instruction lines before it; only when that end has no instruction line (and the
    error does not settle the instruction) is the program loaded again with the whole log.
    """
    result = _prog_load(prog, fds, btf_fd, PATH_LOG, keep_tail=True)
    error, insn = last_meaningful_line(result.log)
    if result.log_truncated and insn is None and not insn_settled_by(error):
        result = _prog_load(prog, fds, btf_fd, PATH_LOG)
        error, insn = last_meaningful_line(result.log)
    return result.log, error, insn


def load(prog: Program, *, full_log: bool = True, log_level: int | None = None) -> Verdict:
    """Verify one linked program with the running kernel.

    ``log_level`` (1 or 2): load once at that level alone, the verdict's log is that log.

    ``full_log``: the verdict's log is the whole level-2 log, as ``kfcheck kernel --log``
    shows it. Otherwise only what the verdict needs is logged (see the module doc): the
    verdict, error, instruction, errno and statistics are the same, the log is the statistics
    (an accept) or the failing path's lines and the statistics (a reject).
    """
    reason = syscall.available()
    if reason is not None:
        raise KernelError(reason, path=prog.file or None)
    with syscall.FdScope() as scope:
        btf_fd = 0
        btf_error: str | None = None
        if prog.btf is not None:
            try:
                btf_fd = scope.adopt(syscall.btf_load(prog.btf.to_bytes()))
            except syscall.BpfSyscallError as err:
                btf_error = err.problem  # optional for libbpf too: it warns and goes on
        try:
            fds = [_create_map(spec, btf_fd, scope) for spec in prog.maps]
        except syscall.BpfSyscallError as err:
            return Verdict(Outcome.REJECT, error=f"map create: {err.problem}",
                           errno=err.errno, btf_error=btf_error, build=running_build()).named(
                prog.file, prog.name, prog.section)
        level = log_level if log_level else FULL_LOG if full_log else STATS_LOG
        result = _prog_load(prog, fds, btf_fd, level)
        verdict = Verdict.from_kernel(result.ok, result.errno, result.log)
        if log_level:
            verdict = replace(verdict, log=result.log)
        # (an empty statistics log: the kernel refused the program before verifying it)
        refused_after_logging = not result.ok and bool(result.log.strip())
        if level == STATS_LOG and refused_after_logging and not insn_settled_by(verdict.error):
            log, error, insn = _path_log(prog, fds, btf_fd)
            if error:
                # the path's lines, then the statistics of the load the verdict comes from
                log = split_stats(log)[0] + split_stats(result.log)[1]
                verdict = replace(verdict, error=error, insn=insn, log=log)
    verdict = replace(verdict, btf_error=btf_error, build=running_build())
    return verdict.named(prog.file, prog.name, prog.section)


def check_file(path: str, kernel: KernelTarget | None = None, *,
               full_log: bool = False, log_level: int | None = None) -> list[Verdict]:
    """Link every program of an object and verify each with the running kernel (``full_log``:
    with the whole level-2 log; ``log_level``: with the log of that level; see ``load``)."""
    reason = syscall.available()
    if reason is not None:
        raise KernelError(reason, path=path)
    with in_file(path):
        return [load(p, full_log=full_log, log_level=log_level) if isinstance(p, Program)
                else replace(link_failure_verdict(p), build=running_build())
                for p in link_file(path, kernel)]
