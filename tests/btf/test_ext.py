""".BTF.ext of a clang-built object: func_info, line_info with source text, CO-RE relocs."""

from __future__ import annotations

from pathlib import Path

from kfcheck.btf.ext import BtfExt, CoreReloKind
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import Kind

SOURCE = Path(__file__).parent / "data" / "allkinds.bpf.c"


def test_func_info(allkinds: Btf, allkinds_sections: tuple[bytes, bytes]) -> None:
    ext = BtfExt.parse(allkinds_sections[1], allkinds)
    assert set(ext.func_info) == {".text", "syscall"}
    (prog,) = ext.func_info["syscall"]
    assert prog.insn_idx == 0 and allkinds[prog.type_id].name == "prog"
    (sub,) = ext.func_info[".text"]
    assert allkinds[sub.type_id].name == "helper_sub"
    assert allkinds[sub.type_id].kind is Kind.FUNC
    assert ext.func_info_rec_size == 8 and ext.line_info_rec_size == 16


def test_line_info_matches_the_source(
    allkinds: Btf, allkinds_sections: tuple[bytes, bytes]
) -> None:
    ext = BtfExt.parse(allkinds_sections[1], allkinds)
    lines = SOURCE.read_text().splitlines()
    records = [r for recs in ext.line_info.values() for r in recs]
    assert len(records) > 5
    for rec in records:
        assert rec.file_name.endswith("allkinds.bpf.c")
        assert rec.source == lines[rec.line - 1]
        assert 0 < rec.column <= len(rec.source) + 1
    first = ext.line_info["syscall"][0]
    assert "bpf_task_acquire" in first.source and first.insn_idx == 0
    offs = [r.insn_off for r in ext.line_info["syscall"]]
    assert offs == sorted(offs)


def test_core_relocations(allkinds: Btf, allkinds_sections: tuple[bytes, bytes]) -> None:
    ext = BtfExt.parse(allkinds_sections[1], allkinds)
    relos = ext.core_relos["syscall"]
    kinds = [r.kind for r in relos]
    assert kinds == [
        CoreReloKind.FIELD_BYTE_OFFSET,
        CoreReloKind.FIELD_BYTE_SIZE,
        CoreReloKind.TYPE_EXISTS,
        CoreReloKind.TYPE_SIZE,
        CoreReloKind.ENUMVAL_EXISTS,
        CoreReloKind.ENUMVAL_VALUE,
        CoreReloKind.TYPE_ID_LOCAL,
        CoreReloKind.TYPE_ID_TARGET,
    ]
    outer = allkinds.by_name("outer", Kind.STRUCT)[0].id
    # zeroed.one.bf.c: access 0 (the variable), member 3 (one), member 2 (bf), member 2 (c)
    assert (relos[0].type_id, relos[0].access) == (outer, "0:3:2:2")
    assert (relos[1].type_id, relos[1].access) == (outer, "0:3:2:1")
    small = allkinds.by_name("small", Kind.ENUM)[0].id
    assert (relos[4].type_id, relos[4].access) == (small, "1")  # SMALL_POS
    assert (relos[5].type_id, relos[5].access) == (small, "0")  # SMALL_NEG
    assert all(r.insn_off % 8 == 0 for r in relos)


def test_corpus_objects_parse() -> None:
    """Every object in the shared corpus has BTF and .BTF.ext that parse and re-encode."""
    from kfcheck.btf.elf import btf_sections

    corpus = sorted((Path(__file__).parents[1] / "corpus").glob("*.o"))
    if not corpus:
        import pytest

        pytest.skip("no corpus objects")
    for obj in corpus:
        raw, ext = btf_sections(obj.read_bytes())
        btf = Btf.parse(raw, str(obj))
        assert btf.to_bytes() == raw
        if ext is not None:
            parsed = BtfExt.parse(ext, btf)
            assert parsed.func_info
