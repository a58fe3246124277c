"""The linked program: what both verifiers (ours and the kernel's) receive."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kfcheck.btf import Btf
from kfcheck.isa.insn import Insn, patched
from kfcheck.uapi import MapType, ProgType


class MapRole(Enum):
    """Why the map exists."""

    USER = "user"          # defined in .maps
    DATA = "data"          # .data / .data.*
    RODATA = "rodata"      # .rodata / .rodata.* (frozen after its initial value is written)
    BSS = "bss"            # .bss / .bss.*
    KCONFIG = "kconfig"    # .kconfig externs (frozen)


@dataclass(frozen=True)
class MapSpec:
    """A map to create before loading. ``initial`` is written at key 0 (global data);
    ``frozen`` maps are frozen afterwards. BTF type ids refer to ``Program.btf``."""

    name: str
    role: MapRole
    map_type: MapType
    key_size: int
    value_size: int
    max_entries: int
    map_flags: int = 0
    map_extra: int = 0
    numa_node: int = 0
    btf_key_type_id: int = 0
    btf_value_type_id: int = 0
    inner: MapSpec | None = None
    initial: bytes = b""
    frozen: bool = False


@dataclass(frozen=True)
class MapRef:
    """An ``ld_imm64`` whose imm must become the fd of ``Program.maps[map_index]``."""

    insn: int
    map_index: int


@dataclass(frozen=True)
class FuncRecord:
    """A linked ``struct bpf_func_info``: a function's first instruction and its BTF FUNC."""

    insn: int
    type_id: int


@dataclass(frozen=True)
class LineRecord:
    """A linked ``struct bpf_line_info`` (string offsets into ``Program.btf``)."""

    insn: int
    file_name_off: int
    line_off: int
    line_col: int


@dataclass(frozen=True)
class Subprog:
    """One function of the linked program: its name and instruction slots [start, end)."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Program:
    """One entry program linked for loading, decoded.

    ``insns`` is final except for map references: each ``MapRef`` slot holds the map's
    index in ``maps`` until the loader writes the fd (``with_map_fds``). ``func_info`` and
    ``line_info`` have instruction indices already adjusted; ``subprogs`` lists the entry
    program and then each appended subprogram. ``btf`` is the fixed-up program BTF (None when
    the object has none). A program kfcheck cannot link is a ``LinkFailure`` instead.
    """

    name: str
    section: str
    prog_type: ProgType
    expected_attach_type: int
    attach_btf_id: int
    attach_name: str
    sleepable: bool
    prog_flags: int
    insns: tuple[Insn, ...]
    maps: tuple[MapSpec, ...]
    map_refs: tuple[MapRef, ...]
    func_info: tuple[FuncRecord, ...]
    line_info: tuple[LineRecord, ...]
    btf: Btf | None
    subprogs: tuple[Subprog, ...]
    license: str
    kern_version: int
    file: str = ""

    @property
    def insn_count(self) -> int:
        """Number of 8-byte instruction slots."""
        return self.insns[-1].next_index if self.insns else 0

    def with_map_fds(self, fds: list[int]) -> list[Insn]:
        """The instructions with map indices replaced by the given fds (one per map)."""
        by_slot = {ref.insn: fds[ref.map_index] for ref in self.map_refs}
        return [patched(insn, imm=by_slot[insn.index]) if insn.index in by_slot else insn
                for insn in self.insns]
