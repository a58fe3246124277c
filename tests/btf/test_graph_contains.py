"""``Btf.graph_contains``: the ``contains:<type>:<field>`` decl tags of graph roots."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfcheck.btf import load_btf
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import BtfType, Kind, Member
from kfcheck.errors import BtfError

CORPUS = Path(__file__).parent.parent / "corpus"


def test_global_list_head_in_corpus_object() -> None:
    """list_front_ok.bpf.c: ``struct bpf_list_head head_a __contains(elem, link);``."""
    btf = load_btf(str(CORPUS / "list_front_ok.bpf.o"))
    (head,) = btf.by_name("head_a", Kind.VAR)
    assert btf.type_name(btf.resolve(head.type)) == "bpf_list_head"
    assert btf.graph_contains(head.id) == ("elem", "link")
    assert btf.graph_contains(head.id, 0) is None  # the tag is on the VAR itself
    (elem,) = btf.by_name("elem", Kind.STRUCT)
    assert "link" in [m.name for m in elem.members]
    assert btf.graph_contains(elem.id) is None


def _root(*tags: str) -> Btf:
    """``struct root { int x; struct bpf_rb_root r; }`` with ``tags`` on member 1."""
    types = [
        BtfType(1, Kind.INT, "int", size=4, int_encoding=1, int_bits=32),
        BtfType(2, Kind.STRUCT, "bpf_rb_root", size=16),
        BtfType(3, Kind.STRUCT, "root", size=24,
                members=(Member("x", 1, 0), Member("r", 2, 64))),
    ]
    types += [BtfType(4 + i, Kind.DECL_TAG, tag, type=3, component_idx=1)
              for i, tag in enumerate(tags)]
    return Btf.from_types(types)


def test_struct_member() -> None:
    btf = _root("contains:node_data:node", "other")
    assert btf.graph_contains(3, 1) == ("node_data", "node")
    assert btf.graph_contains(3, 0) is None
    assert btf.graph_contains(3) is None


@pytest.mark.parametrize(
    ("tags", "problem"),
    [
        (("contains:a:b", "contains:c:d"), "more than one 'contains:' decl tag"),
        (("contains:node_data",), "bad decl tag 'contains:node_data'"),
        (("contains:node_data:",), "bad decl tag 'contains:node_data:'"),
    ],
)
def test_malformed(tags: tuple[str, ...], problem: str) -> None:
    with pytest.raises(BtfError) as err:
        _root(*tags).graph_contains(3, 1)
    assert err.value.problem == f"type 3 member 1: {problem}"
