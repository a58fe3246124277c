"""The BPF instruction set: opcode table, decoder, kernel-style disassembler, encoders."""

from kfcheck.isa.disasm import CallResolver, disassemble, format_insn, format_line
from kfcheck.isa.insn import INSN_SIZE, Insn, decode
from kfcheck.isa.opcodes import (
    OPCODES,
    AluOp,
    AtomicOp,
    CallSrc,
    InsnClass,
    JmpOp,
    Mode,
    Op,
    OpSpec,
    PseudoSrc,
    Size,
    Source,
)

__all__ = [
    "INSN_SIZE", "OPCODES", "AluOp", "AtomicOp", "CallResolver", "CallSrc", "Insn", "InsnClass",
    "JmpOp", "Mode", "Op", "OpSpec", "PseudoSrc", "Size", "Source", "decode", "disassemble",
    "format_insn", "format_line",
]
