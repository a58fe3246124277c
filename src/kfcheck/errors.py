"""Errors a user can cause: each carries the file and a one-line problem."""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` as it may be shown on one line: unchanged when every character is printable,
    else escaped as a Python string literal's body (``\\n``, ``\\x1b``, ``\\u2028``, and
    backslashes doubled). Names read from files (symbols, BTF names, table keys) may hold
    line breaks or terminal control characters; every message goes through this."""
    if text.isprintable():
        return text
    return text.encode("unicode_escape").decode("ascii")


class KfcheckError(Exception):
    """A user-caused error; the CLI prints ``kfcheck: <file>: <problem>`` and exits 2.

    ``path`` and ``problem`` are kept escaped by ``printable``, so the message is one line
    whatever names it quotes."""

    def __init__(self, path: str, problem: str) -> None:
        path, problem = printable(path), printable(problem)
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class Unsupported(Exception):
    """Input that uses a feature kfcheck lacks: reported as unsupported, never judged accept
    or reject. ``what`` names the feature."""

    what: str


class UnsupportedInput(KfcheckError, Unsupported):
    """A file using a feature kfcheck lacks; the problem reads ``<where>unsupported: <what>``
    (``where`` names the part of the file, e.g. ``map 'm': ``)."""

    def __init__(self, path: str, what: str, where: str = "") -> None:
        super().__init__(path, f"{where}unsupported: {what}")
        self.what = printable(what)
        self.where = printable(where)


class BtfError(KfcheckError):
    """Malformed or unusable BTF or .BTF.ext data."""


class ElfError(KfcheckError):
    """Malformed ELF file or BPF object."""


class InsnError(KfcheckError):
    """An instruction that cannot be decoded."""


class LinkError(KfcheckError):
    """A relocation, extern or CO-RE record that cannot be resolved."""


class UnsupportedBtf(UnsupportedInput, BtfError):
    """BTF or .BTF.ext using a feature kfcheck lacks."""


class UnsupportedElf(UnsupportedInput, ElfError):
    """An ELF file or BPF object using a feature kfcheck lacks."""


class UnsupportedLink(UnsupportedInput, LinkError):
    """A program whose linking needs a feature kfcheck lacks."""


class KernelError(KfcheckError):
    """The running kernel cannot be used as an oracle (no root, no bpf())."""


class TableError(KfcheckError):
    """An invalid kfunc table."""
