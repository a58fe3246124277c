"""``kfcheck btf``: dumps, --type, --kfuncs, and bad input as one line with exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from btf_sample import SAMPLE_TYPES, sample_bytes

from kfcheck.btf.encode import encode_btf
from kfcheck.btf.types import LINKAGE_GLOBAL, BtfType, Kind, Param
from kfcheck.cli import main


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kfcheck", "btf", *args], capture_output=True,
                          text=True, check=False)


@pytest.fixture()
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.btf"
    path.write_bytes(sample_bytes())
    return path


def test_dump(sample_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["btf", str(sample_file)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED"
    assert "[5] STRUCT 'pair' size=16 vlen=4" in out
    assert "\t'b' type_id=1 bits_offset=32 bitfield_size=3" in out


def test_type_option(sample_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["btf", str(sample_file), "--type", "my_kfunc"]) == 0
    assert capsys.readouterr().out == "[15] FUNC 'my_kfunc' type_id=14 linkage=global\n"


def test_kfuncs_option(sample_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["btf", str(sample_file), "--kfuncs"]) == 0
    assert capsys.readouterr().out == (
        "struct pair *my_kfunc(struct pair *p, myint n, ...);  /* bpf_fastcall */\n"
    )


def test_kfuncs_fail_before_printing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A later kfunc without a C spelling: nothing on stdout, not the earlier kfuncs."""
    bad = [
        BtfType(28, Kind.FUNC_PROTO, type=0, params=(Param("d", 20),)),  # a DATASEC parameter
        BtfType(29, Kind.FUNC, "bad_kfunc", type=28, linkage=LINKAGE_GLOBAL),
        BtfType(30, Kind.DECL_TAG, "bpf_kfunc", type=29, component_idx=-1),
    ]
    path = tmp_path / "bad_kfunc.btf"
    path.write_bytes(encode_btf(SAMPLE_TYPES + bad))
    assert main(["btf", str(path), "--kfuncs"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"kfcheck: {path}: type 20: DATASEC .data has no C spelling\n"


def test_object_file(allkinds_obj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["btf", str(allkinds_obj), "--type", "outer"]) == 0
    assert capsys.readouterr().out.startswith("[2] STRUCT 'outer' size=144 vlen=13\n")


def test_vmlinux_kfuncs(vmlinux_bytes: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["btf", "/sys/kernel/btf/vmlinux", "--kfuncs"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "struct task_struct *bpf_task_acquire(struct task_struct *p);" in out
    assert "void *bpf_cast_to_kern_ctx(void *obj);  /* bpf_fastcall */" in out


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "truncated BTF header (0 bytes)"),
        (b"hello world, not BTF at all", "bad BTF magic 0x6568"),
        (sample_bytes()[:100], "type section extends beyond the end of data"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 9, None),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes,
                                          problem: str | None) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(content)
    proc = _run(str(bad))
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith(f"kfcheck: {bad}: ")
    if problem is not None:
        assert lines[0] == f"kfcheck: {bad}: {problem}"


def test_missing_file_and_unknown_type(sample_file: Path, tmp_path: Path) -> None:
    proc = _run(str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert proc.stderr == f"kfcheck: {tmp_path / 'nope'}: no such file\n"
    proc = _run(str(sample_file), "--type", "nothing")
    assert proc.returncode == 2
    assert proc.stderr == f"kfcheck: {sample_file}: no type named 'nothing'\n"
