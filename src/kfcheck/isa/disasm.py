"""Instruction text exactly as the kernel verifier log prints it (``kernel/bpf/disasm.c``).

``format_insn`` gives ``(b7) r0 = 0``; the log prefixes it with ``N: `` (``format_line``).
Names of called functions come from the kernel's helper list (``bpf_<name>`` for helper ids it
knows) and otherwise from a caller-supplied resolver, as the verifier resolves kfunc names
from kernel BTF; this module does not depend on BTF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import InsnClass, Op, PseudoSrc, Size
from kfcheck.uapi import HelperId

CallResolver = Callable[[Insn], "str | None"]
"""Name of the function a call instruction calls, or None to fall back to the kernel's default."""

_ALU_TEXT: Mapping[Op, str] = {
    Op.ADD: "+=", Op.SUB: "-=", Op.MUL: "*=", Op.DIV: "/=", Op.OR: "|=", Op.AND: "&=",
    Op.LSH: "<<=", Op.RSH: ">>=", Op.MOD: "%=", Op.XOR: "^=", Op.MOV: "=", Op.ARSH: "s>>=",
    Op.SDIV: "s/=", Op.SMOD: "s%=", Op.MOVSX: "=",
}
_MOVSX_CAST = {8: "(s8)", 16: "(s16)", 32: "(s32)"}
_JMP_TEXT: Mapping[Op, str] = {
    Op.JEQ: "==", Op.JGT: ">", Op.JLT: "<", Op.JGE: ">=", Op.JLE: "<=", Op.JSET: "&",
    Op.JNE: "!=", Op.JSGT: "s>", Op.JSLT: "s<", Op.JSGE: "s>=", Op.JSLE: "s<=",
}
_UNSIGNED = {Size.W: "u32", Size.H: "u16", Size.B: "u8", Size.DW: "u64"}
_SIGNED = {Size.W: "s32", Size.H: "s16", Size.B: "s8"}
_LOCK_TEXT: Mapping[Op, str] = {
    Op.ATOMIC_ADD: "+=", Op.ATOMIC_AND: "&=", Op.ATOMIC_OR: "|=", Op.ATOMIC_XOR: "^=",
}
_FETCH_NAME: Mapping[Op, str] = {
    Op.ATOMIC_FETCH_ADD: "add", Op.ATOMIC_FETCH_AND: "and", Op.ATOMIC_FETCH_OR: "or",
    Op.ATOMIC_FETCH_XOR: "xor",
}
# The kernel's disasm hides only these two when pointer leaks are not allowed (the loader has
# already rewritten MAP_IDX forms to them; BTF_ID and the rest print their value).
_POINTER_PSEUDO = frozenset({PseudoSrc.MAP_FD, PseudoSrc.MAP_VALUE})
_HELPER_NAMES: Mapping[int, str] = {int(h): f"bpf_{h.name}" for h in HelperId}


def _reg(insn: Insn, num: int) -> str:
    return f"{'w' if insn.is_32bit else 'r'}{num}"


def _u32(value: int) -> int:
    return value & 0xFFFFFFFF


def _mem(insn: Insn, base: int, signed: bool = False) -> str:
    """``(u64 *)(r1 -8)``."""
    size = insn.spec.size
    assert size is not None
    kind = _SIGNED[size] if signed else _UNSIGNED[size]
    return f"({kind} *)(r{base} {insn.off:+d})"


def _width(insn: Insn) -> str:
    """``64`` for the 8-byte atomics' function names, else empty."""
    return "64" if insn.spec.size == Size.DW else ""


def _alu(insn: Insn) -> str:
    op = insn.op
    if op == Op.BSWAP:
        return f"r{insn.dst} = bswap{insn.imm} r{insn.dst}"
    if op in (Op.END_LE, Op.END_BE):
        return f"r{insn.dst} = {'le' if op == Op.END_LE else 'be'}{insn.imm} r{insn.dst}"
    if op == Op.NEG:
        return f"{_reg(insn, insn.dst)} = -{_reg(insn, insn.dst)}"
    if op == Op.ADDR_SPACE_CAST:
        return (f"r{insn.dst} = addr_space_cast(r{insn.src}, {_u32(insn.imm) >> 16}, "
                f"{insn.imm & 0xFFFF})")
    text = _ALU_TEXT[op]
    if insn.uses_reg_source:
        cast = _MOVSX_CAST[insn.off] if op == Op.MOVSX else ""
        return f"{_reg(insn, insn.dst)} {text} {cast}{_reg(insn, insn.src)}"
    return f"{_reg(insn, insn.dst)} {text} {insn.imm}"


def _call(insn: Insn, resolve: CallResolver | None) -> str:
    name: str | None = None
    if insn.op == Op.CALL_HELPER:
        name = _HELPER_NAMES.get(insn.imm)
    if name is None and resolve is not None:
        name = resolve(insn)
    if insn.op == Op.CALL_SUBPROG:
        return f"call pc{name if name is not None else f'{insn.imm:+d}'}"
    if name is None:
        name = "kernel-function" if insn.op == Op.CALL_KFUNC else "unknown"
    return f"call {name}#{insn.imm}"


def _jmp(insn: Insn, resolve: CallResolver | None) -> str:
    op = insn.op
    if op in (Op.CALL_HELPER, Op.CALL_SUBPROG, Op.CALL_KFUNC):
        return _call(insn, resolve)
    if op == Op.JA:
        return f"goto pc{insn.off:+d}"
    if op == Op.MAY_GOTO:
        return f"may_goto pc{insn.off:+d}"
    if op == Op.GOTOL:
        return f"gotol pc{insn.imm:+d}"
    if op == Op.EXIT:
        return "exit"
    lhs = _reg(insn, insn.dst)
    rhs = _reg(insn, insn.src) if insn.uses_reg_source else f"0x{_u32(insn.imm):x}"
    return f"if {lhs} {_JMP_TEXT[op]} {rhs} goto pc{insn.off:+d}"


def _atomic(insn: Insn) -> str:
    op, dst, src = insn.op, insn.dst, insn.src
    if op in _LOCK_TEXT:
        return f"lock *{_mem(insn, dst)} {_LOCK_TEXT[op]} r{src}"
    if op in _FETCH_NAME:
        return f"r{src} = atomic{_width(insn)}_fetch_{_FETCH_NAME[op]}({_mem(insn, dst)}, r{src})"
    if op == Op.ATOMIC_CMPXCHG:
        return f"r0 = atomic{_width(insn)}_cmpxchg({_mem(insn, dst)}, r0, r{src})"
    if op == Op.ATOMIC_XCHG:
        return f"r{src} = atomic{_width(insn)}_xchg({_mem(insn, dst)}, r{src})"
    if op == Op.LOAD_ACQ:
        return f"r{dst} = load_acquire({_mem(insn, src)})"
    return f"store_release({_mem(insn, dst)}, r{src})"


def _mem_insn(insn: Insn, allow_ptr_leaks: bool) -> str:
    op = insn.op
    if op == Op.STX:
        return f"*{_mem(insn, insn.dst)} = r{insn.src}"
    if op == Op.ST:
        return f"*{_mem(insn, insn.dst)} = {insn.imm}"
    if op in (Op.LDX, Op.LDSX):
        return f"r{insn.dst} = *{_mem(insn, insn.src, signed=op == Op.LDSX)}"
    size = insn.spec.size
    assert size is not None
    if op == Op.LD_ABS:
        return f"r0 = *({_UNSIGNED[size]} *)skb[{insn.imm}]"
    if op == Op.LD_IND:
        return f"r0 = *({_UNSIGNED[size]} *)skb[r{insn.src} + {insn.imm}]"
    if op == Op.LD_IMM64:
        assert insn.imm64 is not None
        hidden = not allow_ptr_leaks and insn.src in _POINTER_PSEUDO
        return f"r{insn.dst} = 0x{0 if hidden else insn.imm64:x}"
    return _atomic(insn)


_ALU_CLASSES = frozenset({InsnClass.ALU, InsnClass.ALU64})
_JMP_CLASSES = frozenset({InsnClass.JMP, InsnClass.JMP32})


def format_insn(insn: Insn, resolve: CallResolver | None = None, *,
                allow_ptr_leaks: bool = True) -> str:
    """The kernel's text for one instruction: ``(bf) r1 = r10``.

    ``allow_ptr_leaks`` as for a privileged loader: ``ld_imm64`` of a map or BTF object
    prints its value; unprivileged, the kernel prints ``0x0`` instead.
    """
    if insn.cls in _ALU_CLASSES:
        body = _alu(insn)
    elif insn.cls in _JMP_CLASSES:
        body = _jmp(insn, resolve)
    else:
        body = _mem_insn(insn, allow_ptr_leaks)
    return f"({insn.code:02x}) {body}"


def format_line(insn: Insn, resolve: CallResolver | None = None, *,
                allow_ptr_leaks: bool = True) -> str:
    """The verifier log's line for an instruction: ``3: (07) r1 += -8``."""
    return f"{insn.index}: {format_insn(insn, resolve, allow_ptr_leaks=allow_ptr_leaks)}"


def disassemble(insns: Iterable[Insn], resolve: CallResolver | None = None, *,
                allow_ptr_leaks: bool = True) -> list[str]:
    """One log line per instruction."""
    return [format_line(i, resolve, allow_ptr_leaks=allow_ptr_leaks) for i in insns]
