"""What a probe observes: the facts, the per-kfunc observations, a run and its JSON file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum

from kfcheck.errors import TableError, in_file
from kfcheck.files import MAX_TEXT_SIZE, read_input
from kfcheck.profile.kfuncs.schema import Family, KfFlag, KfuncSpec
from kfcheck.profile.kfuncs.table import KfuncTable


class Fact(Enum):
    """What a probe observes about a kfunc."""

    ALLOWED = "allowed"
    SLEEPABLE = "sleepable"
    RET_NULL = "ret_null"
    ACQUIRE = "acquire"
    RELEASE = "release"
    TRUSTED_ARGS = "trusted_args"
    RCU = "rcu"
    RCU_PROTECTED = "rcu_protected"
    SPIN_ALLOWED = "spin_allowed"


_FLAG_OF = {Fact.SLEEPABLE: KfFlag.KF_SLEEPABLE, Fact.RET_NULL: KfFlag.KF_RET_NULL,
            Fact.ACQUIRE: KfFlag.KF_ACQUIRE, Fact.RELEASE: KfFlag.KF_RELEASE,
            Fact.TRUSTED_ARGS: KfFlag.KF_TRUSTED_ARGS, Fact.RCU: KfFlag.KF_RCU,
            Fact.RCU_PROTECTED: KfFlag.KF_RCU_PROTECTED}
_FAMILY_OF = {Fact.SPIN_ALLOWED: Family.SPIN_ALLOWED}


ARENA_FLAGS = KfFlag.KF_ARENA_RET | KfFlag.KF_ARENA_ARG1 | KfFlag.KF_ARENA_ARG2


def table_says(table: KfuncTable, spec: KfuncSpec, fact: Fact) -> bool:
    """The table's answer for a flag or family fact. Trusted arguments are what the verifier
    enforces (``KfuncTable.args_trusted``: KF_TRUSTED_ARGS or KF_RELEASE, or every kfunc on a
    build that trusts arguments by default)."""
    if fact in _FAMILY_OF:
        return _FAMILY_OF[fact] in spec.families
    if fact is Fact.TRUSTED_ARGS:
        return table.args_trusted(spec)
    return spec.has(_FLAG_OF[fact])


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

    kernel: str  # the build's release
    targets: list[TargetStatus]
    kfuncs: list[KfuncObservation]
    btf_sha256: str = ""  # the build's BTF digest (``kfcheck.host.KernelBuild``)
    loads: int = 0
    seconds: float = 0.0
    timed_out: bool = False

    def to_json(self) -> dict[str, object]:
        """JSON-ready data (the format of recorded runs)."""
        return {
            "kernel": self.kernel,
            "btf_sha256": self.btf_sha256,
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
    def from_json(cls, data: dict[str, object]) -> ProbeRun:
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
            return cls(str(data["kernel"]), targets, kfuncs, str(data["btf_sha256"]),
                       int(str(data["loads"])), float(str(data["seconds"])),
                       bool(data["timed_out"]))
        except (KeyError, TypeError, ValueError) as err:
            raise TableError(f"malformed probe recording: {err!r}") from None


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


def save_run(run: ProbeRun, path: str) -> None:
    """Record ``run`` as JSON (``kfcheck table probe --save``)."""
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(run.to_json(), fh, indent=1)
            fh.write("\n")
    except OSError as err:
        raise TableError(f"cannot write: {err.strerror}", path=path) from None


def load_run(path: str) -> ProbeRun:
    """A probe run recorded by ``save_run``."""
    text = read_input(path, TableError, MAX_TEXT_SIZE)
    try:
        data = json.loads(text)
    except ValueError as err:  # also UnicodeDecodeError
        raise TableError(f"invalid JSON: {err}", path=path) from None
    except RecursionError:
        raise TableError("invalid JSON: arrays or objects nested too deeply", path=path) from None
    if not isinstance(data, dict):
        raise TableError("malformed probe recording: not an object", path=path)
    with in_file(path):
        return ProbeRun.from_json(data)


