"""On-disk cache of BTF indexes, keyed by content hash.

An entry holds what the validating index pass computes (type offsets, decl-tag ids) and the
name index, so a warm load skips every per-type pass. Location: ``$KFCHECK_CACHE_DIR``, else
``$XDG_CACHE_HOME/kfcheck``, else ``~/.cache/kfcheck``. Entries carry a digest of their payload;
unreadable, corrupt or mismatching entries are ignored and rewritten. Write failures are ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from array import array
from pathlib import Path

from kfcheck.btf.elf import btf_from_file_bytes
from kfcheck.btf.parse import Btf
from kfcheck.errors import BtfError, in_file
from kfcheck.files import read_input

FORMAT = "kfcheck-btf-index-1"


def cache_dir() -> Path:
    """The cache directory (not created)."""
    explicit = os.environ.get("KFCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "kfcheck"


def content_key(data: bytes, base: Btf | None) -> str | None:
    """Cache key of BTF bytes on top of ``base``; None when the base has no key."""
    digest = hashlib.sha256(data)
    if base is not None:
        if base.cache_key is None:
            return None
        digest.update(base.cache_key.encode())
    return digest.hexdigest()


def read_file(path: str, name: str | None = None) -> bytes:
    """The raw BTF in ``path``: the file itself, or an ELF object's .BTF section; errors name
    it ``name`` (default: ``path``)."""
    shown = path if name is None else name
    try:
        raw = read_input(path, BtfError)
    except BtfError as err:
        raise BtfError(err.problem, path=shown) from None
    with in_file(shown):
        return btf_from_file_bytes(raw)


def load_btf(path: str, base: Btf | None = None, cache: bool = True,
             name: str | None = None) -> Btf:
    """Read raw BTF (or an ELF object's .BTF) from ``path``, through the content-hash cache
    when ``cache``. ``name`` names it in
    messages instead of ``path``: for a file whose path is kfcheck's, not the user's (the
    embedded profile's BTF decompressed into the cache directory)."""
    shown = path if name is None else name
    data = read_file(path, shown)
    key = content_key(data, base) if cache else None
    entry = cache_dir() / f"btf-{key}.idx"
    with in_file(shown):
        btf = _restore(entry, data, shown, base) if key is not None else None
        if btf is None:
            btf = Btf.parse(data, shown, base)
            if key is not None:
                _store(entry, btf)
    btf.cache_key = key
    btf.path = shown
    return btf


def _restore(entry: Path, data: bytes, name: str, base: Btf | None) -> Btf | None:
    try:
        blob = read_input(str(entry), BtfError)
    except BtfError:  # absent, unreadable, not a regular file: rebuilt
        return None
    digest, payload = blob[:32], blob[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        fmt, offs_bytes, tag_ids, names = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if fmt != FORMAT or not isinstance(offs_bytes, bytes) or not isinstance(names, dict):
        return None
    offs = array("I")
    offs.frombytes(offs_bytes)
    return Btf.restore(data, name, base, offs, list(tag_ids), names)


def _store(entry: Path, btf: Btf) -> None:
    payload = marshal.dumps(
        (FORMAT, btf.type_offsets().tobytes(), btf.tag_ids(), btf.name_index())
    )
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(hashlib.sha256(payload).digest())
            f.write(payload)
        os.replace(tmp, entry)
    except OSError:
        return
