"""Shared fixtures: the shipped 6.18 table, its BTF recording and the compiled table."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from kfunc_paths import RECORDING, TABLE_PATH

from kfcheck.profile.kfuncs.btfview import KfuncBtf
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.schema import TableFile
from kfcheck.profile.kfuncs.table import KfuncTable


@pytest.fixture(scope="session")
def table_file() -> TableFile:
    return load_table_file(TABLE_PATH)


@pytest.fixture(scope="session")
def recorded_btf() -> KfuncBtf:
    return KfuncBtf.from_recording(RECORDING)


@pytest.fixture(scope="session")
def table(table_file: TableFile, recorded_btf: KfuncBtf) -> KfuncTable:
    return KfuncTable.build(table_file, recorded_btf)


@pytest.fixture()
def raw_doc() -> dict[str, Any]:
    """The shipped table as a fresh decoded document, for tests that break it."""
    with open(TABLE_PATH, "rb") as fh:
        return tomllib.load(fh)
