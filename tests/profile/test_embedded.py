"""The embedded profile: works without /sys/kernel/btf, caches its BTF, fits other kernels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

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


def test_works_without_sysfs(isolated: Path) -> None:
    assert sysfs_btf().endswith("no-such-vmlinux")
    prof = load_profile()
    manifest = read_manifest()
    assert prof.name == "linux-6.18" and prof.kernel == "6.18"
    assert len(prof.table) == 203
    assert prof.btf.cache_key == manifest.btf_sha256
    assert prof.helper_name(158) == "bpf_get_current_task_btf"
    assert prof.helper_name(10_000) is None
    spec = prof.table.by_name("bpf_task_acquire")
    assert spec is not None and prof.btf[spec.btf_id].name == "bpf_task_acquire"
    cached = list(isolated.glob("linux-6.18-*.btf"))
    assert len(cached) == 1 and cached[0].stat().st_size == manifest.btf_size
    warm = load_profile()  # from the decompressed copy and the index cache
    assert warm.btf.cache_key == manifest.btf_sha256 and len(warm.table) == 203


def test_damaged_cached_copy_is_replaced(isolated: Path) -> None:
    manifest = read_manifest()
    embedded_btf(manifest)
    (cached,) = isolated.glob("linux-6.18-*.btf")
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
    with pytest.raises(TableError, match="no such profile linux-0.1"):
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
