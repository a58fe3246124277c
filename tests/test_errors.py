"""Every message is one line: names from files are shown escaped (``kfcheck.errors``)."""

from __future__ import annotations

import pytest

from kfcheck.errors import BtfError, ElfError, KfcheckError, LinkError, in_file, printable


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
    err = LinkError("extern 'x\ny': not found", path="dir/a\nb.o")
    assert (err.path, err.problem) == ("dir/a\\nb.o", "extern 'x\\ny': not found")
    assert str(err) == "dir/a\\nb.o: extern 'x\\ny': not found"
    outer = BtfError(f"bad BTF: {err.problem}", path=err.path)  # wrapping does not escape twice
    assert outer.problem == "bad BTF: extern 'x\\ny': not found"
    assert isinstance(outer, KfcheckError) and "\n" not in str(outer)


def test_errors_are_raised_without_the_file_and_given_it_once() -> None:
    """Readers raise the problem alone; the place that opens the file names it, and an
    error that already names its file keeps it."""
    bare = ElfError("no symbol table")
    assert (bare.path, str(bare)) == (None, "no symbol table")
    with pytest.raises(ElfError) as info, in_file("dir/a.o"):
        with in_file("inner.o"):
            raise bare
    assert info.value is bare and str(bare) == "inner.o: no symbol table"
    with pytest.raises(BtfError) as other, in_file("a.o"):
        raise BtfError("bad magic", path="vmlinux")
    assert other.value.path == "vmlinux"
    assert LinkError("x").in_file("a\nb.o").path == "a\\nb.o"
