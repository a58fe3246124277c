"""Files that are not regular files get one line and exit 2, for every command reading them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfcheck.errors import BtfError, ElfError, TableError
from kfcheck.files import MAX_INPUT_SIZE, MAX_TEXT_SIZE, read_input

COMMANDS = (["btf"], ["obj"], ["disasm"], ["disasm", "--raw"], ["table", "extract", "--btf"])


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kfcheck", *args], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_fifo_is_refused_not_waited_on(command: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # Opening a FIFO for reading blocks until a writer appears: keep one open meanwhile.
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    try:
        proc = _run([*command, str(fifo)])
    finally:
        os.close(writer)
    assert proc.returncode == 2
    assert proc.stderr == f"kfcheck: {fifo}: not a regular file\n"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_device_is_refused(command: list[str]) -> None:
    proc = _run([*command, "/dev/zero"])
    assert proc.returncode == 2
    assert proc.stderr == "kfcheck: /dev/zero: not a regular file\n"


# ---- kfcheck.files.read_input itself ----


@pytest.fixture()
def _alarm() -> Iterator[None]:
    """Fail instead of hanging when a test would block (an open of a FIFO, a read of a pipe)."""
    def timeout(_signum: int, _frame: object) -> None:
        raise TimeoutError("read_input blocked")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("_alarm")
def test_read_input_refuses_fifo_before_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ElfError) as info:
        read_input(str(fifo), ElfError)
    assert (info.value.path, info.value.problem) == (str(fifo), "not a regular file")


@pytest.mark.usefixtures("_alarm")
def test_read_input_checks_the_opened_file_again(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A regular file replaced by a FIFO between the check and the open: the open does not
    block (O_NONBLOCK) and the descriptor is checked again."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    monkeypatch.setattr(os, "stat", lambda _path: regular)
    with pytest.raises(TableError, match="^.*: not a regular file$"):
        read_input(str(fifo), TableError)


def test_read_input_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_input(str(path), ElfError, limit=100) == b"x" * 100
    with pytest.raises(ElfError) as info:
        read_input(str(path), ElfError, limit=99)
    assert info.value.problem == "file is 100 bytes, more than the 99-byte limit"


def test_read_input_sparse_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "sparse"
    with open(path, "wb") as f:
        f.truncate(3 << 30)
    with pytest.raises(BtfError) as info:
        read_input(str(path), BtfError)
    assert info.value.problem == (f"file is {3 << 30} bytes, more than the "
                                  f"{MAX_INPUT_SIZE}-byte limit")
    with pytest.raises(TableError, match=f"more than the {MAX_TEXT_SIZE}-byte limit"):
        read_input(str(path), TableError, MAX_TEXT_SIZE)


def test_read_input_reads_files_whose_size_is_not_known() -> None:
    """procfs files are regular with size 0: read on to the end, within the limit."""
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc")
    assert b"Name:" in read_input(str(status), ElfError)
    with pytest.raises(ElfError, match="file is more than the 16-byte limit"):
        read_input(str(status), ElfError, limit=16)


def test_read_input_other_failures(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.write_bytes(b"data")
    link = tmp_path / "link"
    link.symlink_to(target)
    assert read_input(str(link), ElfError) == b"data"  # a symlink to a regular file is fine
    for path, problem in [(tmp_path / "absent", "no such file"), (tmp_path, "is a directory"),
                          (target / "below", "cannot read: Not a directory")]:
        with pytest.raises(ElfError) as info:
            read_input(str(path), ElfError)
        assert info.value.problem == problem
