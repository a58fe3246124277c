"""Paths of the kfunc-table tests (a uniquely named module, importable from the tests)."""

from __future__ import annotations

from pathlib import Path

from kfcheck.profile.kfuncs.commands import data_path, default_table_path

HERE = Path(__file__).parent
TABLE_PATH = default_table_path()
RECORDING = data_path("linux-6.18.kfuncs-btf.json")
NAMES_FILE = HERE / "linux-6.18.kfunc-names.txt"
LIVE_BTF = Path("/sys/kernel/btf/vmlinux")
