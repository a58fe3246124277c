"""The offline verifier (work in progress, issue 10) against each recorded build's corpus
verdicts: it never accepts what the kernel rejected, and the programs it judges agree with the
kernel on verdict and error line at least as often as recorded here (the floor rises as rules
are added), and on the number of processed instructions of accepted programs. Programs it does
not model yet are ``unsupported``."""

from __future__ import annotations

import pytest
from builds import RecordedBuild, recorded_builds
from corpus_intent import CORPUS_DIR

from kfcheck.profile.embedded import list_manifests, load_profile
from kfcheck.verifier.check import check

# Programs left out for speed (none now: the two kernel rejects at the 1,000,000-instruction
# limit, loop_too_many_insns_bad and loop_state_explosion_bad, take well under a minute each).
SLOW: set[str] = set()
BUILDS = recorded_builds()
# (programs judged, of them agreeing with the kernel) measured on each build's record; the v595
# record predates most non-kfunc programs.
FLOORS = {"6.18.44-fc-v1272": (411, 411), "6.18.44-fc-v595": (215, 215)}
# programs both verifiers accept whose processed-instruction count equals the kernel's recorded
# one: pruning as the kernel does (prune points, checkpoints, liveness, precision, loops)
PROCESSED_FLOORS = {"6.18.44-fc-v1272": 161, "6.18.44-fc-v595": 80}


def _profile_of(build: RecordedBuild) -> str:
    return next(m.name for m in list_manifests() if m.btf_sha256 == build.btf_sha256)


@pytest.mark.parametrize("build", BUILDS, ids=[b.release for b in BUILDS])
def test_no_false_accept_and_agreement_floor(build: RecordedBuild) -> None:
    profile = load_profile(name=_profile_of(build))
    agree = judged = same_processed = 0
    false_accepts = []
    for file, programs in sorted(build.corpus_files().items()):
        if file in SLOW:
            continue
        for verdict in check(str(CORPUS_DIR / file), profile):
            row = programs[verdict.program]
            if verdict.outcome.value == "unsupported":
                continue
            judged += 1
            if verdict.outcome.value == "accept" and row["verdict"] == "reject":
                false_accepts.append((file, row["error"]))
            if verdict.outcome.value == row["verdict"] and (
                    row["verdict"] == "accept" or verdict.error == row["error"]):
                agree += 1
            if (verdict.outcome.value == row["verdict"] == "accept"
                    and verdict.processed_insns == row["processed_insns"]):
                same_processed += 1
    assert false_accepts == []
    want_judged, want_agree = FLOORS[build.release]
    assert judged >= want_judged and agree >= want_agree, (judged, agree)
    assert same_processed >= PROCESSED_FLOORS[build.release], same_processed
