"""The verifier log, as the kernel writes it (``kernel/bpf/log.c``, ``do_check``).

Level 2: every instruction of every path (``N: (code) text``), followed by the registers and
stack slots the instruction read or wrote (``; R0=map_value(...) fp-8=0000????``), source lines
from line_info, ``from X to Y:`` with the whole state when a pushed path is taken up,
``N: safe`` where a path is pruned, the error and the ``processed ...`` summary. Level 1 keeps
only the lines of the path being verified: a popped path cuts the log back to where it was
pushed (byte-exact, as ``bpf_vlog_reset``: the cut can fall inside a line); an accepted
program's level-1 log is the summary alone.

The engine calls ``VerifierLog`` only when a log level is set (``env.log`` is None at level
0). Not modelled: the level-2 lines of the kernel's analyses that kfcheck does not run
(``func#N @I``, ``Live regs before insn:``, stack liveness ``(0) frame 0 insn ...``,
``SCC enter ...``)
and ``BPF_ADD_CONST`` ids (``id=1+0``).
"""

from __future__ import annotations

from bisect import bisect_right

from kfcheck.btf import Btf
from kfcheck.isa.disasm import format_insn
from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import InsnClass, Op, PseudoSrc
from kfcheck.link.program import Program
from kfcheck.verifier.scalar import Scalar
from kfcheck.verifier.state import TF, Base, Frame, Reg, SlotKind, StackSlot, State

_ALL = (1 << 64) - 1
_S64_MIN, _S64_MAX, _U64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1
_S32_MIN, _S32_MAX, _U32_MAX = -(1 << 31), (1 << 31) - 1, (1 << 32) - 1
_SLOT_CHAR = {SlotKind.INVALID: "?", SlotKind.SPILL: "r", SlotKind.MISC: "m",
              SlotKind.ZERO: "0", SlotKind.ITER: "i", SlotKind.IRQ_FLAG: "f"}
_MAP_BASES = (Base.CONST_PTR_TO_MAP, Base.PTR_TO_MAP_KEY, Base.PTR_TO_MAP_VALUE)
_PKT_BASES = (Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META)
_JMP = (InsnClass.JMP, InsnClass.JMP32)
_MAP_NAME_LEN = 15  # BPF_OBJ_NAME_LEN - 1


def _unum(v: int) -> str:
    """``verbose_unum``: decimal up to U16_MAX, else hex."""
    return str(v) if v <= 0xFFFF else f"{v:#x}"


def _snum(v: int) -> str:
    """``verbose_snum``: decimal in [S16_MIN, S16_MAX], else the u64's hex."""
    return str(v) if -0x8000 <= v <= 0x7FFF else f"{v & _U64_MAX:#x}"


def _s64(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def _ranges(s: Scalar) -> list[str]:
    """``print_scalar_ranges``: the bounds that say something, equal ones merged."""
    def s32(v: int) -> int:
        return v if -0x8000 <= v <= 0x7FFF else v & _U32_MAX

    names = ("smin", "smax", "umin", "umax", "smin32", "smax32", "umin32", "umax32")
    vals = (s.smin, s.smax, s.umin, s.umax, s32(s.s32_min), s32(s.s32_max), s.u32_min,
            s.u32_max)
    omit = [s.smin == _S64_MIN, s.smax == _S64_MAX, s.umin == 0, s.umax == _U64_MAX,
            s.s32_min == _S32_MIN, s.s32_max == _S32_MAX, s.u32_min == 0,
            s.u32_max == _U32_MAX]
    out = []
    for i, name in enumerate(names):
        if omit[i]:
            continue
        neg = name[0] == "s" and vals[i] < 0
        text = f"{name}="
        for j in range(i + 2, len(names), 2):
            if omit[j] or vals[j] != vals[i] or (names[j][0] == "s" and vals[j] < 0) != neg:
                continue
            omit[j] = True
            text += f"{names[j]}="
        out.append(text + (_snum(vals[i]) if name[0] == "s" else _unum(vals[i])))
    return out


def _tnum(s: Scalar) -> str:
    return f"({s.value:#x}; {s.mask:#x})"


class VerifierLog:
    """One verification's log (``env->log``) and the printing state of ``do_check``."""

    def __init__(self, prog: Program, kernel_btf: Btf, level: int) -> None:
        self.kernel_btf = kernel_btf
        self.prog_btf = prog.btf
        self.level = level
        self.lines: list[str] = []
        self.open = False  # the last line has no newline yet (a cut fell inside it)
        self.size = 0  # bytes, as the kernel's end_pos
        self.prev_log_pos = 0  # end of the last instruction line
        self.insn_text_len = 0  # its length with the newline (prev_insn_print_pos)
        self.regs = _ALL  # scratched registers (bits), as env->scratched_regs
        self.slots = _ALL  # scratched stack slots (bits), as env->scratched_stack_slots
        self.print_state = False  # do_print_state: a path was just taken up
        self.prev_insn = -1
        self.linfo: object = None
        self.prev_linfo: tuple[int, int] | None = None  # (file_name_off, line) printed last
        self.line_info = sorted(prog.line_info, key=lambda r: r.insn)
        self.line_starts = [r.insn for r in self.line_info]
        self.maps = {ref.insn: prog.maps[ref.map_index].name for ref in prog.map_refs}

    # ---- the buffer ----

    def emit(self, text: str) -> None:
        """One line (``verbose(env, "...\\n")``), continuing a line left open by a cut."""
        if self.open:
            self.lines[-1] += text
            self.open = False
        else:
            self.lines.append(text)
        self.size += len(text) + 1

    def reset(self, pos: int) -> None:
        """``bpf_vlog_reset``: cut the log back to ``pos`` bytes."""
        while self.lines and self.size > pos:
            last = self.lines[-1]
            start = self.size - len(last) - (0 if self.open else 1)
            if start >= pos:
                self.lines.pop()
                self.size, self.open = start, False
            else:
                self.lines[-1] = last[:pos - start]
                self.size, self.open = pos, True

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    # ---- states ----

    def _btf_name(self, reg: Reg) -> str:
        btf = self.prog_btf if reg.flags & TF.ALLOC else self.kernel_btf
        if btf is None or not 0 < reg.btf_id < len(btf):
            return ""
        return btf[reg.btf_id].name or ""

    def reg(self, reg: Reg, frameno: int) -> str:
        """``print_reg_state``."""
        s = reg.s
        p = "P" if reg.precise else ""
        if reg.base is Base.SCALAR and s.is_const():
            return p + _snum(_s64(s.value))
        text = p + reg.type_name
        if reg.base is Base.PTR_TO_STACK:
            if reg.frameno != frameno:
                text += f"[{reg.frameno}]"
            if s.is_const():
                return text + _snum(_s64(s.value) + reg.off)
        if reg.base is Base.PTR_TO_BTF_ID:
            text += self._btf_name(reg)
        parts = []
        if reg.id:
            parts.append(f"id={reg.id}")
        if reg.ref_obj_id:
            parts.append(f"ref_obj_id={reg.ref_obj_id}")
        if reg.flags & TF.NON_OWN:
            parts.append("non_own_ref")
        if reg.base in _MAP_BASES and reg.map is not None:
            name = reg.map.name[:_MAP_NAME_LEN]
            if name:
                parts.append(f"map={name}")
            parts.append(f"ks={reg.map.key_size},vs={reg.map.value_size}")
        if reg.base is not Base.SCALAR and reg.off:
            parts.append(f"off={_snum(reg.off)}")
        if reg.base in _PKT_BASES:
            parts.append(f"r={_unum(reg.range)}")
        if reg.base is Base.PTR_TO_MEM:
            parts.append(f"sz={_unum(reg.mem_size)}")
        if reg.base is Base.CONST_PTR_TO_DYNPTR:
            parts.append("type=local")  # the only type a callback's const dynptr has
        if s.is_const():
            if s.value:
                parts.append(f"imm={_snum(_s64(s.value))}")
        else:
            parts += _ranges(s)
            if s.mask != _U64_MAX:  # tnum_is_unknown
                parts.append(f"var_off={_tnum(s)}")
        return f"{text}({','.join(parts)})"

    def _slot(self, i: int, slot: StackSlot, frameno: int) -> str | None:
        kinds = slot.kinds  # the kernel's slot_type order (the last byte: the lowest address)
        if all(k is SlotKind.INVALID for k in kinds):
            return None
        chars = "".join(_SLOT_CHAR.get(k, "?") for k in kinds)
        if kinds[-1] is SlotKind.SPILL and slot.spilled is not None:
            head = chars[:chars.index("r")]
            return f"fp{-8 * (i + 1)}={head}{self.reg(slot.spilled, frameno)}"
        if kinds[-1] is SlotKind.ITER:
            return None  # printed by its main slot with the iterator's ref id (not modelled)
        return f"fp{-8 * (i + 1)}={chars}"

    def frame(self, st: State, frameno: int, everything: bool = False) -> str:
        """``print_verifier_state`` of one frame: every register and slot, or the scratched
        ones (then the scratch marks are cleared)."""
        f: Frame = st.frames[frameno]
        out = [f" frame{frameno}:"] if frameno else []
        regs = _ALL if everything else self.regs
        slots = _ALL if everything else self.slots
        for i, reg in enumerate(f.regs):
            if reg.base is not Base.NOT_INIT and regs >> i & 1:
                out.append(f" R{i}={self.reg(reg, frameno)}")
        for i in sorted(f.stack):
            if slots >> i & 1 if i < 64 else everything:
                text = self._slot(i, f.stack[i], frameno)
                if text is not None:
                    out.append(" " + text)
        if st.refs:
            out.append(" refs=" + ",".join(str(r.id) for r in st.refs))
        if f.async_cb:
            out.append(" async_cb")
        elif f.callback_ret is not None:
            out.append(" cb")
        if not everything:
            self.regs = self.slots = 0
        return "".join(out)

    def insn_state(self, st: State, idx: int) -> None:
        """``print_insn_state``: after the instruction line when nothing came between, else
        on a line of its own."""
        if self.prev_log_pos and self.prev_log_pos == self.size:
            self.reset(self.prev_log_pos - 1)
            pos = self.insn_text_len
            pad = -(-max(pos + 4, 40) // 8) * 8 - pos - 1
            self.emit(" " * pad + ";" + self.frame(st, len(st.frames) - 1))
        else:
            self.emit(f"{idx}:" + self.frame(st, len(st.frames) - 1))

    # ---- the engine's hooks ----

    def insn(self, st: State, idx: int, insn: Insn, prev: int) -> None:
        """Before an instruction: the state of a path just taken up, the scratched state,
        its source line, the instruction."""
        if self.print_state and self.level >= 2:
            self.emit("")
            self.emit(f"from {prev} to {idx}:" + self.frame(st, len(st.frames) - 1, True))
        self.print_state = False
        if self.regs or self.slots:
            self.insn_state(st, idx)
        self._linfo(idx)
        self.emit(f"{idx}: {self.insn_text(insn)}")
        self.prev_log_pos = self.size
        self.insn_text_len = len(self.lines[-1]) + 1

    def insn_text(self, insn: Insn) -> str:
        if insn.op is Op.LD_IMM64 and insn.index in self.maps:
            assert insn.imm64 is not None
            name = self.maps[insn.index]
            if insn.src == PseudoSrc.MAP_VALUE:
                return f"({insn.code:02x}) r{insn.dst} = map[name:{name}][0]+{insn.imm64 >> 32}"
            return f"({insn.code:02x}) r{insn.dst} = map[name:{name}]"
        return format_insn(insn, self._call_name)

    def _call_name(self, insn: Insn) -> str | None:
        if insn.op is not Op.CALL_KFUNC:
            return None
        btf = self.kernel_btf
        return "" if insn.imm == 0 else btf[insn.imm].name if 0 < insn.imm < len(btf) else None

    def _linfo(self, idx: int) -> None:
        """``verbose_linfo``: the source line of the record covering ``idx``, once."""
        at = bisect_right(self.line_starts, idx)
        found = self.line_info[at - 1] if at else None
        if found is None or found is self.linfo:
            return
        btf = self.prog_btf
        if btf is None:
            return
        key = (found.file_name_off, found.line_col >> 10)
        if self.prev_linfo == key:
            return
        source = btf.string(found.line_off).lstrip(" \t\n\v\f\r")
        name = btf.string(found.file_name_off).rsplit("/", 1)[-1]
        self.emit(f"; {source} @ {name}:{found.line_col >> 10}")
        self.linfo, self.prev_linfo = found, key

    def after(self, before: State, insn: Insn, succ: list[tuple[State, int]]) -> None:
        """After an instruction: mark what it read and wrote; a conditional jump prints its
        state at once, a call into a subprogram prints both frames."""
        op, cls = insn.op, insn.cls
        if cls in _JMP:
            if op in (Op.CALL_HELPER, Op.CALL_KFUNC):
                self.regs |= 0x3F
                if op is Op.CALL_HELPER and succ:
                    self._mark_written(before, succ[0][0])
                if op is Op.CALL_KFUNC:
                    self._mark_slot_args(before, succ)
            elif op is Op.CALL_SUBPROG:
                if succ and len(succ[0][0].frames) > len(before.frames):
                    self._enter(succ[0][0])
                else:
                    self.regs |= 0x3F
            elif op is Op.EXIT:
                if succ:
                    self._leave(before, succ[0][0], succ[0][1])
            elif op not in (Op.JA, Op.GOTOL):
                self.regs |= 1 << insn.dst
                if insn.uses_reg_source:
                    self.regs |= 1 << insn.src
                if succ:
                    self.insn_state(succ[0][0], insn.index)
            return
        self.regs |= 1 << insn.dst
        if cls in (InsnClass.ALU, InsnClass.ALU64):
            if insn.uses_reg_source:
                self.regs |= 1 << insn.src
            return
        if op is Op.LD_IMM64:
            return
        self.regs |= 1 << insn.src if cls is not InsnClass.ST else 0
        if op is Op.ATOMIC_CMPXCHG:
            self.regs |= 1
        base = before.reg(insn.src if cls is InsnClass.LDX else insn.dst)
        size = insn.size.nbytes if insn.size is not None else 8
        self._mark_stack(base, insn.off, size)

    def _mark_stack(self, base: Reg, off: int, size: int) -> None:
        if base.base is not Base.PTR_TO_STACK:
            return
        lo = base.off + off + base.s.smin
        hi = base.off + off + base.s.smax + size
        for byte in range(lo, max(hi, lo + 1)):
            spi = (-byte - 1) // 8
            if 0 <= spi < 64:
                self.slots |= 1 << spi

    def _mark_written(self, before: State, after: State) -> None:
        """Stack bytes a helper wrote (``check_mem_access`` of each byte of a written memory
        argument scratches its slot; reads of memory arguments, and kfuncs' memory
        arguments, do not)."""
        if len(before.frames) != len(after.frames):
            return
        for old, new in zip(before.frames, after.frames, strict=True):
            if old.stack is new.stack:
                continue
            for spi, slot in new.stack.items():
                was = old.stack.get(spi)
                if slot is not was and slot.spilled is None and spi < 64:
                    self.slots |= 1 << spi

    def _mark_slot_args(self, before: State, succ: list[tuple[State, int]]) -> None:
        """Kfuncs mark the stack slots of the iterators and irq flags they take
        (``mark_stack_slots_iter``, ``mark_stack_slot_irq_flag`` and friends)."""
        after = succ[0][0].frame.stack if succ else {}
        for regno in range(1, 6):
            reg = before.reg(regno)
            if reg.base is Base.PTR_TO_STACK and reg.s.is_const():
                spi = (-(reg.off + _s64(reg.s.value)) - 1) // 8
                for slot in (after.get(spi), before.frame.stack.get(spi)):
                    if (slot is not None and 0 <= spi < 64
                            and {SlotKind.ITER, SlotKind.IRQ_FLAG} & set(slot.kinds)):
                        self.slots |= 1 << spi

    def _enter(self, st: State) -> None:
        """``check_func_call`` into a static subprogram: caller and callee, all scratched."""
        n = len(st.frames)
        self.emit("caller:")
        self.emit(self.frame(st, n - 2, True))
        self.emit("callee:")
        self.emit(self.frame(st, n - 1, True))
        self.regs = self.slots = _ALL

    def _leave(self, before: State, st: State, target: int) -> None:
        """``prepare_func_exit``: the callee's frame, then the caller's."""
        self.emit("returning from callee:")
        self.emit(self.frame(before, len(before.frames) - 1, True))
        self.emit(f"to caller at {target}:")
        self.emit(self.frame(st, len(st.frames) - 1, True))
        self.print_state = True

    def safe(self, idx: int, prev: int) -> None:
        """A path pruned at ``idx``."""
        if self.print_state:
            self.emit("")
            self.emit(f"from {prev} to {idx}: safe")
        else:
            self.emit(f"{idx}: safe")

    def begin(self) -> None:
        """``init_func_state``: a function's verification starts, everything scratched."""
        self.regs = self.slots = _ALL

    def path_end(self) -> None:
        """``process_bpf_exit``: everything scratched, the next path's state printed."""
        self.regs = self.slots = _ALL
        self.print_state = True

    def pop(self, pos: int) -> None:
        """A pushed path is taken up: level 1 forgets the lines since it was pushed."""
        if self.level < 2:
            self.reset(pos)

    def finish(self, summary: str, error_lines: tuple[str, ...] = (),
               accepted: bool = False) -> str:
        """The whole log: the error's lines and the ``summary`` line (``processed N insns
        ...``)."""
        if accepted and self.level < 2:
            self.lines, self.open, self.size = [], False, 0
        for line in error_lines:
            for part in line.split("\n"):
                self.emit(part)
        self.emit(summary)
        return self.text
