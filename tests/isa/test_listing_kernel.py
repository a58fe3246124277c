"""The linked listing against the running kernel's verifier log (live, log level 2).

Every instruction line the kernel prints (``N: (xx) ...`` of the main pass, and the
``Live regs before insn`` table, which lists every instruction) must equal the listing's line
``N``, except where the kernel prints a runtime address (maps, map values, kernel variables):
there the kernel's line must be ``(18) rD = 0x<hex>`` and ours the placeholder for the same
register; the addresses are checked to be consistent (one base per map, value offsets as listed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kfcheck.btf import load_btf
from kfcheck.commands.disasm import link_target, linked_listing
from kfcheck.errors import KfcheckError
from kfcheck.kernel.oracle import load
from kfcheck.kernel.syscall import available
from kfcheck.link import KernelTarget, LinkFailure, link_object
from kfcheck.link import Program as LinkedProgram
from kfcheck.obj import read_object
from kfcheck.obj.model import ExternKind
from kfcheck.profile.embedded import read_manifest, sysfs_btf

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).parent.parent.parent
_MAIN = re.compile(r"^(\d+): (\([0-9a-f]{2}\) .*?)(?:\s+;.*)?$")
_LIVE = re.compile(r"^ +(\d+): [.0-9]+ (\([0-9a-f]{2}\) .*)$")
_OURS = re.compile(r"^(\d+): (\(.*)$")
_ADDRESS = re.compile(r"\(18\) (r\d+) = 0x([0-9a-f]+)")
_PLACEHOLDER = re.compile(r"\(18\) (r\d+) = (?:map\[name:([^\]]+)\](?:\[0\]\+(\d+))?|ksym\[.*\])")


def _calls_kfuncs(path: Path) -> bool:
    return any(e.kind is ExternKind.KFUNC for e in read_object(str(path)).externs)


def _objects() -> list[Path]:
    """ISA, linker and example objects, and every 4th corpus object calling kfuncs."""
    corpus = [p for p in sorted((ROOT / "tests" / "corpus").glob("*.bpf.o")) if _calls_kfuncs(p)]
    return [*sorted((ROOT / "tests" / "isa" / "progs").glob("*.bpf.o")),
            *sorted((ROOT / "tests" / "link" / "progs").glob("*.bpf.o")),
            *sorted((ROOT / "examples").glob("*.bpf.o")), *corpus[::4]]


@pytest.fixture(scope="module")
def target() -> tuple[KernelTarget, str]:
    """The embedded profile when it is the running kernel's BTF, else the running kernel's."""
    reason = available()
    if reason is not None:
        pytest.skip(f"kernel bpf() unavailable: {reason}")
    try:
        running = load_btf(sysfs_btf())
    except KfcheckError as err:
        pytest.skip(f"no running kernel BTF: {err}")
    if running.cache_key == read_manifest().btf_sha256:
        return link_target()
    return link_target(sysfs_btf())


def _kernel_lines(log: str) -> list[tuple[int, str]]:
    return [(int(m[1]), m[2]) for line in log.splitlines()
            if (m := _MAIN.match(line) or _LIVE.match(line))]


def _check(prog: LinkedProgram, kernel: KernelTarget, profile: str) -> int:
    """Compare one program's listing with its kernel log; the number of lines compared (0 when
    the kernel refused the program before printing instructions)."""
    ours = {int(m[1]): m[2] for line in linked_listing(prog, kernel.btf, profile).lines
            if (m := _OURS.match(line))}
    log = load(prog).log
    lines = _kernel_lines(log)
    bases: dict[str, set[int]] = {}
    for index, text in lines:
        mine = ours.get(index)
        assert mine is not None, f"kernel printed insn {index}: {text}"
        holder = _PLACEHOLDER.fullmatch(mine)
        if holder is None:
            assert text == mine, f"insn {index}"
            continue
        address = _ADDRESS.fullmatch(text)
        assert address is not None and address[1] == holder[1], f"insn {index}: {text} / {mine}"
        if holder[2] is not None:
            bases.setdefault(holder[2], set()).add(int(address[2], 16) - int(holder[3] or 0))
    assert all(len(b) == 1 for b in bases.values()), bases  # one address per map
    assert len({b for found in bases.values() for b in found}) == len(bases)  # maps differ
    return len(lines)


@pytest.mark.parametrize("path", _objects(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_listing_equals_kernel_log(path: Path, target: tuple[KernelTarget, str]) -> None:
    kernel, profile = target
    compared = 0
    for prog in link_object(read_object(str(path)), kernel):
        if isinstance(prog, LinkFailure):
            continue
        compared += _check(prog, kernel, profile)
    if not compared:
        pytest.skip(f"no program of {path.name} links and reaches the kernel's main pass")
