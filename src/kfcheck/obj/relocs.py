"""Instruction relocations: what each ``.rel<section>`` entry refers to.

Mirrors libbpf's ``bpf_program__record_reloc``: a relocation patches a call or an ld_imm64;
externs give KFUNC / KFUNC_ADDR / KSYM_VAR / KCONFIG, calls to defined functions give
SUBPROG_CALL, ld_imm64 of a function gives CALLBACK, and ld_imm64 of a ``.maps`` symbol or of
a data section gives MAP or GLOBAL_DATA. Unlike libbpf, functions in any executable section
(not only ``.text``) may be call and callback targets; the linker decides what to accept.

Target computation: a call's target instruction in its section is ``sym.value / 8 + imm + 1``
(global functions: ``imm = -1``; static functions: relocation against the section symbol with
``imm`` the relative offset); a function address or data offset is ``sym.value + imm``.
Calls between static functions of one section carry no relocation (``imm`` is pc-relative).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass

from kfcheck.errors import ElfError
from kfcheck.isa.insn import INSN_SIZE
from kfcheck.isa.opcodes import CALL_CODE, LD_IMM64_CODE, CallSrc
from kfcheck.obj.elf import SHN_LORESERVE, RelSection
from kfcheck.obj.maps import ARENA_SEC
from kfcheck.obj.model import (
    Extern,
    ExternKind,
    Function,
    MapDef,
    MapOrigin,
    Reloc,
    RelocKind,
    Section,
    Symbol,
    SymType,
)
from kfcheck.uapi import MapType


@dataclass(frozen=True, slots=True)
class RelocContext:
    """What classification looks things up in."""

    sections: tuple[Section, ...]
    symbols: tuple[Symbol, ...]
    functions: tuple[Function, ...]   # all programs and subprograms, relocations empty
    maps: tuple[MapDef, ...]
    externs: Mapping[int, Extern]     # by symbol index
    maps_sec_index: int               # 0 if the object has no .maps

    def function_at(self, sec_index: int, insn: int) -> Function | None:
        for func in self.functions:
            if func.sec_index == sec_index and func.insn_offset == insn:
                return func
        return None

    def function_containing(self, sec_index: int, insn: int) -> Function | None:
        for func in self.functions:
            if func.sec_index == sec_index and \
                    func.insn_offset <= insn < func.insn_offset + func.insn_count:
                return func
        return None


def _data_map(ctx: RelocContext, sec_index: int) -> MapDef | None:
    for m in ctx.maps:
        if m.origin in (MapOrigin.DATA, MapOrigin.RODATA, MapOrigin.BSS) and \
                m.sec_index == sec_index:
            return m
    return None


def classify(ctx: RelocContext, func: Function, insn_index: int, sym: Symbol,
             code: int, src_reg: int, imm: int, elf_type: int) -> Reloc:
    """One relocation of ``func`` at ``insn_index`` (relative to the function)."""
    where = f"function '{func.name}': relocation against '{sym.name}' at insn {insn_index}"
    is_call = code == CALL_CODE
    if not is_call and code != LD_IMM64_CODE:
        raise ElfError(f"{where}: not a call or ld_imm64 (code {code:#04x})")

    def make(kind: RelocKind, target_sec: int, target: str, target_offset: int) -> Reloc:
        return Reloc(insn_index, kind, sym.name, sym.index, sym.value, target_sec, target,
                     target_offset, elf_type)

    if sym.is_extern:
        ext = ctx.externs.get(sym.index)
        if ext is None:
            raise ElfError(f"{where}: extern not found")
        if is_call:
            if ext.kind is not ExternKind.KFUNC:
                raise ElfError(f"{where}: call to extern '{ext.name}', which is not a "
                               f"function")
            return make(RelocKind.KFUNC, 0, ext.name, 0)
        if ext.kind is ExternKind.KCONFIG:
            kconfig = next((m for m in ctx.maps if m.origin is MapOrigin.KCONFIG), None)
            name = kconfig.name if kconfig else ""
            return make(RelocKind.KCONFIG, 0, name, ext.kconfig_offset)
        if ext.kind is ExternKind.KFUNC:
            return make(RelocKind.KFUNC_ADDR, 0, ext.name, 0)
        return make(RelocKind.KSYM_VAR, 0, ext.name, 0)

    shndx = sym.shndx
    if shndx == 0 or shndx >= SHN_LORESERVE:
        raise ElfError(f"{where}: symbol in special section {shndx:#x}; forgot to "
                       f"initialize global var?")
    target_sec = ctx.sections[shndx]

    if is_call:
        if src_reg != CallSrc.PSEUDO_CALL:
            raise ElfError(f"{where}: incorrect bpf_call opcode")
        if not target_sec.is_exec or sym.value % INSN_SIZE:
            raise ElfError(f"{where}: bad call relo in section '{target_sec.name}'")
        target_insn = sym.value // INSN_SIZE + imm + 1
        callee = ctx.function_at(shndx, target_insn)
        if callee is None:
            raise ElfError(f"{where}: call target insn {target_insn} of section "
                           f"'{target_sec.name}' starts no function")
        return make(RelocKind.SUBPROG_CALL, shndx, callee.name, target_insn)

    if target_sec.is_exec and sym.type in (SymType.FUNC, SymType.SECTION):
        byte_off = sym.value + imm
        if byte_off % INSN_SIZE:
            raise ElfError(f"{where}: bad subprog addr relo at offset {byte_off}")
        callee = ctx.function_at(shndx, byte_off // INSN_SIZE)
        if callee is None:
            raise ElfError(f"{where}: function address at offset {byte_off} of section "
                           f"'{target_sec.name}' starts no function")
        return make(RelocKind.CALLBACK, shndx, callee.name, byte_off // INSN_SIZE)

    if target_sec.name == ARENA_SEC:
        arena = next((m for m in ctx.maps if m.map_type == MapType.ARENA), None)
        if arena is None:
            raise ElfError(f"{where}: bad arena data relocation, no arena maps defined")
        return make(RelocKind.ARENA_DATA, shndx, arena.name, sym.value + imm)

    if shndx == ctx.maps_sec_index:
        found = next((m for m in ctx.maps if m.origin is MapOrigin.BTF_DEF
                      and m.sec_offset == sym.value), None)
        if found is None:
            raise ElfError(f"{where}: map relo failed to find map for section "
                           f"'.maps', off {sym.value}")
        return make(RelocKind.MAP, shndx, found.name, 0)

    data = _data_map(ctx, shndx)
    if data is None:
        raise ElfError(f"{where}: bad data relo against section '{target_sec.name}'")
    return make(RelocKind.GLOBAL_DATA, shndx, data.name, sym.value + imm)


def section_relocs(ctx: RelocContext, rel: RelSection) -> dict[tuple[int, int], list[Reloc]]:
    """The relocations of one executable section, by function (section index, offset)."""
    sec = ctx.sections[rel.target_index]
    out: dict[tuple[int, int], list[Reloc]] = {}
    for num, entry in enumerate(rel.entries):
        if entry.offset % INSN_SIZE or entry.offset + INSN_SIZE > len(sec.data):
            raise ElfError(f"section '{rel.name}': invalid offset {entry.offset:#x} "
                           f"for relo #{num}")
        sec_insn = entry.offset // INSN_SIZE
        func = ctx.function_containing(sec.index, sec_insn)
        if func is None:
            continue  # libbpf: code outside any function symbol (overridden weak function)
        code = sec.data[entry.offset]
        src_reg = sec.data[entry.offset + 1] >> 4
        (imm,) = struct.unpack_from("<i", sec.data, entry.offset + 4)
        if code == LD_IMM64_CODE and entry.offset + 2 * INSN_SIZE > func.offset + len(func.insns):
            raise ElfError(f"section '{rel.name}': relo #{num} patches a truncated "
                           f"ld_imm64")
        reloc = classify(ctx, func, sec_insn - func.insn_offset, ctx.symbols[entry.sym_index],
                         code, src_reg, imm, entry.type)
        out.setdefault((func.sec_index, func.offset), []).append(reloc)
    return out
