"""Loops and the precision marks they owe (``compute_scc``, ``bpf_scc_visit``): a path that
converges on a checkpoint of a loop still being explored (an iterator, may_goto or callback
loop) leaves a *backedge*. While a loop's visit has backedges, its checkpoints may lack
precision marks that paths not yet explored would give them, so they are compared by range
(``incomplete_read_marks``). When every path of the visit is done, the marks are propagated
along the backedges until nothing changes (``propagate_backedges``)."""

from __future__ import annotations

from kfcheck.isa.opcodes import InsnClass, Op
from kfcheck.verifier import precision
from kfcheck.verifier.env import Env
from kfcheck.verifier.messages import Unsupported
from kfcheck.verifier.path import Checkpoint, Path, Visit
from kfcheck.verifier.state import State

_MAX_BACKEDGE_ITERS = 64


def compute_scc(env: Env) -> dict[int, int]:
    """The loop (strongly connected component, numbered from 1) of each instruction in
    one: components of two or more instructions, one with a jump to itself, or a call that
    runs a callback (an implicit loop); instructions in no loop are left out."""
    succ = _successors(env)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    scc: dict[int, int] = {}
    counter = numbered = 0
    for root in range(len(env.insns)):
        if env.insns[root] is None or root in index:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter = counter + 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, i = work[-1]
            if i < len(succ[v]):
                work[-1] = (v, i + 1)
                w = succ[v][i]
                if w not in index:
                    index[w] = low[w] = counter = counter + 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] != index[v]:
                continue
            members = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                members.append(w)
                if w == v:
                    break
            if len(members) > 1 or v in succ[v] or v in env.callback_calls:
                numbered += 1
                for w in members:
                    scc[w] = numbered
    return scc


def _successors(env: Env) -> list[list[int]]:
    """``insn_successors``, within each function (a call goes on after itself)."""
    out: list[list[int]] = [[] for _ in env.insns]
    for insn in env.insns:
        if insn is None:
            continue
        t = insn.index
        if insn.cls not in (InsnClass.JMP, InsnClass.JMP32):
            out[t] = [t + insn.slots]
        elif insn.op is Op.EXIT:
            out[t] = []
        elif insn.op in (Op.CALL_HELPER, Op.CALL_KFUNC, Op.CALL_SUBPROG):
            out[t] = [t + 1]
        elif insn.op is Op.JA:
            out[t] = [t + insn.off + 1]
        elif insn.op is Op.GOTOL:
            out[t] = [t + insn.imm + 1]
        else:
            out[t] = [t + 1, t + insn.off + 1]
    return out


def callchain(env: Env, st: State, insn: int) -> tuple[int, ...] | None:
    """``compute_scc_callchain``: the call sites down to the outermost frame whose
    instruction is in a loop, and that loop; None outside loops."""
    sites: list[int] = []
    for i in range(len(st.frames)):
        at = insn if i == len(st.frames) - 1 else st.frames[i + 1].callsite
        number = env.scc.get(at, 0)
        if number:
            return (*sites, number)
        sites.append(at)
    return None


def _visit_of(env: Env, cp: Checkpoint) -> Visit | None:
    chain = callchain(env, cp.state, cp.insn)
    return env.scc_visits.get(chain) if chain is not None else None


def enter(env: Env, cp: Checkpoint) -> None:
    """``maybe_enter_scc``: a new checkpoint in a loop not being visited starts a visit."""
    chain = callchain(env, cp.state, cp.insn)
    if chain is None:
        return
    visit = env.scc_visits.setdefault(chain, Visit())
    if visit.entry is None:
        visit.entry = cp


def incomplete_marks(env: Env, cp: Checkpoint) -> bool:
    """``incomplete_read_marks``: ``cp``'s loop has backedges awaiting propagation."""
    visit = _visit_of(env, cp)
    return visit is not None and bool(visit.backedges)


def add_backedge(env: Env, cp: Checkpoint, path: Path, st: State) -> None:
    """``add_scc_backedge``: the path (a copy, as it is now) converged on ``cp``."""
    visit = _visit_of(env, cp)
    if visit is None:
        raise Unsupported("a loop convergence outside any loop", path.insn)
    visit.backedges.append((Path(st, path.insn, path.parent, path.prev, 0, path.first,
                                 path.hist), cp))


def leave(env: Env, cp: Checkpoint) -> None:
    """``maybe_exit_scc``: every path from the visit's entry is done; propagate the marks
    along its backedges until nothing changes."""
    visit = _visit_of(env, cp)
    if visit is None or visit.entry is not cp:
        return
    visit.entry = None
    backedges, visit.backedges = visit.backedges, []
    for _ in range(_MAX_BACKEDGE_ITERS + 1):
        changed = False
        for path, target in backedges:
            changed = precision.propagate(env, target.state, path) or changed
        if not changed:
            return
    for path, _ in backedges:
        precision.mark_all(env, path)
