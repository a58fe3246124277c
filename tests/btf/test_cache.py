"""Btf.load and its content-hash cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from btf_sample import SAMPLE_TYPES, sample_bytes

from kfcheck.btf import cache, load_btf
from kfcheck.btf.parse import Btf
from kfcheck.errors import BtfError


def _entries() -> list[Path]:
    return sorted(cache.cache_dir().glob("btf-*.idx"))


def test_load_writes_then_reuses_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sample.btf"
    path.write_bytes(sample_bytes())
    cold = load_btf(str(path))
    assert len(_entries()) == 1
    calls: list[bytes] = []
    real_parse = Btf.parse

    def counting_parse(data: bytes, name: str = "<btf>", base: Btf | None = None) -> Btf:
        calls.append(data)
        return real_parse(data, name, base)

    monkeypatch.setattr(Btf, "parse", staticmethod(counting_parse))
    warm = load_btf(str(path))
    assert calls == []  # served from the cache
    assert list(warm.types()) == list(cold.types()) == SAMPLE_TYPES
    assert warm.by_name("pair")[0].id == 5
    assert warm.kfuncs() == cold.kfuncs()
    assert warm.cache_key == cold.cache_key is not None
    assert warm.name == str(path)


def test_corrupt_entries_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "sample.btf"
    path.write_bytes(sample_bytes())
    load_btf(str(path))
    (entry,) = _entries()
    for junk in (b"", b"\0" * 40, entry.read_bytes()[:-3], b"x" * 32 + b"not marshal"):
        entry.write_bytes(junk)
        assert list(load_btf(str(path)).types()) == SAMPLE_TYPES
    assert load_btf(str(path), cache=False).cache_key is None


def test_cache_dir_selection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KFCHECK_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("KFCHECK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "kfcheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "kfcheck"


def test_unwritable_cache_dir_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("KFCHECK_CACHE_DIR", str(blocker / "sub"))
    path = tmp_path / "sample.btf"
    path.write_bytes(sample_bytes())
    assert len(load_btf(str(path))) == len(SAMPLE_TYPES) + 1


def test_split_btf_is_keyed_by_its_base(tmp_path: Path) -> None:
    from btf_sample import split_sample

    base_path = tmp_path / "base.btf"
    base_path.write_bytes(sample_bytes())
    base = load_btf(str(base_path))
    mod_path = tmp_path / "mod.btf"
    mod_path.write_bytes(split_sample(base))
    first = load_btf(str(mod_path), base=base)
    second = load_btf(str(mod_path), base=base)
    assert first.cache_key == second.cache_key
    assert first.cache_key != base.cache_key
    assert [t.name for t in second.kfuncs()] == ["mod_kfunc"]
    assert len(_entries()) == 2


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(BtfError, match="no such file"):
        load_btf(str(tmp_path / "missing"))
    elf = tmp_path / "fake.o"
    elf.write_bytes(b"\x7fELF" + b"\0" * 12)
    with pytest.raises(BtfError, match="bad ELF file"):
        load_btf(str(elf))


def test_elf_object_loads_its_btf(allkinds_obj: Path, allkinds: Btf) -> None:
    assert list(load_btf(str(allkinds_obj)).types()) == list(allkinds.types())


def test_load_under_another_name(tmp_path: Path) -> None:
    """``name`` replaces the path in the Btf and in its errors: the embedded profile's BTF is
    loaded from the cache directory, which is no concern of the user's."""
    path = tmp_path / "internal" / "x.btf"
    path.parent.mkdir()
    path.write_bytes(sample_bytes())
    for _cold_then_warm in range(2):
        assert load_btf(str(path), name="shipped.btf.xz").name == "shipped.btf.xz"
    path.write_bytes(b"not BTF at all")
    with pytest.raises(BtfError) as info:
        load_btf(str(path), name="shipped.btf.xz")
    assert info.value.path == "shipped.btf.xz" and "internal" not in str(info.value)
    path.unlink()
    with pytest.raises(BtfError) as info:
        load_btf(str(path), name="shipped.btf.xz")
    assert str(info.value) == "shipped.btf.xz: no such file"


def test_cache_entry_that_is_a_fifo_is_ignored(tmp_path: Path) -> None:
    """Entries are read like inputs: a FIFO in the cache directory is skipped, not waited on
    (an open would block until a writer came)."""
    path = tmp_path / "sample.btf"
    path.write_bytes(sample_bytes())
    key = cache.content_key(sample_bytes(), None)
    cache.cache_dir().mkdir(parents=True, exist_ok=True)
    os.mkfifo(cache.cache_dir() / f"btf-{key}.idx")
    assert list(load_btf(str(path)).types()) == SAMPLE_TYPES  # the FIFO is replaced
    assert (cache.cache_dir() / f"btf-{key}.idx").is_file()
