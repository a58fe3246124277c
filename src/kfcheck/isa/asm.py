"""Instruction encoders for tests and probes: each returns the instruction's bytes.

A program is the concatenation: ``mov64_imm(0, 0) + exit_()``. Values are checked to fit
their fields (``ValueError`` otherwise: these are programming errors, not user input).
"""

from __future__ import annotations

import struct

from kfcheck.isa.opcodes import (
    BPF_ADDR_SPACE_CAST,
    BPF_MAY_GOTO,
    AluOp,
    AtomicOp,
    CallSrc,
    InsnClass,
    JmpOp,
    Mode,
    PseudoSrc,
    Size,
    Source,
)

_INSN = struct.Struct("<BBhi")


def _check(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} {value} out of range [{low}, {high}]")


def encode(code: int, dst: int = 0, src: int = 0, off: int = 0, imm: int = 0) -> bytes:
    """One raw 8-byte slot; ``imm`` may be given signed or as an unsigned 32-bit value."""
    _check("code", code, 0, 0xFF)
    _check("dst", dst, 0, 15)
    _check("src", src, 0, 15)
    _check("off", off, -(1 << 15), (1 << 15) - 1)
    _check("imm", imm, -(1 << 31), (1 << 32) - 1)
    if imm >= 1 << 31:
        imm -= 1 << 32
    return _INSN.pack(code, dst | (src << 4), off, imm)


# ---- ALU ----

def alu64_imm(op: AluOp, dst: int, imm: int, *, signed: bool = False) -> bytes:
    """``dst op= imm`` on 64 bits; ``signed`` selects sdiv/smod (off=1)."""
    return encode(InsnClass.ALU64 | op | Source.K, dst, 0, int(signed), imm)


def alu64_reg(op: AluOp, dst: int, src: int, *, signed: bool = False) -> bytes:
    """``dst op= src`` on 64 bits; ``signed`` selects sdiv/smod (off=1)."""
    return encode(InsnClass.ALU64 | op | Source.X, dst, src, int(signed))


def alu32_imm(op: AluOp, dst: int, imm: int, *, signed: bool = False) -> bytes:
    """``wdst op= imm`` on 32 bits."""
    return encode(InsnClass.ALU | op | Source.K, dst, 0, int(signed), imm)


def alu32_reg(op: AluOp, dst: int, src: int, *, signed: bool = False) -> bytes:
    """``wdst op= wsrc`` on 32 bits."""
    return encode(InsnClass.ALU | op | Source.X, dst, src, int(signed))


def mov64_imm(dst: int, imm: int) -> bytes:
    """``rdst = imm`` (sign-extended)."""
    return alu64_imm(AluOp.MOV, dst, imm)


def mov64_reg(dst: int, src: int) -> bytes:
    """``rdst = rsrc``."""
    return alu64_reg(AluOp.MOV, dst, src)


def mov32_imm(dst: int, imm: int) -> bytes:
    """``wdst = imm``."""
    return alu32_imm(AluOp.MOV, dst, imm)


def mov32_reg(dst: int, src: int) -> bytes:
    """``wdst = wsrc``."""
    return alu32_reg(AluOp.MOV, dst, src)


def movsx64(dst: int, src: int, bits: int) -> bytes:
    """``rdst = (s8|s16|s32)rsrc``."""
    _check("movsx bits", bits, 8, 32)
    return encode(InsnClass.ALU64 | AluOp.MOV | Source.X, dst, src, bits)


def movsx32(dst: int, src: int, bits: int) -> bytes:
    """``wdst = (s8|s16)wsrc``."""
    _check("movsx bits", bits, 8, 16)
    return encode(InsnClass.ALU | AluOp.MOV | Source.X, dst, src, bits)


def neg64(dst: int) -> bytes:
    """``rdst = -rdst``."""
    return encode(InsnClass.ALU64 | AluOp.NEG, dst)


def neg32(dst: int) -> bytes:
    """``wdst = -wdst``."""
    return encode(InsnClass.ALU | AluOp.NEG, dst)


def endian(dst: int, bits: int, *, big: bool) -> bytes:
    """``rdst = le16/32/64 rdst`` or ``be..`` (BPF_ALU | BPF_END)."""
    return encode(InsnClass.ALU | AluOp.END | (Source.X if big else Source.K), dst, 0, 0, bits)


def bswap(dst: int, bits: int) -> bytes:
    """``rdst = bswap16/32/64 rdst`` (BPF_ALU64 | BPF_END)."""
    return encode(InsnClass.ALU64 | AluOp.END, dst, 0, 0, bits)


def addr_space_cast(dst: int, src: int, dst_as: int, src_as: int) -> bytes:
    """``rdst = addr_space_cast(rsrc, dst_as, src_as)``."""
    return encode(InsnClass.ALU64 | AluOp.MOV | Source.X, dst, src, BPF_ADDR_SPACE_CAST,
                  (dst_as << 16) | src_as)


# ---- jumps and calls ----

def jmp_imm(op: JmpOp, dst: int, imm: int, off: int) -> bytes:
    """``if rdst op imm goto pc+off``."""
    return encode(InsnClass.JMP | op | Source.K, dst, 0, off, imm)


def jmp_reg(op: JmpOp, dst: int, src: int, off: int) -> bytes:
    """``if rdst op rsrc goto pc+off``."""
    return encode(InsnClass.JMP | op | Source.X, dst, src, off)


def jmp32_imm(op: JmpOp, dst: int, imm: int, off: int) -> bytes:
    """``if wdst op imm goto pc+off``."""
    return encode(InsnClass.JMP32 | op | Source.K, dst, 0, off, imm)


def jmp32_reg(op: JmpOp, dst: int, src: int, off: int) -> bytes:
    """``if wdst op wsrc goto pc+off``."""
    return encode(InsnClass.JMP32 | op | Source.X, dst, src, off)


def ja(off: int) -> bytes:
    """``goto pc+off``."""
    return encode(InsnClass.JMP | JmpOp.JA, off=off)


def gotol(imm: int) -> bytes:
    """``gotol pc+imm`` (32-bit offset)."""
    return encode(InsnClass.JMP32 | JmpOp.JA, imm=imm)


def may_goto(off: int) -> bytes:
    """``may_goto pc+off``."""
    return encode(InsnClass.JMP | JmpOp.JCOND, 0, BPF_MAY_GOTO, off)


def call_helper(helper_id: int) -> bytes:
    """``call bpf_<helper>``."""
    return encode(InsnClass.JMP | JmpOp.CALL, 0, CallSrc.HELPER, 0, helper_id)


def call_subprog(rel: int) -> bytes:
    """``call pc+rel``: the subprogram starts at this index + 1 + rel."""
    return encode(InsnClass.JMP | JmpOp.CALL, 0, CallSrc.PSEUDO_CALL, 0, rel)


def call_kfunc(btf_id: int, fd_idx: int = 0) -> bytes:
    """Call the kfunc with this BTF id (``fd_idx`` > 0: module BTF at ``fd_array[fd_idx]``)."""
    return encode(InsnClass.JMP | JmpOp.CALL, 0, CallSrc.PSEUDO_KFUNC_CALL, fd_idx, btf_id)


def exit_() -> bytes:
    """``exit``."""
    return encode(InsnClass.JMP | JmpOp.EXIT)


# ---- memory ----

def ldx(size: Size, dst: int, src: int, off: int) -> bytes:
    """``rdst = *(uN *)(rsrc + off)``."""
    return encode(InsnClass.LDX | Mode.MEM | size, dst, src, off)


def ldsx(size: Size, dst: int, src: int, off: int) -> bytes:
    """``rdst = *(sN *)(rsrc + off)``."""
    return encode(InsnClass.LDX | Mode.MEMSX | size, dst, src, off)


def st(size: Size, dst: int, off: int, imm: int) -> bytes:
    """``*(uN *)(rdst + off) = imm``."""
    return encode(InsnClass.ST | Mode.MEM | size, dst, 0, off, imm)


def stx(size: Size, dst: int, src: int, off: int) -> bytes:
    """``*(uN *)(rdst + off) = rsrc``."""
    return encode(InsnClass.STX | Mode.MEM | size, dst, src, off)


def atomic(size: Size, op: AtomicOp, dst: int, src: int, off: int) -> bytes:
    """An atomic operation on ``*(rdst + off)`` with ``rsrc``."""
    return encode(InsnClass.STX | Mode.ATOMIC | size, dst, src, off, op)


def load_acquire(size: Size, dst: int, src: int, off: int) -> bytes:
    """``rdst = load_acquire((uN *)(rsrc + off))``."""
    return atomic(size, AtomicOp.LOAD_ACQ, dst, src, off)


def store_release(size: Size, dst: int, src: int, off: int) -> bytes:
    """``store_release((uN *)(rdst + off), rsrc)``."""
    return atomic(size, AtomicOp.STORE_REL, dst, src, off)


def ld_abs(size: Size, imm: int) -> bytes:
    """``r0 = *(uN *)skb[imm]`` (legacy packet access; r6 holds the skb)."""
    return encode(InsnClass.LD | Mode.ABS | size, 0, 0, 0, imm)


def ld_ind(size: Size, src: int, imm: int) -> bytes:
    """``r0 = *(uN *)skb[rsrc + imm]``."""
    return encode(InsnClass.LD | Mode.IND | size, 0, src, 0, imm)


def ld_imm64(dst: int, imm64: int, pseudo: PseudoSrc = PseudoSrc.IMM) -> bytes:
    """``rdst = imm64`` over two slots; ``pseudo`` gives the immediate its meaning."""
    _check("imm64", imm64, -(1 << 63), (1 << 64) - 1)
    value = imm64 & ((1 << 64) - 1)
    return (encode(InsnClass.LD | Mode.IMM | Size.DW, dst, pseudo, 0, value & 0xFFFFFFFF)
            + encode(0, 0, 0, 0, value >> 32))


def ld_map_fd(dst: int, map_fd: int) -> bytes:
    """``rdst = &map`` by file descriptor."""
    return ld_imm64(dst, map_fd, PseudoSrc.MAP_FD)


def ld_map_value(dst: int, map_fd: int, offset: int) -> bytes:
    """``rdst = &map.value + offset`` (direct value access, e.g. global data)."""
    return ld_imm64(dst, (offset << 32) | map_fd, PseudoSrc.MAP_VALUE)


def ld_btf_id(dst: int, btf_id: int, btf_fd: int = 0) -> bytes:
    """``rdst = &ksym`` for a kernel variable by BTF id (``btf_fd``: module BTF, 0 = vmlinux)."""
    return ld_imm64(dst, (btf_fd << 32) | btf_id, PseudoSrc.BTF_ID)


def ld_func(dst: int, rel: int) -> bytes:
    """``rdst = &subprog`` (callback): the subprogram starts at this index + 1 + rel."""
    return ld_imm64(dst, rel & 0xFFFFFFFF, PseudoSrc.FUNC)
