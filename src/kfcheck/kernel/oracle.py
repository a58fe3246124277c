"""The running kernel's verifier as an oracle: load each linked program on its own.

For one program: load its BTF, create its maps (with BTF key/value types when the kernel takes
them, else without, as libbpf retries), write global data and freeze ``.rodata``/``.kconfig``,
load the program at log level 2 plus statistics, then close everything. Nothing is attached,
pinned or run.
"""

from __future__ import annotations

import errno as errno_mod
from dataclasses import replace

from kfcheck.errors import KernelError
from kfcheck.kernel import syscall
from kfcheck.link import KernelTarget, LinkFailure, Program, link_file
from kfcheck.link.program import FUNC_INFO_REC_SIZE, LINE_INFO_REC_SIZE, MapSpec
from kfcheck.verdict import Outcome, Stage, Verdict

LOG_LEVEL = 2 | 4  # BPF_LOG_LEVEL2 | BPF_LOG_STATS
LOG_SIZE = 64 << 20


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


def load(prog: Program, *, log_level: int = LOG_LEVEL, log_size: int = LOG_SIZE) -> Verdict:
    """Verify one linked program with the running kernel."""
    reason = syscall.available()
    if reason is not None:
        raise KernelError(prog.file or prog.name, reason)
    with syscall.FdScope() as scope:
        btf_fd = 0
        btf_error: str | None = None
        if prog.btf:
            try:
                btf_fd = scope.adopt(syscall.btf_load(prog.btf))
            except syscall.BpfSyscallError as err:
                btf_error = err.problem  # optional for libbpf too: it warns and goes on
        try:
            fds = [_create_map(spec, btf_fd, scope) for spec in prog.maps]
        except syscall.BpfSyscallError as err:
            return Verdict(Outcome.REJECT, error=f"map create: {err.problem}",
                           errno=err.errno, btf_error=btf_error).named(
                prog.file, prog.name, prog.section)
        result = syscall.prog_load(
            prog.with_map_fds(fds), prog.prog_type, license=prog.license,
            log_level=log_level, log_size=log_size,
            expected_attach_type=prog.expected_attach_type, attach_btf_id=prog.attach_btf_id,
            prog_btf_fd=btf_fd,
            func_info=prog.func_info if btf_fd else b"", func_info_rec_size=FUNC_INFO_REC_SIZE,
            line_info=prog.line_info if btf_fd else b"", line_info_rec_size=LINE_INFO_REC_SIZE,
            prog_flags=prog.prog_flags, name=prog.name, kern_version=prog.kern_version,
        )
    verdict = replace(Verdict.from_kernel(result.ok, result.errno, result.log),
                      btf_error=btf_error)
    return verdict.named(prog.file, prog.name, prog.section)


def failure_verdict(failure: LinkFailure) -> Verdict:
    """The verdict of a program that could not be linked (stage ``link``)."""
    if failure.unsupported:
        verdict = Verdict.unsupported(failure.problem.removeprefix("unsupported: "))
    else:
        verdict = Verdict(Outcome.REJECT, error=failure.problem, errno=errno_mod.EINVAL)
    return replace(verdict, stage=Stage.LINK).named(failure.file, failure.name,
                                                    failure.section)


def check_file(path: str, kernel: KernelTarget | None = None) -> list[Verdict]:
    """Link every program of an object and verify each with the running kernel."""
    reason = syscall.available()
    if reason is not None:
        raise KernelError(path, reason)
    return [load(p) if isinstance(p, Program) else failure_verdict(p)
            for p in link_file(path, kernel)]
