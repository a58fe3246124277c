"""The corpus: well-formed headers, built objects, recorded libbpf verdicts as intended."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from builds import RecordedBuild, no_record_reason, recorded_builds, running_record
from corpus_intent import CORPUS_DIR, Intent, corpus_sources, read_intent
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

SOURCES = corpus_sources()
INTENTS = [read_intent(s) for s in SOURCES]
BUILDS = recorded_builds()
BUILD_IDS = [b.release for b in BUILDS]


def kfuncs_called(obj: Path) -> set[str]:
    """Names of the kernel functions (undefined extern symbols) an object calls."""
    with obj.open("rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        assert isinstance(symtab, SymbolTableSection)
        return {s.name for s in symtab.iter_symbols()
                if s.name and s["st_shndx"] == "SHN_UNDEF"}


def test_corpus_size() -> None:
    with_kfuncs = [i for i in INTENTS if kfuncs_called(i.object)]
    assert len(INTENTS) >= 150
    assert len(with_kfuncs) >= 100
    assert len(INTENTS) - len(with_kfuncs) >= 30
    assert sum(i.accept for i in INTENTS) >= 50


@pytest.mark.parametrize("intent", INTENTS, ids=[i.source.name for i in INTENTS])
def test_name_matches_intended_verdict(intent: Intent) -> None:
    stem = intent.source.name.removesuffix(".bpf.c")
    assert stem.endswith("_ok") or stem.endswith("_bad")
    assert stem.endswith("_ok") == intent.accept


@pytest.mark.parametrize("intent", INTENTS, ids=[i.source.name for i in INTENTS])
def test_object_is_built(intent: Intent) -> None:
    assert intent.object.is_file(), f"run make -C tests/corpus: {intent.object.name} missing"


def test_two_builds_are_recorded() -> None:
    assert {"6.18.44-fc-v595", "6.18.44-fc-v1272"} <= set(BUILD_IDS)


@pytest.mark.parametrize("build", BUILDS, ids=BUILD_IDS)
def test_libbpf_record_names_its_build(build: RecordedBuild) -> None:
    head = json.loads(build.libbpf.read_text())
    assert (head["kernel"], head["btf_sha256"]) == (build.release, build.btf_sha256)
    assert set(build.libbpf_files()) == set(build.corpus_files())


def test_header_builds_are_recorded_builds() -> None:
    named = {release for i in INTENTS for release in i.by_build}
    assert named <= set(BUILD_IDS)


@pytest.mark.parametrize("build", BUILDS, ids=BUILD_IDS)
def test_recorded_libbpf_verdicts_are_intended(build: RecordedBuild) -> None:
    record = build.libbpf_files()
    for intent in INTENTS:
        for program, got in record.get(intent.object.name, {}).items():
            if got.get("stage") in ("open", "libbpf"):
                continue  # libbpf 1.1 stopped before the kernel; the oracle's record covers it
            assert intent.matches(got["verdict"], got["error"], build.release), (program, got)


@pytest.mark.skipif(shutil.which("clang-19") is None or shutil.which("flock") is None,
                    reason="needs clang-19 and flock to rebuild corpus objects")
def test_objects_rebuild_identically_elsewhere(tmp_path: Path) -> None:
    """A few objects rebuilt in a copy at another path are byte-identical."""
    picks = [s for s in SOURCES if s.name in {
        "task_acquire_release_ok.bpf.c", "list_push_pop_ok.bpf.c",
        "dynptr_from_skb_slice_ok.bpf.c", "iter_task_vma_ok.bpf.c"}]
    copy = tmp_path / "some" / "other" / "place"
    copy.mkdir(parents=True)
    for path in [CORPUS_DIR / "Makefile", CORPUS_DIR / "bpf-cc.sh", *CORPUS_DIR.glob("*.h")]:
        shutil.copy2(path, copy / path.name)
    for src in picks:
        shutil.copy2(src, copy / src.name)
    targets = [s.name.removesuffix(".c") + ".o" for s in picks]
    subprocess.run(["make", "-s", "-C", str(copy), *targets], check=True, capture_output=True)
    for src, target in zip(picks, targets, strict=True):
        assert (copy / target).read_bytes() == (CORPUS_DIR / target).read_bytes(), src.name


def bpf_unavailable() -> str | None:
    """Why bpf() cannot load programs here (None when it can)."""
    from kfcheck.kernel.syscall import available

    return available()


# Programs libbpf 1.1 is recorded to stop on before the kernel (e.g. tcx sections) on any
# build; the oracle's record covers them (tests/corpus/test_kernel_record.py).
LIBBPF_STOPS = {(file, program) for build in BUILDS
                for file, programs in build.libbpf_files().items()
                for program, got in programs.items() if got.get("stage") in ("open", "libbpf")}


@pytest.mark.kernel
@pytest.mark.parametrize("intent", INTENTS, ids=[i.source.name for i in INTENTS])
def test_kernel_gives_intended_verdict(intent: Intent) -> None:
    if (reason := bpf_unavailable()) is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    if (build := running_record()) is None:
        pytest.skip(no_record_reason())
    from libbpf_load import Libbpf, LoaderError, Stage, load_object

    try:
        lib = Libbpf()
    except LoaderError as exc:
        pytest.skip(str(exc))
    results = load_object(intent.object, lib=lib)
    assert results
    for result in results:
        if (intent.object.name, result.program) in LIBBPF_STOPS:
            continue
        # bpf() works: every other program must reach the kernel's verifier
        assert result.stage is Stage.KERNEL, (result.program, result.stage, result.error)
        assert intent.matches(result.verdict, result.error, build.release), \
            (result.program, result.error)
