"""C declarations of BTF types and kfunc prototypes."""

from __future__ import annotations

import time

import pytest
from btf_sample import sample_bytes

from kfcheck.btf.cnames import MAX_DECL_LEN, func_decl, type_decl
from kfcheck.btf.encode import encode_btf
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import INT_SIGNED, LINKAGE_GLOBAL, BtfType, Kind, Param
from kfcheck.errors import BtfError


def test_sample_declarations() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    assert func_decl(btf, 15) == "struct pair *my_kfunc(struct pair *p, myint n, ...)"
    assert type_decl(btf, 12, "x") == "volatile myint x"
    assert type_decl(btf, 13, "r") == "struct pair *restrict r"
    assert type_decl(btf, 4) == "const int"
    assert type_decl(btf, 7, "buf") == "unsigned char buf[8]"
    assert type_decl(btf, 6) == "union {...}"
    assert type_decl(btf, 10, "f") == "union fw f"
    assert type_decl(btf, 23, "t") == "struct pair *t"  # type tags are left out
    with pytest.raises(BtfError, match="is not a FUNC"):
        func_decl(btf, 5)


def test_program_declarations(allkinds: Btf) -> None:
    def decl(name: str) -> str:
        return func_decl(allkinds, allkinds.by_name(name, Kind.FUNC)[0].id)

    assert decl("bpf_task_acquire") == "struct task_struct *bpf_task_acquire(struct task_struct *)"
    assert decl("helper_sub") == "int helper_sub(struct outer *o, s8 k)"
    assert decl("prog") == "int prog(void *ctx)"
    outer = allkinds.by_name("outer", Kind.STRUCT)[0]
    member = {m.name: m for m in outer.members}
    assert type_decl(allkinds, member["cb"].type, "cb") == "void (*cb)(int, ...)"
    assert type_decl(allkinds, member["s"].type, "s") == "const char *restrict s"
    assert type_decl(allkinds, member["arr"].type, "arr") == "struct inner arr[3]"


def test_kernel_kfunc_prototypes(vmlinux: Btf) -> None:
    def decl(name: str) -> str:
        return func_decl(vmlinux, vmlinux.by_name(name, Kind.FUNC)[0].id)

    assert decl("bpf_task_acquire") == "struct task_struct *bpf_task_acquire(struct task_struct *p)"
    assert decl("bpf_rbtree_add_impl") == (
        "int bpf_rbtree_add_impl(struct bpf_rb_root *root, struct bpf_rb_node *node, "
        "bool (*less)(struct bpf_rb_node *, const struct bpf_rb_node *), void *meta__ign, "
        "u64 off)"
    )
    for func in vmlinux.kfuncs():  # every kfunc has a C spelling
        text = func_decl(vmlinux, func.id)
        assert f"{func.name}(" in text and text.endswith(")")


def _nested_fnptrs(depth: int, width: int = 2) -> Btf:
    """FUNC ``f`` whose ``width`` parameters are function pointers whose ``width`` parameters
    are function pointers ... ``depth`` deep (the spelling grows as width**depth)."""
    types = [BtfType(1, Kind.INT, "int", size=4, int_encoding=INT_SIGNED, int_bits=32)]
    param = 1
    for _ in range(depth):
        proto = len(types) + 1
        types.append(BtfType(proto, Kind.FUNC_PROTO, type=1,
                             params=tuple(Param("", param) for _ in range(width))))
        types.append(BtfType(proto + 1, Kind.PTR, type=proto))
        param = proto + 1
    proto = len(types) + 1
    types.append(BtfType(proto, Kind.FUNC_PROTO, type=1, params=(Param("cb", param),)))
    types.append(BtfType(proto + 1, Kind.FUNC, "f", type=proto, linkage=LINKAGE_GLOBAL))
    return Btf.parse(encode_btf(types), "nested")


def test_nested_function_pointers_within_the_limit() -> None:
    btf = _nested_fnptrs(2)
    assert func_decl(btf, len(btf) - 1) == (
        "int f(int (*cb)(int (*)(int, int), int (*)(int, int)))")


@pytest.mark.parametrize(("depth", "width"), [(30, 2), (25, 3), (12, 8), (1, 65535)])
def test_exponential_spelling_is_refused_quickly(depth: int, width: int) -> None:
    btf = _nested_fnptrs(depth, width)
    func_id = len(btf) - 1
    start = time.monotonic()
    with pytest.raises(BtfError) as info:
        func_decl(btf, func_id)
    assert time.monotonic() - start < 2
    assert info.value.problem == (f"type {func_id}: FUNC f: C declaration longer than "
                                  f"{MAX_DECL_LEN} characters")
    proto_ptr = func_id - 2  # the outermost PTR to a FUNC_PROTO
    with pytest.raises(BtfError, match="C declaration longer than"):
        type_decl(btf, proto_ptr, "cb")


def test_empty_names_behind_type_tags_are_bounded_too() -> None:
    """Parameters that spell as "" behind 60 type tags: the separators still count."""
    types = [BtfType(1, Kind.INT, "", size=4, int_bits=32)]
    for i in range(2, 62):
        types.append(BtfType(i, Kind.TYPE_TAG, "t", type=i - 1))
    types.append(BtfType(62, Kind.FUNC_PROTO, type=1,
                         params=tuple(Param("", 61) for _ in range(65535))))
    types.append(BtfType(63, Kind.FUNC, "g", type=62, linkage=LINKAGE_GLOBAL))
    btf = Btf.parse(encode_btf(types), "tags")
    start = time.monotonic()
    with pytest.raises(BtfError, match="C declaration longer than"):
        func_decl(btf, 63)
    assert time.monotonic() - start < 2


def test_longest_kernel_spelling_is_far_below_the_limit(vmlinux: Btf) -> None:
    longest = max(len(func_decl(vmlinux, f.id)) for f in vmlinux.kfuncs())
    assert longest < MAX_DECL_LEN // 8
