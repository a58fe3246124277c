"""Without bpf(): one line on stderr, exit 2 (runs everywhere)."""

from __future__ import annotations

import pytest

from kfcheck.cli import main
from kfcheck.kernel import syscall


def test_kernel_command_without_bpf(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(syscall, "_availability", ["not root"])
    assert main(["kernel", "x.bpf.o"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "kfcheck: x.bpf.o: not root\n"
