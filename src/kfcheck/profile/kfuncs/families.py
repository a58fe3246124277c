"""Family algebra: a family's members are its listed kfuncs plus the members of its unions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kfcheck.errors import TableError
from kfcheck.profile.kfuncs.schema import Family, FamilyDef, KfuncEntry


def check_unions(families: Mapping[Family, FamilyDef]) -> None:
    """Raise ``TableError`` if the union graph has a cycle."""
    state: dict[Family, int] = {}  # 1 = on the current path, 2 = done

    def visit(fam: Family, path: list[Family]) -> None:
        if state.get(fam) == 2:
            return
        if state.get(fam) == 1:
            cycle = " -> ".join(f.name for f in [*path[path.index(fam):], fam])
            raise TableError(f"family unions form a cycle: {cycle}")
        state[fam] = 1
        for member in families[fam].union:
            visit(member, [*path, fam])
        state[fam] = 2

    for fam in families:
        visit(fam, [])


def closure(families: Mapping[Family, FamilyDef]) -> dict[Family, frozenset[Family]]:
    """For each family, the families whose members it includes (itself included)."""
    out: dict[Family, frozenset[Family]] = {}

    def expand(fam: Family) -> frozenset[Family]:
        if fam not in out:
            acc = {fam}
            for member in families[fam].union:
                acc |= expand(member)
            out[fam] = frozenset(acc)
        return out[fam]

    for fam in families:
        expand(fam)
    return out


def effective_families(
    listed: frozenset[Family], inc: Mapping[Family, frozenset[Family]]
) -> frozenset[Family]:
    """All families a kfunc belongs to, given the ones its entry lists and the table's
    ``closure`` (computed once per table by the caller)."""
    return frozenset(fam for fam, included in inc.items() if included & listed)


def members(
    kfuncs: Iterable[KfuncEntry], families: Mapping[Family, FamilyDef]
) -> dict[Family, tuple[str, ...]]:
    """Each declared family's member kfunc names, in entry order."""
    inc = closure(families)
    out: dict[Family, list[str]] = {fam: [] for fam in families}
    for entry in kfuncs:
        for fam in effective_families(entry.families, inc):
            out[fam].append(entry.name)
    return {fam: tuple(names) for fam, names in out.items()}


def mask_of(fams: Iterable[Family]) -> int:
    """The bit mask of a set of families."""
    mask = 0
    for fam in fams:
        mask |= fam.value
    return mask
