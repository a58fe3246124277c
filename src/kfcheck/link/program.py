"""The linked program: what both verifiers (ours and the kernel's) receive."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kfcheck.uapi import MapType, ProgType

FUNC_INFO_REC_SIZE = 8   # struct bpf_func_info
LINE_INFO_REC_SIZE = 16  # struct bpf_line_info

# ld_imm64 src_reg values and call src_reg values (BPF_PSEUDO_*).
PSEUDO_MAP_FD = 1
PSEUDO_MAP_VALUE = 2
PSEUDO_BTF_ID = 3
PSEUDO_FUNC = 4
PSEUDO_CALL = 1
PSEUDO_KFUNC_CALL = 2


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
class Program:
    """One entry program linked for loading.

    ``insns`` is final except for map references: each ``MapRef`` slot holds the map's
    index in ``maps`` until the loader writes the fd (``with_map_fds``). ``func_info`` and
    ``line_info`` are raw kernel records with instruction offsets already adjusted (a program
    kfcheck cannot link is a ``LinkFailure`` instead).
    """

    name: str
    section: str
    prog_type: ProgType
    expected_attach_type: int
    attach_btf_id: int
    attach_name: str
    sleepable: bool
    prog_flags: int
    insns: bytes
    maps: tuple[MapSpec, ...]
    map_refs: tuple[MapRef, ...]
    func_info: bytes
    line_info: bytes
    btf: bytes
    license: str
    kern_version: int
    file: str = ""

    @property
    def insn_count(self) -> int:
        """Number of 8-byte instruction slots."""
        return len(self.insns) // 8

    def with_map_fds(self, fds: list[int]) -> bytes:
        """The instructions with map indices replaced by the given fds (one per map)."""
        out = bytearray(self.insns)
        for ref in self.map_refs:
            start = ref.insn * 8 + 4
            out[start : start + 4] = fds[ref.map_index].to_bytes(4, "little", signed=True)
        return bytes(out)
