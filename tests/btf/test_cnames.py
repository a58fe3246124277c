"""C declarations of BTF types and kfunc prototypes."""

from __future__ import annotations

import pytest
from btf_sample import sample_bytes

from kfcheck.btf.cnames import func_decl, type_decl
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import Kind
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
