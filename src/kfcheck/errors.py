"""Errors a user can cause: each carries the file and a one-line problem."""

from __future__ import annotations


class KfcheckError(Exception):
    """A user-caused error; the CLI prints ``kfcheck: <file>: <problem>`` and exits 2."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class BtfError(KfcheckError):
    """Malformed or unusable BTF or .BTF.ext data."""


class ElfError(KfcheckError):
    """Malformed ELF file or BPF object."""


class InsnError(KfcheckError):
    """An instruction that cannot be decoded."""


class LinkError(KfcheckError):
    """A relocation, extern or CO-RE record that cannot be resolved."""


class KernelError(KfcheckError):
    """The running kernel cannot be used as an oracle (no root, no bpf())."""


class TableError(KfcheckError):
    """An invalid kfunc table."""
