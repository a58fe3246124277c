"""Mutated inputs through the commands (issue 9, "Hardening"): every run of every command
either succeeds or exits 2 with one ``kfcheck: <file>: <problem>`` line, never a traceback.

The readers have their own fuzz tests (``tests/obj/test_obj_bad_input.py``,
``tests/btf/test_bad_input.py``, ``tests/btf/test_elf_sections.py``); these run what the
commands build on them (linking, CO-RE, disassembly, C spelling, the offline verifier, the
table extraction) through ``kfcheck.cli.main``, with a fixed number of examples each.
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from btf_sample import sample_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfcheck.cli import main
from kfcheck.kernel import syscall

ROOT = Path(__file__).parent.parent
OBJECT = (ROOT / "examples" / "task_acquire.bpf.o").read_bytes()
BTF = sample_bytes()

_WORDS = st.one_of(st.integers(0, 1 << 16),
                   st.sampled_from([0x7FFFFFFF, 0xFFFFFFFF, 1 << 63, (1 << 64) - 1]))


def _fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutants(draw: st.DrawFn, data: bytes, hot: tuple[range, ...]) -> bytes:
    """``data`` with a few bytes or little-endian words overwritten (half of them in the
    ``hot`` ranges: headers and tables), then maybe truncated."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        area = draw(st.sampled_from((range(len(buf)), *hot)))
        pos = draw(st.sampled_from(area))
        if draw(st.booleans()):
            buf[pos] = draw(st.integers(0, 255))
        else:  # a size, offset, count or type id
            width = draw(st.sampled_from([4, 8]))
            word = draw(_WORDS) & ((1 << 8 * width) - 1)
            buf[pos : pos + width] = word.to_bytes(width, "little")[: len(buf) - pos]
    if draw(st.integers(0, 7)) == 0:
        del buf[draw(st.integers(0, len(buf))) :]
    return bytes(buf)


def _object_hot() -> tuple[range, ...]:
    """The ELF header and the section header table of ``OBJECT``."""
    (e_shoff,) = struct.unpack_from("<Q", OBJECT, 0x28)
    return range(64), range(e_shoff, len(OBJECT))


OBJECTS = mutants(OBJECT, _object_hot())
BTFS = mutants(BTF, (range(24), range(24, 24 + 4 * 40)))  # header, first types


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory for the mutants; the BTF cache kept in it (mutants are not worth caching)."""
    tmp = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KFCHECK_CACHE_DIR", str(tmp / "cache"))
        yield tmp


def _run(args: list[str], path: Path, ok: tuple[int, ...] = (0,)) -> None:
    """``kfcheck ARGS``: an exit code in ``ok``, or 2 with the error about ``path`` last."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    lines = err.getvalue().splitlines()
    assert all(line.startswith("kfcheck: ") for line in lines), (args, lines)
    if code == 2:
        assert lines and lines[-1].startswith(f"kfcheck: {path}: "), (args, lines)
        assert sum(line.startswith(f"kfcheck: {path}: ") for line in lines) == 1, (args, lines)
    else:
        assert code in ok, (args, code, lines)


def _write(work: Path, name: str, data: bytes) -> Path:
    path = work / name
    path.write_bytes(data)
    return path


OBJECT_COMMANDS = (["obj"], ["disasm", "--raw"], ["btf"], ["btf", "--kfuncs"],
                   ["table", "extract", "--btf"])


@_fuzz(60)
@given(data=OBJECTS)
def test_object_commands(work: Path, data: bytes) -> None:
    path = _write(work, "mutant.o", data)
    for command in OBJECT_COMMANDS:
        _run([*command, str(path)], path)


@_fuzz(12)
@given(data=OBJECTS)
def test_linking_and_checking_commands(work: Path, data: bytes) -> None:
    """``disasm`` links against the profile; ``check`` also verifies (exit 1: a reject)."""
    path = _write(work, "mutant.o", data)
    _run(["disasm", str(path)], path)
    _run(["check", str(path)], path, ok=(0, 1))


@_fuzz(80)
@given(data=BTFS)
def test_btf_commands(work: Path, data: bytes) -> None:
    path = _write(work, "mutant.btf", data)
    for command in (["btf"], ["btf", "--kfuncs"], ["table", "extract", "--btf"],
                    ["table", "extract", "--json", "--btf"], ["table", "--kernel-btf"]):
        args = [*command, str(path)] + (["list"] if command[-1] == "--kernel-btf" else [])
        _run(args, path)


@_fuzz(8)
@given(data=BTFS)
def test_kernel_btf_options(work: Path, data: bytes) -> None:
    """A mutated kernel BTF given to the commands that link or verify against it."""
    path = _write(work, "mutant.btf", data)
    obj = str(ROOT / "examples" / "task_acquire.bpf.o")
    _run(["disasm", "--kernel-btf", str(path), obj], path)
    _run(["check", "--kernel-btf", str(path), obj], path, ok=(0, 1))


@pytest.mark.skipif(syscall.available() is not None or os.geteuid() != 0,
                    reason="kernel: needs root and bpf()")
@_fuzz(8)
@given(data=OBJECTS)
def test_kernel_command(work: Path, data: bytes) -> None:
    """The running kernel's verdict on a mutant (load only): exit 1 is its reject."""
    path = _write(work, "mutant.o", data)
    _run(["kernel", str(path)], path, ok=(0, 1))
