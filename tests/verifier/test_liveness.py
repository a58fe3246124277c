"""Register liveness (``compute_live_registers``): kfcheck's per-instruction live-register masks
equal the kernel's (``Live regs before insn:`` of log level 2), offline against the masks
recorded on a build for every corpus program, and live against the running kernel for the
hand-written test programs."""

from __future__ import annotations

import json
from pathlib import Path

import live_regs
import pytest
from corpus_intent import CORPUS_DIR
from verdict_rows import V595, V1272

from kfcheck.host import running_build
from kfcheck.kernel import oracle
from kfcheck.profile.embedded import load_profile

DATA = Path(__file__).parent / "data"
PROGS = Path(__file__).parent / "progs"
RECORDED = sorted(DATA.glob("live_regs_*.json"))


@pytest.mark.parametrize("record", RECORDED, ids=[p.stem for p in RECORDED])
def test_corpus_masks_equal_the_recorded_kernels(record: Path) -> None:
    data = json.loads(record.read_text())
    profile = load_profile(name=data["kernel"])
    differ = []
    for file, programs in sorted(data["files"].items()):
        ours = live_regs.offline(CORPUS_DIR / file, profile)
        for name, text in programs.items():
            if ours.get(name) != live_regs.decode(text):
                differ.append((file, name))
    assert differ == []
    assert sum(len(p) for p in data["files"].values()) >= 400


def test_test_programs_masks_equal_the_running_kernels(bpf_fds_checked: None) -> None:
    build = running_build()
    if build is None or build.release not in (V1272, V595):
        pytest.skip("the running kernel is not a build with recorded expectations")
    profile = load_profile(name=build.release)
    compared = 0
    for obj in sorted(PROGS.glob("*.o")):
        ours = live_regs.offline(obj, profile)
        for v in oracle.check_file(str(obj), log_level=2):
            masks = live_regs.parse_kernel_log(v.log or "")
            if masks and v.program in ours:
                assert ours[v.program] == masks, (obj.name, v.program)
                compared += 1
    assert compared >= 300
