"""Kernel profiles, one per kernel build: the shipped ones (compressed BTF + kfunc table in
``kfcheck/data``), the ones ``kfcheck profile capture`` wrote to the user's data directory, and
a profile's table applied to another kernel's BTF.

A build is named by its release and identified by the sha256 of its BTF (``kfcheck.host``).
The default profile is ``$KFCHECK_PROFILE``, else the one whose BTF is the running kernel's,
else the newest shipped one. A profile's BTF is decompressed once into the BTF cache directory
(checked against the size and SHA-256 its manifest records); later loads read that file through
``Btf.load``'s index cache, so a warm load never decompresses.
"""

from __future__ import annotations

import functools
import hashlib
import lzma
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from kfcheck.btf import Btf, load_btf
from kfcheck.btf.cache import cache_dir
from kfcheck.errors import BtfError, TableError
from kfcheck.files import MAX_INPUT_SIZE, read_input
from kfcheck.host import (
    SYSFS_BTF_ENV,
    MachineFacts,
    parse_kallsyms,
    parse_kconfig,
    running_build,
    sysfs_btf,
)
from kfcheck.profile.kfuncs.btfview import KfuncBtf, from_btf
from kfcheck.profile.kfuncs.loader import load_table_file, read_toml
from kfcheck.profile.kfuncs.schema import TableFile
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.uapi import HelperId

PROFILE_ENV = "KFCHECK_PROFILE"
MANIFEST_SUFFIX = ".profile.toml"
__all__ = ["SYSFS_BTF_ENV", "sysfs_btf"]


def data_path(name: str) -> Path:
    """A file shipped in ``kfcheck/data``."""
    return Path(str(resources.files("kfcheck").joinpath("data", name)))


def user_profile_dir() -> Path:
    """Where captured profiles live: ``$XDG_DATA_HOME/kfcheck/profiles``, else
    ``~/.local/share/kfcheck/profiles`` (not created)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "kfcheck" / "profiles"


@dataclass(frozen=True, slots=True)
class Manifest:
    """A profile's ``<name>.profile.toml``: the build it speaks for, where its BTF and table
    are (relative to the manifest), and when it was recorded."""

    name: str
    kernel: str  # the build's release (uname -r)
    btf: Path
    btf_sha256: str
    btf_size: int
    table: Path
    recorded: str  # ISO date: the newest shipped profile is the default for unknown builds
    shipped: bool = True  # False: captured into the user's data directory
    unconfirmed: tuple[str, ...] = ()  # captured: table facts the probe could not observe
    kconfig: Path | None = None  # the build's kernel config (xz-compressed when .xz)
    kallsyms: Path | None = None  # its /proc/kallsyms (xz-compressed when .xz)
    possible_cpus: int = 1
    page_size: int = 4096


def _read_manifest_file(path: Path, shipped: bool) -> Manifest:
    doc = read_toml(str(path))  # a regular file of bounded size: a captured one is the user's
    try:
        raw = doc["profile"]
        return Manifest(
            name=str(raw["name"]), kernel=str(raw["kernel"]),
            btf=path.parent / str(raw["btf"]), btf_sha256=str(raw["btf_sha256"]),
            btf_size=int(raw["btf_size"]), table=path.parent / str(raw["table"]),
            recorded=str(raw["recorded"]), shipped=shipped,
            unconfirmed=tuple(str(u) for u in raw.get("unconfirmed", ())),
            kconfig=path.parent / str(raw["kconfig"]) if "kconfig" in raw else None,
            kallsyms=path.parent / str(raw["kallsyms"]) if "kallsyms" in raw else None,
            possible_cpus=int(raw.get("possible_cpus", 1)),
            page_size=int(raw.get("page_size", 4096)),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise TableError(f"malformed profile manifest: {err}", path=str(path)) from None


def list_manifests() -> list[Manifest]:
    """Every profile: the shipped ones (oldest first), then the captured ones by name. A
    captured profile never shadows a shipped one of the same name."""
    shipped = [_read_manifest_file(p, True)
               for p in sorted(data_path("").glob(f"*{MANIFEST_SUFFIX}"))]
    shipped.sort(key=lambda m: (m.recorded, m.name))
    names = {m.name for m in shipped}
    user_dir = user_profile_dir()
    captured = [_read_manifest_file(p, False)
                for p in sorted(user_dir.glob(f"*{MANIFEST_SUFFIX}"))] if user_dir.is_dir() else []
    return shipped + [m for m in captured if m.name not in names]


@dataclass(frozen=True, slots=True)
class Choice:
    """The profile a command uses when none is named, and why."""

    name: str
    reason: str


def default_profile() -> Choice:
    """``$KFCHECK_PROFILE``, else the profile of the running kernel's build (by BTF sha256),
    else the newest shipped profile."""
    named = os.environ.get(PROFILE_ENV)
    if named:
        return Choice(named, f"${PROFILE_ENV}")
    manifests = list_manifests()
    build = running_build()
    if build is not None:
        for m in manifests:
            if m.btf_sha256 == build.btf_sha256:
                return Choice(m.name, f"its BTF is the running kernel's, {build.short}")
    newest = max((m for m in manifests if m.shipped), key=lambda m: (m.recorded, m.name))
    if build is None:
        why = f"the running kernel's BTF ({sysfs_btf()}) cannot be read"
    else:
        why = f"no profile for the running kernel {build.short}"
    return Choice(newest.name, f"{why}: the newest shipped profile (`kfcheck profile capture` "
                  f"makes one for this kernel)")


def read_manifest(name: str | None = None) -> Manifest:
    """The manifest of profile ``name`` (default: ``default_profile()``)."""
    wanted = name or default_profile().name
    manifests = list_manifests()
    for m in manifests:
        if m.name == wanted:
            return m
    known = ", ".join(m.name for m in manifests)
    raise TableError(f"{wanted}: no such profile (known: {known})")


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything kernel-specific the checker needs, for one kernel build."""

    name: str
    kernel: str
    btf: Btf
    table: KfuncTable
    helpers: dict[int, str]
    btf_source: str
    warnings: tuple[str, ...] = ()
    untabled: tuple[str, ...] = ()  # kfuncs of the BTF that the table does not describe
    machine: MachineFacts = field(default_factory=MachineFacts)
    """The build's recorded kernel config, possible-CPU count and page size."""
    kernel_symbols: Callable[[], dict[str, int]] | None = None
    """Reads the build's recorded kernel symbol addresses (None: not recorded)."""

    def helper_name(self, helper_id: int) -> str | None:
        """``bpf_<name>`` of a helper id, None if the profile has no such helper."""
        name = self.helpers.get(helper_id)
        return f"bpf_{name}" if name is not None else None


def embedded_btf(manifest: Manifest) -> Btf:
    """The profile's BTF: the decompressed copy in the cache directory when it is there and
    intact, else decompressed now (and stored for next time when the cache is writable)."""
    cached = cache_dir() / f"{manifest.name}-{manifest.btf_sha256[:16]}.btf"
    if cached.is_file() and cached.stat().st_size == manifest.btf_size:
        btf = _load_checked(cached, manifest.btf_sha256, str(manifest.btf))
        if btf is not None:
            return btf
    data = _decompress(manifest)
    if _store(cached, data):
        btf = _load_checked(cached, manifest.btf_sha256, str(manifest.btf))
        if btf is not None:
            return btf
    btf = Btf.parse(data, str(manifest.btf))
    btf.path = str(manifest.btf)
    return btf


def _load_checked(path: Path, sha256: str, name: str) -> Btf | None:
    """``path`` through the BTF cache if its content has the expected hash, else None; named
    ``name`` in messages (the cache directory is kfcheck's business, not the user's)."""
    try:
        btf = load_btf(str(path), name=name)
    except BtfError:
        return None
    return btf if btf.cache_key == sha256 else None


def _read_xz(path: Path, what: str, error: type[BtfError] | type[TableError]) -> bytes:
    """A profile file's bytes (``.xz``: decompressed); neither the file nor what it
    decompresses to may exceed ``MAX_INPUT_SIZE``."""
    where = str(path)
    data = read_input(where, error)
    try:
        if path.suffix == ".xz":
            data = lzma.LZMADecompressor().decompress(data, max_length=MAX_INPUT_SIZE + 1)
    except lzma.LZMAError as err:
        raise error(f"corrupt profile {what}: {err}", path=where) from None
    if len(data) > MAX_INPUT_SIZE:
        raise error(f"profile {what} decompresses to more than the {MAX_INPUT_SIZE}-byte "
                    "limit", path=where)
    return data


def _decompress(manifest: Manifest) -> bytes:
    """The profile's BTF bytes, checked against the manifest."""
    data = _read_xz(manifest.btf, "BTF", BtfError)
    if len(data) != manifest.btf_size or hashlib.sha256(data).hexdigest() != manifest.btf_sha256:
        raise BtfError("profile BTF does not match its manifest (size or "
                       "sha256)", path=str(manifest.btf))
    return data


def _store(path: Path, data: bytes) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def load_profile(kernel_btf: str | None = None, name: str | None = None,
                 table: str | Path | None = None) -> Profile:
    """The profile ``name`` (default: ``default_profile()``); ``table`` replaces the
    profile's table file.

    With ``kernel_btf`` (a raw BTF file, e.g. another kernel's ``vmlinux`` BTF or
    ``sysfs_btf()``), the profile's table gives flags and families for that kernel: table
    kfuncs absent from the BTF are dropped with a warning, and kfuncs the BTF has but the table
    does not are listed in ``untabled``.
    """
    manifest = read_manifest(name)
    file = load_table_file(manifest.table if table is None else table)
    helpers = {int(h): h.name for h in HelperId if h.value}
    if kernel_btf is None:
        btf = embedded_btf(manifest)
        compiled = KfuncTable.build(file, from_btf(btf))
        return Profile(manifest.name, manifest.kernel, btf, compiled, helpers,
                       str(manifest.btf), machine=machine_of(manifest),
                       kernel_symbols=symbols_of(manifest))
    btf = load_btf(kernel_btf)
    view = from_btf(btf)
    fitted, warnings = fit_table(file, view)
    if not fitted.kfuncs:
        raise BtfError(f"none of the {len(file.kfuncs)} kfuncs of the {manifest.name} table is "
                       f"a FUNC of this BTF (not a kernel's BTF?)", path=kernel_btf)
    compiled = KfuncTable.build(fitted, replace(view, special_kfunc_type=()))
    untabled = tuple(sorted(view.tagged_names() - {k.name for k in file.kfuncs}))
    return Profile(f"{manifest.name}@{kernel_btf}", manifest.kernel, btf, compiled, helpers,
                   kernel_btf, warnings, untabled, machine_of(manifest), symbols_of(manifest))


def _read_text(path: Path, what: str) -> str:
    """A profile's text file (``.xz``: compressed)."""
    return _read_xz(path, what, TableError).decode("utf-8", "replace")


def machine_of(manifest: Manifest) -> MachineFacts:
    """The machine facts a manifest records (its kernel config file is read here)."""
    kconfig: dict[str, str] = {}
    if manifest.kconfig is not None:
        kconfig = parse_kconfig(_read_text(manifest.kconfig, "kernel config"))
    return MachineFacts(kconfig, manifest.possible_cpus, manifest.page_size)


def symbols_of(manifest: Manifest) -> Callable[[], dict[str, int]] | None:
    """A reader of the kernel symbol addresses a manifest records (read on first use)."""
    path = manifest.kallsyms
    if path is None:
        return None
    return functools.cache(lambda: parse_kallsyms(_read_text(path, "kernel symbols")))


def fit_table(file: TableFile, btf: KfuncBtf) -> tuple[TableFile, tuple[str, ...]]:
    """``file`` without the kfuncs ``btf`` lacks, and one warning line per difference."""
    warnings = [f"kfunc {k.name} is not in {btf.source}: dropped"
                for k in file.kfuncs if k.name not in btf.funcs]
    kept = tuple(k for k in file.kfuncs if k.name in btf.funcs)
    names = {k.name for k in kept}
    special = tuple(s for s in file.special_kfuncs if s in names)
    if btf.special_kfunc_type and btf.special_kfunc_type != special:
        warnings.append(f"enum special_kfunc_type of {btf.source} differs from the table's "
                        f"({len(btf.special_kfunc_type)} vs {len(special)} members)")
    return replace(file, kfuncs=kept, special_kfuncs=special), tuple(warnings)
