"""``table extract``: kfunc facts from a kernel BTF (synthetic BTF, the embedded 6.18 BTF)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfcheck.btf import Btf, BtfType, EnumValue, Kind, Param
from kfcheck.cli import main
from kfcheck.profile.embedded import embedded_btf, read_manifest
from kfcheck.profile.kfuncs.extract import extract, render, to_json
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.schema import Annotation


def _synthetic(fastcall: bool = True) -> Btf:
    types = [
        BtfType(1, Kind.INT, "int", size=4, int_encoding=1, int_bits=32),
        BtfType(2, Kind.STRUCT, "task_struct", size=8),
        BtfType(3, Kind.PTR, type=2),
        BtfType(4, Kind.FUNC_PROTO, type=3, params=(
            Param("p", 3), Param("buf__sz", 1), Param("flags__k", 1))),
        BtfType(5, Kind.FUNC, "bpf_demo_acquire", type=4, linkage=1),
        BtfType(6, Kind.DECL_TAG, "bpf_kfunc", type=5),
        BtfType(7, Kind.FUNC, "not_a_kfunc", type=4, linkage=1),
        BtfType(8, Kind.ENUM, "special_kfunc_type", size=4,
                values=(EnumValue("KF_bpf_demo_acquire", 0), EnumValue("KF_other", 1))),
        BtfType(9, Kind.FUNC_PROTO, type=0, params=()),
        BtfType(10, Kind.FUNC, "bpf_demo_fast", type=9, linkage=1),
        BtfType(11, Kind.DECL_TAG, "bpf_kfunc", type=10),
    ]
    if fastcall:
        types.append(BtfType(12, Kind.DECL_TAG, "bpf_fastcall", type=10))
    return Btf.from_types(types, name="synthetic")


def test_synthetic_btf() -> None:
    ex = extract(_synthetic())
    assert [k.name for k in ex.kfuncs] == ["bpf_demo_acquire", "bpf_demo_fast"]
    acq, fast = ex.kfuncs
    assert acq.prototype == ("struct task_struct *bpf_demo_acquire(struct task_struct *p, "
                             "int buf__sz, int flags__k)")
    assert [a.annotation for a in acq.args] == [None, Annotation.SZ, Annotation.K]
    assert not acq.fastcall and fast.fastcall
    assert fast.prototype == "void bpf_demo_fast(void)"
    assert ex.special_kfunc_type == ("bpf_demo_acquire", "other")
    text = render(ex)
    assert "bpf_demo_fast(void);  // bpf_fastcall" in text
    assert "buf__sz:__sz flags__k:__k" in text
    assert "# enum special_kfunc_type: 2 members" in text
    data = json.loads(render(ex, as_json=True))
    assert data == to_json(ex)
    assert data["kfuncs"][0]["args"][1] == {"name": "buf__sz", "annotation": "__sz"}


def test_no_special_enum() -> None:
    btf = Btf.from_types([BtfType(1, Kind.INT, "int", size=4, int_bits=32)])
    ex = extract(btf)
    assert ex.kfuncs == () and ex.special_kfunc_type == ()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["__sz", "__k", "__ign", "__nullable", "__str", "", "_x"]),
                min_size=0, max_size=5))
def test_annotations_follow_parameter_names(suffixes: list[str]) -> None:
    params = tuple(Param(f"a{i}{s}", 1) for i, s in enumerate(suffixes))
    btf = Btf.from_types([
        BtfType(1, Kind.INT, "int", size=4, int_bits=32),
        BtfType(2, Kind.FUNC_PROTO, type=1, params=params),
        BtfType(3, Kind.FUNC, "k", type=2, linkage=1),
        BtfType(4, Kind.DECL_TAG, "bpf_kfunc", type=3),
    ])
    (kf,) = extract(btf).kfuncs
    got = [a.annotation.value if a.annotation else "" for a in kf.args]
    assert got == [s if s.startswith("__") else "" for s in suffixes]


@pytest.fixture(scope="module")
def reference() -> Btf:
    return embedded_btf(read_manifest())


def test_reference_kernel(reference: Btf) -> None:
    ex = extract(reference)
    table = load_table_file(read_manifest().table)
    assert ex.names() == {k.name for k in table.kfuncs}
    assert ex.special_kfunc_type == table.special_kfuncs
    by_name = {k.name: k for k in ex.kfuncs}
    cast = by_name["bpf_rdonly_cast"]
    assert cast.fastcall
    assert cast.prototype == "void *bpf_rdonly_cast(const void *obj__ign, u32 btf_id__k)"
    assert by_name["bpf_task_acquire"].prototype == (
        "struct task_struct *bpf_task_acquire(struct task_struct *p)")
    # 6.18 has no arena/stream entries in enum special_kfunc_type (they come in 6.19)
    assert not [s for s in ex.special_kfunc_type if s.startswith(("bpf_arena", "bpf_stream"))]


def test_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["table", "extract", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["kfuncs"]) == 203 and data["source"].endswith("(profile 6.18.44-fc-v595)")
    path = tmp_path / "demo.btf"
    path.write_bytes(_synthetic().to_bytes())
    assert main(["table", "extract", "--btf", str(path)]) == 0
    assert "2 kfuncs in" in capsys.readouterr().out
    path.write_bytes(b"garbage")
    assert main(["table", "extract", "--btf", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kfcheck: {path}: ") and len(err.strip().splitlines()) == 1
