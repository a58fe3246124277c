"""What a kernel BTF says about its kfuncs: names, C prototypes, ``bpf_fastcall`` tags, argument
annotations and ``enum special_kfunc_type`` — the raw material of a profile's table."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kfcheck.btf import Btf
from kfcheck.btf.cnames import func_decl
from kfcheck.profile.kfuncs.btfview import SPECIAL_ENUM, special_kfunc_names
from kfcheck.profile.kfuncs.schema import Annotation
from kfcheck.profile.kfuncs.table import annotate

_ALL_ANNOTATIONS = tuple(Annotation)


@dataclass(frozen=True, slots=True)
class ExtractedArg:
    """A kfunc parameter name and the annotation its name carries (if any)."""

    name: str
    annotation: Annotation | None


@dataclass(frozen=True, slots=True)
class ExtractedKfunc:
    """One FUNC with a ``bpf_kfunc`` decl tag."""

    name: str
    btf_id: int
    prototype: str
    fastcall: bool
    args: tuple[ExtractedArg, ...]

    @property
    def annotated(self) -> tuple[ExtractedArg, ...]:
        """The parameters that carry an annotation."""
        return tuple(a for a in self.args if a.annotation is not None)


@dataclass(frozen=True, slots=True)
class Extraction:
    """The kfunc facts of one kernel BTF."""

    source: str
    kfuncs: tuple[ExtractedKfunc, ...]
    special_kfunc_type: tuple[str, ...]

    def names(self) -> frozenset[str]:
        """The kfunc names."""
        return frozenset(k.name for k in self.kfuncs)


def extract(btf: Btf) -> Extraction:
    """The kfuncs of ``btf`` in name order and its ``enum special_kfunc_type`` members (without
    ``KF_``) in enum order (empty when the BTF has no such enum)."""
    kfuncs = []
    for func in btf.kfuncs():
        proto = btf[func.type]
        args = tuple(ExtractedArg(p.name, annotate(p.name, _ALL_ANNOTATIONS))
                     for p in proto.params)
        kfuncs.append(ExtractedKfunc(func.name, func.id, func_decl(btf, func.id),
                                     btf.fastcall(func.id), args))
    kfuncs.sort(key=lambda k: k.name)
    return Extraction(btf.name, tuple(kfuncs), special_kfunc_names(btf))


def to_json(ex: Extraction) -> dict[str, object]:
    """The extraction as JSON-ready data."""
    return {
        "source": ex.source,
        "kfuncs": [
            {
                "name": k.name,
                "btf_id": k.btf_id,
                "prototype": k.prototype,
                "fastcall": k.fastcall,
                "args": [
                    {"name": a.name,
                     "annotation": a.annotation.value if a.annotation else None}
                    for a in k.args
                ],
            }
            for k in ex.kfuncs
        ],
        "special_kfunc_type": list(ex.special_kfunc_type),
    }


def render(ex: Extraction, as_json: bool = False) -> str:
    """Text (one kfunc a line, then the special enum) or JSON output of ``table extract``."""
    if as_json:
        return json.dumps(to_json(ex), indent=1) + "\n"
    fast = sum(k.fastcall for k in ex.kfuncs)
    out = [f"# {len(ex.kfuncs)} kfuncs in {ex.source} ({fast} bpf_fastcall)"]
    for k in ex.kfuncs:
        notes = ["bpf_fastcall"] if k.fastcall else []
        notes += [f"{a.name}:{a.annotation.value}" for a in k.annotated if a.annotation]
        tail = f"  // {' '.join(notes)}" if notes else ""
        out.append(f"{k.btf_id:>7}  {k.prototype};{tail}")
    out.append(f"# enum {SPECIAL_ENUM}: {len(ex.special_kfunc_type)} members")
    out += [f"{i:>7}  {name}" for i, name in enumerate(ex.special_kfunc_type)]
    return "\n".join(out) + "\n"
