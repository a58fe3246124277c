"""Link tests need the running kernel's BTF (they skip, with the reason, without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kfcheck.link import KernelTarget
from kfcheck.link.linker import VMLINUX_BTF

PROGS = Path(__file__).parent / "progs"


@pytest.fixture(scope="session")
def kernel() -> KernelTarget:
    """The running kernel as link target."""
    if not os.path.exists(VMLINUX_BTF):
        pytest.skip(f"no kernel BTF at {VMLINUX_BTF}")
    return KernelTarget.running()
