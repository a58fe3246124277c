"""Paths of the kfunc-table tests."""

from __future__ import annotations

from pathlib import Path

from kfcheck.profile.embedded import read_manifest

HERE = Path(__file__).resolve().parents[1] / "profile"  # the kfunc-table tests
TABLE_PATH = read_manifest().table
LIVE_BTF = Path("/sys/kernel/btf/vmlinux")
