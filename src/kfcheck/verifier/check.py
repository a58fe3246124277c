"""The offline verifier's entry points: ``check(path, profile)`` verifies every program of an
object against a kernel build's profile; ``verify(program, profile)`` one linked program."""

from __future__ import annotations

import errno as errno_mod
from dataclasses import replace

from kfcheck.errors import KfcheckError
from kfcheck.host import KernelBuild
from kfcheck.isa.insn import Insn, validate
from kfcheck.link import KernelTarget, LinkFailure, Program, link_file
from kfcheck.profile.embedded import Profile, load_profile
from kfcheck.verdict import LogStats, Outcome, Verdict, link_failure_verdict
from kfcheck.verifier.engine import explore
from kfcheck.verifier.env import Env
from kfcheck.verifier.messages import Reject, Unsupported
from kfcheck.verifier.progtypes import prog_type_info


def check(path: str, profile: Profile | str | None = None) -> list[Verdict]:
    """Verify every entry program of the object at ``path`` offline, for the kernel build of
    ``profile`` (a loaded profile, a profile name, or None: the default profile)."""
    if not isinstance(profile, Profile):
        profile = load_profile(name=profile)
    build = KernelBuild(profile.kernel, profile.btf.cache_key or "")
    target = KernelTarget.from_profile(profile)
    out = []
    for linked in link_file(path, target):
        if isinstance(linked, LinkFailure):
            verdict = link_failure_verdict(linked)
        else:
            verdict = verify(linked, profile).named(path, linked.name, linked.section)
        out.append(replace(verdict, build=build))
    return out


def verify(program: Program, profile: Profile) -> Verdict:
    """Verify one linked program: accept, reject (the kernel's error line and instruction)
    or unsupported (what kfcheck does not model yet)."""
    info = prog_type_info(program.prog_type, program.expected_attach_type,
                          program.attach_btf_id)
    if info is None:
        return Verdict.unsupported(f"{program.prog_type.name.lower()} programs")
    try:
        validate(program.insns, program.name)
    except KfcheckError as exc:
        return Verdict(Outcome.REJECT, error=exc.problem, errno=errno_mod.EINVAL)
    slots: list[Insn | None] = [None] * program.insn_count
    for insn in program.insns:
        slots[insn.index] = insn
    env = Env(program, profile, info, slots, prog_btf=program.btf)
    try:
        explore(env)
    except Reject as exc:
        log = "\n".join(x for x in (exc.before, exc.text) if x)
        return Verdict(Outcome.REJECT, error=exc.text, insn=exc.insn, log=log,
                       errno=errno_mod.EACCES,
                       stats=LogStats(processed_insns=env.insn_processed,
                                      total_states=env.total_states))
    except Unsupported as exc:
        return Verdict.unsupported(exc.what)
    return Verdict(Outcome.ACCEPT, stats=LogStats(processed_insns=env.insn_processed,
                                                  total_states=env.total_states))
