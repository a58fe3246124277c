"""The BPF instruction set as data: opcode fields, operations, and the opcode table.

Every valid 8-bit opcode maps to one ``OpSpec``. Some opcodes stand for several instructions
told apart by another field (the *selector*: ``off`` for ``movsx``/``sdiv``, ``imm`` for
atomics, ``src`` for calls and ``ld_imm64``); the spec maps each selector value to a ``Form``.
Fields an instruction does not use are *reserved* and must be zero, as the kernel checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum

MAX_REG = 10
"""Highest register number: r0..r9 and the frame pointer r10."""


class InsnClass(IntEnum):
    """``BPF_CLASS(code)``: the low three bits."""

    LD = 0x00
    LDX = 0x01
    ST = 0x02
    STX = 0x03
    ALU = 0x04
    JMP = 0x05
    JMP32 = 0x06
    ALU64 = 0x07


class Source(IntEnum):
    """``BPF_SRC(code)``: immediate (K) or register (X) operand; TO_LE/TO_BE for BPF_END."""

    K = 0x00
    X = 0x08


class AluOp(IntEnum):
    """``BPF_OP(code)`` of the ALU classes."""

    ADD = 0x00
    SUB = 0x10
    MUL = 0x20
    DIV = 0x30
    OR = 0x40
    AND = 0x50
    LSH = 0x60
    RSH = 0x70
    NEG = 0x80
    MOD = 0x90
    XOR = 0xA0
    MOV = 0xB0
    ARSH = 0xC0
    END = 0xD0


class JmpOp(IntEnum):
    """``BPF_OP(code)`` of the jump classes."""

    JA = 0x00
    JEQ = 0x10
    JGT = 0x20
    JGE = 0x30
    JSET = 0x40
    JNE = 0x50
    JSGT = 0x60
    JSGE = 0x70
    CALL = 0x80
    EXIT = 0x90
    JLT = 0xA0
    JLE = 0xB0
    JSLT = 0xC0
    JSLE = 0xD0
    JCOND = 0xE0


class Size(IntEnum):
    """``BPF_SIZE(code)`` of the load/store classes."""

    W = 0x00
    H = 0x08
    B = 0x10
    DW = 0x18

    @property
    def nbytes(self) -> int:
        """Access width in bytes."""
        return _SIZE_BYTES[self]


SIZE_MASK = 0x18
"""The ``BPF_SIZE`` bits of a load/store opcode."""

_SIZE_BYTES = {Size.B: 1, Size.H: 2, Size.W: 4, Size.DW: 8}


class Mode(IntEnum):
    """``BPF_MODE(code)`` of the load/store classes."""

    IMM = 0x00
    ABS = 0x20
    IND = 0x40
    MEM = 0x60
    MEMSX = 0x80
    ATOMIC = 0xC0


class AtomicOp(IntEnum):
    """``imm`` of a BPF_STX | BPF_ATOMIC instruction."""

    ADD = 0x00
    OR = 0x40
    AND = 0x50
    XOR = 0xA0
    FETCH_ADD = 0x01
    FETCH_OR = 0x41
    FETCH_AND = 0x51
    FETCH_XOR = 0xA1
    XCHG = 0xE1
    CMPXCHG = 0xF1
    LOAD_ACQ = 0x100
    STORE_REL = 0x110


BPF_FETCH = 0x01


class PseudoSrc(IntEnum):
    """``src`` of ``ld_imm64``: what the 64-bit immediate means."""

    IMM = 0
    MAP_FD = 1
    MAP_VALUE = 2
    BTF_ID = 3
    FUNC = 4
    MAP_IDX = 5
    MAP_IDX_VALUE = 6


class CallSrc(IntEnum):
    """``src`` of ``call``: helper id, relative subprogram offset, or kernel BTF id."""

    HELPER = 0
    PSEUDO_CALL = 1
    PSEUDO_KFUNC_CALL = 2


CALL_CODE = InsnClass.JMP | JmpOp.CALL
"""``BPF_JMP | BPF_CALL`` (helper, subprogram and kfunc calls)."""

LD_IMM64_CODE = InsnClass.LD | Mode.IMM | Size.DW
"""``BPF_LD | BPF_IMM | BPF_DW``: the two-slot 64-bit immediate load."""

BPF_MAY_GOTO = 0
"""``src`` of ``BPF_JMP | BPF_JCOND``."""

BPF_ADDR_SPACE_CAST = 1
"""``off`` of ``BPF_ALU64 | BPF_MOV | BPF_X`` for ``addr_space_cast``."""


class Op(Enum):
    """What an instruction does, after its selector field is taken into account."""

    # ALU / ALU64
    ADD = "add"
    SUB = "sub"
    MUL = "mul"
    DIV = "div"
    SDIV = "sdiv"
    OR = "or"
    AND = "and"
    LSH = "lsh"
    RSH = "rsh"
    NEG = "neg"
    MOD = "mod"
    SMOD = "smod"
    XOR = "xor"
    MOV = "mov"
    MOVSX = "movsx"
    ARSH = "arsh"
    END_LE = "le"
    END_BE = "be"
    BSWAP = "bswap"
    ADDR_SPACE_CAST = "addr_space_cast"
    # JMP / JMP32
    JA = "ja"
    GOTOL = "gotol"
    JEQ = "jeq"
    JGT = "jgt"
    JGE = "jge"
    JSET = "jset"
    JNE = "jne"
    JSGT = "jsgt"
    JSGE = "jsge"
    JLT = "jlt"
    JLE = "jle"
    JSLT = "jslt"
    JSLE = "jsle"
    CALL_HELPER = "call_helper"
    CALL_SUBPROG = "call_subprog"
    CALL_KFUNC = "call_kfunc"
    EXIT = "exit"
    MAY_GOTO = "may_goto"
    # loads and stores
    LDX = "ldx"
    LDSX = "ldsx"
    ST = "st"
    STX = "stx"
    ATOMIC_ADD = "atomic_add"
    ATOMIC_OR = "atomic_or"
    ATOMIC_AND = "atomic_and"
    ATOMIC_XOR = "atomic_xor"
    ATOMIC_FETCH_ADD = "atomic_fetch_add"
    ATOMIC_FETCH_OR = "atomic_fetch_or"
    ATOMIC_FETCH_AND = "atomic_fetch_and"
    ATOMIC_FETCH_XOR = "atomic_fetch_xor"
    ATOMIC_XCHG = "atomic_xchg"
    ATOMIC_CMPXCHG = "atomic_cmpxchg"
    LOAD_ACQ = "load_acquire"
    STORE_REL = "store_release"
    LD_ABS = "ld_abs"
    LD_IND = "ld_ind"
    LD_IMM64 = "ld_imm64"


class Field(IntEnum):
    """An instruction field; the value is its position in (dst, src, off, imm)."""

    DST = 0
    SRC = 1
    OFF = 2
    IMM = 3

    @property
    def label(self) -> str:
        """The name ``Insn`` gives the field."""
        return self.name.lower()


@dataclass(frozen=True)
class Form:
    """One instruction: its operation and the fields it leaves reserved (must be zero)."""

    op: Op
    reserved: frozenset[Field]
    imm_values: frozenset[int] | None = None
    """If set, the only values ``imm`` may take (``BPF_END`` widths)."""
    reserved_order: tuple[int, ...] = field(init=False)
    """``reserved`` as positions, in field order (the decoder's fast path)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "reserved_order", tuple(sorted(self.reserved)))


@dataclass(frozen=True)
class OpSpec:
    """Everything the opcode byte says about an instruction."""

    code: int
    cls: InsnClass
    group: str
    """The kernel's name for the check of this instruction kind (``BPF_ALU``, ``BPF_JA``, ...)."""
    selector: Field | None
    forms: Mapping[int, Form]
    """Selector value → form; key 0 alone when there is no selector."""
    size: Size | None = None
    """Access size of loads, stores and atomics."""
    is_wide: bool = field(init=False)
    """True for ``ld_imm64``, the only two-slot instruction."""

    def __post_init__(self) -> None:
        wide = self.cls == InsnClass.LD and self.code & 0xE0 == Mode.IMM
        object.__setattr__(self, "is_wide", wide)


def _fs(*fields: Field) -> frozenset[Field]:
    return frozenset(fields)


_ALU_OPS: dict[AluOp, Op] = {
    AluOp.ADD: Op.ADD, AluOp.SUB: Op.SUB, AluOp.MUL: Op.MUL, AluOp.DIV: Op.DIV,
    AluOp.OR: Op.OR, AluOp.AND: Op.AND, AluOp.LSH: Op.LSH, AluOp.RSH: Op.RSH,
    AluOp.MOD: Op.MOD, AluOp.XOR: Op.XOR, AluOp.MOV: Op.MOV, AluOp.ARSH: Op.ARSH,
}
_SIGNED_ALU_OPS: dict[AluOp, Op] = {AluOp.DIV: Op.SDIV, AluOp.MOD: Op.SMOD}

_COND_JMP_OPS: dict[JmpOp, Op] = {
    JmpOp.JEQ: Op.JEQ, JmpOp.JGT: Op.JGT, JmpOp.JGE: Op.JGE, JmpOp.JSET: Op.JSET,
    JmpOp.JNE: Op.JNE, JmpOp.JSGT: Op.JSGT, JmpOp.JSGE: Op.JSGE, JmpOp.JLT: Op.JLT,
    JmpOp.JLE: Op.JLE, JmpOp.JSLT: Op.JSLT, JmpOp.JSLE: Op.JSLE,
}

ATOMIC_OPS: dict[AtomicOp, Op] = {
    AtomicOp.ADD: Op.ATOMIC_ADD, AtomicOp.OR: Op.ATOMIC_OR, AtomicOp.AND: Op.ATOMIC_AND,
    AtomicOp.XOR: Op.ATOMIC_XOR, AtomicOp.FETCH_ADD: Op.ATOMIC_FETCH_ADD,
    AtomicOp.FETCH_OR: Op.ATOMIC_FETCH_OR, AtomicOp.FETCH_AND: Op.ATOMIC_FETCH_AND,
    AtomicOp.FETCH_XOR: Op.ATOMIC_FETCH_XOR, AtomicOp.XCHG: Op.ATOMIC_XCHG,
    AtomicOp.CMPXCHG: Op.ATOMIC_CMPXCHG, AtomicOp.LOAD_ACQ: Op.LOAD_ACQ,
    AtomicOp.STORE_REL: Op.STORE_REL,
}
"""Atomic ``imm`` → operation (public: the disassembler and the encoder use it)."""

_MOVSX_OFFSETS = {32: (8, 16), 64: (8, 16, 32)}


def _alu_specs(cls: InsnClass) -> Iterator[OpSpec]:
    """All opcodes of one ALU class (32- or 64-bit)."""
    width = 64 if cls == InsnClass.ALU64 else 32
    for alu_op, op in _ALU_OPS.items():
        for src in Source:
            code = cls | alu_op | src
            unused = Field.IMM if src == Source.X else Field.SRC
            if alu_op == AluOp.MOV and src == Source.X:
                group = "BPF_MOV"
                forms = {0: Form(Op.MOV, _fs(Field.IMM))}
                forms |= {o: Form(Op.MOVSX, _fs(Field.IMM)) for o in _MOVSX_OFFSETS[width]}
                if cls == InsnClass.ALU64:
                    forms[BPF_ADDR_SPACE_CAST] = Form(Op.ADDR_SPACE_CAST, _fs())
                yield OpSpec(code, cls, group, Field.OFF, forms)
            elif alu_op in _SIGNED_ALU_OPS:
                forms = {0: Form(op, _fs(unused)), 1: Form(_SIGNED_ALU_OPS[alu_op], _fs(unused))}
                yield OpSpec(code, cls, "BPF_ALU", Field.OFF, forms)
            else:
                group = "BPF_MOV" if alu_op == AluOp.MOV else "BPF_ALU"
                yield OpSpec(code, cls, group, None, {0: Form(op, _fs(unused, Field.OFF))})
    yield OpSpec(cls | AluOp.NEG, cls, "BPF_NEG", None,
                 {0: Form(Op.NEG, _fs(Field.SRC, Field.OFF, Field.IMM))})
    widths = frozenset({16, 32, 64})
    end_reserved = _fs(Field.SRC, Field.OFF)
    if cls == InsnClass.ALU64:
        yield OpSpec(cls | AluOp.END, cls, "BPF_END", None,
                     {0: Form(Op.BSWAP, end_reserved, widths)})
    else:
        yield OpSpec(cls | AluOp.END | Source.K, cls, "BPF_END", None,
                     {0: Form(Op.END_LE, end_reserved, widths)})
        yield OpSpec(cls | AluOp.END | Source.X, cls, "BPF_END", None,
                     {0: Form(Op.END_BE, end_reserved, widths)})


def _jmp_specs(cls: InsnClass) -> Iterator[OpSpec]:
    """All opcodes of one jump class (64- or 32-bit compares)."""
    for jmp_op, op in _COND_JMP_OPS.items():
        yield OpSpec(cls | jmp_op | Source.K, cls, "BPF_JMP/JMP32", None,
                     {0: Form(op, _fs(Field.SRC))})
        yield OpSpec(cls | jmp_op | Source.X, cls, "BPF_JMP/JMP32", None,
                     {0: Form(op, _fs(Field.IMM))})
    if cls == InsnClass.JMP32:
        yield OpSpec(cls | JmpOp.JA, cls, "BPF_JA", None,
                     {0: Form(Op.GOTOL, _fs(Field.DST, Field.SRC, Field.OFF))})
        return
    yield OpSpec(cls | JmpOp.JA, cls, "BPF_JA", None,
                 {0: Form(Op.JA, _fs(Field.DST, Field.SRC, Field.IMM))})
    call_reserved = _fs(Field.DST, Field.OFF)
    yield OpSpec(cls | JmpOp.CALL, cls, "BPF_CALL", Field.SRC, {
        CallSrc.HELPER: Form(Op.CALL_HELPER, call_reserved),
        CallSrc.PSEUDO_CALL: Form(Op.CALL_SUBPROG, call_reserved),
        # off of a kfunc call indexes fd_array: the BTF of the module defining the kfunc.
        CallSrc.PSEUDO_KFUNC_CALL: Form(Op.CALL_KFUNC, _fs(Field.DST)),
    })
    yield OpSpec(cls | JmpOp.EXIT, cls, "BPF_EXIT", None,
                 {0: Form(Op.EXIT, _fs(Field.DST, Field.SRC, Field.OFF, Field.IMM))})
    yield OpSpec(cls | JmpOp.JCOND, cls, "BPF_JCOND", Field.SRC,
                 {BPF_MAY_GOTO: Form(Op.MAY_GOTO, _fs(Field.DST, Field.IMM))})


def _mem_specs() -> Iterator[OpSpec]:
    """Loads, stores, atomics, legacy packet loads and ``ld_imm64``."""
    for size in Size:
        yield OpSpec(InsnClass.LDX | Mode.MEM | size, InsnClass.LDX, "BPF_LDX", None,
                     {0: Form(Op.LDX, _fs(Field.IMM))}, size)
        if size != Size.DW:
            yield OpSpec(InsnClass.LDX | Mode.MEMSX | size, InsnClass.LDX, "BPF_LDX", None,
                         {0: Form(Op.LDSX, _fs(Field.IMM))}, size)
        yield OpSpec(InsnClass.ST | Mode.MEM | size, InsnClass.ST, "BPF_ST", None,
                     {0: Form(Op.ST, _fs(Field.SRC))}, size)
        yield OpSpec(InsnClass.STX | Mode.MEM | size, InsnClass.STX, "BPF_STX", None,
                     {0: Form(Op.STX, _fs(Field.IMM))}, size)
        # 8- and 16-bit atomics exist only as load-acquire and store-release.
        ops = ATOMIC_OPS if size in (Size.W, Size.DW) else {
            AtomicOp.LOAD_ACQ: Op.LOAD_ACQ, AtomicOp.STORE_REL: Op.STORE_REL}
        yield OpSpec(InsnClass.STX | Mode.ATOMIC | size, InsnClass.STX, "BPF_ATOMIC", Field.IMM,
                     {int(k): Form(v, _fs()) for k, v in ops.items()}, size)
        if size != Size.DW:
            yield OpSpec(InsnClass.LD | Mode.ABS | size, InsnClass.LD, "BPF_LD_[ABS|IND]", None,
                         {0: Form(Op.LD_ABS, _fs(Field.DST, Field.SRC, Field.OFF))}, size)
            yield OpSpec(InsnClass.LD | Mode.IND | size, InsnClass.LD, "BPF_LD_[ABS|IND]", None,
                         {0: Form(Op.LD_IND, _fs(Field.DST, Field.OFF))}, size)
    yield OpSpec(InsnClass.LD | Mode.IMM | Size.DW, InsnClass.LD, "BPF_LD_IMM64", Field.SRC,
                 {int(p): Form(Op.LD_IMM64, _fs(Field.OFF)) for p in PseudoSrc}, Size.DW)


def _build() -> dict[int, OpSpec]:
    table: dict[int, OpSpec] = {}
    specs = [*_alu_specs(InsnClass.ALU), *_alu_specs(InsnClass.ALU64),
             *_jmp_specs(InsnClass.JMP), *_jmp_specs(InsnClass.JMP32), *_mem_specs()]
    for spec in specs:
        assert spec.code not in table, f"opcode 0x{spec.code:02x} defined twice"
        table[spec.code] = spec
    return table


OPCODES: Mapping[int, OpSpec] = _build()
"""Opcode byte → spec, for every opcode the kernel accepts."""
