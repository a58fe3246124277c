"""What the verifier knows of the program it checks: its decoded instructions, subprograms,
program-type facts and profile, and the counters of one verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kfcheck.btf import Btf, Kind
from kfcheck.isa.insn import Insn
from kfcheck.link.program import MapSpec, Program
from kfcheck.profile.embedded import Profile
from kfcheck.verifier.path import Path, Visit
from kfcheck.verifier.progtypes import ProgTypeInfo

if TYPE_CHECKING:
    from kfcheck.verifier.log import VerifierLog

INSN_LIMIT = 1_000_000  # BPF_COMPLEXITY_LIMIT_INSNS
JMP_SEQ_LIMIT = 8192  # BPF_COMPLEXITY_LIMIT_JMP_SEQ


@dataclass(slots=True)
class Env:
    """One verification: the program, the facts it is checked against, and counters."""

    program: Program
    profile: Profile
    info: ProgTypeInfo
    insns: list[Insn | None]  # by slot; None for an ld_imm64's second slot
    prune_points: frozenset[int] = frozenset()
    iter_next_insns: frozenset[int] = frozenset()  # calls of KF_ITER_NEXT kfuncs
    jmp_points: frozenset[int] = frozenset()  # where paths record how they came (check_cfg)
    callback_calls: frozenset[int] = frozenset()  # calls of helpers/kfuncs with sync callbacks
    global_starts: frozenset[int] = frozenset()  # first instructions of global functions
    path: Path | None = None  # the path being explored
    scc: dict[int, int] = field(default_factory=dict)  # the loop each instruction is in
    scc_visits: dict[tuple[int, ...], Visit] = field(default_factory=dict)  # by call chain
    loop_inline: dict[int, tuple[bool, int]] = field(default_factory=dict)  # bpf_loop calls:
    # (still fit for inlining, callback subprogram)
    live_regs: tuple[int, ...] = ()  # per instruction: registers live before it (liveness)
    id_gen: int = 0
    insn_processed: int = 0
    jmps_processed: int = 0
    prev_insn_processed: int = 0
    prev_jmps_processed: int = 0
    total_states: int = 0
    peak_states: int = 0
    max_states_per_insn: int = 0  # checkpoints at one instruction when a visit missed
    log: VerifierLog | None = None  # the log (None at log level 0: no log work at all)
    stack_depth: list[int] = field(default_factory=list)  # per subprogram
    prog_btf: Btf | None = None
    subprogs: list[int] = field(default_factory=lambda: [0])  # first insn of each
    globals_called: list[int] = field(default_factory=list)  # global subprogs to verify
    root: int = 0  # the subprogram being verified on its own (0: the main program)
    callback_subprogs: set[int] = field(default_factory=set)  # is_cb: called back
    async_subprogs: set[int] = field(default_factory=set)  # is_async_cb
    global_funcs: dict[int, Any] = field(default_factory=dict)  # subprogs.global_func's
    _fields: dict[tuple[str, int], tuple[tuple[int, int, str], ...]] = field(
        default_factory=dict)

    def new_id(self) -> int:
        """A fresh register id (``++env->id_gen``)."""
        self.id_gen += 1
        return self.id_gen

    def map_at(self, idx: int) -> tuple[MapSpec, int] | None:
        """The map an ``ld_imm64`` at ``idx`` refers to, and the value offset it names."""
        for ref in self.program.map_refs:
            if ref.insn == idx:
                insn = self.insns[idx]
                assert insn is not None and insn.imm64 is not None
                return self.program.maps[ref.map_index], insn.imm64 >> 32
        return None

    def map_fields(self, m: MapSpec) -> tuple[tuple[int, int, str], ...]:
        """The special fields of a map's value (offset, size, kernel name), found in the
        program BTF as the kernel's ``btf_parse_fields`` finds them."""
        key = (m.name, m.btf_value_type_id)  # an inner map's template has no name
        if key not in self._fields:
            found: list[tuple[int, int, str]] = []
            if self.prog_btf is not None and m.btf_value_type_id:
                _walk(self.prog_btf, m.btf_value_type_id, 0, found, 0)
            self._fields[key] = tuple(found)
        return self._fields[key]

    def spin_lock_offset(self, m: MapSpec) -> int | None:
        """Where the map value's ``struct bpf_spin_lock`` is (None: it has none)."""
        return next((off for off, _, name in self.map_fields(m) if name == "bpf_spin_lock"),
                    None)


def struct_fields(btf: Btf, type_id: int) -> tuple[tuple[int, int, str], ...]:
    """The special fields of a struct of ``btf`` (offset, size, kernel name)."""
    found: list[tuple[int, int, str]] = []
    _walk(btf, type_id, 0, found, 0)
    return tuple(found)


# special struct types of map values (btf_field_type_name) and their sizes
SPECIAL_FIELDS = {"bpf_spin_lock": 4, "bpf_res_spin_lock": 8, "bpf_timer": 16, "bpf_wq": 16,
                  "bpf_list_head": 16, "bpf_list_node": 24, "bpf_rb_root": 16,
                  "bpf_rb_node": 32, "bpf_refcount": 4, "bpf_task_work": 8}


def _walk(btf: Btf, type_id: int, base: int, out: list[tuple[int, int, str]],
          depth: int) -> None:
    t = btf[btf.resolve(type_id)]
    if t.kind is Kind.DATASEC:  # global data: each variable at its offset
        for info in t.secinfos:
            var = btf[info.type]
            vt = btf[btf.resolve(var.type)]
            tag = _type_tag(btf, vt.type) if vt.kind is Kind.PTR else None
            if vt.kind is Kind.STRUCT and vt.name in SPECIAL_FIELDS:
                out.append((base + info.offset, SPECIAL_FIELDS[vt.name], vt.name))
            elif tag is not None:
                out.append((base + info.offset, 8, tag))
            elif vt.kind is Kind.ARRAY and _special_array(btf, vt.id):
                out.append((base + info.offset, info.size, ARRAY_FIELD))
            else:
                _walk(btf, var.type, base + info.offset, out, depth + 1)
        return
    if t.kind not in (Kind.STRUCT, Kind.UNION) or depth > 8:
        return
    for member in t.members:
        mt = btf[btf.resolve(member.type)]
        off = base + member.bit_offset // 8
        tag = _type_tag(btf, mt.type) if mt.kind is Kind.PTR else None
        if tag is not None:
            out.append((off, 8, tag))
        elif mt.kind is Kind.STRUCT and mt.name in SPECIAL_FIELDS:
            out.append((off, SPECIAL_FIELDS[mt.name], mt.name))
        elif mt.kind in (Kind.STRUCT, Kind.UNION):
            _walk(btf, mt.id, off, out, depth + 1)
        elif mt.kind is Kind.ARRAY and _special_array(btf, mt.id):
            out.append((off, btf.size_of(mt.id), ARRAY_FIELD))


ARRAY_FIELD = "array of special fields"  # arrays of kptrs or special structs: not modelled


def _special_array(btf: Btf, type_id: int) -> bool:
    """Whether an array's elements are kptrs or structs holding special fields."""
    t = btf[btf.resolve(type_id)]
    while t.kind is Kind.ARRAY:
        t = btf[btf.resolve(t.elem_type)]
    if t.kind is Kind.PTR:
        return _type_tag(btf, t.type) is not None
    if t.kind in (Kind.STRUCT, Kind.UNION):
        return t.name in SPECIAL_FIELDS or bool(struct_fields(btf, t.id))
    return False


# btf_find_kptr: the type tags of kptr fields (another tag fails the map's creation)
KPTR_TAGS = frozenset({"kptr", "kptr_untrusted", "percpu_kptr", "uptr"})


def _type_tag(btf: Btf, type_id: int) -> str | None:
    """The ``btf_type_tag`` a pointer's target carries (``kptr`` and friends), if any."""
    for _ in range(16):
        t = btf[type_id]
        if t.kind is Kind.TYPE_TAG:
            return t.name
        if t.kind not in (Kind.CONST, Kind.VOLATILE, Kind.RESTRICT, Kind.TYPEDEF):
            return None
        type_id = t.type
    return None


def kptr_pointee(btf: Btf, type_id: int, off: int) -> str | None:
    """The name of the struct a kptr field at ``off`` of ``type_id`` points to (None: the
    tag is followed by another tag or a type that is not a struct)."""
    t = btf[btf.resolve(type_id)]
    if t.kind is Kind.PTR:
        if off:
            return None
        tid = t.type
        while btf[tid].kind in (Kind.CONST, Kind.VOLATILE, Kind.RESTRICT, Kind.TYPEDEF):
            tid = btf[tid].type
        target = btf[btf[tid].type] if btf[tid].kind is Kind.TYPE_TAG else None
        return target.name if target is not None and target.kind is Kind.STRUCT else None
    if t.kind is Kind.DATASEC:
        for info in t.secinfos:
            if info.offset <= off < info.offset + info.size:
                return kptr_pointee(btf, btf[info.type].type, off - info.offset)
        return None
    for member in t.members if t.kind in (Kind.STRUCT, Kind.UNION) else ():
        mt = btf[btf.resolve(member.type)]
        moff = member.bit_offset // 8
        if mt.kind is Kind.PTR and moff == off:
            return kptr_pointee(btf, mt.id, 0)
        if mt.kind in (Kind.STRUCT, Kind.UNION) and moff <= off < moff + mt.size:
            return kptr_pointee(btf, mt.id, off - moff)
    return None
