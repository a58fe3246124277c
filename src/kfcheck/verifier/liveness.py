"""Register liveness (``compute_live_registers``): before verification, a backward dataflow over
each subprogram's instructions gives the registers that may be read at or after each
instruction before being written. State comparison (``func_states_equal``) compares only the
registers live at a frame's instruction: the checkpoint's own for the innermost frame, the call
instruction for its callers. That makes the kernel's cleaning of dead registers in stored states
(``clean_live_states``: explored states at the instruction with no branches left, the same
callsites, not cleaned yet, no pending SCC backedges) redundant for comparisons; it matters to
precision propagation from a cleaned state, whose dead registers are NOT_INIT.

Dead stack slots (``kernel/bpf/liveness.c``, read and write marks collected while verifying)
are not modelled: every stack slot is compared, so kfcheck prunes less than the kernel there.
"""

from __future__ import annotations

from kfcheck.isa.insn import Insn
from kfcheck.verifier import helpers
from kfcheck.verifier.env import Env

ALL_REGS = 0xFFFF  # what an instruction the analysis does not describe uses
_R0 = 1
_CALLER_SAVED = 0x3F  # r0-r5
_ARGS = _CALLER_SAVED & ~_R0  # r1-r5

# opcode fields, as the kernel reads them
_LD, _LDX, _ST, _STX, _ALU, _JMP, _JMP32, _ALU64 = range(8)
_IMM, _MEM, _MEMSX, _ATOMIC = 0x00, 0x60, 0x80, 0xC0
_DW = 0x18
_SRC_X = 0x08
_OP_JA, _OP_CALL, _OP_EXIT, _OP_JCOND = 0x00, 0x80, 0x90, 0xE0
_OP_MOV, _OP_END = 0xB0, 0xD0
_FETCH, _CMPXCHG, _LOAD_ACQ, _STORE_REL = 0x01, 0xF1, 0x100, 0x110
_PSEUDO_CALL, _PSEUDO_KFUNC_CALL = 1, 2


def _call_params(env: Env, insn: Insn) -> int | None:
    """``get_call_summary``'s parameter count of a helper or kfunc call, None for a
    subprogram call or a callee kfcheck cannot describe (then R1-R5 count as read)."""
    if insn.src == 0:
        fn = helpers.helper(insn.imm)
        if (fn is None or env.info.helpers not in fn.groups
                or env.info.helpers in fn.other_protos):
            return None
        return len(fn.args)
    if insn.src == _PSEUDO_KFUNC_CALL and not insn.off:
        spec = env.profile.table.kfunc(insn.imm)
        if spec is None or not spec.allows(env.program.prog_type,
                                           env.program.expected_attach_type):
            return None  # fetch_kfunc_meta fails: not offered to this program
        return len(spec.args)
    return None


def _use_def(env: Env, insn: Insn) -> tuple[int, int]:
    """``compute_insn_live_regs``: the registers an instruction reads and writes."""
    code = insn.code
    cls, op, mode = code & 0x07, code & 0xF0, code & 0xE0
    src, dst = 1 << insn.src, 1 << insn.dst
    use, defs = ALL_REGS, 0
    if cls == _LD:
        if mode == _IMM and code & 0x18 == _DW:
            use, defs = 0, dst
    elif cls == _LDX:
        if mode in (_MEM, _MEMSX):
            use, defs = src, dst
    elif cls == _ST:
        if mode == _MEM:
            use = dst
    elif cls == _STX:
        if mode == _MEM:
            use = dst | src
        elif mode == _ATOMIC:
            imm = insn.imm & 0xFFFFFFFF
            if imm == _CMPXCHG:
                use, defs = _R0 | dst | src, _R0
            elif imm == _LOAD_ACQ:
                use, defs = src, dst
            elif imm == _STORE_REL:
                use = dst | src
            else:
                use, defs = dst | src, src if imm & _FETCH else 0
    elif cls in (_ALU, _ALU64):
        defs = dst
        if op == _OP_END:
            use = dst
        elif op == _OP_MOV:
            use = src if code & _SRC_X else 0
        else:
            use = dst | src if code & _SRC_X else dst
    elif cls in (_JMP, _JMP32):
        if op in (_OP_JA, _OP_JCOND):
            use = 0
        elif op == _OP_EXIT:
            use = _R0
        elif op == _OP_CALL:
            defs, use = _CALLER_SAVED, _ARGS
            params = None if insn.src == _PSEUDO_CALL else _call_params(env, insn)
            if params is not None:
                use = ((1 << (params + 1)) - 1) & ~1  # GENMASK(params, 1)
        else:
            use = dst | src if code & _SRC_X else dst
    return use, defs


def _successors(insn: Insn) -> tuple[int, ...]:
    """``bpf_insn_successors``: calls fall through, exits end, ``gotol`` jumps by imm."""
    code, idx = insn.code, insn.index
    cls, op = code & 0x07, code & 0xF0
    if cls not in (_JMP, _JMP32) or op == _OP_CALL:
        return (idx + insn.slots,)
    if op == _OP_EXIT:
        return ()
    target = idx + (insn.imm if code == (_JMP32 | _OP_JA) else insn.off) + 1
    if op == _OP_JA:
        return (target,)
    return (idx + 1, target)


def live_regs_before(env: Env) -> tuple[int, ...]:
    """Per instruction slot, the mask of registers (bit ``i``: r\\ ``i``) that may be read at
    or after it before being written (0 for an ``ld_imm64``'s second slot)."""
    insns = [i for i in env.insns if i is not None]
    n = len(env.insns)
    use_def = {i.index: _use_def(env, i) for i in insns}
    succs = {i.index: _successors(i) for i in insns}
    live = [0] * n
    changed = True
    while changed:  # to the fixed point; reverse order converges fastest
        changed = False
        for insn in reversed(insns):
            idx = insn.index
            out = 0
            for s in succs[idx]:
                if 0 <= s < n:
                    out |= live[s]
            use, defs = use_def[idx]
            new = (out & ~defs) | use
            if new != live[idx]:
                live[idx] = new
                changed = True
    return tuple(live)


def frame_masks(live: tuple[int, ...], callsites: list[int], insn: int) -> list[int]:
    """The live registers of each frame of a state at ``insn`` (``frame_insn_idx``): a caller's
    frame is at its call instruction (``callsites[i + 1]``), the innermost at ``insn``."""
    return [live[callsites[i + 1]] for i in range(len(callsites) - 1)] + [live[insn]]
