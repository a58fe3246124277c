"""Probe the running kernel for kfunc facts BTF does not hold, and compare them with the table.

Each probe loads a tiny program (``kfcheck.kernel.synth``) and reads the verifier's
verdict; programs are only loaded and closed at once, never attached, pinned or run.

- **availability**: ``calling kernel function %s is not allowed`` is decided before any argument
  check, so ``call kfunc; r0 = 0; exit`` tells it for every loadable program type; any other
  outcome means allowed. It is only read from programs the verifier walked: an error before
  that (``metadata kfuncs require device-bound program``) leaves it unprobed.
- **sleepable**: ``program must be sleepable to call sleepable kfunc %s`` comes next, also before
  the arguments: observed in a non-sleepable program type where the kfunc is allowed.
- **KF_RELEASE**: the kfunc is called on referenced objects (from an acquiring producer) that
  are not dropped afterwards. ``Unreleased reference ... alloc_insn=<producer>`` for every one
  of them means no release; a missing leak means release, confirmed by a second call on the
  same pointer, which the kernel must reject.
- **KF_RET_NULL / KF_ACQUIRE** (pointer-returning kfuncs): arithmetic on R0 without a NULL
  check fails with ``R0 pointer arithmetic on ptr_or_null_ prohibited, null-check it first``
  for RET_NULL; exiting without a release fails with ``Unreleased reference ...
  alloc_insn=<call>`` for ACQUIRE. KF_RET_NULL on a kfunc returning no pointer
  (bpf_res_spin_lock) has no such effect.
- **KF_TRUSTED_ARGS / KF_RCU**: a kernel-object argument given an untrusted pointer
  (``bpf_rdonly_cast``) fails with ``R%d must be referenced or trusted`` when the verifier
  enforces trust (``is_kfunc_trusted_args``: KF_TRUSTED_ARGS or KF_RELEASE), ``R%d must be a rcu
  pointer`` for KF_RCU, and passes otherwise.
- **KF_RCU_PROTECTED**: in a sleepable program (outside an RCU section) the call fails with
  ``kernel func %s requires RCU critical section protection``.
- **SPIN_ALLOWED** (family): a bare call under ``bpf_spin_lock`` fails with ``function calls are
  not allowed while holding a lock`` (checked before the call itself) unless
  ``kfunc_spin_allowed``; a helper call under the lock is the control.

These need the call to pass argument checking, so they are probed only where ``synth`` can make
the arguments; everything a probe cannot reach is listed as unprobed, with the reason.
"""


from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from kfcheck.btf import Btf, Kind
from kfcheck.errors import KernelError
from kfcheck.host import running_build
from kfcheck.isa import asm
from kfcheck.isa.opcodes import AluOp
from kfcheck.kernel import syscall
from kfcheck.kernel.probe.model import (
    ARENA_FLAGS,
    Fact,
    KfuncObservation,
    ProbeRun,
    TargetStatus,
)
from kfcheck.kernel.synth import (
    BUF,
    LOCKED_SIZE,
    STRING,
    TARGET_BY_KEY,
    TARGETS,
    Asm,
    Built,
    Maps,
    ProgBtf,
    Synth,
    Target,
    Unsynth,
    locked_program,
    prog_btf,
)
from kfcheck.profile.kfuncs.schema import Family, KfFlag, KfuncSpec
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.uapi import HelperId, MapType
from kfcheck.verdict import cause_line, parse_stats

NOT_ALLOWED = "calling kernel function {} is not allowed"
MUST_SLEEP = "program must be sleepable to call sleepable kfunc {}"
NEEDS_RCU = "kernel func {} requires RCU critical section protection"
LOCK_HELD = "function calls are not allowed while holding a lock"
_NOT_TRUSTED = re.compile(r"^R(\d) must be referenced or trusted$")
_NOT_RCU = re.compile(r"^R(\d) must be a rcu pointer$")
_OR_NULL = re.compile(
    r"^R0 (?:invalid mem access '|pointer arithmetic on )(\w*or_null\w*)'?(?: prohibited.*)?$"
)
_LEAK = re.compile(r"^Unreleased reference id=\d+ alloc_insn=(\d+)$")
_LOG_SIZE = 1 << 16


class TargetError(KernelError):
    """A probe target this kernel's BTF lacks; ``target`` is its key."""

    def __init__(self, target: str, problem: str) -> None:
        super().__init__(problem)
        self.target = target

    def __str__(self) -> str:
        return f"{self.target}: {super().__str__()}"


# ---- running the probe ----


@dataclass(slots=True)
class _Loader:
    """Loads programs for targets, counting loads and watching the time limit; owns the
    program BTF fd (loaded on first use, closed by ``close``)."""

    btf: Btf
    deadline: float
    types: ProgBtf = field(default_factory=prog_btf)
    maps: Maps = Maps()
    loads: int = 0
    btf_fd: int = -1
    spin_control: dict[str, str] = field(default_factory=dict)  # key -> why unusable ("": ok)

    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    def attach(self, target: Target) -> tuple[int, int]:
        """(attach_btf_id, expected_attach_type) for ``target``."""
        if not target.attach_to:
            return 0, target.attach_type
        found = self.btf.by_name(target.attach_to, target.attach_kind)
        if not found:
            raise TargetError(target.key, f"no {target.attach_kind.name} {target.attach_to}")
        if target.member:
            names = [m.name for m in found[0].members]
            if target.member not in names:
                raise TargetError(target.key, f"no member {target.member}")
            return found[0].id, names.index(target.member)
        return found[0].id, target.attach_type

    def load(self, target: Target, insns: bytes, uses_btf: bool = False) -> _Verdict:
        """Load (and close) one program; ``uses_btf``: with the program BTF."""
        attach_id, attach_type = self.attach(target)
        if uses_btf and self.btf_fd < 0:
            self.btf_fd = syscall.btf_load(self.types.data)
        self.loads += 1
        res = syscall.prog_load(
            insns, target.prog_type, log_level=1, log_size=_LOG_SIZE,
            expected_attach_type=attach_type, attach_btf_id=attach_id,
            prog_flags=syscall.BPF_F_SLEEPABLE if target.sleepable else 0, name="kfcheck_probe",
            prog_btf_fd=self.btf_fd if uses_btf else 0,
            func_info=self.types.func_info if uses_btf else b"",
        )
        lines = tuple(ln.strip() for ln in res.log.splitlines() if ln.strip())
        if res.ok:
            return _Verdict(True, "", lines)
        return _Verdict(False, cause_line(res.log) or syscall.errno_name(res.errno), lines)

    def spin_usable(self, target: Target) -> str:
        """Why ``target`` cannot probe calls under a spin lock ("" if it can): a lock and
        unlock must load, and a helper call between them must be refused."""
        if target.key not in self.spin_control:
            why = ""
            try:
                bare = self.load(target, locked_program(target, self.maps, b""))
                helper = self.load(target, locked_program(
                    target, self.maps, asm.call_helper(HelperId.ktime_get_ns)))
            except Unsynth as exc:
                why = str(exc)
            else:
                if not bare.ok:
                    why = f"spin lock: {bare.error}"
                elif helper.error != LOCK_HELD:
                    why = f"spin lock: a helper call under it gives {helper.shown}"
            self.spin_control[target.key] = why
        return self.spin_control[target.key]

    def run(self, target: Target, built: Built) -> _Verdict:
        """Load a synthesized program."""
        return self.load(target, built.insns, built.uses_btf)

    def create_maps(self) -> None:
        """Create the maps probe programs point into (see ``synth.Maps``)."""
        data = syscall.map_create(MapType.ARRAY, 4, BUF, 1, name="kfcheck_data")
        self.maps = Maps(data=data)  # owned (closed by close) even if what follows fails
        string = syscall.map_create(MapType.ARRAY, 4, len(STRING), 1,
                                    map_flags=syscall.BPF_F_RDONLY_PROG, name="kfcheck_str")
        self.maps = Maps(data, string)
        syscall.map_update_elem(string, bytes(4), STRING)
        syscall.map_freeze(string)
        self.btf_fd = syscall.btf_load(self.types.data)
        locked = syscall.map_create(MapType.ARRAY, 4, LOCKED_SIZE, 1, name="kfcheck_lock",
                            btf_fd=self.btf_fd, btf_key_type_id=self.types.int_type,
                            btf_value_type_id=self.types.locked)
        self.maps = Maps(data, string, locked)
        try:
            arena = syscall.map_create(MapType.ARENA, 0, 0, 1, map_flags=syscall.BPF_F_MMAPABLE,
                               name="kfcheck_arena")
        except syscall.BpfSyscallError as exc:
            self.maps = Maps(data, string, locked, no_arena=f"creating an arena map fails "
                             f"here: {syscall.errno_name(exc.errno)}")
        else:
            self.maps = Maps(data, string, locked, arena)

    def close(self) -> None:
        """Close the program BTF and the maps."""
        for fd in (self.btf_fd, self.maps.data, self.maps.string, self.maps.locked,
                   self.maps.arena):
            if fd >= 0:
                os.close(fd)
        self.btf_fd = -1
        self.maps = Maps()


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

    @property
    def leaked(self) -> frozenset[int]:
        """The call indexes (``alloc_insn``) of the references reported unreleased."""
        return frozenset(int(m[1]) for ln in self.lines if (m := _LEAK.match(ln)))

    @property
    def reached_code(self) -> bool:
        """True if the verifier walked instructions (errors before that, such as ``metadata
        kfuncs require device-bound program``, come before the availability check)."""
        processed = parse_stats("\n".join(self.lines)).processed_insns
        return self.ok or bool(processed)

    @property
    def shown(self) -> str:
        """The error line, or ``accepted``."""
        return self.error or "accepted"


def require_kernel() -> None:
    """Raise ``KernelError`` unless this process is root and can load programs."""
    if os.geteuid() != 0:
        raise KernelError("probe: needs root (loads programs into the running kernel)")
    why = syscall.available()
    if why is not None:
        raise KernelError(f"probe: needs bpf(): {why}")


def probe(table: KfuncTable, btf: Btf, timeout: float = 120.0,
          names: Iterable[str] | None = None) -> ProbeRun:
    """Probe the running kernel for the kfuncs of ``table`` (whose BTF ids must be the running
    kernel's: build it on ``sysfs_btf()``); stop at ``timeout`` seconds."""
    require_kernel()
    start = time.monotonic()
    loader = _Loader(btf, start + timeout)
    try:
        loader.create_maps()
        statuses = [_target_status(loader, t) for t in TARGETS]
        usable = [TARGET_BY_KEY[s.key] for s in statuses if s.loadable]
        wanted = set(names) if names is not None else None
        build = running_build()
        run = ProbeRun(os.uname().release, statuses, [], build.btf_sha256 if build else "")
        for spec in table:
            if wanted is not None and spec.name not in wanted:
                continue
            if loader.expired():
                run.timed_out = True
                break
            run.kfuncs.append(_Prober(loader, table, spec).observe(usable))
        # the limit may also have cut the last kfunc's probes short
        run.timed_out = run.timed_out or loader.expired()
    finally:
        loader.close()
    run.loads = loader.loads
    run.seconds = time.monotonic() - start
    return run


def _bare_program(target: Target, call: bytes = b"") -> bytes:
    """``call`` (if any), then return ``target``'s accepted return value."""
    return call + asm.mov64_imm(0, target.ret) + asm.exit_()


def _target_status(loader: _Loader, target: Target) -> TargetStatus:
    try:
        res = loader.load(target, _bare_program(target))
    except KernelError as exc:
        return TargetStatus(target.key, False, exc.problem)
    return TargetStatus(target.key, res.ok, "" if res.ok else f"does not load here: {res.error}")


@dataclass(slots=True)
class _Prober:
    """The probes of one kfunc."""

    loader: _Loader
    table: KfuncTable
    spec: KfuncSpec
    bare: dict[str, _Verdict] = field(default_factory=dict)  # the bare call's load, per target

    def observe(self, targets: list[Target]) -> KfuncObservation:
        obs = KfuncObservation(self.spec.name)
        allowed = self.availability(targets, obs)
        # a kfunc observed (else listed) as sleepable is probed further in sleepable types only
        sleepable = obs.facts.get(Fact.SLEEPABLE, self.spec.has(KfFlag.KF_SLEEPABLE))
        callable_in = [t for t in allowed if t.sleepable or not sleepable]
        self.release(callable_in, obs)
        self.returned(callable_in, obs)
        self.trusted(callable_in, obs)
        self.rcu_protected([t for t in allowed if t.sleepable], obs)
        self.spin_allowed(allowed, obs)
        return obs

    def synth(self, target: Target) -> Synth:
        return Synth(self.loader.btf, self.table, target, self.loader.types, self.loader.maps)

    def availability(self, targets: list[Target], obs: KfuncObservation) -> list[Target]:
        """ALLOWED per target and SLEEPABLE; return the targets that may call the kfunc."""
        spec, loader = self.spec, self.loader
        bare = asm.call_kfunc(spec.btf_id)
        if spec.flags & ARENA_FLAGS:  # works on an arena: the program must use one
            if loader.maps.arena < 0:
                obs.unprobed[Fact.ALLOWED] = obs.unprobed[Fact.SLEEPABLE] = \
                    f"an arena kfunc needs a program with an arena map: {loader.maps.no_arena}"
                return []
            bare = asm.ld_map_fd(1, loader.maps.arena) + bare
        not_allowed = NOT_ALLOWED.format(spec.name)
        must_sleep = MUST_SLEEP.format(spec.name)
        early: dict[str, list[str]] = {}
        for target in targets:
            if loader.expired():
                break
            res = self.bare[target.key] = loader.load(target, _bare_program(target, bare))
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
        return allowed

    def release(self, targets: list[Target], obs: KfuncObservation) -> None:
        """KF_RELEASE: are the referenced objects passed to the call still held after it?"""
        reasons: list[str] = []
        for target in targets:
            if self.loader.expired():
                reasons.append("time limit")
                break
            try:
                keep = self.synth(target).build(self.spec, referenced=True, consumed=True)
            except Unsynth as exc:
                reasons.append(f"{target.key}: {exc}")
                continue
            if not keep.passed_refs:
                reasons.append("takes no pointer to an object the probe can acquire")
                break
            res = self.loader.run(target, keep)
            if not res.ok and res.find(_LEAK) is None:
                reasons.append(f"{target.key}: {res.error}")
                continue
            held = set(keep.passed_refs) & res.leaked
            if len(held) == len(keep.passed_refs):
                obs.facts[Fact.RELEASE] = False
                obs.evidence[Fact.RELEASE] = f"{target.key}: {res.shown}"
                return
            twice = self.synth(target).build(self.spec, referenced=True, consumed=True,
                                             twice=True)
            again = self.loader.run(target, twice)
            if again.ok or again.find(_LEAK) is not None:
                reasons.append(f"{target.key}: released, yet a second call is {again.shown}")
                continue
            obs.facts[Fact.RELEASE] = True
            obs.evidence[Fact.RELEASE] = (f"{target.key}: {res.shown}; "
                                          f"second call: {again.shown}")
            return
        obs.unprobed[Fact.RELEASE] = _reason(reasons, targets)

    def returned(self, targets: list[Target], obs: KfuncObservation) -> None:
        """KF_RET_NULL and KF_ACQUIRE: only pointer returns can carry them."""
        btf, spec = self.loader.btf, self.spec
        if spec.ret_type_id == 0 or btf[btf.resolve(spec.ret_type_id)].kind is not Kind.PTR:
            obs.unprobed[Fact.RET_NULL] = obs.unprobed[Fact.ACQUIRE] = (
                "returns no pointer: no NULL check or reference to observe")
            return
        consumed = obs.facts.get(Fact.RELEASE, False)
        hidden = _ret_null_hidden(spec)
        reasons: list[str] = []
        for target in targets:
            if self.loader.expired():
                reasons.append("time limit")
                break
            synth = self.synth(target)
            try:
                deref = synth.build(spec, _add_one, consumed=consumed)
                keep = synth.build(spec, _zero, consumed=consumed)
            except Unsynth as exc:
                reasons.append(f"{target.key}: {exc}")
                continue
            deref_res = self.loader.run(target, deref)
            keep_res = self.loader.run(target, keep)
            acquire = keep.call_at in keep_res.leaked
            if not keep_res.ok and not acquire:
                reasons.append(f"{target.key}: {keep_res.error}")
                continue
            obs.facts[Fact.ACQUIRE] = acquire
            obs.evidence[Fact.ACQUIRE] = f"{target.key}: {keep_res.shown}"
            null = deref_res.find(_OR_NULL) is not None
            if hidden:
                obs.unprobed[Fact.RET_NULL] = hidden
            elif null or deref_res.ok or deref.call_at in deref_res.leaked:
                obs.facts[Fact.RET_NULL] = null
                obs.evidence[Fact.RET_NULL] = f"{target.key}: {deref_res.shown}"
            else:
                obs.unprobed[Fact.RET_NULL] = f"{target.key}: {deref_res.error}"
            return
        obs.unprobed[Fact.RET_NULL] = obs.unprobed[Fact.ACQUIRE] = _reason(reasons, targets)

    def trusted(self, targets: list[Target], obs: KfuncObservation) -> None:
        """KF_TRUSTED_ARGS and KF_RCU: a kernel-object argument given an untrusted pointer
        (``bpf_rdonly_cast``) gives ``R%d must be referenced or trusted`` (trusted args),
        ``R%d must be a rcu pointer`` (KF_RCU), or passes (neither)."""
        reasons: list[str] = []
        consumed = obs.facts.get(Fact.RELEASE, False)
        for target in targets:
            if self.loader.expired():
                reasons.append("time limit")
                break
            try:
                built = self.synth(target).build(self.spec, _zero, consumed=consumed,
                                                 untrusted=True)
            except Unsynth as exc:
                reasons.append(f"{target.key}: {exc}")
                continue
            if not built.untrusted_reg:
                reasons.append("takes no kernel object the probe can make untrusted")
                break
            res = self.loader.run(target, built)
            said = f"{target.key}: R{built.untrusted_reg} untrusted: {res.shown}"
            trusted, rcu = _NOT_TRUSTED.match(res.error), _NOT_RCU.match(res.error)
            if trusted and int(trusted[1]) == built.untrusted_reg:
                obs.facts[Fact.TRUSTED_ARGS], obs.facts[Fact.RCU] = True, False
            elif rcu and int(rcu[1]) == built.untrusted_reg:
                obs.facts[Fact.RCU] = True
                obs.unprobed[Fact.TRUSTED_ARGS] = "KF_RCU: RCU pointers pass, trust is not seen"
            elif res.ok or built.call_at in res.leaked:
                obs.facts[Fact.TRUSTED_ARGS] = obs.facts[Fact.RCU] = False
            else:
                reasons.append(f"{target.key}: {res.error}")
                continue
            for fact in (Fact.TRUSTED_ARGS, Fact.RCU):
                if fact in obs.facts:
                    obs.evidence[fact] = said
            return
        obs.unprobed[Fact.TRUSTED_ARGS] = obs.unprobed[Fact.RCU] = _reason(reasons, targets)

    def rcu_protected(self, targets: list[Target], obs: KfuncObservation) -> None:
        """KF_RCU_PROTECTED, in sleepable programs (outside an RCU section there): ``kernel
        func %s requires RCU critical section protection`` for a bare call or one with
        synthesized arguments (iterator constructors check their arguments first), or the
        call passes."""
        needs_rcu = NEEDS_RCU.format(self.spec.name)
        reasons: list[str] = []
        for target in targets:
            if self.loader.expired():
                reasons.append("time limit")
                break
            bare = self.bare.get(target.key) or self.loader.load(
                target, _bare_program(target, asm.call_kfunc(self.spec.btf_id)))
            if bare.error == needs_rcu:
                obs.facts[Fact.RCU_PROTECTED] = True
                obs.evidence[Fact.RCU_PROTECTED] = f"{target.key}: {bare.shown}"
                return
            try:
                built = self.synth(target).build(
                    self.spec, _zero, consumed=obs.facts.get(Fact.RELEASE, False))
            except Unsynth as exc:
                reasons.append(f"{target.key}: {exc}")
                continue
            res = self.loader.run(target, built)
            if res.error == needs_rcu:
                obs.facts[Fact.RCU_PROTECTED] = True
                obs.evidence[Fact.RCU_PROTECTED] = f"{target.key}: {res.shown}"
                return
            if res.ok or built.call_at in res.leaked:
                obs.facts[Fact.RCU_PROTECTED] = False
                obs.evidence[Fact.RCU_PROTECTED] = f"{target.key}: {res.shown}"
                return
            reasons.append(f"{target.key}: {res.error}")
        obs.unprobed[Fact.RCU_PROTECTED] = (
            _reason(reasons, targets) if targets
            else "no sleepable program type here can call it")

    def spin_allowed(self, targets: list[Target], obs: KfuncObservation) -> None:
        """SPIN_ALLOWED: called (bare) under ``bpf_spin_lock``, a kfunc the verifier does not
        allow there gives ``function calls are not allowed while holding a lock``."""
        reasons: list[str] = []
        for target in targets:
            why = self.loader.spin_usable(target)
            if why:
                reasons.append(f"{target.key}: {why}")
                continue
            res = self.loader.load(target, locked_program(
                target, self.loader.maps, asm.call_kfunc(self.spec.btf_id)))
            obs.facts[Fact.SPIN_ALLOWED] = res.error != LOCK_HELD
            obs.evidence[Fact.SPIN_ALLOWED] = f"{target.key}: {res.shown}"
            return
        obs.unprobed[Fact.SPIN_ALLOWED] = _reason(reasons, targets)


def _ret_null_hidden(spec: KfuncSpec) -> str:
    """Why the verifier overrides KF_RET_NULL for what the probe can pass ("" if it does not)."""
    if spec.has(KfFlag.KF_ITER_NEXT):
        return ("iterator next: the verifier forks a drained state (R0 = 0) and an active one "
                "(R0 not NULL)")
    if Family.REFCOUNT_ACQUIRE in spec.families:
        return ("on an owning reference (all the probe can make) the result is not NULL "
                "(is_kfunc_ret_null)")
    return ""


def _add_one(a: Asm) -> None:
    a.emit(asm.alu64_imm(AluOp.ADD, 0, 1))


def _zero(a: Asm) -> None:
    a.emit(asm.mov64_imm(0, 0))


def _reason(reasons: list[str], targets: list[Target]) -> str:
    """Why a fact stayed unprobed: the first distinct reasons, or why no target was tried."""
    if not targets:
        return "no program type here can call it"
    distinct = list(dict.fromkeys(reasons))
    return "; ".join(distinct[:2]) or "no program type to probe in"

