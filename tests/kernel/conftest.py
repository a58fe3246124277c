"""Kernel tests skip, with the reason, when ``bpf()`` cannot be used here."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kfcheck.kernel.syscall import available, open_bpf_fds


@pytest.fixture
def bpf_fds_checked() -> object:
    """Skip without bpf(); fail if the test leaves a BPF fd open."""
    reason = available()
    if reason is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    before = open_bpf_fds()
    yield None
    leaked = open_bpf_fds() - before
    assert not leaked, f"BPF fds left open: {sorted(leaked)}"


@pytest.fixture
def bpf_fd_lister() -> Callable[[], frozenset[str]]:
    """The function listing this process's open BPF fds."""
    return open_bpf_fds
