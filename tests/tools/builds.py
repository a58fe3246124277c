"""Kernel builds and their records: which builds the repository has records of, and which one
is running.

Records live in ``tests/records/<release>/``: ``corpus.json`` (the oracle's verdicts on the
corpus, ``make record``), ``libbpf.json`` (the libbpf reference loader's) and ``probe.json``
(``kfcheck table probe --save``). Each names its build: release and BTF sha256. Offline tests
check every record; live tests compare the running kernel with its own build's record, found by
BTF digest, and skip only that comparison when the running build has none.

``$KFCHECK_TEST_BUILD_SHA256`` makes the tests take the running kernel's BTF digest to be
another (a build with no record), so the no-record path can be shown on any machine.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfcheck.host import KernelBuild
from kfcheck.host import running_build as host_build

RECORDS = Path(__file__).resolve().parent.parent / "records"
FAKE_SHA256_ENV = "KFCHECK_TEST_BUILD_SHA256"
REFERENCE = "6.18.44-fc-v595"  # the build the corpus headers' main verdicts describe
RECORD_COMMAND = "make record"


@dataclass(frozen=True)
class RecordedBuild:
    """A build the repository has records of."""

    release: str
    btf_sha256: str
    directory: Path

    @property
    def corpus(self) -> Path:
        return self.directory / "corpus.json"

    @property
    def libbpf(self) -> Path:
        return self.directory / "libbpf.json"

    @property
    def probe(self) -> Path:
        return self.directory / "probe.json"

    def corpus_files(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The oracle record's rows: ``{object: {program: row}}``."""
        files: dict[str, dict[str, dict[str, Any]]] = json.loads(self.corpus.read_text())["files"]
        return files

    def libbpf_files(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The libbpf reference loader's rows: ``{object: {program: row}}``."""
        files: dict[str, dict[str, dict[str, Any]]] = json.loads(self.libbpf.read_text())["files"]
        return files


def recorded_builds() -> list[RecordedBuild]:
    """Every build with a corpus record, by release."""
    out = []
    for corpus in sorted(RECORDS.glob("*/corpus.json")):
        head = json.loads(corpus.read_text())
        out.append(RecordedBuild(head["kernel"], head["btf_sha256"], corpus.parent))
    return out


def running_build() -> KernelBuild | None:
    """The running kernel's build (its digest replaced by ``$KFCHECK_TEST_BUILD_SHA256``)."""
    build = host_build()
    fake = os.environ.get(FAKE_SHA256_ENV)
    if build is not None and fake:
        return KernelBuild(build.release, fake)
    return build


def running_record() -> RecordedBuild | None:
    """The record of the running build (same BTF digest), None when it has none."""
    build = running_build()
    if build is None:
        return None
    return next((b for b in recorded_builds() if b.btf_sha256 == build.btf_sha256), None)


def no_record_reason() -> str:
    """Why a live record comparison is skipped: the running build and how to record it."""
    build = running_build()
    if build is None:
        return "no running kernel BTF: the running build is unknown"
    return (f"no record of the running build {build.release} (BTF sha256 {build.btf_sha256}): "
            f"record it with `{RECORD_COMMAND}` (writes tests/records/{build.release}/)")
