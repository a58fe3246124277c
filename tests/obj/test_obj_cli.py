"""``kfcheck obj``: a summary on stdout, or one error line and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfcheck.cli import main

PROGS = Path(__file__).parent / "progs"


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["obj", str(PROGS / "maps.bpf.o")]) == 0
    out = capsys.readouterr().out
    assert "  use_maps [tc] type=sched_cls attach=- target=- insns=49" in out
    assert "    insn 43: map jmp_table" in out
    assert "    inner: outer_array.inn array key=4 value=4 max_entries=1" in out
    assert "    slot 1: tail_target" in out


@pytest.mark.parametrize("content", [b"", b"garbage", (PROGS / "calls.bpf.o").read_bytes()[:300]])
def test_bad_input_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            content: bytes) -> None:
    bad = tmp_path / "bad.o"
    bad.write_bytes(content)
    assert main(["obj", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kfcheck: {bad}: ")
