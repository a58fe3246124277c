"""The profile-level ``kfcheck table`` actions: ``extract``, ``probe``, and ``list``/``show``/
``export`` on a profile built from another kernel's BTF (``--kernel-btf``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from kfcheck.errors import TableError

PROFILE_ACTIONS = frozenset({"extract", "probe"})


@dataclass(frozen=True, slots=True)
class ProfileRequest:
    """What was asked: the action and its options."""

    action: str
    kernel_btf: str = ""
    btf: str = ""
    name: str = ""
    as_json: bool = False
    timeout: float = 120.0
    recorded: str = ""
    save: str = ""


@dataclass(frozen=True, slots=True)
class ProfileOutput:
    """Text for stdout, warning lines for stderr, and the exit code."""

    text: str
    warnings: tuple[str, ...] = ()
    exit_code: int = 0


def run_profile_action(req: ProfileRequest) -> ProfileOutput:
    """Perform one profile-level action."""
    if req.action == "extract":
        return _extract(req)
    if req.action == "probe":
        return _probe(req)
    return _table_view(req)


def _extract(req: ProfileRequest) -> ProfileOutput:
    from kfcheck.btf import Btf
    from kfcheck.profile.embedded import embedded_btf, read_manifest
    from kfcheck.profile.kfuncs.extract import extract, render

    path = req.btf or req.kernel_btf
    if path:
        return ProfileOutput(render(extract(Btf.load(path)), req.as_json))
    manifest = read_manifest()
    found = replace(extract(embedded_btf(manifest)), source=f"{manifest.btf.name} (embedded)")
    return ProfileOutput(render(found, req.as_json))


def _probe(req: ProfileRequest) -> ProfileOutput:
    from kfcheck.profile.embedded import load_profile, sysfs_btf
    from kfcheck.profile.kfuncs.probe import (
        compare,
        load_run,
        probe,
        render,
        report_json,
        require_kernel,
    )

    if req.recorded:
        profile = load_profile(req.kernel_btf or None)
        run = load_run(req.recorded)
    else:
        require_kernel()
        profile = load_profile(req.kernel_btf or sysfs_btf())
        run = probe(profile.table, profile.btf, req.timeout)
    if req.save:
        try:
            with open(req.save, "w", encoding="utf-8") as fh:
                json.dump(run.to_json(), fh, indent=1)
                fh.write("\n")
        except OSError as err:
            raise TableError(req.save, f"cannot write: {err.strerror}") from None
    cmp = compare(profile.table, run)
    text = (json.dumps(report_json(cmp, run), indent=1) + "\n" if req.as_json
            else render(cmp, run))
    return ProfileOutput(text, profile.warnings, 1 if cmp.disagreements else 0)


def _table_view(req: ProfileRequest) -> ProfileOutput:
    from kfcheck.profile.embedded import load_profile
    from kfcheck.profile.kfuncs.commands import export, list_kfuncs, show_kfunc

    profile = load_profile(req.kernel_btf)
    notes = tuple(f"kfunc {n} is in the BTF but not in the table" for n in profile.untabled)
    warnings = profile.warnings + notes
    if req.action == "list":
        return ProfileOutput(list_kfuncs(profile.table), warnings)
    if req.action == "show":
        return ProfileOutput(show_kfunc(profile.table, req.name), warnings)
    if req.action == "export":
        return ProfileOutput(json.dumps(export(profile.table), indent=1) + "\n", warnings)
    raise TableError(req.kernel_btf, f"--kernel-btf does not apply to table {req.action}")
