"""kfcheck: a table-driven BPF kfunc checker.

``kfcheck.check(path, profile=None)`` verifies every program of a BPF object offline and
returns the verdicts (``kfcheck.verifier.check.check``; loaded on first use, so importing a
lower layer does not load the verifier).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "check":
        from kfcheck.verifier.check import check

        return check
    raise AttributeError(f"module 'kfcheck' has no attribute {name!r}")
