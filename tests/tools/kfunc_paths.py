"""Paths of the kfunc-table tests (a uniquely named module, importable from the tests)."""

from __future__ import annotations

from pathlib import Path

from kfcheck.profile.embedded import read_manifest

HERE = Path(__file__).parent
TABLE_PATH = read_manifest().table
LIVE_BTF = Path("/sys/kernel/btf/vmlinux")
