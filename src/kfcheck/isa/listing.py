"""Disassembly of a BPF object: every program and subprogram in the verifier log's format.

Instructions are shown as the object holds them (before linking), each in the kernel's
text; a source line from ``.BTF.ext`` line_info is printed before the instruction it starts,
as the verifier does (``; <source> @ <file>:<line>``). Relocated instructions are followed
by ``<kind target>`` naming what the linker will put there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kfcheck.btf.ext import LineInfo
from kfcheck.errors import ElfError, InsnError
from kfcheck.isa.disasm import format_line
from kfcheck.isa.insn import INSN_SIZE, decode
from kfcheck.obj import BpfObject, Function, Program, read_object


@dataclass(frozen=True)
class Listing:
    """The text of one function: a header line and its instruction lines."""

    header: str
    lines: tuple[str, ...]


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


def _line_infos(obj: BpfObject, func: Function) -> dict[int, LineInfo]:
    """Line-info records of a function, by instruction index inside the function."""
    if obj.btf_ext is None:
        return {}
    end = func.offset + len(func.insns)
    return {(li.insn_off - func.offset) // INSN_SIZE: li
            for li in obj.btf_ext.line_info.get(func.section, ())
            if func.offset <= li.insn_off < end}


def _header(func: Function) -> str:
    count = len(func.insns) // INSN_SIZE
    if isinstance(func, Program):
        kind = f"prog_type {func.prog_type.name.lower()}"
        if func.attach_target:
            kind += f", attach {func.attach_target}"
    else:
        kind = "subprogram"
    return f"{func.section}/{func.name}: {kind}, {count} insns"


def function_listing(obj: BpfObject, func: Function) -> Listing:
    """Kernel-format lines of one function, with source comments and relocation notes."""
    relocs = {r.insn_index: r for r in func.relocations}
    infos = _line_infos(obj, func)
    lines: list[str] = []
    printed: LineInfo | None = None
    try:
        insns = decode(func.insns, obj.path)
    except InsnError as err:
        raise InsnError(obj.path, f"{func.section}/{func.name}: {err.problem}") from None
    for insn in insns:
        info = infos.get(insn.index)
        comment = source_comment(info, printed) if info is not None else None
        if comment is not None:
            lines.append(comment)
            printed = info
        text = format_line(insn)
        reloc = relocs.get(insn.index)
        if reloc is not None:
            text += f"  <{reloc.kind.value} {reloc.target}>"
        lines.append(text)
    return Listing(_header(func), tuple(lines))


def object_listings(obj: BpfObject, only: str | None = None) -> Iterator[Listing]:
    """Listings of the object's programs, then its subprograms (or just the one named)."""
    for func in (*obj.programs, *obj.subprograms):
        if only is None or func.name == only:
            yield function_listing(obj, func)


def disassemble_object(path: str, only: str | None = None) -> str:
    """The whole text of ``kfcheck disasm``; raises ``ElfError``/``InsnError`` on bad input."""
    obj = read_object(path)
    blocks = ["\n".join((listing.header, *listing.lines))
              for listing in object_listings(obj, only)]
    if only is not None and not blocks:
        raise ElfError(path, f"no program or subprogram named '{only}'")
    return "\n\n".join(blocks) + ("\n" if blocks else "")
