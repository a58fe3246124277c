"""The embedded profile: works without /sys/kernel/btf, caches its BTF, fits other kernels."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kfcheck.btf import BtfType, Kind
from kfcheck.btf.encode import encode_btf
from kfcheck.cli import main
from kfcheck.errors import BtfError, TableError
from kfcheck.profile.embedded import (
    SYSFS_BTF_ENV,
    embedded_btf,
    fit_table,
    load_profile,
    read_manifest,
    sysfs_btf,
)
from kfcheck.profile.kfuncs.btfview import from_btf
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.table import KfuncTable


@pytest.fixture()
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No sysfs BTF, an empty cache directory (returned)."""
    monkeypatch.setenv(SYSFS_BTF_ENV, str(tmp_path / "no-such-vmlinux"))
    cache = tmp_path / "cache"
    monkeypatch.setenv("KFCHECK_CACHE_DIR", str(cache))
    return cache


BLOCKER = Path(__file__).with_name("blocked_sysfs")  # its sitecustomize hides /sys/kernel/btf
REPO = Path(__file__).parents[2]


def _kfcheck_blocked(cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter where every open/stat/list of /sys/kernel/btf fails."""
    env = {**os.environ, "PYTHONPATH": str(BLOCKER), "KFCHECK_CACHE_DIR": str(cache)}
    env.pop(SYSFS_BTF_ENV, None)
    return subprocess.run([sys.executable, "-m", "kfcheck", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, check=False)


def test_commands_work_with_sysfs_blocked(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # the guard bites through kfcheck's own read path ...
    control = _kfcheck_blocked(cache, "table", "--kernel-btf", "/sys/kernel/btf/vmlinux", "list")
    assert control.returncode == 2 and "blocked by the test" in control.stderr
    # ... and the main commands do not need the path
    listed = _kfcheck_blocked(cache, "table", "list")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 203 and listed.stderr == ""
    obj = REPO / "examples" / "task_acquire.bpf.o"
    shown = _kfcheck_blocked(cache, "disasm", str(obj))
    assert shown.returncode == 0, shown.stderr
    assert "linked for 6.18.44-fc-v595" in shown.stdout and "call bpf_task_acquire" in shown.stdout


def test_embedded_profile_loads_and_caches(isolated: Path) -> None:
    assert sysfs_btf().endswith("no-such-vmlinux")
    prof = load_profile()
    manifest = read_manifest()
    assert prof.name == prof.kernel == "6.18.44-fc-v595"
    assert len(prof.table) == 203
    assert prof.btf.cache_key == manifest.btf_sha256
    assert prof.helper_name(158) == "bpf_get_current_task_btf"
    assert prof.helper_name(10_000) is None
    spec = prof.table.by_name("bpf_task_acquire")
    assert spec is not None and prof.btf[spec.btf_id].name == "bpf_task_acquire"
    cached = list(isolated.glob("6.18.44-fc-v595-*.btf"))
    assert len(cached) == 1 and cached[0].stat().st_size == manifest.btf_size
    warm = load_profile()  # from the decompressed copy and the index cache
    assert warm.btf.cache_key == manifest.btf_sha256 and len(warm.table) == 203


def test_damaged_cached_copy_is_replaced(isolated: Path) -> None:
    manifest = read_manifest()
    embedded_btf(manifest)
    (cached,) = isolated.glob("6.18.44-fc-v595-*.btf")
    cached.write_bytes(b"\0" * manifest.btf_size)
    assert embedded_btf(manifest).cache_key == manifest.btf_sha256
    assert cached.read_bytes()[:2] == b"\x9f\xeb"


def test_unwritable_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("KFCHECK_CACHE_DIR", str(blocker / "cache"))
    assert len(embedded_btf(read_manifest())) > 100_000


def test_manifest_mismatch_is_an_error(isolated: Path) -> None:
    bad = dataclasses.replace(read_manifest(), btf_sha256="0" * 64)
    with pytest.raises(BtfError, match="does not match its manifest"):
        embedded_btf(bad)


def test_unknown_profile() -> None:
    with pytest.raises(TableError, match=r"linux-0.1: no such profile \(known: 6.18.44-fc-v595, "):
        read_manifest("linux-0.1")


def test_compressed_btf_is_small() -> None:
    assert read_manifest().btf.stat().st_size < 2_000_000


def test_fit_table_drops_and_reports() -> None:
    manifest = read_manifest()
    file = load_table_file(manifest.table)
    view = from_btf(embedded_btf(manifest))
    funcs = dict(view.funcs)
    del funcs["bpf_task_acquire"], funcs["bpf_rbtree_root"]
    shrunk = dataclasses.replace(view, funcs=funcs, source="older")
    fitted, warnings = fit_table(file, shrunk)
    assert "kfunc bpf_task_acquire is not in older: dropped" in warnings
    assert "bpf_rbtree_root" not in fitted.special_kfuncs
    assert any("special_kfunc_type" in w for w in warnings)
    table = KfuncTable.build(fitted, dataclasses.replace(shrunk, special_kfunc_type=()))
    assert len(table) == 201 and table.by_name("bpf_task_acquire") is None
    same, none = fit_table(file, view)
    assert same == file and none == ()


def test_kernel_btf_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = read_manifest()
    raw = tmp_path / "vmlinux"
    raw.write_bytes(embedded_btf(manifest).to_bytes())
    prof = load_profile(str(raw))
    assert prof.warnings == () and prof.untabled == ()
    assert prof.btf_source == str(raw) and len(prof.table) == 203
    assert main(["table", "--kernel-btf", str(raw), "show", "bpf_task_acquire"]) == 0
    assert "KF_ACQUIRE" in capsys.readouterr().out
    assert main(["table", "--kernel-btf", str(tmp_path / "none"), "list"]) == 2
    assert "kfcheck: " in capsys.readouterr().err


def test_kernel_btf_without_kfuncs_is_an_error(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    tiny = tmp_path / "tiny.btf"
    tiny.write_bytes(encode_btf([BtfType(1, Kind.INT, "int", size=4, int_encoding=1,
                                         int_bits=32)]))
    with pytest.raises(BtfError, match="none of the 203 kfuncs"):
        load_profile(str(tiny))
    assert main(["table", "--kernel-btf", str(tiny), "list"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"kfcheck: {tiny}: none of the 203 kfuncs of the 6.18.44-fc-v595 table is a FUNC of this "
        "BTF (not a kernel's BTF?)"]
