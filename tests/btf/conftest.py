"""Fixtures for the BTF tests: the live vmlinux BTF, a clang-built object, an isolated cache."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kfcheck.btf.elf import btf_sections
from kfcheck.btf.parse import Btf

VMLINUX = Path("/sys/kernel/btf/vmlinux")
DATA = Path(__file__).parent / "data"
CLANG = shutil.which("clang-19") or shutil.which("clang")


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KFCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def vmlinux_bytes() -> bytes:
    if not VMLINUX.exists():
        pytest.skip("no /sys/kernel/btf/vmlinux on this machine")
    try:
        return VMLINUX.read_bytes()
    except OSError as err:
        pytest.skip(f"cannot read {VMLINUX}: {err}")


@pytest.fixture(scope="session")
def vmlinux(vmlinux_bytes: bytes) -> Btf:
    return Btf.parse(vmlinux_bytes, str(VMLINUX))


@pytest.fixture(scope="session")
def allkinds_obj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/btf/data/allkinds.bpf.c compiled with clang (every BTF kind, .BTF.ext, CO-RE)."""
    if CLANG is None:
        pytest.skip("clang not installed")
    out = tmp_path_factory.mktemp("obj") / "allkinds.bpf.o"
    cmd = [CLANG, "-g", "-O2", "-target", "bpf", "-c", str(DATA / "allkinds.bpf.c"), "-o",
           str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    if proc.returncode != 0:
        pytest.fail(f"clang failed: {proc.stderr}")
    return out


@pytest.fixture(scope="session")
def allkinds_sections(allkinds_obj: Path) -> tuple[bytes, bytes]:
    btf, ext = btf_sections(allkinds_obj.read_bytes())
    assert ext is not None
    return btf, ext


@pytest.fixture(scope="session")
def allkinds(allkinds_sections: tuple[bytes, bytes]) -> Btf:
    return Btf.parse(allkinds_sections[0], "allkinds.bpf.o")
