"""Errors a user can cause: each carries a one-line problem and, once known, the file.

Code that reads a file's contents raises without the path; the place that opens the file
gives it once (``with in_file(path):`` or ``err.in_file(path)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self


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

    ``path`` is the file the problem is in (None until given); ``problem`` says what is
    wrong. Both are kept escaped by ``printable``, so the message is one line whatever names
    it quotes."""

    def __init__(self, problem: str, *, path: str | None = None) -> None:
        super().__init__(problem)
        self.problem = printable(problem)
        self.path = None if path is None else printable(path)

    def __str__(self) -> str:
        return self.problem if self.path is None else f"{self.path}: {self.problem}"

    def in_file(self, path: str) -> Self:
        """This error, about ``path`` unless it already names its file."""
        if self.path is None:
            self.path = printable(path)
        return self


@contextmanager
def in_file(path: str) -> Iterator[None]:
    """Give ``path`` to the ``KfcheckError`` raised inside that names no file."""
    try:
        yield
    except KfcheckError as err:
        err.in_file(path)
        raise


class Unsupported(Exception):
    """Input that uses a feature kfcheck lacks: reported as unsupported, never judged accept
    or reject. ``what`` names the feature."""

    what: str


class UnsupportedInput(KfcheckError, Unsupported):
    """A file using a feature kfcheck lacks; the problem reads ``<where>unsupported: <what>``
    (``where`` names the part of the file, e.g. ``map 'm': ``)."""

    def __init__(self, what: str, *, where: str = "", path: str | None = None) -> None:
        super().__init__(f"{where}unsupported: {what}", path=path)
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
