"""The compiled kfunc table: ``btf_id -> KfuncSpec``, per-id family masks and per-family id
sets, built once per profile from (table file, kernel BTF). Every verifier question is one
hash lookup: "is this a graph-node API?" is ``btf_id in table.family_ids(Family.X)`` (a rule binds
the set once) or one AND on ``family_mask(btf_id)`` when a call site asks several families."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kfcheck.errors import TableError, in_file
from kfcheck.profile.kfuncs.btfview import BtfFunc, KfuncBtf
from kfcheck.profile.kfuncs.families import closure, effective_families, mask_of
from kfcheck.profile.kfuncs.schema import (
    ITER_FLAGS,
    ITER_METHODS,
    ITER_PREFIX,
    Annotation,
    ArgSpec,
    Family,
    Hook,
    KfFlag,
    KfuncEntry,
    KfuncSpec,
    TableFile,
)
from kfcheck.uapi import ProgType


@dataclass(frozen=True, slots=True, eq=False)
class KfuncTable:
    """A profile's kfuncs with O(1) lookups by BTF id and by name."""

    file: TableFile
    btf_source: str
    _by_id: dict[int, KfuncSpec]
    _by_name: dict[str, KfuncSpec]
    _masks: dict[int, int]
    _members: dict[Family, tuple[KfuncSpec, ...]]
    _family_ids: dict[Family, frozenset[int]]

    @classmethod
    def build(cls, file: TableFile, btf: KfuncBtf) -> KfuncTable:
        """Compile ``file`` against ``btf``: every entry must name a FUNC of that BTF, and the
        table's special kfuncs must match the BTF's ``enum special_kfunc_type`` when it has one."""
        if btf.special_kfunc_type and btf.special_kfunc_type != file.special_kfuncs:
            raise TableError(
                f"special_kfuncs differ from enum special_kfunc_type of {btf.source} "
                f"({_first_difference(file.special_kfuncs, btf.special_kfunc_type)})",
                path=file.path,
            )
        inc = closure(file.families)
        by_id: dict[int, KfuncSpec] = {}
        by_name: dict[str, KfuncSpec] = {}
        for entry in file.kfuncs:
            func = btf.funcs.get(entry.name)
            if func is None:
                raise TableError(f"kfunc {entry.name} is not a FUNC of {btf.source}",
                                 path=file.path)
            if entry.flags & ITER_FLAGS:
                with in_file(file.path):
                    _check_iter_btf(entry, func, btf.source)
            fams = effective_families(entry.families, inc)
            spec = _spec(file, entry, func, fams)
            by_id[spec.btf_id] = spec
            by_name[spec.name] = spec
        members = {
            fam: tuple(s for s in by_name.values() if fam in s.families) for fam in file.families
        }
        masks = {i: s.family_mask for i, s in by_id.items() if s.family_mask}
        family_ids = {f: frozenset(s.btf_id for s in m) for f, m in members.items()}
        return cls(file, btf.source, by_id, by_name, masks, members, family_ids)

    # ---- O(1) questions ----

    def kfunc(self, btf_id: int) -> KfuncSpec | None:
        """The kfunc with this BTF id, or None if the id is not a kfunc of the profile."""
        return self._by_id.get(btf_id)

    def by_name(self, name: str) -> KfuncSpec | None:
        """The kfunc named ``name``, or None."""
        return self._by_name.get(name)

    def in_family(self, btf_id: int, family: Family) -> bool:
        """True if the kfunc with this id belongs to ``family``: one dict lookup and one AND
        (hashing an enum member costs more than both)."""
        return self._masks.get(btf_id, 0) & family != 0

    def family_ids(self, family: Family) -> frozenset[int]:
        """The BTF ids of ``family``'s kfuncs: a rule binds this once and tests ``id in ids``."""
        return self._family_ids.get(family, _NONE)

    def family_mask(self, btf_id: int) -> int:
        """The id's family bit mask (0 for non-kfuncs and kfuncs in no family)."""
        return self._masks.get(btf_id, 0)

    def allowed(self, btf_id: int, prog_type: ProgType, attach_type: int | None = None) -> bool:
        """True if a program of ``prog_type`` with expected ``attach_type`` may call the kfunc
        (hooks and filters; None satisfies no attach-type filter)."""
        spec = self._by_id.get(btf_id)
        return spec is not None and spec.allows(prog_type, attach_type)

    def args_trusted(self, spec: KfuncSpec) -> bool:
        """Whether the verifier demands trusted pointer arguments of ``spec``
        (``is_kfunc_trusted_args``): KF_TRUSTED_ARGS or KF_RELEASE, or every kfunc on a build
        whose table says ``args_trusted_by_default``."""
        return (self.file.args_trusted_by_default
                or bool(spec.flags & (KfFlag.KF_TRUSTED_ARGS | KfFlag.KF_RELEASE)))

    def refused(self, spec: KfuncSpec) -> bool:
        """Whether the build refuses ``spec`` once its arguments are checked (a family the
        table lists in ``refused_families``)."""
        return bool(spec.family_mask & self.file.refused)

    # ---- whole-table views ----

    @property
    def profile(self) -> str:
        """The profile's name, e.g. ``linux-6.18``."""
        return self.file.profile

    def members(self, family: Family) -> tuple[KfuncSpec, ...]:
        """The kfuncs of a declared family (empty for families the profile does not declare)."""
        return self._members.get(family, ())

    def families(self) -> tuple[Family, ...]:
        """The families the profile declares, in table order."""
        return tuple(self.file.families)

    def special(self) -> tuple[KfuncSpec, ...]:
        """The kfuncs of ``enum special_kfunc_type``, in enum order."""
        return tuple(self._by_name[n] for n in self.file.special_kfuncs)

    def __iter__(self) -> Iterator[KfuncSpec]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)


_NONE: frozenset[int] = frozenset()


def annotate(name: str, known: tuple[Annotation, ...]) -> Annotation | None:
    """The annotation a parameter name carries, among the profile's ``known`` ones."""
    for ann in known:
        if ann.matches(name):
            return ann
    return None


def _spec(file: TableFile, entry: KfuncEntry, func: BtfFunc, fams: frozenset[Family]) -> KfuncSpec:
    sets = [file.sets[s] for s in entry.sets]
    hooks: frozenset[Hook] = frozenset().union(*(s.hooks for s in sets))
    access = tuple(dict.fromkeys(s.access for s in sets))
    progs: frozenset[ProgType] = frozenset().union(*(a.prog_types for a in access))
    args = tuple(ArgSpec(p.name, p.type, annotate(p.name, file.annotations)) for p in func.params)
    return KfuncSpec(
        name=entry.name,
        btf_id=func.btf_id,
        flags=entry.flags,
        families=fams,
        family_mask=mask_of(fams),
        sets=entry.sets,
        hooks=hooks,
        prog_types=progs,
        access=access,
        args=args,
        ret_type_id=func.ret_type_id,
        since=entry.since,
        config=entry.config,
        note=entry.note,
    )


def _check_iter_btf(entry: KfuncEntry, func: BtfFunc, source: str) -> None:
    """``btf_check_iter_kfuncs``' prototype rules (the loader checked the flags and name)."""
    problem = ""
    if not func.arg0_struct.startswith(ITER_PREFIX):
        problem = f"first argument must be a pointer to struct {ITER_PREFIX}<type>"
    elif func.arg0_size == 0 or func.arg0_size % 8:
        problem = f"struct {func.arg0_struct} size {func.arg0_size} is not a multiple of 8"
    elif entry.name != f"{func.arg0_struct}_{ITER_METHODS[entry.flags & ITER_FLAGS]}":
        problem = f"name does not match its argument type struct {func.arg0_struct}"
    elif not entry.flags & KfFlag.KF_ITER_NEW and len(func.params) != 1:
        problem = "only the constructor (KF_ITER_NEW) takes more than the iterator"
    elif entry.flags & KfFlag.KF_ITER_NEXT and not func.returns_ptr:
        problem = "KF_ITER_NEXT kfunc must return a pointer"
    elif entry.flags & KfFlag.KF_ITER_DESTROY and func.ret_type_id != 0:
        problem = "KF_ITER_DESTROY kfunc must return void"
    if problem:
        raise TableError(f"iterator kfunc {entry.name} in {source}: {problem}")


def _first_difference(ours: tuple[str, ...], theirs: tuple[str, ...]) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"index {i}: table has {a}, BTF has {b}"
    return f"table has {len(ours)} entries, BTF has {len(theirs)}"
