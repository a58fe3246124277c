"""CO-RE relocations computed against a target (kernel) BTF the way libbpf does.

The local side is the program BTF: a root type id plus an access string (``0:1:2``). The target
side is every type of the kernel BTF with the same kind and the same *essential name* (the name
without a ``___flavor`` suffix). Each candidate is matched accessor by accessor (looking through
anonymous struct/union members); all matching candidates must agree on the result, and when none
matches the instruction is poisoned (or the answer is 0 for the ``*_EXISTS`` / type kinds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kfcheck.btf import Btf, BtfType, Kind
from kfcheck.btf.ext import CoreReloKind as CoreKind
from kfcheck.btf.types import INT_SIGNED
from kfcheck.errors import BtfError, InsnError, LinkError
from kfcheck.isa.insn import INSN_SIZE, Insn, make_insn, patched
from kfcheck.isa.opcodes import CALL_CODE, SIZE_MASK, InsnClass, Op, Size, Source

SPEC_MAX_LEN = 64
# libbpf replaces an instruction whose relocation cannot be resolved by a call to this
# helper id, so the verifier reports "invalid func unknown#195896080" if it is reachable.
POISON_HELPER = 0xBAD2310


def is_field(kind: CoreKind) -> bool:
    """Field-based kinds (the access string walks members and array elements)."""
    return kind <= CoreKind.FIELD_RSHIFT_U64


def is_type(kind: CoreKind) -> bool:
    """Type-based kinds (the access string is ``0``)."""
    return kind in _TYPE_KINDS


def is_enumval(kind: CoreKind) -> bool:
    """Enumerator-based kinds."""
    return kind in (CoreKind.ENUMVAL_EXISTS, CoreKind.ENUMVAL_VALUE)


_TYPE_KINDS = frozenset({CoreKind.TYPE_ID_LOCAL, CoreKind.TYPE_ID_TARGET, CoreKind.TYPE_EXISTS,
                         CoreKind.TYPE_SIZE, CoreKind.TYPE_MATCHES})
_COMPOSITE = frozenset({Kind.STRUCT, Kind.UNION})
_ENUMS = frozenset({Kind.ENUM, Kind.ENUM64})


class CoreError(Exception):
    """A relocation libbpf would refuse (the linker turns it into a ``LinkError``)."""


@dataclass(frozen=True)
class Accessor:
    """One step of a spec: a type and an index (member, array element or enumerator)."""

    type_id: int
    idx: int
    name: str | None


@dataclass
class Spec:
    """A parsed access path: named accessors, all raw indices, and the bit offset reached."""

    btf: Btf
    root_type_id: int
    kind: CoreKind
    accessors: list[Accessor] = field(default_factory=list)
    raw: list[int] = field(default_factory=list)
    bit_offset: int = 0


@dataclass(frozen=True)
class CoreResult:
    """What a relocation does to its instruction (libbpf's ``bpf_core_relo_res``)."""

    orig_val: int
    new_val: int
    poison: bool = False
    validate: bool = True
    orig_sz: int = 0
    new_sz: int = 0
    fail_memsz_adjust: bool = False


def essential_name(name: str) -> str:
    """The name without its last ``___flavor`` suffix (libbpf's essential name)."""
    if "___" not in name:
        return name
    for i in range(len(name) - 5, -1, -1):
        if name[i] != "_" and name[i + 1 : i + 4] == "___" and name[i + 4] != "_":
            return name[: i + 1]
    return name


def _kinds_compat(a: Kind, b: Kind) -> bool:
    return a == b or (a in _ENUMS and b in _ENUMS)


class Candidates:
    """Target types indexed by (kind, essential name), built once per target BTF."""

    def __init__(self, target: Btf) -> None:
        self.target = target
        self._index: dict[str, list[int]] | None = None

    def find(self, local: BtfType) -> list[int]:
        """Target type ids that may correspond to the local type."""
        if self._index is None:
            index: dict[str, list[int]] = {}
            for name, ids in self.target.name_index().items():
                index.setdefault(essential_name(name), []).extend(ids)
            for ids in index.values():
                ids.sort()
            self._index = index
        ids = self._index.get(essential_name(local.name), [])
        return [i for i in ids if _kinds_compat(self.target.kind_of(i), local.kind)]


def _skip(btf: Btf, type_id: int) -> tuple[int, BtfType]:
    rid = btf.resolve(type_id)
    return rid, btf[rid]


def _size(btf: Btf, type_id: int) -> int:
    try:
        return btf.size_of(type_id)
    except BtfError as err:
        raise CoreError(f"cannot size type [{type_id}]: {err.problem}") from None


def _is_flex_array(btf: Btf, prev: Accessor | None, nelems: int) -> bool:
    """An array of zero elements that is the last member of its struct."""
    if prev is None or prev.name is None or nelems > 0:
        return False
    return prev.idx == len(btf[prev.type_id].members) - 1


def parse_spec(btf: Btf, type_id: int, access: str, kind: CoreKind) -> Spec:
    """libbpf's ``bpf_core_parse_spec``: walk the access string over the local BTF."""
    spec = Spec(btf, type_id, kind)
    if not access or access.startswith(":"):
        raise CoreError(f"invalid access string {access!r}")
    if is_type(kind):
        if access != "0":
            raise CoreError(f"invalid access string {access!r} for a type relocation")
        return spec
    try:
        spec.raw = [int(part) for part in access.split(":")]
    except ValueError:
        raise CoreError(f"invalid access string {access!r}") from None
    if len(spec.raw) > SPEC_MAX_LEN:
        raise CoreError("access string too long")
    cur, t = _skip(btf, type_id)
    first = spec.raw[0]
    if is_enumval(kind):
        if t.kind not in _ENUMS or len(spec.raw) > 1 or first >= len(t.values):
            raise CoreError(f"invalid enumerator access {access!r}")
        spec.accessors.append(Accessor(cur, first, t.values[first].name))
        return spec
    spec.accessors.append(Accessor(cur, first, None))
    spec.bit_offset = first * _size(btf, cur) * 8
    for idx in spec.raw[1:]:
        cur, t = _skip(btf, cur)
        if t.kind in _COMPOSITE:
            if idx >= len(t.members):
                raise CoreError(f"member index {idx} out of range in [{cur}]")
            member = t.members[idx]
            spec.bit_offset += member.bit_offset
            if member.name:
                spec.accessors.append(Accessor(cur, idx, member.name))
            cur = member.type
        elif t.kind is Kind.ARRAY:
            flex = _is_flex_array(btf, spec.accessors[-1], t.nelems)
            cur, _ = _skip(btf, t.elem_type)
            if not flex and idx >= t.nelems:
                raise CoreError(f"array index {idx} out of range in [{t.id}]")
            spec.accessors.append(Accessor(cur, idx, None))
            spec.bit_offset += idx * _size(btf, cur) * 8
        else:
            raise CoreError(f"relo captures type [{cur}] of unexpected kind {t.kind.name}")
    return spec


# ---- compatibility rules ----


def _ints_plain(a: BtfType, b: BtfType) -> bool:
    return a.int_offset == 0 and b.int_offset == 0


def fields_compat(local: Btf, lid: int, target: Btf, tid: int) -> bool:
    """libbpf's ``bpf_core_fields_are_compat``."""
    for _ in range(SPEC_MAX_LEN):
        lid, lt = _skip(local, lid)
        tid, tt = _skip(target, tid)
        if lt.kind in _COMPOSITE and tt.kind in _COMPOSITE:
            return True
        if not _kinds_compat(lt.kind, tt.kind):
            return False
        if lt.kind in (Kind.PTR, Kind.FLOAT):
            return True
        if lt.kind in (Kind.FWD, Kind.ENUM, Kind.ENUM64):
            ln, tn = essential_name(lt.name), essential_name(tt.name)
            return not ln or not tn or ln == tn
        if lt.kind is Kind.INT:
            return _ints_plain(lt, tt)
        if lt.kind is not Kind.ARRAY:
            return False
        lid, tid = lt.elem_type, tt.elem_type
    raise CoreError("type nesting too deep")


def types_compat(local: Btf, lid: int, target: Btf, tid: int, depth: int = 32) -> bool:
    """libbpf's ``bpf_core_types_are_compat`` (TYPE_EXISTS / TYPE_SIZE / TYPE_ID_TARGET)."""
    while True:
        depth -= 1
        if depth < 0:
            raise CoreError("type nesting too deep")
        lid, lt = _skip(local, lid)
        tid, tt = _skip(target, tid)
        if not _kinds_compat(lt.kind, tt.kind):
            return False
        if lt.kind in (Kind.UNKN, Kind.STRUCT, Kind.UNION, Kind.ENUM, Kind.ENUM64, Kind.FWD):
            return True
        if lt.kind is Kind.INT:
            return _ints_plain(lt, tt)
        if lt.kind is Kind.PTR:
            lid, tid = lt.type, tt.type
        elif lt.kind is Kind.ARRAY:
            lid, tid = lt.elem_type, tt.elem_type
        elif lt.kind is Kind.FUNC_PROTO:
            if len(lt.params) != len(tt.params):
                return False
            for lp, tp in zip(lt.params, tt.params, strict=True):
                if not types_compat(local, lp.type, target, tp.type, depth):
                    return False
            lid, tid = lt.type, tt.type
        else:
            return False


def _names_match(lname: str, tname: str) -> bool:
    if not tname:
        return not lname
    return essential_name(lname) == essential_name(tname)


def types_match(local: Btf, lid: int, target: Btf, tid: int, behind_ptr: bool = False,
                level: int = 32) -> bool:
    """libbpf's ``bpf_core_types_match`` (TYPE_MATCHES): a stricter, shape-level match."""
    while True:
        level -= 1
        if level < 0:
            raise CoreError("type nesting too deep")
        lid, lt = _skip(local, lid)
        tid, tt = _skip(target, tid)
        if not _names_match(lt.name, tt.name):
            return False
        lk, tk = lt.kind, tt.kind
        if lk is Kind.UNKN:
            return lk == tk
        if lk is Kind.FWD:
            if behind_ptr:
                if lk == tk:
                    return lt.kflag == tt.kflag
                return (tk is Kind.STRUCT and not lt.kflag) or (tk is Kind.UNION and lt.kflag)
            return lk == tk and lt.kflag == tt.kflag
        if lk in _ENUMS:
            if tk not in _ENUMS or lt.size != tt.size:
                return False
            tnames = {v.name for v in tt.values}
            tess = {essential_name(n) for n in tnames}
            return all(essential_name(v.name) in tess for v in lt.values)
        if lk in _COMPOSITE:
            if behind_ptr:
                if lk == tk:
                    return True
                return tk is Kind.FWD and (lk is Kind.UNION) == tt.kflag
            if lk != tk or len(lt.members) > len(tt.members):
                return False
            for lm in lt.members:
                if not any(_names_match(lm.name, m.name)
                           and types_match(local, lm.type, target, m.type, behind_ptr, level)
                           for m in tt.members):
                    return False
            return True
        if lk != tk:
            return False
        if lk is Kind.INT:
            return lt.size == tt.size and (lt.int_encoding & INT_SIGNED) == (
                tt.int_encoding & INT_SIGNED)
        if lk is Kind.PTR:
            behind_ptr = True
            lid, tid = lt.type, tt.type
        elif lk is Kind.ARRAY:
            if lt.nelems != tt.nelems:
                return False
            lid, tid = lt.elem_type, tt.elem_type
        elif lk is Kind.FUNC_PROTO:
            if len(lt.params) != len(tt.params):
                return False
            for lp, tp in zip(lt.params, tt.params, strict=True):
                if not types_match(local, lp.type, target, tp.type, behind_ptr, level):
                    return False
            lid, tid = lt.type, tt.type
        else:
            return False


# ---- matching a local spec against one candidate ----


def _match_member(local: Spec, acc: Accessor, target: Btf, tid: int, spec: Spec) -> int | None:
    """Find the local member by name in the target, through anonymous members; return the
    target member's type id (and extend ``spec``), or None."""
    lmember = local.btf[acc.type_id].members[acc.idx]
    tid, tt = _skip(target, tid)
    if tt.kind not in _COMPOSITE:
        return None
    for i, m in enumerate(tt.members):
        if len(spec.raw) >= SPEC_MAX_LEN:
            raise CoreError("access path too deep")
        spec.bit_offset += m.bit_offset
        spec.raw.append(i)
        if not m.name:
            found = _match_member(local, acc, target, m.type, spec)
            if found is not None:
                return found
        elif m.name == lmember.name:
            if not fields_compat(local.btf, lmember.type, target, m.type):
                return None
            spec.accessors.append(Accessor(tid, i, m.name))
            return m.type
        spec.bit_offset -= m.bit_offset
        spec.raw.pop()
    return None


def match_spec(local: Spec, target: Btf, cand_id: int) -> Spec | None:
    """libbpf's ``bpf_core_spec_match``: the target spec, or None if the candidate fails."""
    spec = Spec(target, cand_id, local.kind)
    if is_type(local.kind):
        if local.kind is CoreKind.TYPE_MATCHES:
            ok = types_match(local.btf, local.root_type_id, target, cand_id)
        else:
            ok = types_compat(local.btf, local.root_type_id, target, cand_id)
        return spec if ok else None
    if is_enumval(local.kind):
        tid, tt = _skip(target, cand_id)
        if tt.kind not in _ENUMS:
            return None
        want = essential_name(local.accessors[0].name or "")
        for i, value in enumerate(tt.values):
            if essential_name(value.name) == want:
                spec.accessors.append(Accessor(tid, i, value.name))
                spec.raw.append(i)
                return spec
        return None
    tid = cand_id
    for i, acc in enumerate(local.accessors):
        tid, tt = _skip(target, tid)
        if acc.name is not None:
            found = _match_member(local, acc, target, tid, spec)
            if found is None:
                return None
            tid = found
            continue
        if i > 0:
            if tt.kind is not Kind.ARRAY:
                return None
            flex = _is_flex_array(target, spec.accessors[-1] if spec.accessors else None,
                                  tt.nelems)
            if not flex and acc.idx >= tt.nelems:
                return None
            tid, _ = _skip(target, tt.elem_type)
        if len(spec.raw) >= SPEC_MAX_LEN:
            raise CoreError("access path too deep")
        spec.accessors.append(Accessor(tid, acc.idx, None))
        spec.raw.append(acc.idx)
        spec.bit_offset += acc.idx * _size(target, tid) * 8
    return spec


# ---- computing values ----


@dataclass(frozen=True)
class _FieldValue:
    value: int
    size: int = 0
    type_id: int = 0
    validate: bool = True


class _Poison(Exception):
    """The relocation cannot be resolved: poison the instruction."""


def _field_value(kind: CoreKind, spec: Spec | None) -> _FieldValue:
    if kind is CoreKind.FIELD_EXISTS:
        return _FieldValue(1 if spec is not None else 0)
    if spec is None:
        raise _Poison
    acc = spec.accessors[-1]
    btf = spec.btf
    if acc.name is None:
        size = _size(btf, acc.type_id)
        if kind is CoreKind.FIELD_BYTE_OFFSET:
            return _FieldValue(spec.bit_offset // 8, size, acc.type_id)
        if kind is CoreKind.FIELD_BYTE_SIZE:
            return _FieldValue(size)
        raise CoreError(f"relocation kind {kind.name} can't be applied to array access")
    parent = btf[acc.type_id]
    member = parent.members[acc.idx]
    ftype_id, ftype = _skip(btf, member.type)
    bit_off = spec.bit_offset
    bit_sz = member.bitfield_size
    bitfield = bit_sz > 0
    if bitfield:
        byte_sz = ftype.size
        byte_off = bit_off // 8 // byte_sz * byte_sz
        while bit_off + bit_sz - byte_off * 8 > byte_sz * 8:
            if byte_sz >= 8:
                raise CoreError("bitfield can't be read with a 64-bit read")
            byte_sz *= 2
            byte_off = bit_off // 8 // byte_sz * byte_sz
    else:
        byte_sz = _size(btf, ftype_id)
        byte_off = bit_off // 8
        bit_sz = byte_sz * 8
    validate = not bitfield
    if kind is CoreKind.FIELD_BYTE_OFFSET:
        if bitfield:
            return _FieldValue(byte_off, validate=validate)
        return _FieldValue(byte_off, byte_sz, ftype_id, validate)
    if kind is CoreKind.FIELD_BYTE_SIZE:
        return _FieldValue(byte_sz, validate=validate)
    if kind is CoreKind.FIELD_SIGNED:
        signed = (ftype.kind in _ENUMS and ftype.kflag) or (
            ftype.kind is Kind.INT and bool(ftype.int_encoding & INT_SIGNED))
        return _FieldValue(int(signed))
    if kind is CoreKind.FIELD_LSHIFT_U64:
        return _FieldValue(64 - (bit_off + bit_sz - byte_off * 8), validate=validate)
    return _FieldValue(64 - bit_sz)  # FIELD_RSHIFT_U64


def _type_value(kind: CoreKind, spec: Spec | None) -> int:
    if spec is None:
        return 0
    if kind is CoreKind.TYPE_ID_TARGET:
        return spec.root_type_id
    if kind in (CoreKind.TYPE_EXISTS, CoreKind.TYPE_MATCHES):
        return 1
    if kind is CoreKind.TYPE_SIZE:
        return _size(spec.btf, spec.root_type_id)
    raise CoreError(f"unexpected relocation kind {kind.name}")


def _enum_value(kind: CoreKind, spec: Spec | None) -> int:
    if kind is CoreKind.ENUMVAL_EXISTS:
        return 1 if spec is not None else 0
    if spec is None:
        raise _Poison
    acc = spec.accessors[0]
    enum = spec.btf[acc.type_id]
    value = enum.values[acc.idx].value
    if enum.kind is Kind.ENUM:  # libbpf reads btf_enum.val as s32: sign-extended to u64
        value &= 0xFFFFFFFF
        return value - (1 << 32) if value & 0x80000000 else value
    return value & 0xFFFFFFFFFFFFFFFF  # ENUM64: the u64 of its two halves


def _is_uint(t: BtfType) -> bool:
    return t.kind is Kind.INT and not t.int_encoding & INT_SIGNED


def calc_relo(local: Spec, target: Spec | None) -> CoreResult:
    """libbpf's ``bpf_core_calc_relo``: original and new value for one relocation."""
    kind = local.kind
    try:
        if is_field(kind):
            orig = _field_value(kind, local)
            new = _field_value(kind, target)
            fail_memsz = False
            if orig.size != new.size and target is not None:
                ot, nt = local.btf[orig.type_id], target.btf[new.type_id]
                both_ptr = ot.kind is Kind.PTR and nt.kind is Kind.PTR
                fail_memsz = not (both_ptr or (_is_uint(ot) and _is_uint(nt)))
            return CoreResult(orig.value, new.value, validate=orig.validate,
                              orig_sz=orig.size, new_sz=new.size, fail_memsz_adjust=fail_memsz)
        if is_type(kind):  # a type id may change in static linking: libbpf does not check it
            return CoreResult(_type_value(kind, local), _type_value(kind, target),
                              validate=kind is not CoreKind.TYPE_ID_TARGET)
        return CoreResult(_enum_value(kind, local), _enum_value(kind, target))
    except _Poison:
        return CoreResult(0, 0, poison=True)


def resolve(local: Btf, type_id: int, access: str, kind: CoreKind,
            candidates: Candidates) -> CoreResult:
    """Resolve one CO-RE relocation of the program BTF against the target BTF."""
    spec = parse_spec(local, type_id, access, kind)
    if kind is CoreKind.TYPE_ID_LOCAL:
        return CoreResult(type_id, type_id, validate=False)
    root = local[type_id]
    if not root.name:
        raise CoreError(f"<{kind.name}> ({int(kind)}) relocation doesn't support anonymous "
                        "types")
    result: CoreResult | None = None
    first: Spec | None = None
    for cand in candidates.find(root):
        tspec = match_spec(spec, candidates.target, cand)
        if tspec is None:
            continue
        res = calc_relo(spec, tspec)
        if first is None or result is None:
            first, result = tspec, res
        elif tspec.bit_offset != first.bit_offset:
            raise CoreError(f"field offset ambiguity: {first.bit_offset} != "
                            f"{tspec.bit_offset}")
        elif res.poison != result.poison or res.new_val != result.new_val:
            raise CoreError(f"relocation decision ambiguity: {result.new_val} != {res.new_val}")
    return result if result is not None else calc_relo(spec, None)


# ---- patching the instruction ----

_SIZE_BY_BYTES = {size.nbytes: size for size in Size}


def _poison(index: int) -> Insn:
    return make_insn(index, CALL_CODE, imm=POISON_HELPER)


def patch_insn(insn: Insn, res: CoreResult) -> list[Insn]:
    """Apply a result to one instruction as libbpf's ``bpf_core_patch_insn``: the
    instructions that replace it (a poisoned ``ld_imm64`` becomes two calls)."""
    idx = insn.index
    cls = insn.cls
    if res.poison:
        return [_poison(slot) for slot in range(idx, insn.next_index)]
    if cls in (InsnClass.ALU, InsnClass.ALU64):
        if insn.code & Source.X:
            raise LinkError(f"insn #{idx}: CO-RE relocation of an ALU op with a register")
        if res.validate and (insn.imm & 0xFFFFFFFF) != (res.orig_val & 0xFFFFFFFF):
            raise LinkError(f"unexpected insn #{idx} (ALU/ALU64) value: got {insn.imm}, "
                            f"exp {res.orig_val} -> {res.new_val}")
        return [_patched(insn, imm=res.new_val)]
    if cls in (InsnClass.LDX, InsnClass.ST, InsnClass.STX):
        if res.validate and insn.off != res.orig_val:
            raise LinkError(f"unexpected insn #{idx} (LDX/ST/STX) value: got {insn.off}, "
                            f"exp {res.orig_val} -> {res.new_val}")
        if res.new_val > 0x7FFF:
            raise LinkError(f"insn #{idx} (LDX/ST/STX) value too big: {res.new_val}")
        if res.fail_memsz_adjust:
            return [_poison(idx)]
        code = insn.code
        if res.new_sz != res.orig_sz:
            size = Size(code & SIZE_MASK)
            if size.nbytes != res.orig_sz:
                raise LinkError(f"insn #{idx} (LDX/ST/STX) unexpected mem size: got "
                                f"{size.nbytes}, exp {res.orig_sz}")
            new_size = _SIZE_BY_BYTES.get(res.new_sz)
            if new_size is None:
                raise LinkError(f"insn #{idx} (LDX/ST/STX) invalid new mem size: "
                                f"{res.new_sz}")
            code = (code & ~SIZE_MASK) | new_size
        return [_patched(insn, code=code, off=res.new_val)]
    if insn.op is Op.LD_IMM64:
        if insn.src or insn.off or insn.raw[INSN_SIZE:INSN_SIZE + 4] != bytes(4):
            raise LinkError(f"insn #{idx} (LDIMM64) has unexpected form")
        assert insn.imm64 is not None
        if res.validate and insn.imm64 != res.orig_val & 0xFFFFFFFFFFFFFFFF:
            raise LinkError(f"unexpected insn #{idx} (LDIMM64) value: got {insn.imm64}, "
                            f"exp {res.orig_val} -> {res.new_val}")
        new = res.new_val & 0xFFFFFFFFFFFFFFFF
        return [_patched(insn, imm=new & 0xFFFFFFFF, imm_hi=new >> 32)]
    raise LinkError(f"trying to relocate unrecognized insn #{idx}, code:{insn.code:#x}")


def _patched(insn: Insn, **fields: int) -> Insn:
    try:
        return patched(insn, **fields)
    except InsnError as err:
        raise LinkError(f"insn #{insn.index}: {err.problem}") from None
