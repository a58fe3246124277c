"""Without bpf(): one line on stderr, exit 2 (runs everywhere)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys

import pytest

from kfcheck.cli import main
from kfcheck.kernel import syscall

PRIVILEGE = "missing privilege: loading BPF programs needs CAP_BPF or CAP_SYS_ADMIN (EPERM)"


def test_kernel_command_without_bpf(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(syscall, "_availability", ["not root"])
    assert main(["kernel", "x.bpf.o"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "kfcheck: x.bpf.o: not root\n"


@pytest.mark.parametrize(("euid", "err", "reason"), [
    (1000, errno.EPERM, "not root"),
    (0, errno.EPERM, PRIVILEGE),
    (0, errno.EINVAL, "bpf() not supported: EINVAL"),
])
def test_availability_reason(monkeypatch: pytest.MonkeyPatch, euid: int, err: int,
                             reason: str) -> None:
    monkeypatch.setattr(syscall, "_availability", [])
    monkeypatch.setattr(os, "geteuid", lambda: euid)
    monkeypatch.setattr(syscall, "prog_load",
                        lambda *args, **kwargs: syscall.LoadResult(False, err, ""))
    assert syscall.available() == reason


@pytest.mark.kernel
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to drop CAP_BPF and CAP_SYS_ADMIN")
def test_root_without_cap_bpf_is_told_privilege_is_missing() -> None:
    done = subprocess.run(["setpriv", "--bounding-set", "-bpf,-sys_admin", sys.executable, "-m",
                           "kfcheck", "kernel", "x.bpf.o"], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"kfcheck: x.bpf.o: {PRIVILEGE}\n"
