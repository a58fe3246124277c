"""The BPF object model: what ``read_object`` returns, as frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import TYPE_CHECKING

from kfcheck.isa.insn import INSN_SIZE
from kfcheck.uapi import AttachType, MapType, ProgType

if TYPE_CHECKING:
    from kfcheck.btf.ext import BtfExt
    from kfcheck.btf.parse import Btf

# Symbol visibilities (STV_*) that make a symbol hidden from other objects, as libbpf reads them.
STV_INTERNAL = 1
STV_HIDDEN = 2
HIDDEN_VISIBILITIES = frozenset({STV_INTERNAL, STV_HIDDEN})

# ELF section header flags and types used by BPF objects.
SHT_PROGBITS = 1
SHT_SYMTAB = 2
SHT_STRTAB = 3
SHT_NOBITS = 8
SHT_REL = 9
SHF_WRITE = 0x1
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4

# BPF_PROG_LOAD prog_flags set from the section name.
BPF_F_SLEEPABLE = 1 << 4
BPF_F_XDP_HAS_FRAGS = 1 << 5

# Map flags libbpf sets on global data maps.
BPF_F_RDONLY_PROG = 1 << 7
BPF_F_MMAPABLE = 1 << 10


class SymBind(IntEnum):
    """STB_* symbol binding."""

    LOCAL = 0
    GLOBAL = 1
    WEAK = 2


class SymType(IntEnum):
    """STT_* symbol type (the ones BPF objects use; others keep their number)."""

    NOTYPE = 0
    OBJECT = 1
    FUNC = 2
    SECTION = 3
    FILE = 4


class RelocType(IntEnum):
    """R_BPF_* ELF relocation types."""

    NONE = 0
    R_64_64 = 1
    ABS64 = 2
    ABS32 = 3
    NODYLD32 = 4
    R_64_32 = 10


@dataclass(frozen=True, slots=True)
class Section:
    """One ELF section; ``data`` is empty for SHT_NOBITS (use ``size``)."""

    index: int
    name: str
    type: int
    flags: int
    size: int
    link: int
    info: int
    entsize: int
    addralign: int
    data: bytes

    @property
    def is_exec(self) -> bool:
        """True for PROGBITS sections holding instructions."""
        return self.type == SHT_PROGBITS and bool(self.flags & SHF_EXECINSTR)


@dataclass(frozen=True, slots=True)
class Symbol:
    """One ELF symbol; ``name`` of an unnamed STT_SECTION symbol is its section's name."""

    index: int
    name: str
    value: int
    size: int
    type: int
    bind: int
    visibility: int
    shndx: int

    @property
    def is_extern(self) -> bool:
        """libbpf's rule: undefined NOTYPE symbol with GLOBAL or WEAK binding."""
        return (
            self.shndx == 0
            and self.bind in (SymBind.GLOBAL, SymBind.WEAK)
            and self.type == SymType.NOTYPE
        )


class RelocKind(Enum):
    """What an instruction relocation refers to."""

    MAP = "map"                    # ld_imm64 of a BTF-defined map in .maps
    GLOBAL_DATA = "global_data"    # ld_imm64 into .data/.bss/.rodata(.*) (map value address)
    SUBPROG_CALL = "subprog_call"  # call to a static or global function
    CALLBACK = "callback"          # ld_imm64 of a function address (becomes src_reg=4)
    KFUNC = "kfunc"                # call to an extern function in .ksyms
    KFUNC_ADDR = "kfunc_addr"      # ld_imm64 of an extern function (weak kfunc existence test)
    KSYM_VAR = "ksym_var"          # ld_imm64 of a .ksyms variable (typed or typeless)
    KCONFIG = "kconfig"            # ld_imm64 of a .kconfig extern (value in the .kconfig map)
    ARENA_DATA = "arena_data"      # ld_imm64 into the arena's .addr_space.1 section


@dataclass(frozen=True, slots=True)
class Reloc:
    """One ELF relocation against an instruction of a function.

    ``insn_index`` counts 8-byte slots from the function's start. ``target`` names what is
    referenced: the map (MAP, GLOBAL_DATA, KCONFIG: its ``MapDef.name``), the function
    (SUBPROG_CALL, CALLBACK) or the extern (KFUNC, KFUNC_ADDR, KSYM_VAR). ``target_offset``
    is the byte offset inside the map value (GLOBAL_DATA, KCONFIG, ARENA_DATA) or the
    instruction index inside ``target_sec_index`` (SUBPROG_CALL, CALLBACK); 0 otherwise.
    """

    insn_index: int
    kind: RelocKind
    symbol: str
    sym_index: int
    sym_value: int
    target_sec_index: int
    target: str
    target_offset: int
    elf_type: int


@dataclass(frozen=True, slots=True)
class Function:
    """A function body in an executable section (entry program or subprogram)."""

    name: str
    section: str
    sec_index: int
    offset: int
    insns: bytes
    is_global: bool
    is_hidden: bool
    relocations: tuple[Reloc, ...]

    @property
    def insn_offset(self) -> int:
        """Index of the first instruction inside the section."""
        return self.offset // INSN_SIZE

    @property
    def insn_count(self) -> int:
        """Number of 8-byte instruction slots."""
        return len(self.insns) // INSN_SIZE


@dataclass(frozen=True, slots=True)
class Program(Function):
    """An entry program: a function in a program section (not ``.text``).

    ``section`` is the ELF name (a leading ``?`` kept); ``sec_name`` drops the ``?``
    (libbpf's "do not autoload" marker, reflected in ``autoload``). ``prog_flags`` holds
    the BPF_PROG_LOAD flags the section implies (sleepable, XDP frags).
    """

    sec_name: str
    prog_type: ProgType
    expected_attach_type: AttachType | None
    attach_target: str | None
    sleepable: bool
    autoload: bool
    prog_flags: int


class MapOrigin(Enum):
    """Where a map definition comes from."""

    BTF_DEF = "btf"        # a variable in .maps
    DATA = "data"          # .data, .data.*
    RODATA = "rodata"      # .rodata, .rodata.*
    BSS = "bss"            # .bss, .bss.*
    KCONFIG = "kconfig"    # the .kconfig externs
    INNER = "inner"        # the template of a map-in-map's inner map


@dataclass(frozen=True, slots=True)
class InitSlot:
    """An initialised ``values`` slot of a map-in-map or prog array."""

    index: int
    target: str  # the map or program named by the relocation


@dataclass(frozen=True, slots=True)
class MapDef:
    """A map the object needs, BTF-defined or made by libbpf from a data section.

    ``name`` is the kernel-visible name (libbpf's, at most 15 characters); ``real_name`` is
    the variable or section name. ``initial_data`` is the section contents of a data map
    (zeros for .bss and .kconfig). ``btf_var_id`` is the VAR in .maps for BTF-defined maps,
    ``datasec_id`` the DATASEC of a data map (also its ``value_type_id``). ``inner`` is the
    inner map template of a map-in-map; ``init_slots`` the statically set ``values``.
    """

    name: str
    real_name: str
    origin: MapOrigin
    section: str
    sec_index: int
    sec_offset: int
    map_type: MapType
    key_size: int
    value_size: int
    max_entries: int
    map_flags: int = 0
    numa_node: int = 0
    pinning: int = 0
    map_extra: int = 0
    key_type_id: int = 0
    value_type_id: int = 0
    btf_var_id: int = 0
    datasec_id: int = 0
    inner: MapDef | None = None
    init_slots: tuple[InitSlot, ...] = ()
    initial_data: bytes = b""


class ExternKind(Enum):
    """Kinds of extern symbols (libbpf's EXT_KSYM split by what the BTF says)."""

    KCONFIG = "kconfig"        # .kconfig variable (CONFIG_*, LINUX_KERNEL_VERSION, ...)
    KFUNC = "kfunc"            # .ksyms function (a kfunc)
    KSYM_TYPED = "ksym_typed"  # .ksyms variable with a type (resolved to a kernel BTF VAR)
    KSYM_TYPELESS = "ksym_typeless"  # .ksyms ``void`` variable (resolved via kallsyms)


@dataclass(frozen=True, slots=True)
class Extern:
    """An extern symbol.

    ``btf_id`` is its VAR or FUNC in the program BTF; ``type_id`` the variable's type after
    modifiers and typedefs (0 for typeless) or the FUNC's FUNC_PROTO. For .kconfig, ``size``,
    ``align`` and ``kconfig_offset`` place it in the .kconfig map as libbpf does.
    """

    name: str
    kind: ExternKind
    sym_index: int
    is_weak: bool
    btf_id: int
    type_id: int
    size: int = 0
    align: int = 0
    kconfig_offset: int = 0


@dataclass(frozen=True, slots=True)
class BpfObject:
    """A BPF ELF object as the linker needs it.

    ``name`` is libbpf's object name (file name up to its first dot). ``sections`` and
    ``symbols`` are indexed by ELF index (entry 0 is the null section / null symbol); unnamed
    section symbols carry their section's name. ``programs`` are in section then offset order;
    ``subprograms`` are the functions of ``.text``. ``maps`` come in libbpf's order: ``.maps``
    (DATASEC order), data sections (by section index), then ``.kconfig``.
    """

    path: str
    name: str
    license: str
    kern_version: int | None
    btf: Btf | None
    btf_ext: BtfExt | None
    programs: tuple[Program, ...]
    subprograms: tuple[Function, ...]
    maps: tuple[MapDef, ...]
    externs: tuple[Extern, ...]
    sections: tuple[Section, ...]
    symbols: tuple[Symbol, ...]

    def section(self, name: str) -> Section | None:
        """The first section called ``name``, if any."""
        for sec in self.sections:
            if sec.name == name:
                return sec
        return None

    def program(self, name: str) -> Program | None:
        """The entry program called ``name``, if any."""
        for prog in self.programs:
            if prog.name == name:
                return prog
        return None

    def function_at(self, sec_index: int, insn_index: int) -> Function | None:
        """The program or subprogram starting at ``insn_index`` of section ``sec_index``."""
        for func in (*self.programs, *self.subprograms):
            if func.sec_index == sec_index and func.insn_offset == insn_index:
                return func
        return None

    def map(self, name: str) -> MapDef | None:
        """The map with kernel name or real name ``name``, if any."""
        for m in self.maps:
            if name in (m.name, m.real_name):
                return m
        return None

    def extern(self, name: str) -> Extern | None:
        """The extern called ``name``, if any."""
        for ext in self.externs:
            if ext.name == name:
                return ext
        return None
