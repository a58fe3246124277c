"""The intended verdict of each corpus program, read from its first-line header comment.

Format: `/* <behaviour>: accept */` or `/* <behaviour>: reject "<substring of the error>" */`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
HEADER = re.compile(r'^/\* (?P<what>.+): (?:(?P<accept>accept)|reject "(?P<error>.+)") \*/$')


class IntentError(ValueError):
    """A corpus source without a well-formed header comment."""


@dataclass(frozen=True)
class Intent:
    """What a corpus program is meant to show and the verdict it is meant to get."""

    source: Path
    behaviour: str
    accept: bool
    error: str  # a substring of the kernel's error line; empty when accepted

    @property
    def object(self) -> Path:
        return self.source.with_suffix(".o")

    def matches(self, verdict: str, error: str) -> bool:
        """Whether an observed verdict and error line are the intended ones."""
        if self.accept:
            return verdict == "accept"
        return verdict == "reject" and self.error in error


def read_intent(source: Path) -> Intent:
    first = source.read_text().split("\n", 1)[0]
    match = HEADER.match(first)
    if match is None:
        raise IntentError(f"{source.name}: first line is not a verdict header: {first!r}")
    return Intent(source, match["what"], match["accept"] is not None, match["error"] or "")


def corpus_sources(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.bpf.c"))
