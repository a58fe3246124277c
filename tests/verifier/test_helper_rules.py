"""Helpers with rules of their own (tests/verifier/progs/helpers.bpf.c): tail calls, helpers
that take one map type, helpers that move the packet, availability per program type. The
expectations are the kernel's (both recorded builds agree); with bpf() available the running
kernel re-checks them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from kfcheck.kernel.oracle import check_file
from kfcheck.profile.embedded import load_profile
from kfcheck.verdict import Verdict
from kfcheck.verifier.check import check

OBJECT = Path(__file__).parent / "progs" / "helpers.bpf.o"
NON_GPL = Path(__file__).parent / "progs" / "non_gpl.bpf.o"

EXPECTED = {
    "tail_call_ok": ("accept", ""),
    "tail_call_holding_ringbuf": ("reject", "tail_call would lead to reference leak"),
    # printed without a newline by the kernel: the log parser splits it from the statistics
    "tail_call_into_array": ("reject", "expected prog array map for tail call"),
    "perf_output_into_array": ("reject",
                               "cannot pass map_type 2 into func bpf_perf_event_output#25"),
    "packet_read_after_pull": ("reject", "R6 invalid mem access 'scalar'"),
    "packet_reloaded_after_pull": ("accept", ""),
    "redirect_from_socket_filter": ("reject",
                                    "program of this type cannot use helper bpf_redirect#23"),
}


NON_GPL_EXPECTED = {
    "reads_kernel_memory": ("reject",
                            "cannot call GPL-restricted function from non-GPL compatible program"),
    "reads_the_clock": ("accept", ""),
}


def _verdicts(verdicts: Sequence[Verdict]) -> dict[str, tuple[str, str]]:
    return {v.program: (v.outcome.value, v.error) for v in verdicts}


@pytest.mark.parametrize("build", ["6.18.44-fc-v595", "6.18.44-fc-v1272"])
def test_offline(build: str) -> None:
    assert _verdicts(check(str(OBJECT), load_profile(name=build))) == EXPECTED
    assert _verdicts(check(str(NON_GPL), load_profile(name=build))) == NON_GPL_EXPECTED


@pytest.mark.kernel
def test_kernel_agrees(bpf_fds_checked: None) -> None:
    assert _verdicts(check_file(str(OBJECT))) == EXPECTED
    assert _verdicts(check_file(str(NON_GPL))) == NON_GPL_EXPECTED
