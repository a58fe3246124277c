"""The intended verdict of each corpus program, read from its first-line header comment.

Format: `/* <behaviour>: <verdict> */`, where a verdict is `accept` or `reject "<substring of
the error>"`, for the reference build (``builds.REFERENCE``). A build whose kernel answers
otherwise is named after it: `/* <behaviour>: <verdict>; <release>: <verdict> */` (several may
follow). The first line is a comment no instruction refers to, so editing it leaves the
object's bytes unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
_VERDICT = r'(?:accept|reject ".+?")'
HEADER = re.compile(rf'^/\* (?P<what>.+?): (?P<verdict>{_VERDICT})'
                    rf'(?P<builds>(?:; [\w.+-]+: {_VERDICT})*) \*/$')
_BUILD = re.compile(rf'; (?P<release>[\w.+-]+): (?P<verdict>{_VERDICT})')


class IntentError(ValueError):
    """A corpus source without a well-formed header comment."""


@dataclass(frozen=True)
class Expected:
    """One intended verdict: accept, or reject with an error line containing ``error``."""

    accept: bool
    error: str  # empty when accepted

    @classmethod
    def parse(cls, text: str) -> Expected:
        return cls(True, "") if text == "accept" else cls(False, text[len('reject "'):-1])

    def matches(self, verdict: str, error: str) -> bool:
        if self.accept:
            return verdict == "accept"
        return verdict == "reject" and self.error in error

    def describe(self) -> str:
        return "accept" if self.accept else f'reject "{self.error}"'


@dataclass(frozen=True)
class Intent:
    """What a corpus program is meant to show and the verdict it is meant to get: on the
    reference build, and on the builds that answer otherwise."""

    source: Path
    behaviour: str
    reference: Expected
    by_build: dict[str, Expected]

    @property
    def object(self) -> Path:
        return self.source.with_suffix(".o")

    @property
    def accept(self) -> bool:
        """Whether the reference build accepts it (what the file name's _ok/_bad says)."""
        return self.reference.accept

    def expected(self, release: str | None = None) -> Expected:
        """The intended verdict on the build ``release`` (default: the reference build)."""
        return self.by_build.get(release or "", self.reference)

    def matches(self, verdict: str, error: str, release: str | None = None) -> bool:
        """Whether an observed verdict and error line are the intended ones on ``release``."""
        return self.expected(release).matches(verdict, error)


def read_intent(source: Path) -> Intent:
    first = source.read_text().split("\n", 1)[0]
    match = HEADER.match(first)
    if match is None:
        raise IntentError(f"{source.name}: first line is not a verdict header: {first!r}")
    builds = {m["release"]: Expected.parse(m["verdict"])
              for m in _BUILD.finditer(match["builds"])}
    return Intent(source, match["what"], Expected.parse(match["verdict"]), builds)


def corpus_sources(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.bpf.c"))
