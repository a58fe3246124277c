"""Where a path of the exploration stands: the checkpoint it continues from and the
instructions it took since (the kernel's parent chain, ``first_insn_idx``/``last_insn_idx`` and
jump history), which precision backtracking walks back."""

from __future__ import annotations

from dataclasses import dataclass, field

from kfcheck.verifier.state import State

# history entry flags (the kernel's INSN_F_*): a fixed-offset stack access of a spill or fill
# in frame ``flags & 7``, slot ``flags >> 3 & 63``; a conditional jump's operand that was a
# stack pointer
STACK_ACCESS = 1 << 9
DST_REG_STACK = 1 << 10
SRC_REG_STACK = 1 << 11


def stack_access(frameno: int, spi: int) -> int:
    """``insn_stack_access_flags``."""
    return STACK_ACCESS | spi << 3 | frameno


# A register or stack slot linked to others by a shared scalar id: (frame, regno or slot, is
# a register)
Linked = tuple[int, int, bool]


@dataclass(slots=True)
class Hist:
    """One jump-history entry (``bpf_jmp_history_entry``): how the path reached ``idx``, and
    what it did there that backtracking must know; ``below`` is the entry before it (forked
    paths share their common entries)."""

    idx: int
    prev: int
    flags: int
    linked: tuple[Linked, ...]
    below: Hist | None


@dataclass(slots=True)
class Checkpoint:
    """A state saved at a prune point; ``branches`` counts the paths from it still being
    explored (0: every path from it reached an exit or was pruned). ``first``..``last`` and
    ``hist`` are the instructions the path took from its own parent to here."""

    state: State
    insn: int
    parent: Checkpoint | None
    first: int
    last: int
    hist: Hist | None
    branches: int = 1
    hits: int = 0  # hit_cnt: paths pruned against it
    misses: int = 0  # miss_cnt: visits it did not prune while a checkpoint could be added


@dataclass(slots=True)
class Path:
    """A path waiting on the branch stack or being explored: its state at ``insn`` (reached
    from ``prev``), the checkpoint it continues from, and its history since (from ``first``;
    ``cur_hist``: the top entry was made for the instruction being processed)."""

    state: State
    insn: int
    parent: Checkpoint | None
    prev: int = -1  # the instruction that pushed it (prev_insn_idx)
    log_pos: int = 0  # the log's size when it was pushed
    first: int = 0
    hist: Hist | None = None
    cur_hist: bool = False
    hist_count: int = 0  # entries in ``hist``

    def fork(self, state: State, insn: int, parent: Checkpoint | None, log_pos: int) -> Path:
        """The path of a successor pushed on the branch stack (``push_stack``: a copy with
        the history so far)."""
        if parent is None:  # an async callback: a fresh state with no history
            return Path(state, insn, None, self.insn, log_pos, insn)
        return Path(state, insn, parent, self.insn, log_pos, self.first, self.hist,
                    hist_count=self.hist_count)

    def push_hist(self, flags: int = 0, linked: tuple[Linked, ...] = ()) -> None:
        """``push_jmp_history`` for the instruction being processed: one entry per
        instruction, later flags merged into it."""
        top = self.hist
        if self.cur_hist and top is not None:
            top.flags |= flags
            if linked:
                top.linked = linked
            return
        self.hist = Hist(self.insn, self.prev, flags, linked, top)
        self.cur_hist = True
        self.hist_count += 1


@dataclass(slots=True)
class Visit:
    """One visit of a loop along a call chain (``bpf_scc_visit``): the checkpoint that
    entered it and the backedges found since: paths (copies as they were) that converged on
    one of its checkpoints."""

    entry: Checkpoint | None = None
    backedges: list[tuple[Path, Checkpoint]] = field(default_factory=list)
