"""Expected verdicts of hand-written test programs, as a row ``(outcome, error)`` per program:
kfcheck's offline rows for a profile, and the running kernel's rows when it runs one of the
builds the rows were recorded on (skipped otherwise: a test never fails only because the
machine runs another build)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest

from kfcheck.host import running_build
from kfcheck.kernel import oracle
from kfcheck.verifier.check import check

Row = tuple[str, str]
ACCEPT: Row = ("accept", "")
V1272, V595 = "6.18.44-fc-v1272", "6.18.44-fc-v595"


def rej(error: str) -> Row:
    """A reject with the kernel's error line."""
    return ("reject", error)


def uns(what: str) -> Row:
    """kfcheck's verdict on what it does not model."""
    return ("unsupported", f"unsupported: {what}")


def offline_rows(obj: Path, profile: str) -> dict[str, Row]:
    """kfcheck's row per program of ``obj`` for the build of ``profile``."""
    return {v.program: (v.outcome.value, v.error) for v in check(str(obj), profile)}


def kernel_rows(obj: Path, recorded: Collection[str]) -> tuple[str, dict[str, Row]]:
    """The running build's release and its kernel's row per program of ``obj`` (loaded only);
    the test is skipped unless the running build is one of ``recorded``."""
    build = running_build()
    if build is None or build.release not in recorded:
        pytest.skip("the running kernel is not a build with recorded expectations")
    return build.release, {v.program: (v.outcome.value, v.error)
                           for v in oracle.check_file(str(obj))}
