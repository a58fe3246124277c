"""Kernel tests skip, with the reason, when ``bpf()`` cannot be used here."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from kfcheck.kernel.syscall import available


def open_fds() -> set[str]:
    """Targets of this process's open fds that are BPF objects."""
    targets: set[str] = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("anon_inode:") and ("bpf" in target or "btf" in target):
            targets.add(f"{fd}:{target}")
    return targets


@pytest.fixture
def bpf_fds_checked() -> object:
    """Skip without bpf(); fail if the test leaves a BPF fd open."""
    reason = available()
    if reason is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    before = open_fds()
    yield None
    leaked = open_fds() - before
    assert not leaked, f"BPF fds left open: {sorted(leaked)}"


@pytest.fixture
def bpf_fd_lister() -> Callable[[], set[str]]:
    """The function listing this process's open BPF fds."""
    return open_fds
