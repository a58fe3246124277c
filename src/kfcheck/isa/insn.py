"""Decoding raw instruction bytes into ``Insn`` records, driven by the opcode table."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kfcheck.errors import InsnError
from kfcheck.isa.opcodes import (
    ATOMIC_OPS,
    MAX_REG,
    OPCODES,
    AtomicOp,
    Field,
    Form,
    InsnClass,
    Op,
    OpSpec,
    PseudoSrc,
    Size,
    Source,
)

INSN_SIZE = 8
_INSN = struct.Struct("<BBhi")
_ATOMIC_BY_OP = {op: atomic for atomic, op in ATOMIC_OPS.items()}
_CLASSES = tuple(InsnClass(c) for c in range(8))  # by BPF_CLASS(code), without Enum lookups


@dataclass(frozen=True, slots=True)
class Insn:
    """One decoded instruction (two slots for ``ld_imm64``)."""

    index: int
    """Slot index in the program (an ``ld_imm64`` takes this slot and the next)."""
    code: int
    dst: int
    src: int
    off: int
    imm: int
    """Signed 32-bit immediate of the first slot."""
    raw: bytes
    """The 8 bytes (16 for ``ld_imm64``) as found."""
    op: Op
    imm64: int | None = None
    """For ``ld_imm64``: the 64-bit immediate, unsigned (``imm`` low, next slot's ``imm`` high)."""

    @property
    def spec(self) -> OpSpec:
        """The opcode's table entry."""
        return OPCODES[self.code]

    @property
    def cls(self) -> InsnClass:
        """Instruction class."""
        return _CLASSES[self.code & 0x07]

    @property
    def slots(self) -> int:
        """Number of 8-byte slots: 2 for ``ld_imm64``, else 1."""
        return len(self.raw) // INSN_SIZE

    @property
    def uses_reg_source(self) -> bool:
        """True for the register (BPF_X) form of ALU and conditional-jump instructions.

        (``BPF_END`` reuses the bit for big-endian; it has no source register.)
        """
        return (self.cls in _ALU_JMP_CLASSES and self.code & Source.X == Source.X
                and self.op != Op.END_BE)

    @property
    def is_32bit(self) -> bool:
        """True for ALU (32-bit) and JMP32 instructions, which operate on the ``w`` halves."""
        return self.cls in (InsnClass.ALU, InsnClass.JMP32)

    @property
    def size(self) -> Size | None:
        """Access size of a load, store or atomic; None otherwise."""
        return self.spec.size

    @property
    def atomic_op(self) -> AtomicOp | None:
        """The atomic operation of a BPF_ATOMIC instruction."""
        return _ATOMIC_BY_OP.get(self.op)

    @property
    def pseudo(self) -> PseudoSrc | None:
        """What the immediate of an ``ld_imm64`` means."""
        return PseudoSrc(self.src) if self.op == Op.LD_IMM64 else None

    @property
    def next_index(self) -> int:
        """Index of the following instruction."""
        return self.index + self.slots


_ALU_JMP_CLASSES = frozenset({InsnClass.ALU, InsnClass.ALU64, InsnClass.JMP, InsnClass.JMP32})


Fields = tuple[int, int, int, int]
"""(dst, src, off, imm) of one slot."""


def _show(which: int, value: int) -> str:
    if which == Field.IMM:
        return f"imm=0x{value & 0xFFFFFFFF:x}"
    return f"{Field(which).label}={value}"


def _form(spec: OpSpec, fields: Fields, index: int) -> Form:
    """The form the selector picks, or an error naming the selector value."""
    if spec.selector is None:
        return spec.forms[0]
    value = fields[spec.selector]
    form = spec.forms.get(value)
    if form is None:
        raise InsnError(f"insn {index}: unknown opcode 0x{spec.code:02x} "
                        f"({_show(spec.selector, value)})")
    return form


def _check_reserved(spec: OpSpec, form: Form, fields: Fields, index: int) -> None:
    for which in form.reserved_order:
        value = fields[which]
        if value:
            raise InsnError(f"insn {index}: {spec.group} uses reserved fields "
                            f"({_show(which, value)})")
    if form.imm_values is not None and fields[3] not in form.imm_values:
        raise InsnError(f"insn {index}: {spec.group} uses reserved fields "
                        f"({_show(Field.IMM, fields[3])})")
    for reg in fields[:2]:
        if reg > MAX_REG:
            raise InsnError(f"insn {index}: R{reg} is invalid")


def decode(data: bytes, *, strict: bool = True) -> list[Insn]:
    """Decode a program's instruction bytes (little-endian).

    Unknown opcodes, unknown selector values (e.g. an atomic ``imm``) and a cut ``ld_imm64``
    raise ``InsnError``. With ``strict`` (the default), so do non-zero reserved fields, invalid
    register numbers and a malformed ``ld_imm64`` second slot, as the kernel rejects them;
    ``strict=False`` keeps them, for a verifier that reports them itself.
    """
    if len(data) % INSN_SIZE:
        raise InsnError(f"program size {len(data)} is not a multiple of {INSN_SIZE}")
    count = len(data) // INSN_SIZE
    insns: list[Insn] = []
    index = 0
    while index < count:
        insn = _decode_one(data, index, count)
        if strict:
            _check_insn(insn)
        insns.append(insn)
        index = insn.next_index
    return insns


def validate(insns: Iterable[Insn]) -> None:
    """Raise ``InsnError`` for the first instruction that strict ``decode`` would refuse
    (reserved fields, register numbers, a malformed ``ld_imm64`` second slot)."""
    for insn in insns:
        _check_insn(insn)


def to_bytes(insns: Iterable[Insn]) -> bytes:
    """The instructions in the kernel's wire format (what ``bpf(BPF_PROG_LOAD)`` takes)."""
    return b"".join(insn.raw for insn in insns)


def patched(insn: Insn, *, code: int | None = None, src: int | None = None,
            off: int | None = None, imm: int | None = None, imm_hi: int | None = None) -> Insn:
    """``insn`` with the given fields replaced (``imm_hi``: the second slot's ``imm`` of an
    ``ld_imm64``); ``raw``, ``op`` and ``imm64`` follow. Immediates may be given signed or
    as unsigned 32-bit values. Raises ``InsnError`` if the result is not an instruction."""
    first = _INSN.pack(insn.code if code is None else code,
                       insn.dst | ((insn.src if src is None else src) << 4),
                       insn.off if off is None else off,
                       _s32(insn.imm if imm is None else imm))
    rest = insn.raw[INSN_SIZE:]
    if imm_hi is not None:
        if not rest:
            raise InsnError(f"insn {insn.index}: not an ld_imm64")
        rest = rest[:4] + _s32(imm_hi).to_bytes(4, "little", signed=True)
    data = first + rest
    new = _decode_one(data, 0, len(data) // INSN_SIZE)
    if new.slots * INSN_SIZE != len(data):
        raise InsnError(f"insn {insn.index}: patching changes its size")
    return replace(new, index=insn.index)


def make_insn(index: int, code: int, *, dst: int = 0, src: int = 0, off: int = 0,
              imm: int = 0) -> Insn:
    """A one-slot instruction at slot ``index``; raises ``InsnError`` if it is not one."""
    data = _INSN.pack(code, dst | (src << 4), off, _s32(imm))
    return replace(_decode_one(data, 0, 1), index=index)


def _s32(value: int) -> int:
    """A 32-bit immediate as the signed value ``struct`` packs."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _decode_one(data: bytes, index: int, count: int) -> Insn:
    """The instruction at slot ``index`` (unknown opcodes and a cut ``ld_imm64`` raise)."""
    start = index * INSN_SIZE
    code, regs, off, imm = _INSN.unpack_from(data, start)
    fields = (regs & 0x0F, regs >> 4, off, imm)
    spec = OPCODES.get(code)
    if spec is None:
        raise InsnError(f"insn {index}: unknown opcode 0x{code:02x}")
    form = _form(spec, fields, index)
    if not spec.is_wide:
        return Insn(index, code, fields[0], fields[1], off, imm,
                    data[start:start + INSN_SIZE], form.op)
    if index + 1 >= count:
        raise InsnError(f"insn {index}: ld_imm64 is missing its second slot")
    imm2 = _INSN.unpack_from(data, start + INSN_SIZE)[3]
    imm64 = ((imm2 & 0xFFFFFFFF) << 32) | (imm & 0xFFFFFFFF)
    return Insn(index, code, fields[0], fields[1], off, imm,
                data[start:start + 2 * INSN_SIZE], Op.LD_IMM64, imm64)


def _check_insn(insn: Insn) -> None:
    """The strict checks of one decoded instruction, in the order ``decode`` makes them."""
    fields = (insn.dst, insn.src, insn.off, insn.imm)
    spec = insn.spec
    _check_reserved(spec, _form(spec, fields, insn.index), fields, insn.index)
    if not spec.is_wide:
        return
    index = insn.index
    code2, regs2, off2, imm2 = _INSN.unpack_from(insn.raw, INSN_SIZE)
    if code2 or regs2 or off2:
        raise InsnError(f"insn {index + 1}: invalid bpf_ld_imm64 insn "
                        f"(second slot code=0x{code2:02x} regs=0x{regs2:02x} "
                        f"off={off2})")
    if insn.src in (PseudoSrc.MAP_FD, PseudoSrc.MAP_IDX) and imm2:
        raise InsnError(f"insn {index}: unrecognized bpf_ld_imm64 insn "
                        f"(map reference with high imm=0x{imm2 & 0xFFFFFFFF:x})")
