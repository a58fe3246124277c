"""``.BTF.ext``: func_info, line_info and CO-RE relocation records, grouped per ELF section.

Offsets in the object file are in bytes (``insn_off``); ``insn_idx`` gives the instruction
index. Names (section, file, source line, access string) are offsets into the BTF's strings.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TypeVar

from kfcheck.btf.parse import Btf
from kfcheck.btf.types import BTF_MAGIC, Kind
from kfcheck.errors import BtfError, UnsupportedBtf
from kfcheck.isa.insn import INSN_SIZE

_HEADER = struct.Struct("<HBBIIIII")  # magic, version, flags, hdr_len, func/line off+len
_CORE_PART = struct.Struct("<II")  # core_relo_off, core_relo_len (if hdr_len >= 32)
_U32 = struct.Struct("<I")
_U32x2 = struct.Struct("<II")


class CoreReloKind(IntEnum):
    """enum bpf_core_relo_kind (include/uapi/linux/bpf.h)."""

    FIELD_BYTE_OFFSET = 0
    FIELD_BYTE_SIZE = 1
    FIELD_EXISTS = 2
    FIELD_SIGNED = 3
    FIELD_LSHIFT_U64 = 4
    FIELD_RSHIFT_U64 = 5
    TYPE_ID_LOCAL = 6
    TYPE_ID_TARGET = 7
    TYPE_EXISTS = 8
    TYPE_SIZE = 9
    ENUMVAL_EXISTS = 10
    ENUMVAL_VALUE = 11
    TYPE_MATCHES = 12


@dataclass(frozen=True, slots=True)
class FuncInfo:
    """A subprogram start: instruction byte offset and its FUNC type id."""

    insn_off: int
    type_id: int

    @property
    def insn_idx(self) -> int:
        return self.insn_off // INSN_SIZE


@dataclass(frozen=True, slots=True)
class LineInfo:
    """Source position of an instruction (line_col packs line << 10 | column)."""

    insn_off: int
    file_name_off: int
    line_off: int
    line_col: int
    file_name: str
    source: str

    @property
    def insn_idx(self) -> int:
        return self.insn_off // INSN_SIZE

    @property
    def line(self) -> int:
        return self.line_col >> 10

    @property
    def column(self) -> int:
        return self.line_col & 0x3FF


@dataclass(frozen=True, slots=True)
class CoreRelo:
    """A CO-RE relocation: ``access`` is e.g. ``0:1:0:5`` (see bpf_core_relo in bpf.h)."""

    insn_off: int
    type_id: int
    access_str_off: int
    kind: CoreReloKind
    access: str

    @property
    def insn_idx(self) -> int:
        return self.insn_off // INSN_SIZE


@dataclass(frozen=True, slots=True)
class BtfExt:
    """Parsed .BTF.ext: records per ELF section name, in file order."""

    func_info: dict[str, list[FuncInfo]] = field(default_factory=dict)
    line_info: dict[str, list[LineInfo]] = field(default_factory=dict)
    core_relos: dict[str, list[CoreRelo]] = field(default_factory=dict)
    func_info_rec_size: int = 8
    line_info_rec_size: int = 16
    core_relo_rec_size: int = 16

    @classmethod
    def parse(cls, data: bytes, btf: Btf) -> BtfExt:
        """Parse and validate .BTF.ext bytes against the object's BTF."""
        return _Parser(bytes(data), btf).parse()


R = TypeVar("R")


class _Parser:
    def __init__(self, data: bytes, btf: Btf) -> None:
        self.data, self.btf = data, btf

    def fail(self, problem: str) -> BtfError:
        return BtfError(problem)

    def string(self, off: int, what: str) -> str:
        if off >= self.btf.str_end:
            raise self.fail(f"{what} string offset {off:#x} out of range")
        return self.btf.string(off)

    def parse(self) -> BtfExt:
        data = self.data
        if len(data) < 8:
            raise self.fail(f"truncated .BTF.ext header ({len(data)} bytes)")
        magic, version, flags, hdr_len = struct.unpack_from("<HBBI", data)
        if magic == 0x9FEB:
            raise UnsupportedBtf("big-endian .BTF.ext")
        if magic != BTF_MAGIC:
            raise self.fail(f"bad .BTF.ext magic {magic:#06x}")
        if version != 1:
            raise self.fail(f"unsupported .BTF.ext version {version}")
        if flags:
            raise self.fail(f"unsupported .BTF.ext flags {flags:#x}")
        if hdr_len < _HEADER.size or hdr_len > len(data):
            raise self.fail(f"bad .BTF.ext header length {hdr_len}")
        _, _, _, _, func_off, func_len, line_off, line_len = _HEADER.unpack_from(data)
        core_off = core_len = 0
        if hdr_len >= _HEADER.size + _CORE_PART.size:
            core_off, core_len = _CORE_PART.unpack_from(data, _HEADER.size)
        funcs, fsize = self.section("func_info", hdr_len, func_off, func_len, 8, self.func)
        lines, lsize = self.section("line_info", hdr_len, line_off, line_len, 16, self.line)
        relos, rsize = self.section("core_relo", hdr_len, core_off, core_len, 16, self.relo)
        return BtfExt(funcs, lines, relos, fsize, lsize, rsize)

    def section(
        self, what: str, hdr_len: int, off: int, length: int, min_rec: int,
        decode: Callable[[int], R],
    ) -> tuple[dict[str, list[R]], int]:
        out: dict[str, list[R]] = {}
        if length == 0:
            return out, min_rec
        if off % 4:
            raise self.fail(f"{what} offset {off:#x} not 4-byte aligned")
        pos, end = hdr_len + off, hdr_len + off + length
        if end > len(self.data):
            raise self.fail(f"{what} (off {off} len {length}) extends beyond the end of data")
        if length < 4:
            raise self.fail(f"{what} record size missing")
        rec_size = _U32.unpack_from(self.data, pos)[0]
        if rec_size < min_rec or rec_size % 4:
            raise self.fail(f"{what} has invalid record size {rec_size}")
        pos += 4
        if pos == end:
            raise self.fail(f"{what} has no records")
        while pos < end:
            if end - pos < 8:
                raise self.fail(f"truncated {what} section header at offset {pos:#x}")
            sec_off, count = _U32x2.unpack_from(self.data, pos)
            sec_name = self.string(sec_off, f"{what} section name")
            if count == 0 or end - pos - 8 < count * rec_size:
                raise self.fail(f"{what} for section {sec_name!r} has bad record count {count}")
            pos += 8
            records = out.setdefault(sec_name, [])
            for _ in range(count):
                records.append(decode(pos))
                pos += rec_size
        return out, rec_size

    def check_insn_off(self, insn_off: int, what: str) -> None:
        if insn_off % INSN_SIZE:
            raise self.fail(f"{what} insn_off {insn_off} not a multiple of {INSN_SIZE}")

    def check_type(self, type_id: int, what: str) -> None:
        if type_id >= len(self.btf):
            raise self.fail(f"{what} type id {type_id} out of range")

    def func(self, pos: int) -> FuncInfo:
        insn_off, type_id = _U32x2.unpack_from(self.data, pos)
        self.check_insn_off(insn_off, "func_info")
        self.check_type(type_id, "func_info")
        if self.btf.kind_of(type_id) is not Kind.FUNC:
            raise self.fail(f"func_info type id {type_id} is not a FUNC")
        return FuncInfo(insn_off, type_id)

    def line(self, pos: int) -> LineInfo:
        insn_off, file_off, line_off, line_col = struct.unpack_from("<IIII", self.data, pos)
        self.check_insn_off(insn_off, "line_info")
        return LineInfo(insn_off, file_off, line_off, line_col,
                        self.string(file_off, "line_info file name"),
                        self.string(line_off, "line_info source line"))

    def relo(self, pos: int) -> CoreRelo:
        insn_off, type_id, access_off, kind = struct.unpack_from("<IIII", self.data, pos)
        self.check_insn_off(insn_off, "CO-RE relocation")
        self.check_type(type_id, "CO-RE relocation")
        try:
            relo_kind = CoreReloKind(kind)
        except ValueError:
            raise UnsupportedBtf(f"CO-RE relocation kind {kind}") from None
        return CoreRelo(insn_off, type_id, access_off, relo_kind,
                        self.string(access_off, "CO-RE access"))
