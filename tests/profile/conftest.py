"""Shared fixtures: the shipped 6.18 table, the kfunc view of the embedded BTF, the compiled
table."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from kfunc_paths import TABLE_PATH

from kfcheck.profile.embedded import embedded_btf, read_manifest
from kfcheck.profile.kfuncs.btfview import KfuncBtf, from_btf
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.schema import TableFile
from kfcheck.profile.kfuncs.table import KfuncTable


@pytest.fixture(scope="session")
def table_file() -> TableFile:
    return load_table_file(TABLE_PATH)


@pytest.fixture(scope="session")
def embedded_view() -> KfuncBtf:
    """The kfunc view of the embedded BTF (a copy of the reference kernel's sysfs BTF)."""
    return from_btf(embedded_btf(read_manifest()))


@pytest.fixture(scope="session")
def table(table_file: TableFile, embedded_view: KfuncBtf) -> KfuncTable:
    return KfuncTable.build(table_file, embedded_view)


@pytest.fixture()
def raw_doc() -> dict[str, Any]:
    """The shipped table as a fresh decoded document, for tests that break it."""
    with open(TABLE_PATH, "rb") as fh:
        return tomllib.load(fh)
