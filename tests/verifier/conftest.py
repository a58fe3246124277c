"""Kernel fixtures for the verifier tests (skip without bpf(); fail on leaked BPF fds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kfcheck.kernel.syscall import available, open_bpf_fds


@pytest.fixture
def bpf_fds_checked() -> Iterator[None]:
    reason = available()
    if reason is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    before = open_bpf_fds()
    yield None
    leaked = open_bpf_fds() - before
    assert not leaked, f"BPF fds left open: {sorted(leaked)}"
