"""The exploration engine (``check_cfg`` and ``do_check``): depth-first over every path with a
branch stack, checkpoints at prune points with the kernel's heuristics, pruning against fully
explored checkpoints that include the current state (live registers only, imprecise scalars
as equal: liveness.py, precision.py), loops converging against checkpoints still on the
current path (iterators, may_goto, callbacks: widening, backedges in scc.py), infinite-loop
detection, and the complexity limits.
"""

from __future__ import annotations

from dataclasses import replace

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import InsnClass, Op
from kfcheck.uapi import MapType
from kfcheck.verifier import (
    alu,
    async_cb,
    branch,
    callbacks,
    calls,
    kfunc_cb,
    kfunc_iter,
    kfuncs,
    liveness,
    mem,
    precision,
    scc,
    subprogs,
)
from kfcheck.verifier.env import INSN_LIMIT, JMP_SEQ_LIMIT, Env
from kfcheck.verifier.equiv import EXACT, NOT_EXACT, RANGE_WITHIN, states_equal
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.path import Checkpoint, Path
from kfcheck.verifier.state import FP, NOT_INIT, Base, Frame, State, pointer

_JMP_CLASSES = (InsnClass.JMP, InsnClass.JMP32)


def check_cfg(env: Env) -> tuple[frozenset[int], frozenset[int]]:
    """Reject jumps out of range and unreachable instructions; return the prune points
    (conditional jumps, jump targets) and the jump points (where a path may arrive from
    elsewhere than the instruction before: jump and call targets, returns from calls,
    calls of callbacks)."""
    insns = env.insns
    n = len(insns)
    prune: set[int] = set()
    jmp: set[int] = set()
    seen = [False] * n
    todo = [0]
    while todo:
        t = todo.pop()
        if seen[t]:
            continue
        seen[t] = True
        insn = insns[t]
        assert insn is not None
        succ: list[int] = []
        if insn.op is Op.LD_IMM64 and insn.src == subprogs.PSEUDO_FUNC:
            succ.extend((t + 2, t + insn.imm + 1))  # the callback's body is reachable
            prune.update((t, t + 2))
            jmp.update((t + 2, t + insn.imm + 1))
        elif insn.cls not in _JMP_CLASSES:
            succ.append(t + insn.slots)
        elif insn.op is Op.EXIT:
            pass
        elif insn.op in (Op.CALL_HELPER, Op.CALL_KFUNC):
            succ.append(t + 1)
            prune.add(t + 1)  # after every call (visit_func_call_insn)
            jmp.add(t + 1)
            if kfunc_iter.is_iter_next(env, insn):
                prune.add(t)  # a forced checkpoint (is_force_checkpoint)
            if callbacks.sync_callback_call(env, insn):  # the callback returns to the call
                prune.add(t)
                jmp.add(t)
            elif callbacks.async_callback_call(env, insn):
                prune.add(t)
        elif insn.op is Op.CALL_SUBPROG:
            w = t + insn.imm + 1
            succ.extend((t + 1, w))
            prune.update((t, t + 1))
            jmp.update((t + 1, w))
        elif insn.op in (Op.JA, Op.GOTOL):
            w = t + (insn.imm if insn.op is Op.GOTOL else insn.off) + 1
            succ.append(w)
            prune.add(w)
            jmp.add(w)
        else:  # conditional jumps and may_goto (a forced checkpoint: _visit)
            w = t + insn.off + 1
            prune.update((t, w))
            jmp.add(w)
            succ.extend((t + 1, w))
        for w in succ:
            if 0 <= w < n and insns[w] is None:
                raise Reject(Msg.JUMP_INTO_LDIMM64, w - 1)
            if w < 0 or w >= n:
                if w == n and insn.cls not in _JMP_CLASSES:
                    raise Reject(Msg.LAST_NOT_EXIT)
                raise Reject(Msg.JUMP_OUT_OF_RANGE, t, w)
            todo.append(w)
    for i, insn in enumerate(insns):
        if insn is not None and not seen[i]:
            raise Reject(Msg.UNREACHABLE, i)
    last = insns[-1] if insns[-1] is not None else insns[-2]
    if last is None or last.op not in (Op.EXIT, Op.JA, Op.GOTOL):
        raise Reject(Msg.LAST_NOT_EXIT)
    return frozenset(prune), frozenset(jmp)


# A checkpoint that misses more than ``hits * n + n`` times is dropped from its instruction's
# list (the kernel's eviction heuristic): n is 3, or 64 for a loop's forced checkpoint still
# being explored.
_EVICT_MISSES = 3
_EVICT_MISSES_LOOP = 64
_HIST_FORCE = 40  # a path with more jump history entries since its checkpoint adds one


def initial_state(env: Env) -> State:
    """R1 is the context, R10 the frame pointer, the rest not initialised."""
    regs = [NOT_INIT] * 11
    regs[1] = pointer(Base.PTR_TO_CTX)
    regs[FP] = pointer(Base.PTR_TO_STACK)
    return State((Frame(tuple(regs)),))


def explore(env: Env) -> None:
    """Verify every path of the main program, then each global function it calls, then the
    stack size of every call chain; raise ``Reject`` or ``Unsupported``."""
    env.subprogs = subprogs.find_subprogs(env)
    kfuncs.add_kfunc_calls(env)
    env.stack_depth = [0] * len(env.subprogs)
    subprogs.check_subprogs(env)
    _check_maps(env)
    env.prune_points, env.jmp_points = check_cfg(env)
    env.callback_calls = frozenset(
        i.index for i in env.insns if i is not None and callbacks.sync_callback_call(env, i))
    env.scc = scc.compute_scc(env)
    env.global_starts = frozenset(env.subprogs[i] for i in range(1, len(env.subprogs))
                                  if subprogs.is_global(env, i))
    env.iter_next_insns = frozenset(
        i.index for i in env.insns if i is not None and kfunc_iter.is_iter_next(env, i))
    env.live_regs = liveness.live_regs_before(env)
    _explore_from(env, initial_state(env), 0)
    verified: set[int] = set()
    while True:  # do_check_subprogs: in order, again while calls mark new ones
        pending = sorted(set(env.globals_called) - verified)
        if not pending:
            break
        for sub in pending:
            env.root = sub
            _explore_from(env, subprogs.global_entry_state(env, sub), env.subprogs[sub])
            verified.add(sub)
    subprogs.check_stack_depth(env)


def _explore_from(env: Env, state: State, start: int) -> None:
    """``do_check_common``: every path from ``start``, with its own checkpoints."""
    visited: dict[int, list[Checkpoint]] = {}
    stack: list[Path] = []
    path: Path | None = Path(state, start, None, first=start)
    log = env.log
    if log is not None:
        log.begin()
    while path is not None:
        ended = _run(env, path, visited, stack)
        if ended:
            _finish(env, path.parent)
        path = stack.pop() if stack else None
        if log is not None:
            log.path_end()
            if path is not None:
                log.pop(path.log_pos)


def _check_maps(env: Env) -> None:
    """``check_map_prog_compatibility`` for every map the program uses, in order."""
    for ref in env.program.map_refs:
        m = env.program.maps[ref.map_index]
        names = {name for _, _, name in env.map_fields(m)}
        if not env.info.tracing:
            if "bpf_spin_lock" in names and env.info.name == "socket_filter":
                raise Reject(Msg.SOCKET_FILTER_LOCK)
        else:
            if names & {"bpf_list_head", "bpf_rb_root"}:
                raise Reject(Msg.TRACING_GRAPH)
            for field, msg in (("bpf_spin_lock", Msg.TRACING_SPIN_LOCK),
                               ("bpf_timer", Msg.TRACING_TIMER), ("bpf_wq", Msg.TRACING_WQ)):
                if field in names:
                    raise Reject(msg)
        if env.program.sleepable:
            if m.map_type not in _SLEEPABLE_MAPS:
                raise Reject(Msg.SLEEPABLE_MAP)
            if m.inner is not None and m.inner.map_type not in _SLEEPABLE_MAPS:
                raise Unsupported("inner maps of sleepable programs", None)


# the map types a sleepable program may use
_SLEEPABLE_MAPS = frozenset({
    MapType.HASH, MapType.LRU_HASH, MapType.ARRAY, MapType.PERCPU_HASH, MapType.PERCPU_ARRAY,
    MapType.LRU_PERCPU_HASH, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS, MapType.RINGBUF,
    MapType.USER_RINGBUF, MapType.INODE_STORAGE, MapType.SK_STORAGE, MapType.TASK_STORAGE,
    MapType.CGRP_STORAGE, MapType.QUEUE, MapType.STACK, MapType.ARENA})


def _finish(env: Env, cp: Checkpoint | None) -> None:
    """``update_branch_counts``: one path below ``cp`` is done; a loop visit whose entry has
    no path left propagates its backedges' marks."""
    while cp is not None:
        cp.branches -= 1
        if cp.branches:
            return
        scc.leave(env, cp)
        cp = cp.parent


def _run(env: Env, path: Path, visited: dict[int, list[Checkpoint]],
         stack: list[Path]) -> bool:
    """Follow one path until it exits or is pruned (True), pushing the other side of every
    undecided branch."""
    st, idx, prev = path.state, path.insn, path.prev
    insns = env.insns
    log = env.log
    env.path = path
    while True:
        path.insn, path.prev, path.cur_hist = idx, prev, False
        env.insn_processed += 1
        if env.insn_processed > INSN_LIMIT:
            raise Reject(Msg.TOO_LARGE, env.insn_processed, insn=None)
        if idx in env.prune_points and _visit(env, path, st, idx, visited):
            if log is not None:
                log.safe(idx, prev)
            return True
        if idx in env.jmp_points:
            path.push_hist()
        insn = insns[idx]
        assert insn is not None
        if log is not None:
            log.insn(st, idx, insn, prev)
        try:
            if not async_cb.is_timer_set_callback(insn):
                callbacks.guard_func_pointers(env, st, insn)
            succ = _step(env, st, insn)
        except (Reject, Unsupported) as exc:
            if exc.insn is None:
                exc.insn = idx
            raise
        if insn.cls in _JMP_CLASSES:
            env.jmps_processed += 1
        if not succ:
            return True
        if len(succ) == 2 and (idx in env.iter_next_insns or insn.op is Op.MAY_GOTO):
            succ[1] = (_widen_from_prev(path, succ[1][0], idx), succ[1][1])
        for other, target in reversed(succ[1:]):
            # an async callback starts a state of its own (push_async_cb: no parent)
            parent = None if other.frames[0].async_cb != st.frames[0].async_cb else path.parent
            if parent is not None:
                parent.branches += 1
            stack.append(path.fork(other, target, parent, log.size if log is not None else 0))
            if len(stack) > JMP_SEQ_LIMIT:
                raise Reject(Msg.JMP_SEQ, len(stack), insn=idx)
        if log is not None:
            log.after(st, insn, succ)
        prev = idx
        st, idx = succ[0]


def _visit(env: Env, path: Path, st: State, idx: int,
           visited: dict[int, list[Checkpoint]]) -> bool:
    """``is_state_visited``: True when the path can be pruned here; else maybe add a
    checkpoint (the kernel's heuristics decide when)."""
    insn = env.insns[idx]
    iter_next = idx in env.iter_next_insns
    callback_call = insn is not None and callbacks.sync_callback_call(env, insn)
    may_goto = insn is not None and insn.op is Op.MAY_GOTO
    force = iter_next or callback_call or may_goto or path.hist_count > _HIST_FORCE
    add = force or (env.jmps_processed - env.prev_jmps_processed >= 2
                    and env.insn_processed - env.prev_insn_processed >= 8)
    checkpoints = visited.get(idx, [])
    live = liveness.frame_masks(env.live_regs, [f.callsite for f in st.frames], idx)
    evicted: list[Checkpoint] = []
    for cp in reversed(checkpoints):  # newest first, as the kernel's list
        if cp.branches:
            if iter_next:  # an iterator loop converges when an iteration repeats one
                if (states_equal(cp.state, st, RANGE_WITHIN, live)
                        and kfunc_iter.next_iter_active(env, st)):
                    return _hit(env, path, st, cp, checkpoints, evicted, loop=True)
            elif callback_call:  # a callback's iteration converged
                if states_equal(cp.state, st, RANGE_WITHIN, live):
                    return _hit(env, path, st, cp, checkpoints, evicted, loop=True)
            elif (may_goto and cp.state.may_goto_depth != st.may_goto_depth
                  and states_equal(cp.state, st, RANGE_WITHIN, live)):  # a may_goto loop converged
                return _hit(env, path, st, cp, checkpoints, evicted, loop=True)
            elif (_maybe_looping(cp.state, st) and states_equal(cp.state, st, EXACT, live)
                  and not kfunc_iter.active_depths_differ(cp.state, st)
                  and cp.state.may_goto_depth == st.may_goto_depth
                  and async_cb.in_async(cp.state) == async_cb.in_async(st)
                  and cp.state.callback_unroll_depth == st.callback_unroll_depth):
                raise Reject(Msg.INFINITE_LOOP, idx, insn=idx)
            if not force and (env.jmps_processed - env.prev_jmps_processed < 20
                              and env.insn_processed - env.prev_insn_processed < 100):
                add = False
        else:
            loop = scc.incomplete_marks(env, cp)
            if states_equal(cp.state, st, RANGE_WITHIN if loop else NOT_EXACT, live):
                return _hit(env, path, st, cp, checkpoints, evicted, loop)
        if add:  # a miss
            cp.misses += 1
        n = _EVICT_MISSES_LOOP if force and cp.branches else _EVICT_MISSES
        if cp.misses > cp.hits * n + n:
            evicted.append(cp)  # still a parent for branch counts, never compared again
    if len(checkpoints) > env.max_states_per_insn:
        env.max_states_per_insn = len(checkpoints)
    _evict(checkpoints, evicted)
    if not add:
        return False
    env.prev_jmps_processed = env.jmps_processed
    env.prev_insn_processed = env.insn_processed
    cp = Checkpoint(st, idx, path.parent, path.first, path.prev, path.hist)
    visited.setdefault(idx, []).append(cp)
    env.total_states += 1
    scc.enter(env, cp)
    path.parent, path.first, path.hist, path.hist_count = cp, idx, None, 0
    return False


def _evict(checkpoints: list[Checkpoint], evicted: list[Checkpoint]) -> None:
    """Drop the ``evicted`` checkpoints from an instruction's list."""
    if evicted:
        gone = {id(cp) for cp in evicted}
        checkpoints[:] = [cp for cp in checkpoints if id(cp) not in gone]


def _hit(env: Env, path: Path, st: State, cp: Checkpoint, checkpoints: list[Checkpoint],
         evicted: list[Checkpoint], loop: bool) -> bool:
    """A pruning hit on ``cp``: count it, drop the evicted checkpoints, make precise on this
    path what is precise in ``cp`` (and, converging in a loop, keep the path as a backedge
    of it); the path is pruned."""
    cp.hits += 1
    _evict(checkpoints, evicted)
    if path.insn in env.jmp_points:
        path.push_hist()
    precision.propagate(env, cp.state, path)
    if loop:
        scc.add_backedge(env, cp, path, st)
    return True


def _widen_from_prev(path: Path, queued: State, idx: int) -> State:
    """``widen_imprecise_scalars`` of the next iteration of an iterator or may_goto loop
    against the previous iteration's checkpoint at this instruction (``find_prev_entry``
    from before the checkpoint just added here)."""
    here = path.parent
    if here is None or here.insn != idx:
        raise Unsupported("a loop instruction without its checkpoint", idx)
    prev = _prev_entry(here.parent, idx, queued)
    return precision.widen(prev.state, queued) if prev is not None else queued


def _prev_entry(cp: Checkpoint | None, idx: int, st: State) -> Checkpoint | None:
    """``find_prev_entry``: the latest checkpoint on the path at ``idx`` in the same
    function calls as ``st``."""
    while cp is not None:
        if cp.insn == idx and _same_callsites(cp.state, st):
            return cp
        cp = cp.parent
    return None


def _same_callsites(a: State, b: State) -> bool:
    return [f.callsite for f in a.frames] == [f.callsite for f in b.frames]


def _maybe_looping(old: State, cur: State) -> bool:
    """``states_maybe_looping``: the innermost frames' registers are identical."""
    return (len(old.frames) == len(cur.frames)
            and old.frames[-1].regs == cur.frames[-1].regs)


def _step(env: Env, st: State, insn: Insn) -> list[tuple[State, int]]:
    """One instruction: the successor states (first continues, the rest are pushed)."""
    cls, idx = insn.cls, insn.index
    if cls in (InsnClass.ALU, InsnClass.ALU64):
        return alu.do_alu(env, st, insn)
    if cls in _JMP_CLASSES:
        return _jump(env, st, insn)
    if cls is InsnClass.LDX:
        return [(_load(env, st, insn), idx + 1)]
    if cls in (InsnClass.STX, InsnClass.ST):
        return [(_store(env, st, insn), idx + 1)]
    if insn.op is Op.LD_IMM64:
        return [(_ld_imm64(env, st, insn), idx + 2)]
    raise Unsupported(f"instruction {insn.op.value}", idx)


def _jump(env: Env, st: State, insn: Insn) -> list[tuple[State, int]]:
    idx, op = insn.index, insn.op
    if op is Op.JA:
        return [(st, idx + insn.off + 1)]
    if op is Op.GOTOL:
        return [(st, idx + insn.imm + 1)]
    if op is Op.EXIT:
        if st.frame.callback_ret is not None and len(st.frames) > 1:
            ((back, callsite),) = callbacks.callback_return(env, st, idx)
            prev = _prev_entry(env.path.parent if env.path else None, callsite, back)
            return [(precision.widen(prev.state, back) if prev else back, callsite)]
        if len(st.frames) > 1:
            return subprogs.do_return(env, st, idx)
        if async_cb.in_async(st):
            async_cb.async_exit(env, st, idx)
            return []
        calls.do_exit(env, st, insn)
        return []
    if op is Op.CALL_SUBPROG:
        return subprogs.do_call(env, st, idx, idx + insn.imm + 1)
    if op is Op.CALL_KFUNC:
        if async_cb.in_timer_callback(st):
            raise Unsupported("kfunc calls in timer callbacks", idx)
        return kfuncs.do_kfunc_call(env, st, insn)
    if op is Op.CALL_HELPER:
        if st.locked and insn.imm != _SPIN_UNLOCK:
            raise Reject(Msg.CALL_IN_LOCK, insn=idx)
        if insn.imm == _SPIN_UNLOCK and kfunc_cb.in_rbtree_cb(env, st):
            r1 = st.reg(1)
            if r1.base is not Base.PTR_TO_MAP_VALUE or r1.flags:
                raise Unsupported("bpf_spin_unlock of no map value in an rbtree callback", idx)
            raise Reject(Msg.RBTREE_CB_SPIN, insn=idx)
        if st.res_locks and insn.imm == _SPIN_UNLOCK:
            raise Unsupported("bpf_spin_unlock while resilient spin locks are held", idx)
        if callbacks.calls_callback(insn.imm):
            return callbacks.do_callback_helper(env, st, insn)
        if async_cb.is_timer_set_callback(insn):
            return async_cb.timer_set_callback(env, st, insn)
        return [(calls.do_helper_call(env, st, insn), idx + 1)]
    if op is Op.MAY_GOTO:
        return _may_goto(st, insn)
    return branch.do_cond_jmp(env, st, insn)


def _may_goto(st: State, insn: Insn) -> list[tuple[State, int]]:
    """``may_goto``: the path goes on at the jump target; the fall-through, one may_goto
    deeper (its scalars widened by the caller), is explored later."""
    idx = insn.index
    deeper = replace(st, may_goto_depth=st.may_goto_depth + 1)
    return [(st, idx + insn.off + 1), (deeper, idx + 1)]


_SPIN_UNLOCK = 94


def _load(env: Env, st: State, insn: Insn) -> State:
    idx = insn.index
    if insn.op not in (Op.LDX, Op.LDSX):
        raise Unsupported(f"instruction {insn.op.value}", idx)
    size = insn.size
    assert size is not None
    mem.check_reg_read(st, insn.src, idx)
    st, loaded = mem.access(env, st, idx, insn.src, insn.off, size.nbytes, False, None,
                            insn.dst, signed=insn.op is Op.LDSX)
    assert loaded is not None
    return mem.set_reg(st, insn.dst, loaded, idx)


def _store(env: Env, st: State, insn: Insn) -> State:
    idx = insn.index
    size = insn.size
    assert size is not None
    if insn.op is Op.STX:
        value = mem.check_reg_read(st, insn.src, idx)
        value_regno = insn.src
    elif insn.op is Op.ST:
        value, value_regno = mem.imm_value(insn.imm), -1
    elif insn.atomic_op is not None:
        return mem.atomic(env, st, insn)
    else:
        raise Unsupported(f"instruction {insn.op.value}", idx)
    mem.check_reg_read(st, insn.dst, idx)
    st, _ = mem.access(env, st, idx, insn.dst, insn.off, size.nbytes, True, value,
                       value_regno)
    return st


def _ld_imm64(env: Env, st: State, insn: Insn) -> State:
    """``r = imm64``, a map's address, or the address of a value inside a map."""
    idx = insn.index
    if insn.src == 0:
        assert insn.imm64 is not None
        return mem.set_reg(st, insn.dst, mem.imm_value64(insn.imm64), idx)
    if insn.src == subprogs.PSEUDO_FUNC:
        return callbacks.ld_func(env, st, insn)
    ref = env.map_at(idx)
    if ref is None:
        raise Unsupported(f"ld_imm64 with src_reg {insn.src}", idx)
    m, offset = ref
    if insn.src == 1:  # BPF_PSEUDO_MAP_FD
        return mem.set_reg(st, insn.dst, pointer(Base.CONST_PTR_TO_MAP, map=m), idx)
    if insn.src == 2:  # BPF_PSEUDO_MAP_VALUE
        return mem.set_reg(st, insn.dst, pointer(Base.PTR_TO_MAP_VALUE, map=m, off=offset), idx)
    raise Unsupported(f"ld_imm64 with src_reg {insn.src}", idx)

