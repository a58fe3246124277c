"""``kfcheck kernel OBJ...``: a bad object is a row of its own, the others are still verified;
the exit code is the worst result's; every row names the kernel build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kfcheck.cli import main
from kfcheck.commands.report import exit_code, format_table
from kfcheck.errors import KfcheckError, LinkError, UnsupportedElf, UnsupportedLink
from kfcheck.host import btf_digest, sysfs_btf
from kfcheck.kernel.report import check_files
from kfcheck.obj import read_object
from kfcheck.verdict import FileError

pytestmark = [pytest.mark.kernel, pytest.mark.usefixtures("bpf_fds_checked")]

PROGS = Path(__file__).parents[1] / "link" / "progs"
CALLS = PROGS / "calls.bpf.o"  # first, second: accept; bad_read: reject
CORE = PROGS / "core.bpf.o"  # core_values: accept


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def problem(path: Path) -> str:
    """The one-line problem ``read_object`` has with a bad object."""
    with pytest.raises(KfcheckError) as info:
        read_object(str(path))
    return info.value.problem


@pytest.fixture
def truncated(tmp_path: Path) -> Path:
    bad = tmp_path / "truncated.bpf.o"
    bad.write_bytes(CALLS.read_bytes()[:300])
    return bad


@pytest.fixture
def jumptables(tmp_path: Path) -> Path:
    """calls.bpf.o with its .rodata renamed .jumptables: relocations against it are refused."""
    objcopy = shutil.which("llvm-objcopy-19") or shutil.which("llvm-objcopy")
    if objcopy is None:
        pytest.skip("needs llvm-objcopy")
    bad = tmp_path / "jumptables.bpf.o"
    subprocess.run([objcopy, "--rename-section", ".rodata=.jumptables", str(CALLS), str(bad)],
                   check=True)
    return bad


def single_rows(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "kernel", "--json", str(path))
    assert code in (0, 1)
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def stable(row: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in row.items() if k != "verification_time_us"}


def test_json_good_bad_good(capsys: pytest.CaptureFixture[str], truncated: Path) -> None:
    good = [stable(r) for path in (CALLS, CORE) for r in single_rows(capsys, path)]
    code, out, err = run(capsys, "kernel", "--json", str(CALLS), str(truncated), str(CORE))
    assert (code, err) == (2, "")
    rows = json.loads(out)
    assert [r["program"] for r in rows] == ["first", "second", "bad_read", "*", "core_values"]
    assert [stable(r) for r in rows[:3] + rows[4:]] == good
    build = rows[0]["kernel"], rows[0]["btf_sha256"]
    assert rows[3] == {"file": str(truncated), "program": "*", "stage": "read",
                       "verdict": "error", "error": problem(truncated),
                       "kernel": build[0], "btf_sha256": build[1]}


def test_text_rows_and_error_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                   jumptables: Path) -> None:
    missing = tmp_path / "missing.bpf.o"
    code, out, err = run(capsys, "kernel", str(CALLS), str(missing), str(jumptables),
                         str(CORE))
    assert (code, err) == (2, "")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["File", "Program", "Verdict"]
    assert [line.split()[1] for line in lines[2:5]] == ["first", "second", "bad_read"]
    assert lines[5] == f"{missing}: error: no such file"
    assert lines[6] == f"{jumptables}: error: {problem(jumptables)}"
    assert "bad data relo against section '.jumptables'" in lines[6]
    assert lines[7].split()[:3] == [str(CORE), "core_values", "accept"]
    assert len(lines) == 8


def test_unsupported_file_is_an_unsupported_row(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    elf32 = tmp_path / "elf32.bpf.o"
    elf32.write_bytes(b"\x7fELF\x01" + CORE.read_bytes()[5:])
    code, out, _ = run(capsys, "kernel", "--json", str(elf32), str(CORE))
    rows = json.loads(out)
    assert code == 2
    assert (rows[0]["verdict"], rows[0]["stage"], rows[0]["program"]) == ("unsupported", "read",
                                                                          "*")
    assert rows[0]["error"].startswith("unsupported: 32-bit ELF")
    assert rows[1]["verdict"] == "accept"


@pytest.mark.parametrize(("objects", "expected"), [
    ((CORE,), 0),  # every program accepted
    ((CORE, CORE), 0),
    ((CALLS,), 1),  # bad_read rejected
    ((CORE, CALLS), 1),
])
def test_exit_code_is_the_worst_result(capsys: pytest.CaptureFixture[str],
                                       objects: tuple[Path, ...], expected: int) -> None:
    for fmt in ([], ["--json"]):
        assert run(capsys, "kernel", *fmt, *map(str, objects))[0] == expected


def test_single_bad_file_keeps_the_one_line_error(capsys: pytest.CaptureFixture[str],
                                                  truncated: Path) -> None:
    for fmt in ([], ["--json"]):
        assert run(capsys, "kernel", *fmt, str(truncated)) == (
            2, "", f"kfcheck: {truncated}: {problem(truncated)}\n")


def test_rows_carry_the_running_build(capsys: pytest.CaptureFixture[str],
                                      truncated: Path) -> None:
    _, out, _ = run(capsys, "kernel", "--json", str(CALLS), str(truncated))
    rows = json.loads(out)
    assert len(rows) == 4
    for row in rows:
        assert row["kernel"] == os.uname().release
        assert row["btf_sha256"] == btf_digest(sysfs_btf())


def test_file_error_rows() -> None:
    link = FileError.of("a.o", UnsupportedLink("arena global data", path="a.o"))
    assert (link.stage, link.verdict, link.line) == (
        "link", "unsupported", "a.o: error: unsupported: arena global data")
    elsewhere = FileError.of("a.o", UnsupportedElf("map type 99", where="map 'm': ",
                                                   path="b.o"))
    assert (elsewhere.error, elsewhere.verdict) == (
        "b.o: map 'm': unsupported: map type 99", "unsupported")
    unnamed = FileError.of("a.o", UnsupportedElf("map type 99", where="map 'm': "))
    assert unnamed.line == "a.o: error: map 'm': unsupported: map type 99"
    assert FileError.of("a.o", KfcheckError("no such file", path="a.o")).verdict == "error"
    # the type says unsupported, not the words: a message merely quoting them is an error
    quoted = FileError.of("a.o", LinkError("symbol 'unsupported: x' not found"))
    assert quoted.verdict == "error"


def test_library_results_and_table(truncated: Path) -> None:
    results = check_files([str(CORE), str(truncated)])
    assert exit_code(results) == 2 and exit_code(results[:1]) == 0
    assert isinstance(results[1], FileError)
    table = format_table(results).splitlines()
    assert table[-1] == results[1].line and table[-2].split()[1] == "core_values"
