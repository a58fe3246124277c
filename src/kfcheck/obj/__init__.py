"""BPF ELF objects: programs, subprograms, maps, externs and relocations.

``read_object(path)`` reads an object as clang emits it (``clang -g -O2 -target bpf``) and
returns a frozen ``BpfObject``; any malformed input raises ``ElfError``.
"""

from kfcheck.obj.model import (
    BpfObject,
    Extern,
    ExternKind,
    Function,
    InitSlot,
    MapDef,
    MapOrigin,
    Program,
    Reloc,
    RelocKind,
    Section,
    Symbol,
)
from kfcheck.obj.reader import read_object
from kfcheck.obj.sections import SecDef, SecInfo, classify_section

__all__ = [
    "BpfObject",
    "Extern",
    "ExternKind",
    "Function",
    "InitSlot",
    "MapDef",
    "MapOrigin",
    "Program",
    "Reloc",
    "RelocKind",
    "SecDef",
    "SecInfo",
    "Section",
    "Symbol",
    "classify_section",
    "read_object",
]
