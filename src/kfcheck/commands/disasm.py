"""Disassembly of a BPF object in the verifier log's format: linked (default) or raw.

**Linked** (``kfcheck disasm OBJ``): each entry program is linked against a kernel profile (the
embedded one, or another kernel's BTF) and its *final* instructions are printed as the kernel's
verifier log prints them, so the listing diffs line for line with a kernel log: kfunc calls
``(85) call bpf_task_acquire#<kernel BTF id>``, helper calls ``call bpf_map_lookup_elem#1``,
subprogram calls ``call pc+N`` (called subprograms follow the program, as libbpf appends
them; a ``<name>:`` line marks where each starts). Where the kernel prints a runtime address,
the listing prints a placeholder naming the object instead:

- map loads: ``r1 = map[name:<map>]``; global data / map values ``r1 = map[name:<map>][0]+<off>``
  (the kernel prints the map's, or its value's, address ``0xffff...``);
- kernel variables (``__ksym``, ``ld_imm64`` of a BTF id): ``r1 = ksym[<name>]`` (the kernel
  prints the variable's address).

Source comments (``; <source> @ <file>:<line>``) come from the linked line_info, decoded with
the program BTF's strings, and are printed in instruction order (the kernel prints them in the
order it walks). A program that cannot be linked is shown unlinked with a ``note:`` line.

**Raw** (``--raw``): every program and subprogram as the object holds them (before linking),
each relocated instruction followed by ``<kind target>`` naming what the linker will put there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kfcheck.btf import Btf
from kfcheck.btf.ext import LineInfo
from kfcheck.errors import ElfError, InsnError, in_file
from kfcheck.isa.disasm import format_line
from kfcheck.isa.insn import INSN_SIZE, Insn, decode, validate
from kfcheck.isa.opcodes import Op, PseudoSrc
from kfcheck.link import KernelTarget, LinkFailure, link_object
from kfcheck.link import Program as LinkedProgram
from kfcheck.obj import BpfObject, Function, Program, read_object
from kfcheck.profile.embedded import load_profile


@dataclass(frozen=True)
class Listing:
    """The text of one function: a header line and its instruction lines."""

    header: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """Header and lines, newline-separated (no trailing newline)."""
        return "\n".join((self.header, *self.lines))


_C_SPACE = " \t\n\v\f\r"


def source_comment(info: LineInfo, previous: LineInfo | None = None) -> str | None:
    """The verifier's line-info comment ``; <source> @ <file>:<line>`` (``verbose_linfo``).

    Leading blanks of the source are dropped and only the file's base name is kept. None
    when ``previous`` (the record printed last) names the same file and line: the kernel
    does not repeat a line that differs only in its column.
    """
    if (previous is not None and previous.file_name_off == info.file_name_off
            and previous.line == info.line):
        return None
    name = info.file_name.rsplit("/", 1)[-1]
    return f"; {info.source.lstrip(_C_SPACE)} @ {name}:{info.line}"


def _with_comments(lines: Iterator[tuple[int, str]], infos: dict[int, LineInfo]) -> list[str]:
    """Lines with a source comment before each instruction that starts a source line (lines
    that are not instructions, such as subprogram markers, come with index -1)."""
    out: list[str] = []
    printed: LineInfo | None = None
    for index, text in lines:
        info = infos.get(index)
        comment = source_comment(info, printed) if info is not None else None
        if comment is not None:
            out.append(comment)
            printed = info
        out.append(text)
    return out


# ---- raw: the object's functions before linking ----


def _line_infos(obj: BpfObject, func: Function) -> dict[int, LineInfo]:
    """Line-info records of a function, by instruction index inside the function."""
    if obj.btf_ext is None:
        return {}
    end = func.offset + len(func.insns)
    return {(li.insn_off - func.offset) // INSN_SIZE: li
            for li in obj.btf_ext.line_info.get(func.section, ())
            if func.offset <= li.insn_off < end}


def _header(func: Function) -> str:
    if isinstance(func, Program):
        kind = f"prog_type {func.prog_type.name.lower()}"
        if func.attach_target:
            kind += f", attach {func.attach_target}"
    else:
        kind = "subprogram"
    return f"{func.section}/{func.name}: {kind}, {func.insn_count} insns"


def _decode(data: bytes, section: str, name: str) -> list[Insn]:
    """``decode``, its errors naming the function: ``<section>/<name>: <problem>``."""
    try:
        return decode(data)
    except InsnError as err:
        raise InsnError(f"{section}/{name}: {err.problem}") from None


def function_listing(obj: BpfObject, func: Function) -> Listing:
    """Kernel-format lines of one unlinked function, with source comments and relocation
    notes."""
    relocs = {r.insn_index: r for r in func.relocations}
    insns = _decode(func.insns, func.section, func.name)

    def texts() -> Iterator[tuple[int, str]]:
        for insn in insns:
            text = format_line(insn)
            reloc = relocs.get(insn.index)
            if reloc is not None:
                text += f"  <{reloc.kind.value} {reloc.target}>"
            yield insn.index, text

    return Listing(_header(func), tuple(_with_comments(texts(), _line_infos(obj, func))))


def object_listings(obj: BpfObject, only: str | None = None) -> Iterator[Listing]:
    """Raw listings of the object's programs, then its subprograms (or just the one named)."""
    for func in (*obj.programs, *obj.subprograms):
        if only is None or func.name == only:
            yield function_listing(obj, func)


# ---- linked: the final instructions of each program ----


def _linked_line_infos(prog: LinkedProgram) -> dict[int, LineInfo]:
    """The linked line_info records (kernel form: instruction indices), by instruction."""
    btf = prog.btf
    if btf is None:
        return {}
    return {li.insn: LineInfo(li.insn * INSN_SIZE, li.file_name_off, li.line_off, li.line_col,
                              btf.string(li.file_name_off), btf.string(li.line_off))
            for li in prog.line_info}


def _function_starts(prog: LinkedProgram) -> dict[int, str]:
    """Names of the subprograms in a linked program, by first instruction (func_info)."""
    btf = prog.btf
    if btf is None:
        return {}
    return {fi.insn: btf[fi.type_id].name or f"func#{n}"
            for n, fi in enumerate(prog.func_info)
            if fi.insn and 0 < fi.type_id < len(btf)}


class _Names:
    """What the kernel would resolve: kfunc and ksym names from kernel BTF ids, map names."""

    def __init__(self, prog: LinkedProgram, kernel: Btf) -> None:
        self.kernel = kernel
        self.maps = {ref.insn: prog.maps[ref.map_index].name for ref in prog.map_refs}

    def btf_name(self, type_id: int) -> str | None:
        """Name of a kernel BTF type (None for an id the BTF lacks)."""
        return self.kernel[type_id].name if 0 < type_id < len(self.kernel) else None

    def call(self, insn: Insn) -> str | None:
        """``disasm_kfunc_name``: a kfunc call's name from the kernel BTF (an unresolved weak
        kfunc has id 0, void, whose name is empty: ``call #0``)."""
        if insn.op != Op.CALL_KFUNC:
            return None
        return "" if insn.imm == 0 else self.btf_name(insn.imm)

    def ld_imm64(self, insn: Insn) -> str | None:
        """The placeholder text of a map or ksym load (None: print the value)."""
        assert insn.imm64 is not None
        prefix = f"{insn.index}: ({insn.code:02x}) r{insn.dst} = "
        if insn.src == PseudoSrc.MAP_FD and insn.index in self.maps:
            return f"{prefix}map[name:{self.maps[insn.index]}]"
        if insn.src == PseudoSrc.MAP_VALUE and insn.index in self.maps:
            return f"{prefix}map[name:{self.maps[insn.index]}][0]+{insn.imm64 >> 32}"
        if insn.src == PseudoSrc.BTF_ID:
            return f"{prefix}ksym[{self.btf_name(insn.imm) or f'btf_id:{insn.imm}'}]"
        return None


def _linked_header(prog: LinkedProgram, profile: str) -> str:
    kind = f"prog_type {prog.prog_type.name.lower()}"
    if prog.attach_name:
        kind += f", attach {prog.attach_name}"
    return f"{prog.section}/{prog.name}: {kind}, {prog.insn_count} insns, linked for {profile}"


def linked_listing(prog: LinkedProgram, kernel: Btf, profile: str = "") -> Listing:
    """The final instructions of a linked program, as the verifier log prints them."""
    insns = prog.insns
    try:
        validate(insns)
    except InsnError as err:
        raise InsnError(f"{prog.section}/{prog.name}: {err.problem}") from None
    names = _Names(prog, kernel)
    starts = _function_starts(prog)

    def texts() -> Iterator[tuple[int, str]]:
        for insn in insns:
            if insn.index in starts:
                yield -1, f"<{starts[insn.index]}>:"
            placeholder = names.ld_imm64(insn) if insn.op == Op.LD_IMM64 else None
            yield insn.index, placeholder or format_line(insn, names.call)

    infos = _linked_line_infos(prog)
    header = _linked_header(prog, profile or "the given kernel")
    return Listing(header, tuple(_with_comments(texts(), infos)))


def _unlinked(obj: BpfObject, failure: LinkFailure) -> Listing:
    func = obj.program(failure.name)
    assert func is not None
    raw = function_listing(obj, func)
    return Listing(raw.header, (f"note: not linked: {failure.problem}", *raw.lines))


def link_target(kernel_btf: str | None = None, profile_name: str = "") -> tuple[KernelTarget, str]:
    """The link target and its name: the profile (default: ``default_profile()``), or its table
    on another kernel's BTF (``kernel_btf``)."""
    profile = load_profile(kernel_btf, profile_name or None)
    return KernelTarget.from_profile(profile), profile.name


def linked_listings(obj: BpfObject, target: KernelTarget, profile: str = "",
                    only: str | None = None) -> Iterator[Listing]:
    """Linked listings of the object's entry programs (or the one named), in object order;
    programs that cannot be linked are listed raw, after a ``note:`` line."""
    for result in link_object(obj, target):
        if only is not None and result.name != only:
            continue
        if isinstance(result, LinkFailure):
            yield _unlinked(obj, result)
        else:
            yield linked_listing(result, target.btf, profile)


def disassemble_object(path: str, only: str | None = None, *, raw: bool = False,
                       kernel_btf: str | None = None, profile: str = "") -> str:
    """The whole text of ``kfcheck disasm``: linked against the profile (default:
    ``default_profile()``; or its table on ``kernel_btf``) unless ``raw``. ``only`` names one
    program; in the linked view a subprogram's name gives its raw listing (it is linked into
    each caller).

    Raises ``ElfError``/``InsnError``/``BtfError`` on bad input.
    """
    obj = read_object(path)
    listings: list[Listing]
    if raw or (only is not None and obj.program(only) is None):
        with in_file(path):
            listings = list(object_listings(obj, only))
    else:
        target, linked_for = link_target(kernel_btf, profile)
        with in_file(path):
            listings = list(linked_listings(obj, target, linked_for, only))
    if only is not None and not listings:
        raise ElfError(f"no program or subprogram named '{only}'", path=path)
    return "\n\n".join(listing.text for listing in listings) + ("\n" if listings else "")
