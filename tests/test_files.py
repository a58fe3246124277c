"""Files that are not regular files get one line and exit 2, for every command reading them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
