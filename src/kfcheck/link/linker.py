"""Link each entry program of a BPF object for loading, the way libbpf does.

Per program: CO-RE relocations are applied, called subprograms are appended after the program
in first-call (depth-first) order with call offsets fixed, callbacks become
``ld_imm64 src=BPF_PSEUDO_FUNC``, map and global-data references become
``ld_imm64 src=BPF_PSEUDO_MAP_FD/MAP_VALUE`` (map index until load), kfunc calls and ksyms are
resolved against the kernel BTF, ``.kconfig`` values are filled in, and func_info/line_info
are carried with offsets adjusted. A program that cannot be linked becomes a ``LinkFailure``.

The reference is libbpf 1.1 (Debian 12's; ``tests/tools/libbpf_load.py`` loads through it and
a test compares the linked instructions with its ``bpf_program__insns``).

Known differences from libbpf:
- An unresolved weak kfunc call is emitted with ``imm=0, off=0``, as libbpf <= 1.1 does;
  libbpf >= 1.2 poisons it to ``call 2002000000+ext_idx``. Where such a call is reachable the
  kernel's error differs (e.g. ``R0 !read_ok`` against ``invalid func unknown#2002000000``).
- Subprograms named only by ``exception_callback:`` decl tags are not appended (libbpf >= 1.3
  appends them; 1.1 does not): the kernel says ``exception callback type id not found in
  func_info``.
- struct_ops and freplace programs are ``unsupported``; module BTFs are never searched (kfuncs,
  ksyms and attach targets come from vmlinux only; module attach targets are unsupported).
- CO-RE: the candidate list of a local type is not narrowed to the candidates that matched
  an earlier relocation of that type (libbpf keeps only those for the later ones).
- BTF fix-up: in a DATASEC that already has a size (a statically linked object), hidden
  globals are not made STATIC (libbpf does so in every non-extern DATASEC).
- Typeless ksyms: ``/proc/kallsyms`` lines of modules are ignored and the first address of
  a name is taken (libbpf reads module symbols and refuses an ambiguous name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from kfcheck import host
from kfcheck.btf import Btf, Kind, load_btf
from kfcheck.btf.ext import BtfExt
from kfcheck.errors import InsnError, LinkError, Unsupported, UnsupportedLink, in_file
from kfcheck.host import MachineFacts
from kfcheck.isa.insn import INSN_SIZE, Insn, decode, patched
from kfcheck.isa.opcodes import CallSrc, Op, PseudoSrc
from kfcheck.link import core
from kfcheck.link.btf_fixup import fixup_btf
from kfcheck.link.kconfig import KernelFacts, kconfig_data
from kfcheck.link.program import (
    FuncRecord,
    LineRecord,
    MapRef,
    MapRole,
    MapSpec,
    Program,
    Subprog,
)
from kfcheck.obj.model import (
    BpfObject,
    Extern,
    ExternKind,
    Function,
    MapDef,
    MapOrigin,
    Reloc,
    RelocKind,
)
from kfcheck.obj.model import Program as ObjProgram
from kfcheck.obj.reader import read_object
from kfcheck.uapi import AttachType, MapType, ProgType


class TargetProfile(Protocol):
    """What a kernel profile records that linking needs (``kfcheck.profile`` provides it)."""

    @property
    def btf(self) -> Btf: ...
    @property
    def kernel(self) -> str: ...  # the build's release
    @property
    def machine(self) -> MachineFacts: ...
    @property
    def kernel_symbols(self) -> Callable[[], dict[str, int]] | None: ...

VMLINUX_BTF = "/sys/kernel/btf/vmlinux"
_ROLE = {MapOrigin.BTF_DEF: MapRole.USER, MapOrigin.DATA: MapRole.DATA,
         MapOrigin.RODATA: MapRole.RODATA, MapOrigin.BSS: MapRole.BSS,
         MapOrigin.KCONFIG: MapRole.KCONFIG, MapOrigin.INNER: MapRole.USER}


@dataclass(frozen=True)
class LinkFailure:
    """A program that could not be linked: ``problem`` is the message; ``unsupported`` names
    the feature kfcheck lacks, or is "" when libbpf would have refused the program too."""

    file: str
    name: str
    section: str
    problem: str
    unsupported: str = ""


@dataclass
class KernelTarget:
    """The kernel the programs are linked for: its BTF, the facts ``.kconfig`` and map sizes
    read, and where kernel symbol addresses come from."""

    btf: Btf
    facts: KernelFacts
    symbols: Callable[[], dict[str, int]] | None = None
    """Reads the symbol addresses (None: unknown, typeless ksyms are unsupported)."""
    candidates: core.Candidates = field(init=False)
    _kallsyms: dict[str, int] | None = None

    def __post_init__(self) -> None:
        self.candidates = core.Candidates(self.btf)

    @classmethod
    def running(cls, btf_path: str = VMLINUX_BTF) -> KernelTarget:
        """The running kernel (``/sys/kernel/btf/vmlinux``)."""
        return cls(load_btf(btf_path), KernelFacts.running(), host.kallsyms)

    @classmethod
    def from_profile(cls, profile: TargetProfile) -> KernelTarget:
        """A kernel profile's BTF and recorded facts; nothing is read of this machine."""
        return cls(profile.btf, KernelFacts.of(profile.machine, profile.kernel),
                   profile.kernel_symbols)

    def kallsyms(self, name: str) -> int | None:
        """Address of a kernel symbol (None if absent or the addresses are unknown)."""
        if self.symbols is None:
            return None
        if self._kallsyms is None:
            self._kallsyms = self.symbols()
        return self._kallsyms.get(name)


@dataclass(frozen=True)
class _Resolved:
    """An extern's resolution: kernel BTF id or address; ``found`` False = weak, unset."""

    found: bool
    btf_id: int = 0
    addr: int = 0


def _resolve_externs(obj: BpfObject, kernel: KernelTarget) -> dict[str, _Resolved | LinkError]:
    out: dict[str, _Resolved | LinkError] = {}
    local = obj.btf
    for ext in obj.externs:
        if ext.kind is ExternKind.KCONFIG:
            continue
        try:
            assert local is not None
            out[ext.name] = _resolve_ksym(local, ext, kernel)
        except LinkError as err:
            out[ext.name] = err
    return out


def _resolve_ksym(local: Btf, ext: Extern, kernel: KernelTarget) -> _Resolved:
    target = kernel.btf
    name = core.essential_name(ext.name)
    if ext.kind is ExternKind.KSYM_TYPELESS:
        if kernel.symbols is None:
            raise UnsupportedLink(f"typeless ksym '{ext.name}' (the profile records no "
                                  "kernel symbol addresses)")
        addr = kernel.kallsyms(name)
        if addr is None:
            if ext.is_weak:
                return _Resolved(False)
            raise LinkError(f"extern '{ext.name}' (strong): not resolved")
        return _Resolved(True, addr=addr)
    if ext.kind is ExternKind.KFUNC:
        funcs = target.by_name(name, Kind.FUNC)
        if not funcs:
            if ext.is_weak:
                return _Resolved(False)
            raise LinkError(f"extern (func ksym) '{ext.name}': not found in kernel BTF")
        kfunc = funcs[0]
        if not core.types_compat(local, ext.type_id, target, kfunc.type):
            if ext.is_weak:  # e.g. a ___flavor for another kernel's prototype
                return _Resolved(False)
            raise LinkError(f"extern (func ksym) '{ext.name}': func_proto "
                            f"[{ext.type_id}] incompatible with vmlinux [{kfunc.type}]")
        return _Resolved(True, btf_id=kfunc.id)
    var = target.by_name(name, Kind.VAR)
    if not var:
        if ext.is_weak:
            return _Resolved(False)
        raise LinkError(f"extern (var ksym) '{ext.name}': not found in kernel BTF")
    if not core.types_compat(local, ext.type_id, target, var[0].type):
        local_t, kern_t = local[ext.type_id], target[target.resolve(var[0].type)]
        raise LinkError(f"extern (var ksym) '{ext.name}': incompatible types, expected "
                        f"[{ext.type_id}] {local_t.kind.name.lower()} {local_t.name}, "
                        f"but kernel has [{kern_t.id}] {kern_t.kind.name.lower()} "
                        f"{kern_t.name}")
    return _Resolved(True, btf_id=var[0].id)


def _attach_btf_id(prog: ObjProgram, target: Btf) -> tuple[int, str]:
    """The kernel BTF id a tracing/LSM/iter/tp_btf program attaches to, and its name."""
    att = prog.expected_attach_type
    if prog.prog_type is ProgType.EXT:
        raise UnsupportedLink("freplace programs (need a target program)")
    if prog.prog_type is ProgType.STRUCT_OPS:
        raise UnsupportedLink("struct_ops programs")
    if prog.prog_type not in (ProgType.TRACING, ProgType.LSM) and not (
            prog.prog_type is ProgType.RAW_TRACEPOINT and att is AttachType.TRACE_RAW_TP):
        return 0, ""
    if att is AttachType.LSM_CGROUP or att is AttachType.LSM_MAC or \
            prog.prog_type is ProgType.LSM:
        prefix, kind = "bpf_lsm_", Kind.FUNC
    elif att is AttachType.TRACE_RAW_TP:
        prefix, kind = "btf_trace_", Kind.TYPEDEF
    elif att is AttachType.TRACE_ITER:
        prefix, kind = "bpf_iter_", Kind.FUNC
    else:
        prefix, kind = "", Kind.FUNC
    name = prog.attach_target or ""
    if not name:
        raise LinkError(f"prog '{prog.name}': no attach target in section "
                        f"'{prog.sec_name}'")
    if ":" in name:
        raise UnsupportedLink(f"attach target in a module ({name})")
    found = target.by_name(prefix + name, kind)
    if not found:
        raise LinkError(f"prog '{prog.name}': failed to find kernel BTF type ID "
                        f"of '{prefix + name}': -3")
    return found[0].id, prefix + name


# Map types whose values are fds or that take no BTF types: libbpf creates them without BTF.
_NO_BTF_TYPES = frozenset({
    MapType.PERF_EVENT_ARRAY, MapType.CGROUP_ARRAY, MapType.STACK_TRACE,
    MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS, MapType.DEVMAP, MapType.DEVMAP_HASH,
    MapType.CPUMAP, MapType.XSKMAP, MapType.SOCKMAP, MapType.SOCKHASH, MapType.QUEUE,
    MapType.STACK,
})
_RINGBUFS = frozenset({MapType.RINGBUF, MapType.USER_RINGBUF})


def _max_entries(m: MapDef, facts: KernelFacts) -> int:
    """libbpf's adjustments: perf event arrays default to one slot per possible CPU,
    ring buffer sizes round up to a power-of-two number of pages."""
    if m.map_type == MapType.PERF_EVENT_ARRAY and not m.max_entries:
        return facts.possible_cpus
    if m.map_type in _RINGBUFS and m.max_entries:
        size = facts.page_size
        while size < m.max_entries:
            size *= 2
        return size
    return m.max_entries


def _map_spec(m: MapDef, kconfig: bytes | None, facts: KernelFacts) -> MapSpec:
    role = _ROLE[m.origin]
    with_btf = m.map_type not in _NO_BTF_TYPES
    initial = b""
    if role in (MapRole.DATA, MapRole.RODATA):
        initial = m.initial_data
    elif role is MapRole.KCONFIG:
        initial = kconfig or bytes(m.value_size)
    return MapSpec(
        name=m.name, role=role, map_type=m.map_type, key_size=m.key_size,
        value_size=m.value_size, max_entries=_max_entries(m, facts), map_flags=m.map_flags,
        map_extra=m.map_extra, numa_node=m.numa_node,
        btf_key_type_id=m.key_type_id if with_btf else 0,
        btf_value_type_id=m.value_type_id if with_btf else 0,
        inner=_map_spec(m.inner, None, facts) if m.inner is not None else None,
        initial=initial, frozen=role in (MapRole.RODATA, MapRole.KCONFIG),
    )


class _ObjectLinker:
    """State shared by the programs of one object: BTF, externs, kconfig, CO-RE results."""

    def __init__(self, obj: BpfObject, kernel: KernelTarget) -> None:
        self.obj = obj
        self.kernel = kernel
        self.ext: BtfExt | None = obj.btf_ext
        self.externs = _resolve_externs(obj, kernel)
        self.btf = fixup_btf(obj)
        kcfg = [e for e in obj.externs if e.kind is ExternKind.KCONFIG]
        kmap = next((m for m in obj.maps if m.origin is MapOrigin.KCONFIG), None)
        self.kconfig: bytes | None = None
        self.kconfig_error: LinkError | None = None
        if kmap is not None and obj.btf is not None:
            try:
                self.kconfig = kconfig_data(obj.btf, kcfg, kmap.value_size, kernel.facts)
            except LinkError as err:
                self.kconfig_error = err
        self._patched: dict[tuple[int, int], list[Insn]] = {}

    def func_insns(self, func: Function) -> list[Insn]:
        """The function's instructions (slots from 0) with its CO-RE relocations applied."""
        key = (func.sec_index, func.offset)
        if key not in self._patched:
            try:
                insns = decode(func.insns, strict=False)
            except InsnError as err:
                raise LinkError(f"prog '{func.name}': {err.problem}") from None
            relos = self.ext.core_relos.get(func.section, []) if self.ext else []
            if relos and self.obj.btf is None:
                raise LinkError("CO-RE relocations without BTF")
            for relo in relos:
                idx = relo.insn_idx - func.insn_offset
                if not 0 <= idx < func.insn_count:
                    continue
                try:
                    assert self.obj.btf is not None
                    res = core.resolve(self.obj.btf, relo.type_id, relo.access, relo.kind,
                                       self.kernel.candidates)
                except core.CoreError as err:
                    raise LinkError(f"prog '{func.name}': relo #{idx}: "
                                    f"{err}") from None
                at = next(n for n, insn in enumerate(insns) if insn.next_index > idx)
                if insns[at].index != idx:  # the second slot of an ld_imm64
                    raise LinkError(f"trying to relocate unrecognized insn #{idx}, "
                                    f"code:{insns[at].raw[INSN_SIZE]:#x}")
                insns[at:at + 1] = core.patch_insn(insns[at], res)
            self._patched[key] = insns
        return self._patched[key]

    def link(self, prog: ObjProgram) -> Program:
        """Link one entry program."""
        obj = self.obj
        attach_id, attach_name = _attach_btf_id(prog, self.kernel.btf)
        order: list[Function] = [prog]
        starts: dict[tuple[int, int], int] = {(prog.sec_index, prog.offset): 0}
        code = _Code()
        map_names: list[str] = []
        map_refs: list[MapRef] = []

        def place(func: Function) -> int:
            key = (func.sec_index, func.offset)
            if key not in starts:
                starts[key] = -1  # being placed
                order.append(func)
                emit(func)
            return starts[key]

        def map_index(name: str) -> int:
            if name not in map_names:
                map_names.append(name)
            return map_names.index(name)

        def emit(func: Function) -> None:
            base = code.slots
            starts[(func.sec_index, func.offset)] = base
            code.extend(self.func_insns(func), base)
            relocs = {r.insn_index: r for r in func.relocations}
            for i in [insn.index - base for insn in code.insns[code.position(base):]]:
                at = base + i
                insn = code[at]
                reloc = relocs.get(i)
                if reloc is not None:
                    self._apply(code, at, reloc, place, map_index, map_refs)
                elif insn.op is Op.CALL_SUBPROG:
                    callee = obj.function_at(func.sec_index, func.insn_offset + i + insn.imm + 1)
                    if callee is None:
                        raise LinkError(f"prog '{prog.name}': no subprogram at "
                                        f"call target of insn #{i}")
                    code.patch(at, imm=place(callee) - at - 1)
                elif insn.op is Op.LD_IMM64 and insn.src == PseudoSrc.FUNC:
                    raise LinkError(f"prog '{prog.name}': missing subprog addr relo "
                                    f"for insn #{at}")

        emit(prog)
        func_info, line_info = self._ext_info(order, starts)
        maps = tuple(_map_spec(self._map(name), self.kconfig, self.kernel.facts)
                     for name in map_names)
        first = [starts[(f.sec_index, f.offset)] for f in order]
        bounds = [*sorted(first), code.slots]
        end_of = dict(zip(bounds, bounds[1:], strict=False))
        subprogs = tuple(Subprog(f.name, start, end_of[start])
                         for f, start in zip(order, first, strict=True))
        return Program(
            name=prog.name, section=prog.section, prog_type=prog.prog_type,
            expected_attach_type=int(prog.expected_attach_type or 0),
            attach_btf_id=attach_id, attach_name=attach_name, sleepable=prog.sleepable,
            prog_flags=prog.prog_flags, insns=tuple(code.insns), maps=maps,
            map_refs=tuple(map_refs), func_info=func_info, line_info=line_info,
            btf=self.btf, subprogs=subprogs, license=obj.license,
            kern_version=obj.kern_version or 0, file=obj.path,
        )

    def _map(self, name: str) -> MapDef:
        found = self.obj.map(name)
        if found is None:
            raise LinkError(f"map '{name}' not found")
        return found

    def _apply(self, code: _Code, at: int, reloc: Reloc, place_fn: Callable[[Function], int],
               index_fn: Callable[[str], int], map_refs: list[MapRef]) -> None:
        kind = reloc.kind
        if kind in (RelocKind.MAP, RelocKind.GLOBAL_DATA, RelocKind.KCONFIG):
            if kind is RelocKind.KCONFIG and self.kconfig_error is not None:
                raise self.kconfig_error
            map_refs.append(MapRef(at, index_fn(reloc.target)))
            if kind is RelocKind.MAP:
                code.patch(at, src=PseudoSrc.MAP_FD, imm=0, imm_hi=0)
            else:
                code.patch(at, src=PseudoSrc.MAP_VALUE, imm=0, imm_hi=reloc.target_offset)
        elif kind in (RelocKind.SUBPROG_CALL, RelocKind.CALLBACK):
            callee = self.obj.function_at(reloc.target_sec_index, reloc.target_offset)
            if callee is None:
                raise LinkError(f"no subprogram '{reloc.target}'")
            rel = place_fn(callee) - at - 1
            if kind is RelocKind.CALLBACK:
                code.patch(at, src=PseudoSrc.FUNC, imm=rel, imm_hi=0)
            else:
                code.patch(at, imm=rel)
        elif kind in (RelocKind.KFUNC, RelocKind.KFUNC_ADDR, RelocKind.KSYM_VAR):
            res = self.externs.get(reloc.target)
            if isinstance(res, LinkError):
                raise res
            if res is None:
                raise LinkError(f"extern '{reloc.target}' not found")
            if kind is RelocKind.KFUNC:
                code.patch(at, src=CallSrc.PSEUDO_KFUNC_CALL,
                           imm=res.btf_id if res.found else 0, off=0)
            elif res.found and res.btf_id:
                code.patch(at, src=PseudoSrc.BTF_ID, imm=res.btf_id, imm_hi=0)
            else:
                code.patch(at, src=PseudoSrc.IMM, imm=res.addr & 0xFFFFFFFF,
                           imm_hi=res.addr >> 32)
        elif kind is RelocKind.ARENA_DATA:
            raise UnsupportedLink("arena global data")
        else:
            raise UnsupportedLink(f"relocation kind {kind.value}")

    def _ext_info(self, order: list[Function], starts: dict[tuple[int, int], int]
                  ) -> tuple[tuple[FuncRecord, ...], tuple[LineRecord, ...]]:
        if self.ext is None:
            return (), ()
        funcs: list[FuncRecord] = []
        lines: list[LineRecord] = []
        for func in order:
            base = starts[(func.sec_index, func.offset)]
            lo, hi = func.insn_offset, func.insn_offset + func.insn_count
            for fi in self.ext.func_info.get(func.section, []):
                if lo <= fi.insn_idx < hi:
                    funcs.append(FuncRecord(base + fi.insn_idx - lo, fi.type_id))
            for li in self.ext.line_info.get(func.section, []):
                if lo <= li.insn_idx < hi:
                    lines.append(LineRecord(base + li.insn_idx - lo, li.file_name_off,
                                            li.line_off, li.line_col))
        return tuple(funcs), tuple(lines)


class _Code:
    """The linked program's instructions as they are appended and patched, by slot."""

    def __init__(self) -> None:
        self.insns: list[Insn] = []
        self._position: dict[int, int] = {}  # slot -> list position
        self.slots = 0

    def extend(self, insns: list[Insn], base: int) -> None:
        """Append a function's instructions (slots from 0) at slot ``base``."""
        for insn in insns:
            moved = replace(insn, index=base + insn.index)
            self._position[moved.index] = len(self.insns)
            self.insns.append(moved)
            self.slots = moved.next_index

    def position(self, slot: int) -> int:
        """Where the instruction starting at ``slot`` is in ``insns``."""
        return self._position[slot]

    def __getitem__(self, slot: int) -> Insn:
        return self.insns[self._position[slot]]

    def patch(self, slot: int, **fields: int) -> None:
        """Replace fields of the instruction at ``slot`` (see ``kfcheck.isa.insn.patched``)."""
        try:
            self.insns[self._position[slot]] = patched(self[slot], **fields)
        except InsnError as err:
            raise LinkError(err.problem) from None


def link_object(obj: BpfObject, kernel: KernelTarget) -> list[Program | LinkFailure]:
    """Link every entry program of the object, each on its own, in object order."""
    linked: list[Program | LinkFailure] = []
    with in_file(obj.path):
        linker = _ObjectLinker(obj, kernel)
        for prog in obj.programs:
            try:
                linked.append(linker.link(prog))
            except LinkError as err:
                what = err.what if isinstance(err, Unsupported) else ""
                linked.append(LinkFailure(obj.path, prog.name, prog.section, err.problem,
                                          what))
    return linked


def link_file(path: str, kernel: KernelTarget | None = None) -> list[Program | LinkFailure]:
    """Read and link a BPF object file (against the running kernel by default)."""
    return link_object(read_object(path), kernel or KernelTarget.running())
