"""The offline verifier's entry points: ``check(path, profile)`` verifies every program of an
object against a kernel build's profile; ``verify(program, profile)`` one linked program."""

from __future__ import annotations

import errno as errno_mod
from collections.abc import Sequence
from dataclasses import replace

from kfcheck.errors import KfcheckError, in_file
from kfcheck.host import KernelBuild
from kfcheck.isa.insn import Insn, validate
from kfcheck.link import KernelTarget, LinkFailure, Program, link_file
from kfcheck.profile.embedded import Profile, load_profile
from kfcheck.verdict import (
    FileError,
    LogStats,
    Outcome,
    Result,
    Stage,
    Verdict,
    link_failure_verdict,
)
from kfcheck.verifier.engine import explore
from kfcheck.verifier.env import INSN_LIMIT, Env
from kfcheck.verifier.log import VerifierLog
from kfcheck.verifier.messages import Reject, Unsupported
from kfcheck.verifier.progtypes import prog_type_info


def check_files(paths: Sequence[str], profile: Profile, log_level: int = 0) -> list[Result]:
    """``check`` on every object; an object that cannot be read or linked becomes one
    ``FileError`` row, so it never hides the others' verdicts (one object: its error is
    raised)."""
    results: list[Result] = []
    for path in paths:
        try:
            results += check(path, profile, log_level)
        except KfcheckError as err:
            if len(paths) == 1:
                raise
            results.append(FileError.of(path, err, _build(profile)))
    return results


def _build(profile: Profile) -> KernelBuild:
    return KernelBuild(profile.kernel, profile.btf.cache_key or "")


def check(path: str, profile: Profile | str | None = None,
          log_level: int = 0) -> list[Verdict]:
    """Verify every entry program of the object at ``path`` offline, for the kernel build of
    ``profile`` (a loaded profile, a profile name, or None: the default profile); each verdict
    carries a log when ``log_level`` is 1 (the failing path) or 2 (every path)."""
    if not isinstance(profile, Profile):
        profile = load_profile(name=profile)
    build = _build(profile)
    target = KernelTarget.from_profile(profile)
    out = []
    with in_file(path):
        for linked in link_file(path, target):
            if isinstance(linked, LinkFailure):
                verdict = link_failure_verdict(linked)
            else:
                verdict = replace(verify(linked, profile, log_level), stage=Stage.VERIFIER)
                verdict = verdict.named(path, linked.name, linked.section)
            out.append(replace(verdict, build=build))
    return out


def verify(program: Program, profile: Profile, log_level: int = 0) -> Verdict:
    """Verify one linked program: accept, reject (the kernel's error line and instruction)
    or unsupported (what kfcheck does not model yet); with the kernel-style log of
    ``log_level``."""
    info = prog_type_info(program.prog_type, program.expected_attach_type,
                          program.attach_btf_id)
    if info is None:
        return Verdict.unsupported(f"{program.prog_type.name.lower()} programs")
    try:
        validate(program.insns)
    except KfcheckError as exc:
        return Verdict(Outcome.REJECT, error=exc.problem, errno=errno_mod.EINVAL)
    slots: list[Insn | None] = [None] * program.insn_count
    for insn in program.insns:
        slots[insn.index] = insn
    env = Env(program, profile, info, slots, prog_btf=program.btf)
    if log_level:
        env.log = VerifierLog(program, profile.btf, log_level)
    try:
        explore(env)
    except Reject as exc:
        lines = tuple(x for x in (exc.before, exc.text) if x)
        log = env.log.finish(_summary(env), lines) if env.log is not None else "\n".join(lines)
        return Verdict(Outcome.REJECT, error=exc.text, insn=exc.insn, log=log,
                       errno=errno_mod.EACCES,
                       stats=_stats(env))
    except Unsupported as exc:
        return Verdict.unsupported(exc.what)
    log = env.log.finish(_summary(env), accepted=True) if env.log is not None else ""
    return Verdict(Outcome.ACCEPT, stats=_stats(env), log=log)


def _stats(env: Env) -> LogStats:
    return LogStats(processed_insns=env.insn_processed, total_states=env.total_states,
                    max_states_per_insn=env.max_states_per_insn,
                    stack_depth=tuple(env.stack_depth))


def _summary(env: Env) -> str:
    """The log's last line, as the kernel prints it (states are never freed here, so the
    peak is the total)."""
    return (f"processed {env.insn_processed} insns (limit {INSN_LIMIT}) "
            f"max_states_per_insn {env.max_states_per_insn} total_states {env.total_states} "
            f"peak_states {env.total_states} mark_read 0")
