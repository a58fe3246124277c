"""Subprograms: where they start (``add_subprog``), the jump checks per subprogram
(``check_subprogs``), bpf-to-bpf calls and returns (static subprograms verified in their
caller's context, global ones verified once, on their own, against their BTF prototype), and
the combined stack size of call chains (``check_max_stack_depth``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from enum import Enum

from kfcheck.btf import Btf, Kind
from kfcheck.isa.opcodes import InsnClass, Op
from kfcheck.profile.kfuncs.schema import Family
from kfcheck.verifier.env import Env
from kfcheck.verifier.helpers import helper
from kfcheck.verifier.mem import helper_mem
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import (
    FP,
    NOT_INIT,
    SCALAR_UNKNOWN,
    TF,
    Base,
    Frame,
    Reg,
    State,
    pointer,
)

MAX_CALL_FRAMES = 8
MAX_BPF_STACK = 512
BTF_FUNC_GLOBAL = 1
PSEUDO_FUNC = 4  # ld_imm64 src_reg: the address of a subprogram (a callback)
_ARG_TAG_PREFIX = "arg:"


def find_subprogs(env: Env) -> list[int]:
    """The first instruction of every subprogram, in order (0: the main program)."""
    starts = {0}
    for insn in env.insns:
        if insn is None:
            continue
        if insn.op is Op.CALL_SUBPROG or (insn.op is Op.LD_IMM64 and insn.src == PSEUDO_FUNC):
            starts.add(insn.index + insn.imm + 1)
    return sorted(starts)


def subprog_at(env: Env, idx: int) -> int:
    """The subprogram instruction ``idx`` belongs to."""
    return bisect.bisect_right(env.subprogs, idx) - 1


def check_subprogs(env: Env) -> None:
    """Every jump stays inside its subprogram; every subprogram ends with an exit or a jump."""
    n = len(env.insns)
    bounds = [*env.subprogs, n]
    for sub, start in enumerate(env.subprogs):
        if start < 0 or start >= n:
            raise Unsupported(f"a call to instruction {start}, outside the program", None)
        end = bounds[sub + 1]
        for i in range(start, end):
            insn = env.insns[i]
            if insn is None or insn.cls not in (InsnClass.JMP, InsnClass.JMP32):
                continue
            if insn.op in (Op.EXIT, Op.CALL_HELPER, Op.CALL_KFUNC, Op.CALL_SUBPROG):
                continue
            target = i + (insn.imm if insn.op is Op.GOTOL else insn.off) + 1
            if target < start or target >= end:
                raise Reject(Msg.JUMP_OUT_OF_RANGE, i, target, insn=i)
        last = env.insns[end - 1]
        if last is None or last.op not in (Op.EXIT, Op.JA, Op.GOTOL):
            raise Reject(Msg.LAST_NOT_EXIT, insn=None)


# ---- global functions: their BTF prototype ----


class ArgKind(Enum):
    """What a global function's argument is (``bpf_subprog_arg_info.arg_type``)."""

    SCALAR = "scalar"
    CTX = "ctx"
    MEM = "mem"


@dataclass(frozen=True)
class GlobalArg:
    kind: ArgKind
    mem_size: int = 0
    nullable: bool = True


@dataclass(frozen=True)
class GlobalFunc:
    """A global function's name and its prepared arguments, or the kernel's reason for
    refusing its prototype (``error``)."""

    name: str
    args: tuple[GlobalArg, ...] = ()
    error: str = ""


def func_btf_id(env: Env, subprog: int) -> int:
    """The BTF FUNC id func_info gives the subprogram (0: none)."""
    start = env.subprogs[subprog]
    return next((r.type_id for r in env.program.func_info if r.insn == start), 0)


def is_global(env: Env, subprog: int) -> bool:
    """Whether the subprogram's BTF FUNC has global linkage."""
    btf = env.prog_btf
    type_id = func_btf_id(env, subprog)
    if not subprog or btf is None or not type_id:
        return False
    t = btf[type_id]
    return t.kind is Kind.FUNC and t.linkage == BTF_FUNC_GLOBAL


def subprog_name(env: Env, subprog: int) -> str:
    btf = env.prog_btf
    type_id = func_btf_id(env, subprog)
    return btf[type_id].name if btf is not None and type_id else ""


def global_func(env: Env, subprog: int) -> GlobalFunc:
    """A global function's prepared prototype (once per verification)."""
    if subprog not in env.global_funcs:
        env.global_funcs[subprog] = prepare_args(env, subprog)
    func: GlobalFunc = env.global_funcs[subprog]
    return func


def prepare_args(env: Env, subprog: int) -> GlobalFunc:
    """``btf_prepare_func_args`` for a global function."""
    btf = env.prog_btf
    type_id = func_btf_id(env, subprog)
    if btf is None or not type_id:
        return GlobalFunc("", error="Global functions need valid BTF")
    fn = btf[type_id]
    proto = btf[fn.type]
    if len(proto.params) > 5:
        return GlobalFunc(fn.name, error=f"Global function {fn.name}() with "
                          f"{len(proto.params)} > 5 args. Buggy compiler.")
    ret = btf[btf.resolve(proto.type)] if proto.type else None
    if ret is None or ret.kind not in (Kind.INT, Kind.ENUM, Kind.ENUM64):
        return GlobalFunc(fn.name, error=f"Global function {fn.name}() doesn't return "
                          "scalar. Only those are supported.")
    args = []
    for i, param in enumerate(proto.params):
        tags = _arg_tags(btf, type_id, i)
        t = btf[btf.resolve(param.type)] if param.type else None
        if t is not None and t.kind is Kind.PTR:
            if "ctx" in tags or _is_ctx_type(env, btf, t.type):
                if tags - {"ctx"}:
                    raise Unsupported("global function argument tags combined with ctx", None)
                args.append(GlobalArg(ArgKind.CTX))
                continue
            if tags - {"nonnull"}:
                raise Unsupported(f"global function argument tags {sorted(tags)}", None)
            if _is_dynptr(btf, t.type):
                raise Unsupported("dynptr arguments of global functions", None)
            size = _pointee_size(btf, t.type)
            if size is None:
                raise Unsupported("global function pointer argument of unsized type", None)
            args.append(GlobalArg(ArgKind.MEM, size, "nonnull" not in tags))
            continue
        if tags:
            return GlobalFunc(fn.name, error=f"arg#{i} has pointer tag, but is not a "
                              "pointer type")
        if t is not None and t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64):
            args.append(GlobalArg(ArgKind.SCALAR))
            continue
        raise Unsupported(f"global function argument of kind {t.kind.name if t else 'void'}",
                          None)
    return GlobalFunc(fn.name, tuple(args))


def _arg_tags(btf: Btf, func_id: int, i: int) -> set[str]:
    tags = {tag[len(_ARG_TAG_PREFIX):] for tag in btf.decl_tags(func_id, i)
            if tag.startswith(_ARG_TAG_PREFIX)}
    unknown = tags - {"ctx", "nonnull", "nullable", "trusted", "arena"}
    if unknown:
        raise Unsupported(f"global function argument tag {sorted(unknown)[0]}", None)
    if tags & {"nullable", "trusted", "arena"}:
        raise Unsupported(f"global function argument tags {sorted(tags)}", None)
    return tags


def _is_ctx_type(env: Env, btf: Btf, pointee: int) -> bool:
    """``btf_is_prog_ctx_type``: a pointer to the program type's context struct."""
    if not pointee:
        return False
    t = btf[pointee]
    while t.kind in (Kind.CONST, Kind.VOLATILE, Kind.RESTRICT, Kind.TYPE_TAG, Kind.TYPEDEF):
        if t.kind is Kind.TYPEDEF and t.name in env.info.ctx_type_names:
            return True
        t = btf[t.type]
    return t.kind is Kind.STRUCT and t.name in env.info.ctx_type_names


def _is_dynptr(btf: Btf, pointee: int) -> bool:
    return bool(pointee) and btf[btf.resolve(pointee)].name == "bpf_dynptr"


def _pointee_size(btf: Btf, pointee: int) -> int | None:
    if not pointee:
        return None
    t = btf[btf.resolve(pointee)]
    if t.kind in (Kind.FWD, Kind.FUNC_PROTO):
        return None
    try:
        return btf.size_of(t.id)
    except (KeyError, ValueError):
        return None


def global_entry_state(env: Env, subprog: int) -> State:
    """The state a global function is verified from: its arguments as its prototype says."""
    func = global_func(env, subprog)
    assert not func.error, "a global function is verified only after a call accepted it"
    regs = [NOT_INIT] * 11
    for i, arg in enumerate(func.args):
        if arg.kind is ArgKind.CTX:
            regs[i + 1] = pointer(Base.PTR_TO_CTX)
        elif arg.kind is ArgKind.SCALAR:
            regs[i + 1] = SCALAR_UNKNOWN
        else:
            flags = TF.MAYBE_NULL if arg.nullable else TF.NONE
            regs[i + 1] = pointer(Base.PTR_TO_MEM, flags, mem_size=arg.mem_size,
                                  id=env.new_id())
    regs[FP] = pointer(Base.PTR_TO_STACK)
    return State((Frame(tuple(regs), subprog=subprog),))


# ---- calls and returns ----


def do_call(env: Env, st: State, idx: int, target: int) -> list[tuple[State, int]]:
    """``check_func_call``: a global function is checked against its prototype and assumed
    valid (verified later); a static one gets a new frame and is followed into."""
    subprog = subprog_at(env, target)
    if is_global(env, subprog):
        func = global_func(env, subprog)
        if st.locked:
            raise Reject(Msg.GLOBAL_IN_LOCK, insn=idx,
                         before=Msg.GLOBAL_IN_LOCK_BEFORE.value)
        problem = func.error or _arg_mismatch(env, st, func)
        if problem:
            raise Reject(Msg.CALLER_INVALID_ARGS, subprog, func.name, insn=idx,
                         before=problem)
        if _changes_pkt_data(env, subprog, set()):
            raise Unsupported("global functions that change packet data", idx)
        if subprog not in env.globals_called:
            env.globals_called.append(subprog)
        for regno in range(0, 6):
            st = st.with_reg(regno, NOT_INIT)
        return [(st.with_reg(0, SCALAR_UNKNOWN), idx + 1)]
    depth = len(st.frames)
    if depth >= MAX_CALL_FRAMES:
        raise Reject(Msg.CALL_STACK_TOO_DEEP, depth + 1, insn=idx)
    caller = st.frame
    regs = [NOT_INIT] * 11
    for regno in range(1, 6):
        regs[regno] = caller.regs[regno]
    regs[FP] = pointer(Base.PTR_TO_STACK, frameno=depth)
    for regno in range(0, 6):
        caller = caller.with_reg(regno, NOT_INIT)
    callee = Frame(tuple(regs), callsite=idx, subprog=subprog)
    return [(replace(st, frames=(*st.frames[:-1], caller, callee)), target)]


def _changes_pkt_data(env: Env, sub: int, seen: set[int]) -> bool:
    """Whether a subprogram, or one it calls, calls a helper or kfunc that changes packet
    data (the kernel's ``changes_pkt_data`` of a subprogram)."""
    seen.add(sub)
    bounds = [*env.subprogs, len(env.insns)]
    table = env.profile.table
    for i in range(bounds[sub], bounds[sub + 1]):
        insn = env.insns[i]
        if insn is None:
            continue
        if insn.op is Op.CALL_HELPER:
            fn = helper(insn.imm)
            if fn is not None and fn.changes_pkt_data:
                return True
        elif insn.op is Op.CALL_KFUNC and not insn.off:
            spec = table.kfunc(insn.imm)
            if spec is not None and table.in_family(spec.btf_id, Family.PKT_CHANGING):
                return True
        elif insn.op is Op.CALL_SUBPROG:
            callee = subprog_at(env, i + insn.imm + 1)
            if callee not in seen and _changes_pkt_data(env, callee, seen):
                return True
    return False


def do_return(env: Env, st: State, idx: int) -> list[tuple[State, int]]:
    """``prepare_func_exit``: R0 goes back to the caller, which goes on after the call."""
    callee = st.frame
    r0 = callee.regs[0]
    if r0.base is Base.PTR_TO_STACK:
        raise Reject(Msg.RETURN_STACK_PTR, insn=idx)
    caller = st.frames[-2].with_reg(0, r0)
    return [(replace(st, frames=(*st.frames[:-2], caller)), callee.callsite + 1)]


def _arg_mismatch(env: Env, st: State, func: GlobalFunc) -> str:
    """``btf_check_func_arg_match``: the first line the kernel prints for an argument the
    caller's registers do not satisfy ("" when they all do)."""
    for i, arg in enumerate(func.args):
        regno = i + 1
        reg = st.reg(regno)
        if arg.kind is ArgKind.SCALAR:
            if reg.base is not Base.SCALAR:
                return f"R{regno} is not a scalar"
        elif arg.kind is ArgKind.CTX:
            problem = _reg_off_problem(reg, regno)
            if problem:
                return problem
            if reg.base is not Base.PTR_TO_CTX:
                return f"arg#{i} expects pointer to ctx"
        else:
            problem = _reg_off_problem(reg, regno) or _mem_problem(env, st, regno, reg,
                                                                   arg.mem_size)
            if problem:
                return problem
            if not arg.nullable and (reg.maybe_null or reg.is_null):
                return f"arg#{i} is expected to be non-NULL"
    return ""


def _mem_problem(env: Env, st: State, regno: int, reg: Reg, size: int) -> str:
    """``check_mem_reg``: ``size`` bytes at ``reg`` may be read and written (as if it were
    not NULL); the state is left as it was."""
    if reg.is_null:
        return ""
    probe = st.with_reg(regno, replace(reg, flags=reg.flags & ~TF.MAYBE_NULL))
    try:
        if reg.base is Base.SCALAR or not reg.is_pointer:
            return f"R{regno} type={reg.type_name} expected=fp"
        helper_mem(env, probe, -1, regno, size, write=False, zero_ok=True)
        helper_mem(env, probe, -1, regno, size, write=True, zero_ok=True)
    except Reject as exc:
        return exc.text
    return ""


def _reg_off_problem(reg: Reg, regno: int) -> str:
    """``check_func_arg_reg_off`` for ``ARG_DONTCARE``: a pointer with a variable offset
    (other than to the stack, packets and map values) cannot be passed."""
    if reg.base in (Base.SCALAR, Base.NOT_INIT, Base.PTR_TO_STACK, Base.PTR_TO_PACKET,
                    Base.PTR_TO_PACKET_META, Base.PTR_TO_MAP_VALUE, Base.PTR_TO_MAP_KEY,
                    Base.PTR_TO_MEM):
        return ""
    if reg.off or not reg.s.is_const() or reg.s.value:
        return (f"dereference of modified {reg.type_name} ptr R{regno} off={reg.off} "
                "disallowed")
    return ""


# ---- check_max_stack_depth ----


def round_stack(depth: int) -> int:
    """A frame's share of the combined stack (``round_up_stack_depth`` for a JIT-compiled
    program: 16-byte granularity)."""
    return (depth + 15) // 16 * 16


def check_stack_depth(env: Env) -> None:
    """``check_max_stack_depth``: every chain of calls from the main program (and from each
    async callback) fits in ``MAX_BPF_STACK`` bytes together, is at most ``MAX_CALL_FRAMES``
    deep, and no callback throws an exception."""
    n = len(env.insns)
    bounds = [*env.subprogs, n]
    table = env.profile.table
    # per subprogram, in instruction order: ("throw", insn) or ("call", callee, direct call)
    steps: list[list[tuple[str, int, bool]]] = []
    for sub, start in enumerate(env.subprogs):
        found: list[tuple[str, int, bool]] = []
        for i in range(start, bounds[sub + 1]):
            insn = env.insns[i]
            if insn is None:
                continue
            if insn.op is Op.CALL_KFUNC and not insn.off:
                spec = table.kfunc(insn.imm)
                if spec is not None and table.in_family(spec.btf_id, Family.THROW):
                    found.append(("throw", i, False))
            elif insn.op is Op.CALL_SUBPROG or (insn.op is Op.LD_IMM64
                                                and insn.src == PSEUDO_FUNC):
                found.append(("call", subprog_at(env, i + insn.imm + 1),
                              insn.op is Op.CALL_SUBPROG))
        steps.append(found)

    def walk(sub: int, chain: tuple[int, ...], depth: int) -> None:
        frame = len(chain)
        depth += round_stack(env.stack_depth[sub])
        if depth > MAX_BPF_STACK:
            raise Reject(Msg.COMBINED_STACK, frame + 1, depth, insn=None)
        for what, arg, direct in steps[sub]:
            if what == "throw":
                if any(c in env.callback_subprogs for c in (*chain, sub)):
                    raise Reject(Msg.THROW_IN_CALLBACK, arg, sub, insn=None)
                continue
            if arg in env.async_subprogs and not direct:
                continue  # an async callback's stack is not its caller's
            if frame + 1 >= MAX_CALL_FRAMES:
                raise Reject(Msg.CALL_STACK_TOO_DEEP_BANG, frame + 1, insn=None)
            walk(arg, (*chain, sub), depth)

    for sub in range(len(env.subprogs)):
        if sub == 0 or sub in env.async_subprogs:
            walk(sub, (), 0)
