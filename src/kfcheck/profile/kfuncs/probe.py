"""Probe the running kernel for kfunc facts BTF does not hold, and compare them with the table.

Each probe loads a tiny program (``kfcheck.isa.asm``) with one ``BPF_PSEUDO_KFUNC_CALL`` and reads
the verifier's verdict; programs are only loaded and closed at once, never attached, pinned or run.

- **availability**: ``calling kernel function %s is not allowed`` is decided before any argument
  check, so ``call kfunc; r0 = 0; exit`` tells it for every loadable program type; any other
  outcome means allowed.
- **sleepable**: ``program must be sleepable to call sleepable kfunc %s`` comes next, also before
  the arguments: observed in a non-sleepable program type where the kfunc is allowed.
- **KF_RET_NULL / KF_ACQUIRE** need the call to pass argument checking, so they are probed only
  for pointer-returning kfuncs whose arguments can be synthesized (scalars, NULL for
  ``__nullable``/``__opt``, stack memory, the context, the current task, a fresh cgroup or
  cpumask): arithmetic on R0 without a NULL check fails with ``R0 pointer arithmetic on
  ptr_or_null_ prohibited, null-check it first`` for RET_NULL; exiting without a release fails
  with ``Unreleased reference ... alloc_insn=<call>`` for ACQUIRE. KF_RET_NULL on a kfunc
  returning no pointer (bpf_res_spin_lock) has no such effect, so those facts are listed as
  unprobed, as is everything a probe cannot reach (with the reason).
- availability is only read from programs the verifier walked: an error before that (``metadata
  kfuncs require device-bound program``) leaves it unprobed.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from kfcheck.btf import Btf, Kind
from kfcheck.errors import KernelError, TableError
from kfcheck.isa import asm
from kfcheck.isa.opcodes import AluOp, JmpOp, Size
from kfcheck.profile.kfuncs.schema import Annotation, Family, KfFlag, KfuncSpec, SetDef
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.uapi import AttachType, ProgType

NOT_ALLOWED = "calling kernel function {} is not allowed"
MUST_SLEEP = "program must be sleepable to call sleepable kfunc {}"
_OR_NULL = re.compile(
    r"^R0 (?:invalid mem access '|pointer arithmetic on )(\w*or_null\w*)'?(?: prohibited.*)?$"
)
_LEAK = re.compile(r"^Unreleased reference id=\d+ alloc_insn=(\d+)$")
_PROCESSED = re.compile(r"^processed (\d+) insns")
_LOG_SIZE = 1 << 16
HELPER_GET_CURRENT_TASK_BTF = 158
BPF_F_SLEEPABLE = 1 << 4


class Fact(Enum):
    """What a probe observes about a kfunc."""

    ALLOWED = "allowed"
    SLEEPABLE = "sleepable"
    RET_NULL = "ret_null"
    ACQUIRE = "acquire"


_FLAG_OF = {Fact.SLEEPABLE: KfFlag.KF_SLEEPABLE, Fact.RET_NULL: KfFlag.KF_RET_NULL,
            Fact.ACQUIRE: KfFlag.KF_ACQUIRE}


@dataclass(frozen=True, slots=True)
class Target:
    """A program type as loaded for probing (with the attach details it needs to load)."""

    key: str
    prog_type: ProgType
    attach_type: int = 0
    attach_to: str = ""  # BTF name whose id goes in attach_btf_id
    attach_kind: Kind = Kind.FUNC
    member: str = ""  # struct_ops: the member whose index is the expected attach type
    sleepable: bool = False
    ret: int = 0
    ctx: str = ""  # UAPI context struct
    kctx: str = ""  # kernel context struct (bpf_cast_to_kern_ctx)


_SKB, _KSKB = "__sk_buff", "sk_buff"
TARGETS: tuple[Target, ...] = (
    Target("socket", ProgType.SOCKET_FILTER, ctx=_SKB, kctx=_KSKB),
    Target("tc", ProgType.SCHED_CLS, ctx=_SKB, kctx=_KSKB),
    Target("action", ProgType.SCHED_ACT, ctx=_SKB, kctx=_KSKB),
    Target("xdp", ProgType.XDP, ret=2, ctx="xdp_md", kctx="xdp_buff"),
    Target("raw_tp", ProgType.RAW_TRACEPOINT),
    Target("tp", ProgType.TRACEPOINT),
    Target("perf_event", ProgType.PERF_EVENT),
    Target("kprobe", ProgType.KPROBE),
    Target("kprobe.session", ProgType.KPROBE, AttachType.TRACE_KPROBE_SESSION),
    Target("syscall.s", ProgType.SYSCALL, sleepable=True),
    Target("cgroup_skb", ProgType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, ret=1,
           ctx=_SKB, kctx=_KSKB),
    Target("cgroup_sock", ProgType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, ret=1),
    Target("cgroup_sock_addr", ProgType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT,
           ret=1, ctx="bpf_sock_addr", kctx="bpf_sock_addr_kern"),
    Target("cgroup_device", ProgType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE, ret=1),
    Target("cgroup_sysctl", ProgType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, ret=1),
    Target("sockops", ProgType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, ret=1,
           ctx="bpf_sock_ops", kctx="bpf_sock_ops_kern"),
    Target("lwt_in", ProgType.LWT_IN, ctx=_SKB, kctx=_KSKB),
    Target("lwt_xmit", ProgType.LWT_XMIT, ctx=_SKB, kctx=_KSKB),
    Target("sk_skb", ProgType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, ctx=_SKB, kctx=_KSKB),
    Target("sk_msg", ProgType.SK_MSG, AttachType.SK_MSG_VERDICT),
    Target("sk_lookup", ProgType.SK_LOOKUP, AttachType.SK_LOOKUP),
    Target("netfilter", ProgType.NETFILTER, AttachType.NETFILTER, ret=1, ctx="bpf_nf_ctx"),
    Target("tp_btf", ProgType.TRACING, AttachType.TRACE_RAW_TP, "btf_trace_sched_switch",
           Kind.TYPEDEF),
    Target("iter", ProgType.TRACING, AttachType.TRACE_ITER, "bpf_iter_task"),
    Target("iter.s", ProgType.TRACING, AttachType.TRACE_ITER, "bpf_iter_task", sleepable=True),
    Target("fentry", ProgType.TRACING, AttachType.TRACE_FENTRY, "bpf_fentry_test1"),
    Target("lsm", ProgType.LSM, AttachType.LSM_MAC, "bpf_lsm_file_open"),
    Target("struct_ops", ProgType.STRUCT_OPS, 0, "tcp_congestion_ops", Kind.STRUCT,
           member="ssthresh"),
)
TARGET_BY_KEY = {t.key: t for t in TARGETS}


def set_allows(sdef: SetDef, target: Target) -> bool:
    """Whether a kfunc set lets ``target`` call its kfuncs: the COMMON hook or the program
    type's hook, then the set's filter (program type and, for some, attach type)."""
    from kfcheck.profile.kfuncs.schema import Hook, hook_of

    hook = hook_of(target.prog_type)
    if Hook.COMMON not in sdef.hooks and (hook is None or hook not in sdef.hooks):
        return False
    filt = sdef.filter
    if filt is None:
        return True
    if target.prog_type not in filt.prog_types:
        return False
    return not filt.attach_types or target.attach_type in filt.attach_types


def table_allows(table: KfuncTable, spec: KfuncSpec, target: Target) -> bool:
    """The table's answer to "may ``target`` call this kfunc"."""
    return any(set_allows(table.file.sets[s], target) for s in spec.sets)


# ---- observations ----


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """Whether a target's trivial program loads here (``reason`` says why not)."""

    key: str
    loadable: bool
    reason: str = ""


@dataclass(slots=True)
class KfuncObservation:
    """What the kernel said about one kfunc: per-target availability and the flag facts
    (None: not observed; ``unprobed`` gives the reason per fact)."""

    name: str
    allowed: dict[str, bool] = field(default_factory=dict)
    facts: dict[Fact, bool] = field(default_factory=dict)
    evidence: dict[Fact, str] = field(default_factory=dict)
    unprobed: dict[Fact, str] = field(default_factory=dict)


@dataclass(slots=True)
class ProbeRun:
    """A probe's results for one kernel."""

    kernel: str
    targets: list[TargetStatus]
    kfuncs: list[KfuncObservation]
    loads: int = 0
    seconds: float = 0.0
    timed_out: bool = False

    def to_json(self) -> dict[str, object]:
        """JSON-ready data (the format of recorded runs)."""
        return {
            "kernel": self.kernel,
            "loads": self.loads,
            "seconds": round(self.seconds, 2),
            "timed_out": self.timed_out,
            "targets": [{"key": t.key, "loadable": t.loadable, "reason": t.reason}
                        for t in self.targets],
            "kfuncs": [
                {
                    "name": k.name,
                    "allowed": sorted(t for t, v in k.allowed.items() if v),
                    "denied": sorted(t for t, v in k.allowed.items() if not v),
                    "facts": {f.value: v for f, v in k.facts.items()},
                    "evidence": {f.value: v for f, v in k.evidence.items()},
                    "unprobed": {f.value: v for f, v in k.unprobed.items()},
                }
                for k in self.kfuncs
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object], where: str = "<probe>") -> ProbeRun:
        """Read a recorded run."""
        try:
            targets = [TargetStatus(str(t["key"]), bool(t["loadable"]), str(t["reason"]))
                       for t in _list(data["targets"])]
            kfuncs = [
                KfuncObservation(
                    name=str(k["name"]),
                    allowed={**{str(t): False for t in _strs(k["denied"])},
                             **{str(t): True for t in _strs(k["allowed"])}},
                    facts={Fact(f): bool(v) for f, v in _map(k["facts"]).items()},
                    evidence={Fact(f): str(v) for f, v in _map(k["evidence"]).items()},
                    unprobed={Fact(f): str(v) for f, v in _map(k["unprobed"]).items()},
                )
                for k in _list(data["kfuncs"])
            ]
            return cls(str(data["kernel"]), targets, kfuncs, int(str(data["loads"])),
                       float(str(data["seconds"])), bool(data["timed_out"]))
        except (KeyError, TypeError, ValueError) as err:
            raise TableError(where, f"malformed probe recording: {err!r}") from None


def _map(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _strs(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of strings")
    return value


def _list(value: object) -> list[dict[str, object]]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def load_run(path: str) -> ProbeRun:
    """A probe run recorded as JSON (``kfcheck table probe --json``)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as err:
        raise TableError(path, f"cannot read: {err.strerror}") from None
    except ValueError as err:
        raise TableError(path, f"invalid JSON: {err}") from None
    if not isinstance(data, dict):
        raise TableError(path, "malformed probe recording: not an object")
    return ProbeRun.from_json(data, path)


# ---- comparison with the table ----


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The table and the kernel differ on one fact (``target``: for availability)."""

    kfunc: str
    fact: Fact
    table: bool
    kernel: bool
    target: str = ""
    evidence: str = ""

    def line(self) -> str:
        """One report line."""
        where = f" in {self.target}" if self.target else ""
        why = f" ({self.evidence})" if self.evidence else ""
        return (f"{self.kfunc}: {self.fact.value}{where}: table says {_yn(self.table)}, "
                f"kernel says {_yn(self.kernel)}{why}")


@dataclass(frozen=True, slots=True)
class Comparison:
    """Disagreements, facts confirmed, and what could not be probed (with reasons)."""

    disagreements: tuple[Disagreement, ...]
    confirmed: dict[Fact, int]
    unprobed: tuple[tuple[str, Fact, str], ...]
    unprobeable_targets: tuple[TargetStatus, ...]
    missing: tuple[str, ...]  # table kfuncs the run has no observation for


def _yn(value: bool) -> str:
    return "yes" if value else "no"


def compare(table: KfuncTable, run: ProbeRun) -> Comparison:
    """Every disagreement between ``table`` and the observations of ``run``."""
    out: list[Disagreement] = []
    confirmed = {f: 0 for f in Fact}
    unprobed: list[tuple[str, Fact, str]] = []
    seen: set[str] = set()
    for obs in run.kfuncs:
        spec = table.by_name(obs.name)
        if spec is None:
            continue
        seen.add(obs.name)
        for key, allowed in sorted(obs.allowed.items()):
            target = TARGET_BY_KEY.get(key)
            if target is None:
                continue
            want = table_allows(table, spec, target)
            if want == allowed:
                confirmed[Fact.ALLOWED] += 1
            else:
                out.append(Disagreement(obs.name, Fact.ALLOWED, want, allowed, key))
        if Fact.ALLOWED in obs.unprobed:
            unprobed.append((obs.name, Fact.ALLOWED, obs.unprobed[Fact.ALLOWED]))
        for fact, flag in _FLAG_OF.items():
            if fact in obs.facts:
                want = spec.has(flag)
                if want == obs.facts[fact]:
                    confirmed[fact] += 1
                else:
                    out.append(Disagreement(obs.name, fact, want, obs.facts[fact],
                                            evidence=obs.evidence.get(fact, "")))
            elif fact in obs.unprobed:
                unprobed.append((obs.name, fact, obs.unprobed[fact]))
    missing = tuple(sorted(s.name for s in table if s.name not in seen))
    bad_targets = tuple(t for t in run.targets if not t.loadable)
    return Comparison(tuple(out), confirmed, tuple(unprobed), bad_targets, missing)


def render(cmp: Comparison, run: ProbeRun) -> str:
    """The text report of ``table probe``."""
    out = [f"# probe of Linux {run.kernel}: {len(run.kfuncs)} kfuncs, {run.loads} loads, "
           f"{run.seconds:.1f}s" + (" (time limit reached)" if run.timed_out else "")]
    out.append("# confirmed: " + ", ".join(f"{f.value} {n}" for f, n in cmp.confirmed.items()))
    out.append(f"# disagreements: {len(cmp.disagreements)}")
    out += [d.line() for d in cmp.disagreements]
    out.append(f"# unprobeable program types: {len(cmp.unprobeable_targets)}")
    out += [f"{t.key}: {t.reason}" for t in cmp.unprobeable_targets]
    out.append(f"# unprobed facts: {len(cmp.unprobed)}")
    grouped: dict[tuple[str, str], list[str]] = {}
    for name, fact, why in cmp.unprobed:
        grouped.setdefault((name, why), []).append(fact.value)
    out += [f"{name}: {', '.join(facts)}: {why}" for (name, why), facts in grouped.items()]
    if cmp.missing:
        why = "time limit reached" if run.timed_out else "not in this run"
        out.append(f"# not probed ({why}): {len(cmp.missing)}")
        out += cmp.missing
    return "\n".join(out) + "\n"


def report_json(cmp: Comparison, run: ProbeRun) -> dict[str, object]:
    """The JSON report of ``table probe --json``: the run plus the comparison."""
    return {
        "run": run.to_json(),
        "disagreements": [
            {"kfunc": d.kfunc, "fact": d.fact.value, "target": d.target, "table": d.table,
             "kernel": d.kernel, "evidence": d.evidence}
            for d in cmp.disagreements
        ],
        "confirmed": {f.value: n for f, n in cmp.confirmed.items()},
        "unprobed": [{"kfunc": n, "fact": f.value, "reason": r} for n, f, r in cmp.unprobed],
    }


# ---- program building ----


@dataclass(slots=True)
class _Asm:
    """Instructions with forward conditional jumps (``reg == imm``) to named labels."""

    code: list[bytes] = field(default_factory=list)
    fixups: list[tuple[int, str, JmpOp, int, int]] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)

    @property
    def index(self) -> int:
        """The next instruction's index."""
        return sum(len(c) for c in self.code) // 8

    def emit(self, *insns: bytes) -> None:
        """Append instructions."""
        self.code.extend(insns)

    def jump(self, op: JmpOp, reg: int, imm: int, label: str) -> None:
        """A conditional jump to ``label`` (resolved by ``assemble``)."""
        self.fixups.append((len(self.code), label, op, reg, imm))
        self.code.append(asm.jmp_imm(op, reg, imm, 0))

    def label(self, name: str) -> None:
        """Name the next instruction."""
        self.labels[name] = self.index

    def assemble(self) -> bytes:
        """The program bytes with jump offsets filled in."""
        for pos, label, op, reg, imm in self.fixups:
            here = sum(len(c) for c in self.code[:pos]) // 8
            self.code[pos] = asm.jmp_imm(op, reg, imm, self.labels[label] - here - 1)
        return b"".join(self.code)


class _Unsynth(Exception):
    """An argument the probe cannot synthesize."""


@dataclass(frozen=True, slots=True)
class _Producer:
    """How to get a trusted pointer to a struct: a kfunc or helper call (maybe NULL-checked)
    and the kfunc that releases it before exit."""

    call: str  # kfunc name, or "" for the helper
    args: tuple[int, ...] = ()
    maybe_null: bool = False
    release: str = ""


_PRODUCERS = {
    "task_struct": _Producer(""),
    "cgroup": _Producer("bpf_cgroup_from_id", (1,), True, "bpf_cgroup_release"),
    "bpf_cpumask": _Producer("bpf_cpumask_create", (), True, "bpf_cpumask_release"),
    "cpumask": _Producer("bpf_cpumask_create", (), True, "bpf_cpumask_release"),
}
_STACK_BUF = 64  # bytes of zeroed stack per memory argument
_SAVED = (7, 8, 9)  # registers holding produced objects (r6 holds the context)


class _Builder:
    """Builds the probe programs of one kfunc for one target."""

    def __init__(self, btf: Btf, table: KfuncTable, spec: KfuncSpec, target: Target) -> None:
        self.btf = btf
        self.table = table
        self.spec = spec
        self.target = target

    def _fid(self, name: str) -> int:
        found = self.table.by_name(name)
        if found is not None:
            return found.btf_id
        funcs = self.btf.by_name(name, Kind.FUNC)
        if not funcs:
            raise _Unsynth(f"no FUNC {name}")
        return funcs[0].id

    def program(self, after_call: Callable[[_Asm], None]) -> tuple[bytes, int]:
        """The kfunc called with synthesized arguments, ``after_call`` emitted right after the
        call, produced objects released (in reverse) before exit; return the program and the
        call's instruction index. A NULL produced object jumps to the releases of the earlier
        ones."""
        a = _Asm()
        a.emit(asm.mov64_reg(6, 1))
        slots: list[int] = []
        releases: list[tuple[int, str]] = []
        moves: list[bytes] = []
        params = self.spec.args
        for i in range(len(params)):
            moves.append(self._arg(a, i, slots, releases))
        a.emit(*moves)
        call_at = a.index
        a.emit(asm.call_kfunc(self.spec.btf_id))
        after_call(a)
        for k in range(len(releases), 0, -1):
            a.label(f"rel{k}")
            reg, release = releases[k - 1]
            a.emit(asm.mov64_reg(1, reg), asm.call_kfunc(self._fid(release)))
        a.label("rel0")
        a.emit(asm.mov64_imm(0, self.target.ret), asm.exit_())
        return a.assemble(), call_at

    def _arg(self, a: _Asm, i: int, slots: list[int], releases: list[tuple[int, str]]) -> bytes:
        """Emit what argument ``i`` needs; return the move that puts it in its register."""
        arg = self.spec.args[i]
        reg, ann, btf = i + 1, arg.annotation, self.btf
        t = btf[btf.resolve(arg.type_id)] if arg.type_id else None
        if ann is Annotation.SZ or (ann is Annotation.SZK and i > 0):
            return asm.mov64_imm(reg, 0 if self._nullable(i - 1) else _STACK_BUF)
        if ann in (Annotation.IGN, Annotation.K, Annotation.SZK) or (
                t is not None and t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64)):
            return asm.mov64_imm(reg, 0)
        if t is None or t.kind is not Kind.PTR:
            raise _Unsynth(f"argument {arg.name}: not a scalar or pointer")
        if self._nullable(i):
            return asm.mov64_imm(reg, 0)
        if ann in (Annotation.STR, Annotation.MAP, Annotation.ALLOC, Annotation.REFCOUNTED_KPTR,
                   Annotation.PROG, Annotation.ITER, Annotation.IRQ_FLAG):
            raise _Unsynth(f"argument {arg.name}: {ann.value} argument")
        pointee = btf[btf.resolve(t.type)] if t.type else None
        name = pointee.name if pointee is not None else ""
        if Family.CTX_ARG in self.spec.families or (name and name == self.target.ctx):
            return asm.mov64_reg(reg, 6)
        if pointee is not None and pointee.kind is Kind.STRUCT and name in _PRODUCERS:
            return self._produce(a, _PRODUCERS[name], slots, releases, reg)
        if name and name == self.target.kctx:
            kctx = _Producer("bpf_cast_to_kern_ctx", ())
            return self._produce(a, kctx, slots, releases, reg, ctx_arg=True)
        nxt = self.spec.args[i + 1] if i + 1 < len(self.spec.args) else None
        sized = nxt is not None and nxt.annotation is Annotation.SZ
        scalar = pointee is None or self._scalar_struct(pointee.id)
        if sized or ann is Annotation.UNINIT or (
                scalar and pointee is not None and btf.size_of(pointee.id) <= _STACK_BUF):
            off = -_STACK_BUF * (i + 1)
            for word in range(0, _STACK_BUF, 8):
                a.emit(asm.st(Size.DW, 10, off + word, 0))
            return asm.mov64_reg(reg, 10) + asm.alu64_imm(AluOp.ADD, reg, off)
        what = btf.type_str(pointee.id).strip() if pointee is not None else "void"
        raise _Unsynth(f"argument {arg.name}: pointer to {what}")

    def _produce(self, a: _Asm, prod: _Producer, slots: list[int],
                 releases: list[tuple[int, str]], reg: int, ctx_arg: bool = False) -> bytes:
        if len(slots) >= len(_SAVED):
            raise _Unsynth("too many produced arguments")
        if ctx_arg:
            a.emit(asm.mov64_reg(1, 6))
        for j, value in enumerate(prod.args):
            a.emit(asm.mov64_imm(j + 1, value))
        if prod.call:
            a.emit(asm.call_kfunc(self._fid(prod.call)))
        else:
            a.emit(asm.call_helper(HELPER_GET_CURRENT_TASK_BTF))
        if prod.maybe_null:
            a.jump(JmpOp.JEQ, 0, 0, f"rel{len(releases)}")
        slot = _SAVED[len(slots)]
        slots.append(slot)
        a.emit(asm.mov64_reg(slot, 0))
        if prod.release:
            releases.append((slot, prod.release))
        return asm.mov64_reg(reg, slot)

    def _nullable(self, i: int) -> bool:
        return i >= 0 and self.spec.args[i].annotation in (Annotation.NULLABLE, Annotation.OPT)

    def _scalar_struct(self, type_id: int, depth: int = 0) -> bool:
        t = self.btf[self.btf.resolve(type_id)]
        if t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64):
            return True
        if t.kind is Kind.ARRAY:
            return self._scalar_struct(t.elem_type, depth + 1)
        if t.kind not in (Kind.STRUCT, Kind.UNION) or depth > 3:
            return False
        return all(self._scalar_struct(m.type, depth + 1) for m in t.members)


# ---- running the probe ----


@dataclass(slots=True)
class _Loader:
    """Loads programs for targets, counting loads and watching the time limit."""

    btf: Btf
    deadline: float
    loads: int = 0
    attach_ids: dict[str, tuple[int, int]] = field(default_factory=dict)

    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    def attach(self, target: Target) -> tuple[int, int]:
        """(attach_btf_id, expected_attach_type) for ``target``."""
        if not target.attach_to:
            return 0, target.attach_type
        found = self.btf.by_name(target.attach_to, target.attach_kind)
        if not found:
            raise KernelError(target.key, f"no {target.attach_kind.name} {target.attach_to}")
        if target.member:
            names = [m.name for m in found[0].members]
            if target.member not in names:
                raise KernelError(target.key, f"no member {target.member}")
            return found[0].id, names.index(target.member)
        return found[0].id, target.attach_type

    def load(self, target: Target, insns: bytes) -> _Verdict:
        """Load (and close) one program."""
        from kfcheck.kernel.syscall import errno_name, prog_load

        attach_id, attach_type = self.attach(target)
        self.loads += 1
        res = prog_load(
            insns, target.prog_type, log_level=1, log_size=_LOG_SIZE,
            expected_attach_type=attach_type, attach_btf_id=attach_id,
            prog_flags=BPF_F_SLEEPABLE if target.sleepable else 0, name="kfcheck_probe",
        )
        lines = tuple(ln.strip() for ln in res.log.splitlines() if ln.strip())
        if res.ok:
            return _Verdict(True, "", lines)
        return _Verdict(False, _error_line(lines) or errno_name(res.errno), lines)


@dataclass(frozen=True, slots=True)
class _Verdict:
    """A probe load's outcome: accepted, the verifier's error line, the log lines."""

    ok: bool
    error: str
    lines: tuple[str, ...]

    def find(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first log line matching ``pattern``."""
        for line in self.lines:
            found = pattern.match(line)
            if found is not None:
                return found
        return None

    def leaks(self, call_at: int) -> bool:
        """True if the reference acquired by the call at ``call_at`` leaks."""
        found = self.find(_LEAK)
        return found is not None and int(found[1]) == call_at

    @property
    def reached_code(self) -> bool:
        """True if the verifier walked instructions (errors before that, such as ``metadata
        kfuncs require device-bound program``, come before the availability check)."""
        found = self.find(_PROCESSED)
        return self.ok or (found is not None and int(found[1]) > 0)

    @property
    def shown(self) -> str:
        """The error line, or ``accepted``."""
        return self.error or "accepted"


_TRAILER = ("processed ", "verification time", "stack depth", "BPF_EXIT instruction in main prog")


def _error_line(lines: tuple[str, ...]) -> str:
    """The verifier's error: the last line before the summary (and the leak epilogue)."""
    end = len(lines)
    while end and lines[end - 1].startswith(_TRAILER):
        end -= 1
    return lines[end - 1] if end else ""


def require_kernel() -> None:
    """Raise ``KernelError`` unless this process is root and can load programs."""
    from kfcheck.kernel.syscall import available

    if os.geteuid() != 0:
        raise KernelError("probe", "needs root (loads programs into the running kernel)")
    why = available()
    if why is not None:
        raise KernelError("probe", f"needs bpf(): {why}")


def probe(table: KfuncTable, btf: Btf, timeout: float = 120.0,
          names: Iterable[str] | None = None) -> ProbeRun:
    """Probe the running kernel for the kfuncs of ``table`` (whose BTF ids must be the running
    kernel's: build it on ``sysfs_btf()``); stop at ``timeout`` seconds."""
    require_kernel()
    start = time.monotonic()
    loader = _Loader(btf, start + timeout)
    statuses = [_target_status(loader, t) for t in TARGETS]
    usable = [TARGET_BY_KEY[s.key] for s in statuses if s.loadable]
    wanted = set(names) if names is not None else None
    run = ProbeRun(os.uname().release, statuses, [])
    for spec in table:
        if wanted is not None and spec.name not in wanted:
            continue
        if loader.expired():
            run.timed_out = True
            break
        run.kfuncs.append(_probe_kfunc(loader, table, btf, spec, usable))
    run.loads = loader.loads
    run.seconds = time.monotonic() - start
    return run


def _target_status(loader: _Loader, target: Target) -> TargetStatus:
    try:
        res = loader.load(target, asm.mov64_imm(0, target.ret) + asm.exit_())
    except KernelError as exc:
        return TargetStatus(target.key, False, exc.problem)
    return TargetStatus(target.key, res.ok, "" if res.ok else f"does not load here: {res.error}")


def _probe_kfunc(loader: _Loader, table: KfuncTable, btf: Btf, spec: KfuncSpec,
                 targets: list[Target]) -> KfuncObservation:
    obs = KfuncObservation(spec.name)
    bare = asm.call_kfunc(spec.btf_id)
    not_allowed = NOT_ALLOWED.format(spec.name)
    must_sleep = MUST_SLEEP.format(spec.name)
    early: dict[str, list[str]] = {}
    for target in targets:
        if loader.expired():
            break
        res = loader.load(target, bare + asm.mov64_imm(0, target.ret) + asm.exit_())
        if res.error == not_allowed:
            obs.allowed[target.key] = False
            continue
        if not res.reached_code:
            early.setdefault(res.error, []).append(target.key)
            continue
        obs.allowed[target.key] = True
        if not target.sleepable and Fact.SLEEPABLE not in obs.facts:
            obs.facts[Fact.SLEEPABLE] = res.error == must_sleep
            obs.evidence[Fact.SLEEPABLE] = f"{target.key}: {res.shown}"
    if early:
        obs.unprobed[Fact.ALLOWED] = "; ".join(
            f"{' '.join(keys)}: {error}" for error, keys in early.items())
    allowed = [t for t in targets if obs.allowed.get(t.key)]
    if Fact.SLEEPABLE not in obs.facts:
        obs.unprobed[Fact.SLEEPABLE] = (
            "allowed only in sleepable program types here" if allowed
            else "not allowed in any program type that loads here")
    _probe_return(loader, table, btf, spec, allowed, obs)
    return obs


def _returns_pointer(btf: Btf, spec: KfuncSpec) -> bool:
    return spec.ret_type_id != 0 and btf[btf.resolve(spec.ret_type_id)].kind is Kind.PTR


def _probe_return(loader: _Loader, table: KfuncTable, btf: Btf, spec: KfuncSpec,
                  allowed: list[Target], obs: KfuncObservation) -> None:
    """KF_RET_NULL and KF_ACQUIRE: only pointer returns can carry them."""
    if not _returns_pointer(btf, spec):
        obs.unprobed[Fact.RET_NULL] = obs.unprobed[Fact.ACQUIRE] = (
            "returns no pointer: no NULL check or reference to observe")
        return
    sleepable = obs.facts.get(Fact.SLEEPABLE, spec.has(KfFlag.KF_SLEEPABLE))
    candidates = [t for t in allowed if t.sleepable or not sleepable]
    reasons: list[str] = []
    if not candidates:
        reasons.append("no program type here can call it")
    for target in candidates:
        if loader.expired():
            reasons.append("time limit")
            break
        builder = _Builder(btf, table, spec, target)
        try:
            deref, call_at = builder.program(
                lambda a: a.emit(asm.alu64_imm(AluOp.ADD, 0, 1)))
            keep, _ = builder.program(lambda a: a.emit(asm.mov64_imm(0, 0)))
        except _Unsynth as exc:
            reasons.append(f"{target.key}: {exc}")
            break  # the same arguments fail in every target
        deref_res = loader.load(target, deref)
        keep_res = loader.load(target, keep)
        acquire = keep_res.leaks(call_at)
        if not keep_res.ok and not acquire:
            reasons.append(f"{target.key}: {keep_res.error}")
            continue
        obs.facts[Fact.ACQUIRE] = acquire
        obs.evidence[Fact.ACQUIRE] = f"{target.key}: {keep_res.shown}"
        null = deref_res.find(_OR_NULL) is not None
        if null or deref_res.ok or deref_res.leaks(call_at):
            obs.facts[Fact.RET_NULL] = null
            obs.evidence[Fact.RET_NULL] = f"{target.key}: {deref_res.shown}"
        else:
            obs.unprobed[Fact.RET_NULL] = f"{target.key}: {deref_res.error}"
        return
    reason = "; ".join(reasons[:2]) or "no program type to probe in"
    obs.unprobed[Fact.RET_NULL] = obs.unprobed[Fact.ACQUIRE] = reason
