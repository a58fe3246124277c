"""Linking: subprograms, callbacks, maps, global data, kfuncs, ksyms and .kconfig."""

from __future__ import annotations

import gzip
import os
import shutil
import struct
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from kfcheck.btf import Btf, Kind
from kfcheck.btf.types import LINKAGE_STATIC
from kfcheck.errors import LinkError
from kfcheck.host import config_text, parse_kconfig
from kfcheck.isa import Op, PseudoSrc
from kfcheck.link import KernelTarget, LinkFailure, MapRole, Program, link_file, link_object
from kfcheck.link.btf_fixup import fixup_btf
from kfcheck.link.kconfig import KernelFacts, kernel_version
from kfcheck.obj import read_object

PROGS = Path(__file__).parent / "progs"

def program_btf(prog: Program) -> Btf:
    assert prog.btf is not None
    return prog.btf


def programs(name: str, kernel: KernelTarget) -> dict[str, Program]:
    linked = link_file(str(PROGS / name), kernel)
    assert all(isinstance(p, Program) for p in linked), linked
    return {p.name: p for p in linked if isinstance(p, Program)}


def func_info(prog: Program) -> list[tuple[int, int]]:
    return [(r.insn, r.type_id) for r in prog.func_info]


def test_subprograms_appended_and_calls_relocated(kernel: KernelTarget) -> None:
    progs = programs("calls.bpf.o", kernel)
    first = progs["first"]
    starts = [off for off, _ in func_info(first)]
    assert starts[0] == 0 and len(starts) == 4  # first + add_twice, loop_body, global_helper
    # every pseudo call and callback lands on a function start listed in func_info
    targets = set()
    for insn in first.insns:
        if insn.op is Op.CALL_SUBPROG or insn.op is Op.LD_IMM64 and insn.src == PseudoSrc.FUNC:
            targets.add(insn.index + insn.imm + 1)
    assert targets == set(starts[1:])
    btf = program_btf(first)
    names = [btf[type_id].name for _, type_id in func_info(first)]
    assert names[0] == "first" and set(names[1:]) == {"add_twice", "loop_body", "global_helper"}
    # the second program only gets the subprogram it calls
    second = progs["second"]
    assert [program_btf(second)[t].name for _, t in func_info(second)] == ["second",
                                                                            "add_twice"]


def test_line_info_offsets_follow_the_appended_code(kernel: KernelTarget) -> None:
    first = programs("calls.bpf.o", kernel)["first"]
    offs = [r.insn for r in first.line_info]
    assert offs[0] == 0 and max(offs) < first.insn_count
    for start, _ in func_info(first):
        assert start in offs


def test_maps_and_global_data(kernel: KernelTarget) -> None:
    first = programs("calls.bpf.o", kernel)["first"]
    roles = {m.name: m.role for m in first.maps}
    assert roles == {"counts": MapRole.USER, "calls.rodata": MapRole.RODATA,
                     "calls.data": MapRole.DATA}
    by_slot = {insn.index: insn for insn in first.insns}
    by_map: dict[str, set[int]] = {}
    for ref in first.map_refs:
        insn = by_slot[ref.insn]
        assert insn.op is Op.LD_IMM64
        by_map.setdefault(first.maps[ref.map_index].name, set()).add(insn.src)
    assert by_map["counts"] == {PseudoSrc.MAP_FD}
    assert by_map["calls.rodata"] == {PseudoSrc.MAP_VALUE}
    rodata = next(m for m in first.maps if m.role is MapRole.RODATA)
    assert rodata.frozen and rodata.initial == struct.pack("<I", 7)
    data = next(m for m in first.maps if m.role is MapRole.DATA)
    assert not data.frozen and data.initial == struct.pack("<Q", 3)
    counts = next(m for m in first.maps if m.name == "counts")
    assert (counts.key_size, counts.value_size, counts.max_entries) == (4, 8, 16)
    assert counts.btf_key_type_id and counts.btf_value_type_id
    fds = list(range(100, 100 + len(first.maps)))
    patched = {insn.index: insn for insn in first.with_map_fds(fds)}
    for ref in first.map_refs:
        assert patched[ref.insn].imm == fds[ref.map_index]
        assert struct.unpack_from("<i", patched[ref.insn].raw, 4)[0] == fds[ref.map_index]


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
    calls = [(insn.imm, insn.off) for insn in prog.insns if insn.op is Op.CALL_KFUNC]
    expected = [kernel_func_id(kernel, n) for n in
                ("bpf_rcu_read_lock", "bpf_task_acquire", "bpf_task_release",
                 "bpf_rcu_read_unlock")]
    resolved = [imm for imm, off in calls if imm]
    assert resolved == expected
    assert all(off == 0 for _, off in calls)
    assert (0, 0) in calls  # the unresolved weak kfunc: imm = 0, off = 0
    # its address test `if (bpf_kfcheck_missing_kfunc)` became ld_imm64 0
    lds = [(insn.src, insn.imm) for insn in prog.insns if insn.op is Op.LD_IMM64]
    assert (0, 0) in lds


def test_typed_ksym_becomes_btf_id(kernel: KernelTarget) -> None:
    prog = programs("kfuncs.bpf.o", kernel)["ksym_var"]
    (var,) = kernel.btf.by_name("bpf_prog_active", Kind.VAR)
    lds = [(insn.src, insn.imm) for insn in prog.insns if insn.op is Op.LD_IMM64]
    assert (PseudoSrc.BTF_ID, var.id) in lds


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
    target = KernelTarget(kernel.btf, KernelFacts({}, kernel_version(os.uname().release)))
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
    btf = program_btf(prog)
    for t in btf.types():
        if t.kind in (Kind.FUNC, Kind.VAR):
            assert t.linkage != 2, t.name
        if t.kind is Kind.DATASEC:
            offsets = [v.offset for v in t.secinfos]
            assert offsets == sorted(offsets)
            assert all(btf[v.type].kind is Kind.VAR for v in t.secinfos)
    (ksyms,) = btf.by_name(".ksyms", Kind.DATASEC)
    assert ksyms.size == 4 * len(ksyms.secinfos)


# The LINUX_VERSION_CODE libbpf gives .kconfig's LINUX_KERNEL_VERSION for a release, written
# out by hand (the sublevel saturates at 255); 0 for a release it cannot read.
@pytest.mark.parametrize(("release", "code"), [
    ("6.18.44-fc-v595", 0x06122C), ("5.15.300", 0x050FFF), ("4.9", 0x040900), ("6.12.0", 396288),
    ("not-a-release", 0),
])
def test_kernel_version(release: str, code: int) -> None:
    assert kernel_version(release) == code


def test_ksym_var_gets_the_first_32bit_int_even_unsigned(kernel: KernelTarget) -> None:
    """libbpf's find_int_btf_id takes any 32-bit INT; with only ``unsigned int`` in the BTF
    a signed-only search left the VAR with type 0, which the kernel refuses."""
    prog = programs("uint_only.bpf.o", kernel)["uint_only"]
    btf = program_btf(prog)
    (var,) = btf.by_name("schedule", Kind.VAR)
    assert var.type != 0
    assert (btf[var.type].kind, btf[var.type].name) == (Kind.INT, "unsigned int")


def test_weak_kfunc_with_other_prototype_stays_unresolved(kernel: KernelTarget) -> None:
    prog = programs("weak_kfunc.bpf.o", kernel)["weak_incompat"]
    assert [(i.op, i.imm, i.off) for i in prog.insns if i.spec.group == "BPF_CALL"] == \
        [(Op.CALL_KFUNC, 0, 0)]
    assert [(i.src, i.imm) for i in prog.insns if i.op is Op.LD_IMM64] == [(0, 0)]


def test_strong_kfunc_with_other_prototype_fails_naming_vmlinux(kernel: KernelTarget) -> None:
    obj = read_object(str(PROGS / "weak_kfunc.bpf.o"))
    strong = replace(obj, externs=tuple(replace(e, is_weak=False) for e in obj.externs))
    (failure,) = link_object(strong, kernel)
    assert isinstance(failure, LinkFailure) and not failure.unsupported
    local = next(e for e in obj.externs if e.name == "bpf_rcu_read_lock___incompat")
    (kfunc,) = kernel.btf.by_name("bpf_rcu_read_lock", Kind.FUNC)
    assert failure.problem == ("extern (func ksym) 'bpf_rcu_read_lock___incompat': func_proto "
                               f"[{local.type_id}] incompatible with vmlinux [{kfunc.type}]")


def with_symbol_value(src: Path, dst: Path, name: str, value: int) -> None:
    """Copy an object with the ``st_value`` of symbol ``name`` replaced."""
    data = bytearray(src.read_bytes())
    with src.open("rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        assert isinstance(symtab, SymbolTableSection)
        (index,) = [i for i, s in enumerate(symtab.iter_symbols()) if s.name == name]
        at = symtab["sh_offset"] + index * symtab["sh_entsize"] + 8  # Elf64_Sym.st_value
    struct.pack_into("<Q", data, at, value)
    dst.write_bytes(data)


@pytest.mark.parametrize("value", [1 << 32, 8, 6])
def test_data_symbol_outside_its_section_is_a_link_error(kernel: KernelTarget, tmp_path: Path,
                                                         value: int) -> None:
    bad = tmp_path / "bad.bpf.o"
    with_symbol_value(PROGS / "calls.bpf.o", bad, "_license", value)  # "GPL\0": 4 bytes
    with pytest.raises(LinkError) as info:
        link_file(str(bad), kernel)
    assert info.value.problem == (f"variable '_license' at offset {value} (size 4) is outside "
                                  "section 'license' (4 bytes)")


@pytest.mark.kernel
def test_kernel_command_on_bad_symbol_offset_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kfcheck.cli import main
    from kfcheck.kernel.syscall import available

    if (reason := available()) is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    bad = tmp_path / "bad.bpf.o"
    with_symbol_value(PROGS / "calls.bpf.o", bad, "_license", 1 << 32)
    assert main(["kernel", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"kfcheck: {bad}: variable '_license' at offset {1 << 32} (size 4) "
                            "is outside section 'license' (4 bytes)\n")


def test_strong_kfunc_missing_from_the_kernel(kernel: KernelTarget) -> None:
    obj = read_object(str(PROGS / "kfuncs.bpf.o"))
    strong = replace(obj, externs=tuple(
        replace(e, is_weak=False) if e.name == "bpf_kfcheck_missing_kfunc" else e
        for e in obj.externs))
    linked = {p.name: p for p in link_object(strong, kernel)}
    failure = linked["kfunc_ok"]
    assert isinstance(failure, LinkFailure)
    # kfcheck searches no module BTF, so it does not say it did
    assert failure.problem == "extern (func ksym) 'bpf_kfcheck_missing_kfunc': not found in " \
        "kernel BTF"


def test_dummy_ksym_only_when_ksyms_holds_a_func(kernel: KernelTarget) -> None:
    with_func = program_btf(programs("kfuncs.bpf.o", kernel)["kfunc_ok"])
    assert with_func.by_name("dummy_ksym", Kind.VAR)
    vars_only = program_btf(programs("uint_only.bpf.o", kernel)["uint_only"])
    assert not vars_only.by_name("dummy_ksym", Kind.VAR)
    compiled = read_object(str(PROGS / "uint_only.bpf.o")).btf
    assert compiled is not None and len(vars_only) == len(compiled)  # nothing appended


def test_static_var_keeps_its_offset_without_a_symbol() -> None:
    """libbpf looks up no symbol for a static VAR: its DATASEC entry stays as compiled."""
    obj = read_object(str(PROGS / "calls.bpf.o"))
    assert obj.btf is not None
    (total,) = obj.btf.by_name("total", Kind.VAR)
    unnamed = tuple(replace(s, name="") if s.name == "total" else s for s in obj.symbols)
    with pytest.raises(LinkError, match="failed to find symbol for variable 'total'"):
        fixup_btf(replace(obj, symbols=unnamed))
    types = [replace(t, linkage=LINKAGE_STATIC) if t.id == total.id else t
             for t in obj.btf.types()]
    static = Btf.from_types(types, obj.btf.raw_strings)
    fixed = fixup_btf(replace(obj, btf=static, symbols=unnamed))
    assert fixed is not None
    (data,) = fixed.by_name(".data", Kind.DATASEC)
    assert [(fixed[v.type].name, v.offset, v.size) for v in data.secinfos] == [("total", 0, 8)]
    assert data.size == 8


def test_kconfig_reads_the_first_config_found(tmp_path: Path) -> None:
    boot, proc = tmp_path / "config-{release}", tmp_path / "config.gz"
    (tmp_path / f"config-{os.uname().release}").write_text("CONFIG_HZ=250\n")
    with gzip.open(proc, "wt") as f:
        f.write("CONFIG_HZ=1000\n")
    assert parse_kconfig(config_text((str(boot), str(proc))) or "") == {"CONFIG_HZ": "250"}
    none = str(tmp_path / "none-{release}")
    assert parse_kconfig(config_text((none, str(proc))) or "") == {"CONFIG_HZ": "1000"}
