"""Every message is one line: names from files are shown escaped (``kfcheck.errors``)."""

from __future__ import annotations

import pytest

from kfcheck.errors import BtfError, KfcheckError, LinkError, printable


@pytest.mark.parametrize(("text", "shown"), [
    ("bpf_task_acquire", "bpf_task_acquire"),
    ("café", "café"),  # printable: unchanged
    ("a\\b", "a\\b"),
    ("a\nb", "a\\nb"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("tab\there", "tab\\there"),
    ("line\u2028sep", "line\\u2028sep"),
    ("\udcff", "\\udcff"),  # an undecodable byte of a name read with surrogateescape
    ("x\\n\n", "x\\\\n\\n"),  # escaped text stays distinguishable from a real line break
])
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(shown) == shown  # idempotent: messages built from messages stay as they are


def test_errors_escape_path_and_problem() -> None:
    err = LinkError("dir/a\nb.o", "extern 'x\ny': not found")
    assert (err.path, err.problem) == ("dir/a\\nb.o", "extern 'x\\ny': not found")
    assert str(err) == "dir/a\\nb.o: extern 'x\\ny': not found"
    outer = BtfError(err.path, f"bad BTF: {err.problem}")  # wrapping does not escape twice
    assert outer.problem == "bad BTF: extern 'x\\ny': not found"
    assert isinstance(outer, KfcheckError) and "\n" not in str(outer)
