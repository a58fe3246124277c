"""The libbpf reference loader and the corpus header parser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from corpus_intent import IntentError, read_intent
from hypothesis import given
from hypothesis import strategies as st
from libbpf_load import STATS_LINE, Libbpf, LoaderError, Stage, Verdict, error_line, load_object

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"

LEAK_LOG = """\
5: (61) r0 = *(u32 *)(r1 +1264)       ; R0=scalar() R1=ptr_task_struct(ref_obj_id=2) refs=2
6: (95) exit
Unreleased reference id=2 alloc_insn=1
BPF_EXIT instruction in main prog would lead to reference leak
processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
"""

LOOP_LOG = """\
infinite loop detected at insn 2
cur state: R1=scalar(id=1) R10=fp0
old state: R1=scalar(id=1) R10=fp0
processed 15 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0
"""


def test_error_line_skips_statistics() -> None:
    assert error_line(LEAK_LOG) == "BPF_EXIT instruction in main prog would lead to reference leak"


def test_error_line_skips_loop_states() -> None:
    assert error_line(LOOP_LOG) == "infinite loop detected at insn 2"


def test_error_line_of_empty_log() -> None:
    assert error_line("") == ""
    assert error_line("\n\nverification time 5 usec\nstack depth 0\n") == ""


line = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).filter(
    lambda s: s.strip() != "" and not STATS_LINE.match(s))


@given(st.lists(line, min_size=1), st.integers(min_value=0, max_value=3))
def test_error_line_is_last_non_statistics_line(lines: list[str], n_stats: int) -> None:
    stats = ["processed 3 insns (limit 1000000)", "stack depth 8", "verification time 1 usec"]
    log = "\n".join(lines + stats[:n_stats]) + "\n"
    assert error_line(log) == lines[-1].strip()


def write(tmp_path: Path, first: str) -> Path:
    src = tmp_path / "x_ok.bpf.c"
    src.write_text(first + '\n#include "corpus.h"\n')
    return src


def test_read_intent_accept(tmp_path: Path) -> None:
    intent = read_intent(write(tmp_path, "/* a program: accept */"))
    assert intent.accept and intent.behaviour == "a program" and intent.reference.error == ""
    assert intent.matches("accept", "") and not intent.matches("reject", "x")


def test_read_intent_reject(tmp_path: Path) -> None:
    intent = read_intent(write(tmp_path, '/* leaks: reject "Unreleased reference" */'))
    assert not intent.accept and intent.reference.error == "Unreleased reference"
    assert intent.matches("reject", "Unreleased reference id=2 alloc_insn=1")
    assert not intent.matches("reject", "something else")
    assert not intent.matches("accept", "")


@pytest.mark.parametrize("first", ["/* no verdict */", "// c++ comment: accept", "int x;",
                                   '/* x: reject */', '/* x: reject "" */'])
def test_read_intent_rejects_bad_headers(tmp_path: Path, first: str) -> None:
    with pytest.raises(IntentError):
        read_intent(write(tmp_path, first))


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="*"),
               min_size=1).filter(lambda s: s.strip() == s and s != ""))
def test_read_intent_round_trips_error(error: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "y_bad.bpf.c"
        src.write_text(f'/* behaviour: reject "{error}" */\n')
        assert read_intent(src).reference.error == error


def test_read_intent_per_build(tmp_path: Path) -> None:
    intent = read_intent(write(tmp_path, '/* a: accept; 6.18.44-fc-v1272: reject "not allowed"; '
                                         '7.0-x: reject "R1 must be" */'))
    assert intent.behaviour == "a" and intent.accept
    assert intent.matches("accept", "") and intent.matches("accept", "", "6.18.44-fc-v595")
    assert intent.matches("reject", "bpf_x() is not allowed", "6.18.44-fc-v1272")
    assert not intent.matches("accept", "", "6.18.44-fc-v1272")
    assert intent.expected("7.0-x").describe() == 'reject "R1 must be"'


def libbpf_or_skip() -> Libbpf:
    if os.geteuid() != 0:
        pytest.skip("needs root to load BPF programs")
    try:
        return Libbpf()
    except LoaderError as exc:
        pytest.skip(str(exc))


@pytest.mark.kernel
def test_loads_accepted_example() -> None:
    (result,) = load_object(EXAMPLES / "task_acquire.bpf.o", lib=libbpf_or_skip())
    assert result.program == "count_children"
    assert result.section == "tp_btf/task_newtask"
    assert result.verdict is Verdict.ACCEPT and result.error == "" and result.errno == 0
    assert "processed" in result.log


@pytest.mark.kernel
def test_loads_rejected_example() -> None:
    (result,) = load_object(EXAMPLES / "task_leak.bpf.o", lib=libbpf_or_skip())
    assert result.verdict is Verdict.REJECT and result.stage is Stage.KERNEL
    assert result.error == "BPF_EXIT instruction in main prog would lead to reference leak"
    assert result.errno == 22
    assert "Unreleased reference" in result.log


@pytest.mark.kernel
def test_unopenable_object(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.bpf.o"
    bogus.write_bytes(b"not an ELF file")
    (result,) = load_object(bogus, lib=libbpf_or_skip())
    assert result.verdict is Verdict.REJECT and result.stage is Stage.OPEN
    assert result.errno != 0
