"""Cross-checks against libbpf itself (the system's libbpf.so.1 through ctypes).

``bpf_object__open_file`` only parses the object (nothing is loaded into the kernel), so it is
an oracle for what we read: program names, types and expected attach types, map names, types,
sizes and flags. The system libbpf is 1.1: it opens the objects whose features it knows
(arena.bpf.o needs a newer one) and predates some section names (tcx, netkit, netfilter,
struct_ops.s, ...) for which it reports type 0; those rows are skipped. It also sets the USDT
attach type only at load time, and keeps custom data section map names untruncated; both are
accounted for below. Also, ``bpftool gen skeleton`` is not used: it does the same open.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from kfcheck.obj import BpfObject, read_object

PROGS = Path(__file__).parent / "progs"
OBJECTS = ["calls", "externs", "globals", "maps", "sections"]


@dataclass(frozen=True)
class LibbpfProg:
    name: str
    section: str
    prog_type: int
    attach_type: int


@dataclass(frozen=True)
class LibbpfMap:
    name: str
    map_type: int
    key_size: int
    value_size: int
    max_entries: int
    map_flags: int
    numa_node: int
    map_extra: int


def _libbpf() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("bpf")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    vp, cp, u32 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint
    lib.bpf_object__open_file.restype = vp
    lib.bpf_object__open_file.argtypes = [cp, vp]
    lib.bpf_object__close.argtypes = [vp]
    lib.libbpf_get_error.restype = ctypes.c_long
    lib.libbpf_get_error.argtypes = [vp]
    for fn in ("bpf_object__next_program", "bpf_object__next_map"):
        getattr(lib, fn).restype = vp
        getattr(lib, fn).argtypes = [vp, vp]
    for fn in ("bpf_program__name", "bpf_program__section_name", "bpf_map__name"):
        getattr(lib, fn).restype = cp
        getattr(lib, fn).argtypes = [vp]
    for fn in ("bpf_program__type", "bpf_program__expected_attach_type", "bpf_map__type",
               "bpf_map__key_size", "bpf_map__value_size", "bpf_map__max_entries",
               "bpf_map__map_flags", "bpf_map__numa_node"):
        getattr(lib, fn).restype = u32
        getattr(lib, fn).argtypes = [vp]
    lib.bpf_map__map_extra.restype = ctypes.c_uint64
    lib.bpf_map__map_extra.argtypes = [vp]
    return lib


LIB = _libbpf()
pytestmark = pytest.mark.skipif(LIB is None, reason="libbpf.so.1 not found")


def libbpf_view(path: Path) -> tuple[list[LibbpfProg], list[LibbpfMap]]:
    assert LIB is not None
    obj = LIB.bpf_object__open_file(str(path).encode(), None)
    if not obj or LIB.libbpf_get_error(obj):
        pytest.fail(f"libbpf cannot open {path}")
    try:
        progs: list[LibbpfProg] = []
        prog = None
        while prog := LIB.bpf_object__next_program(obj, prog):
            progs.append(LibbpfProg(
                LIB.bpf_program__name(prog).decode(), LIB.bpf_program__section_name(prog).decode(),
                LIB.bpf_program__type(prog), LIB.bpf_program__expected_attach_type(prog)))
        maps: list[LibbpfMap] = []
        m = None
        while m := LIB.bpf_object__next_map(obj, m):
            maps.append(LibbpfMap(
                LIB.bpf_map__name(m).decode(), LIB.bpf_map__type(m), LIB.bpf_map__key_size(m),
                LIB.bpf_map__value_size(m), LIB.bpf_map__max_entries(m),
                LIB.bpf_map__map_flags(m), LIB.bpf_map__numa_node(m), LIB.bpf_map__map_extra(m)))
        return progs, maps
    finally:
        LIB.bpf_object__close(obj)


def ours(o: BpfObject) -> tuple[list[LibbpfProg], list[LibbpfMap]]:
    progs = [LibbpfProg(p.name, p.sec_name, int(p.prog_type),
                        int(p.expected_attach_type) if p.expected_attach_type is not None else 0)
             for p in o.programs]
    maps = [LibbpfMap(m.name, int(m.map_type), m.key_size, m.value_size, m.max_entries,
                      m.map_flags, m.numa_node, m.map_extra) for m in o.maps]
    return progs, maps


@pytest.mark.parametrize("name", OBJECTS)
def test_same_as_libbpf(name: str) -> None:
    path = PROGS / f"{name}.bpf.o"
    want_progs, want_maps = libbpf_view(path)
    got_progs, got_maps = ours(read_object(str(path)))
    assert [p.name for p in got_progs] == [p.name for p in want_progs]
    assert [p.section for p in got_progs] == [p.section for p in want_progs]
    compared = 0
    for got, want in zip(got_progs, want_progs, strict=True):
        if want.prog_type == 0:
            continue  # a section name newer than this libbpf
        if got.section.startswith("usdt"):
            assert (got.prog_type, want.attach_type) == (want.prog_type, 0)
            continue  # libbpf picks the uprobe-multi attach type at load time
        assert (got.prog_type, got.attach_type) == (want.prog_type, want.attach_type), got.name
        compared += 1
    assert compared >= len(got_progs) // 2
    # libbpf 1.1 leaves custom data section names untruncated; the kernel keeps 15 characters
    want_maps = [LibbpfMap(m.name[:15], *[getattr(m, f) for f in (
        "map_type", "key_size", "value_size", "max_entries", "map_flags", "numa_node",
        "map_extra")]) for m in want_maps]
    assert got_maps == want_maps


def test_objects_up_to_date(tmp_path: Path) -> None:
    """The checked-in objects are what the Makefile builds from the sources."""
    try:
        subprocess.run(["clang-19", "--version"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("clang-19 not available")
    for src in [*PROGS.glob("*.c"), *PROGS.glob("*.h"), PROGS / "Makefile"]:
        (tmp_path / src.name).write_bytes(src.read_bytes())
    subprocess.run(["make", "-s", "-C", str(tmp_path)], check=True, capture_output=True)
    stale = [o.name for o in sorted(PROGS.glob("*.bpf.o"))
             if (tmp_path / o.name).read_bytes() != o.read_bytes()]
    assert not stale, f"rebuild with `make -C tests/obj/progs`: {stale}"
