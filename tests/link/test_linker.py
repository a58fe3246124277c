"""Linking: subprograms, callbacks, maps, global data, kfuncs, ksyms and .kconfig."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from kfcheck.btf import Btf, Kind
from kfcheck.link import KernelTarget, LinkFailure, MapRole, Program, link_file
from kfcheck.link.kconfig import KernelFacts, kernel_version
from kfcheck.link.program import (
    PSEUDO_BTF_ID,
    PSEUDO_CALL,
    PSEUDO_FUNC,
    PSEUDO_KFUNC_CALL,
    PSEUDO_MAP_FD,
    PSEUDO_MAP_VALUE,
)

PROGS = Path(__file__).parent / "progs"
Insn = tuple[int, int, int, int, int]  # code, dst, src, off, imm


def insns_of(prog: Program) -> list[Insn]:
    out = []
    for i in range(prog.insn_count):
        code, regs, off, imm = struct.unpack_from("<BBhi", prog.insns, i * 8)
        out.append((code, regs & 0xF, regs >> 4, off, imm))
    return out


def programs(name: str, kernel: KernelTarget) -> dict[str, Program]:
    linked = link_file(str(PROGS / name), kernel)
    assert all(isinstance(p, Program) for p in linked), linked
    return {p.name: p for p in linked if isinstance(p, Program)}


def func_info(prog: Program) -> list[tuple[int, int]]:
    return [struct.unpack_from("<II", prog.func_info, i)
            for i in range(0, len(prog.func_info), 8)]


def test_subprograms_appended_and_calls_relocated(kernel: KernelTarget) -> None:
    progs = programs("calls.bpf.o", kernel)
    first = progs["first"]
    insns = insns_of(first)
    starts = [off for off, _ in func_info(first)]
    assert starts[0] == 0 and len(starts) == 4  # first + add_twice, loop_body, global_helper
    # every pseudo call and callback lands on a function start listed in func_info
    targets = set()
    for i, (code, _, src, _, imm) in enumerate(insns):
        if code == 0x85 and src == PSEUDO_CALL or code == 0x18 and src == PSEUDO_FUNC:
            targets.add(i + imm + 1)
    assert targets == set(starts[1:])
    btf = Btf.parse(first.btf)
    names = [btf[type_id].name for _, type_id in func_info(first)]
    assert names[0] == "first" and set(names[1:]) == {"add_twice", "loop_body", "global_helper"}
    # the second program only gets the subprogram it calls
    second = progs["second"]
    assert [Btf.parse(second.btf)[t].name for _, t in func_info(second)] == ["second",
                                                                            "add_twice"]


def test_line_info_offsets_follow_the_appended_code(kernel: KernelTarget) -> None:
    first = programs("calls.bpf.o", kernel)["first"]
    offs = [struct.unpack_from("<I", first.line_info, i)[0]
            for i in range(0, len(first.line_info), 16)]
    assert offs[0] == 0 and max(offs) < first.insn_count
    for start, _ in func_info(first):
        assert start in offs


def test_maps_and_global_data(kernel: KernelTarget) -> None:
    first = programs("calls.bpf.o", kernel)["first"]
    roles = {m.name: m.role for m in first.maps}
    assert roles == {"counts": MapRole.USER, "calls.rodata": MapRole.RODATA,
                     "calls.data": MapRole.DATA}
    insns = insns_of(first)
    by_map: dict[str, set[int]] = {}
    for ref in first.map_refs:
        code, _, src, _, _ = insns[ref.insn]
        assert code == 0x18
        by_map.setdefault(first.maps[ref.map_index].name, set()).add(src)
    assert by_map["counts"] == {PSEUDO_MAP_FD}
    assert by_map["calls.rodata"] == {PSEUDO_MAP_VALUE}
    rodata = next(m for m in first.maps if m.role is MapRole.RODATA)
    assert rodata.frozen and rodata.initial == struct.pack("<I", 7)
    data = next(m for m in first.maps if m.role is MapRole.DATA)
    assert not data.frozen and data.initial == struct.pack("<Q", 3)
    counts = next(m for m in first.maps if m.name == "counts")
    assert (counts.key_size, counts.value_size, counts.max_entries) == (4, 8, 16)
    assert counts.btf_key_type_id and counts.btf_value_type_id
    fds = list(range(100, 100 + len(first.maps)))
    patched = first.with_map_fds(fds)
    for ref in first.map_refs:
        assert struct.unpack_from("<i", patched, ref.insn * 8 + 4)[0] == fds[ref.map_index]


def kernel_func_id(kernel: KernelTarget, name: str) -> int:
    """The FUNC's id, from bpftool when installed (independent of kfcheck's BTF reader)."""
    if shutil.which("bpftool"):
        out = subprocess.run(["bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux"],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if f"FUNC '{name}' " in line:
                return int(line[1:line.index("]")])
    (func,) = kernel.btf.by_name(name, Kind.FUNC)
    return func.id


def test_kfunc_calls_resolved_to_kernel_btf_ids(kernel: KernelTarget) -> None:
    prog = programs("kfuncs.bpf.o", kernel)["kfunc_ok"]
    calls = [(imm, off) for code, _, src, off, imm in insns_of(prog)
             if code == 0x85 and src == PSEUDO_KFUNC_CALL]
    expected = [kernel_func_id(kernel, n) for n in
                ("bpf_rcu_read_lock", "bpf_task_acquire", "bpf_task_release",
                 "bpf_rcu_read_unlock")]
    resolved = [imm for imm, off in calls if imm]
    assert resolved == expected
    assert all(off == 0 for _, off in calls)
    assert (0, 0) in calls  # the unresolved weak kfunc: imm = 0, off = 0
    # its address test `if (bpf_kfcheck_missing_kfunc)` became ld_imm64 0
    lds = [(src, imm) for code, _, src, _, imm in insns_of(prog) if code == 0x18]
    assert (0, 0) in lds


def test_typed_ksym_becomes_btf_id(kernel: KernelTarget) -> None:
    prog = programs("kfuncs.bpf.o", kernel)["ksym_var"]
    (var,) = kernel.btf.by_name("bpf_prog_active", Kind.VAR)
    lds = [(src, imm) for code, _, src, _, imm in insns_of(prog) if code == 0x18]
    assert (PSEUDO_BTF_ID, var.id) in lds


def test_kconfig_values(kernel: KernelTarget) -> None:
    facts = KernelFacts({"CONFIG_HZ": "300", "CONFIG_BPF_SYSCALL": "y"}, kernel_version("6.1.7"))
    target = KernelTarget(kernel.btf, facts)
    prog = programs("kfuncs.bpf.o", target)["kfunc_ok"]
    (kconfig,) = [m for m in prog.maps if m.role is MapRole.KCONFIG]
    assert kconfig.frozen
    values = kconfig.initial
    # libbpf's layout: by alignment, size, name: HZ 0, NOT_A_CONFIG 4, VERSION 8, SYSCALL 12
    assert struct.unpack_from("<iiIB", values) == (300, 0, (6 << 16) | (1 << 8) | 7, 1)


def test_strong_kconfig_missing_fails_only_its_programs(kernel: KernelTarget) -> None:
    target = KernelTarget(kernel.btf, KernelFacts({}, kernel_version()))
    linked = {p.name: p for p in link_file(str(PROGS / "kfuncs.bpf.o"), target)}
    failure = linked["kfunc_ok"]
    assert isinstance(failure, LinkFailure) and not failure.unsupported
    assert "CONFIG_BPF_SYSCALL" in failure.problem
    assert isinstance(linked["kfunc_leak"], Program)


def test_attach_btf_id_for_tp_btf(kernel: KernelTarget) -> None:
    prog = programs("kfuncs.bpf.o", kernel)["kfunc_ok"]
    (typedef,) = kernel.btf.by_name("btf_trace_sched_switch", Kind.TYPEDEF)
    assert (prog.attach_btf_id, prog.attach_name) == (typedef.id, "btf_trace_sched_switch")


def test_fixed_btf_is_valid_and_has_no_extern_linkage(kernel: KernelTarget) -> None:
    prog = programs("kfuncs.bpf.o", kernel)["kfunc_ok"]
    btf = Btf.parse(prog.btf)
    for t in btf.types():
        if t.kind in (Kind.FUNC, Kind.VAR):
            assert t.linkage != 2, t.name
        if t.kind is Kind.DATASEC:
            offsets = [v.offset for v in t.secinfos]
            assert offsets == sorted(offsets)
            assert all(btf[v.type].kind is Kind.VAR for v in t.secinfos)
    (ksyms,) = btf.by_name(".ksyms", Kind.DATASEC)
    assert ksyms.size == 4 * len(ksyms.secinfos)


@pytest.mark.parametrize("release", ["6.18.44-fc-v595", "5.15.300", "4.9"])
def test_kernel_version(release: str) -> None:
    parts = [int(x) for x in release.split("-")[0].split(".")] + [0]
    assert kernel_version(release) == (parts[0] << 16) + (parts[1] << 8) + min(parts[2], 255)
