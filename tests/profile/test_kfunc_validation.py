"""Loading a table file validates it: every mistake is a one-line TableError."""

from __future__ import annotations

import copy
import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfcheck.errors import TableError
from kfcheck.files import MAX_TEXT_SIZE
from kfcheck.profile.kfuncs.btfview import KfuncBtf
from kfcheck.profile.kfuncs.loader import load_table_file, parse_table
from kfcheck.profile.kfuncs.table import KfuncTable


def entry(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(k for k in doc["kfunc"] if k["name"] == name)
    return found


def error_of(doc: dict[str, Any]) -> str:
    with pytest.raises(TableError) as info:
        parse_table(doc, "t.toml")
    assert "\n" not in info.value.problem
    return info.value.problem


def test_shipped_table_is_valid(raw_doc: dict[str, Any]) -> None:
    parse_table(raw_doc, "t.toml")


def test_unknown_flag(raw_doc: dict[str, Any]) -> None:
    entry(raw_doc, "bpf_throw")["flags"] = ["KF_BOGUS"]
    assert error_of(raw_doc) == "kfunc bpf_throw: unknown flag KF_BOGUS"


def test_flag_the_profile_lacks(raw_doc: dict[str, Any]) -> None:
    entry(raw_doc, "bpf_throw")["flags"] = ["KF_IMPLICIT_ARGS"]
    assert "flag KF_IMPLICIT_ARGS is not a flag of this profile" in error_of(raw_doc)


def test_two_iter_flags(raw_doc: dict[str, Any]) -> None:
    entry(raw_doc, "bpf_iter_num_new")["flags"] = ["KF_ITER_NEW", "KF_ITER_NEXT"]
    assert "more than one KF_ITER_* flag" in error_of(raw_doc)


@pytest.mark.parametrize(("name", "flags", "problem"), [
    ("bpf_iter_num_new", ["KF_ITER_DESTROY"], "must be named bpf_iter_<type>_destroy"),
    ("bpf_iter_num_new", [], "iterator-named kfunc has no KF_ITER_* flag"),
    ("bpf_throw", ["KF_ITER_NEW"], "must be named bpf_iter_<type>_new"),
])
def test_iterator_naming(
    raw_doc: dict[str, Any], name: str, flags: list[str], problem: str
) -> None:
    entry(raw_doc, name)["flags"] = flags
    assert problem in error_of(raw_doc)


def test_unknown_and_undeclared_families(raw_doc: dict[str, Any]) -> None:
    entry(raw_doc, "bpf_throw")["families"] = ["NO_SUCH"]
    assert error_of(raw_doc) == "kfunc bpf_throw: unknown family NO_SUCH"
    entry(raw_doc, "bpf_throw")["families"] = ["ARENA"]
    assert "family ARENA is not declared" in error_of(raw_doc)


def test_union_cycle(raw_doc: dict[str, Any]) -> None:
    raw_doc["families"]["LIST_PUSH"]["union"] = ["GRAPH_API"]
    assert "cycle" in error_of(raw_doc)


def test_set_based_family(raw_doc: dict[str, Any]) -> None:
    """DEV_BOUND is tested by the kernel as a kfunc set: its members must be exactly the set's."""
    entry(raw_doc, "bpf_xdp_metadata_rx_hash")["families"] = []
    assert error_of(copy.deepcopy(raw_doc)) == (
        "[families.DEV_BOUND]: members differ from set xdp_metadata_kfunc_ids "
        "(bpf_xdp_metadata_rx_hash)")
    entry(raw_doc, "bpf_xdp_metadata_rx_hash")["families"] = ["DEV_BOUND"]
    entry(raw_doc, "bpf_throw")["families"] = ["THROW", "DEV_BOUND"]
    assert error_of(copy.deepcopy(raw_doc)).endswith("(bpf_throw)")
    entry(raw_doc, "bpf_throw")["families"] = ["THROW"]
    raw_doc["families"]["DEV_BOUND"]["set"] = "no_such_set"
    assert error_of(raw_doc) == "[families.DEV_BOUND]: set no_such_set is not declared in [sets]"


def test_predicate_must_be_a_c_name(raw_doc: dict[str, Any]) -> None:
    raw_doc["families"]["THROW"]["predicate"] = "is throw"
    assert error_of(raw_doc) == "[families.THROW]: predicate 'is throw' is not a C identifier"


def test_duplicate_entry(raw_doc: dict[str, Any]) -> None:
    raw_doc["kfunc"].append(dict(entry(raw_doc, "bpf_throw")))
    assert error_of(raw_doc) == "duplicate entry for kfunc bpf_throw"


def test_unknown_set_key_and_hook(raw_doc: dict[str, Any]) -> None:
    entry(raw_doc, "bpf_throw")["sets"] = ["nope"]
    assert "set nope is not declared" in error_of(raw_doc)
    doc = copy.deepcopy(raw_doc)
    entry(doc, "bpf_throw")["sets"] = ["generic_btf_ids"]
    entry(doc, "bpf_throw")["flgas"] = []
    assert error_of(doc) == "kfunc bpf_throw: unknown key 'flgas'"
    doc["kfunc"] = raw_doc["kfunc"][:0]
    doc["sets"]["generic_btf_ids"]["hooks"] = ["TRACING", "BOGUS"]
    assert "unknown hook BOGUS" in error_of(doc)


def test_special_kfunc_without_entry(raw_doc: dict[str, Any]) -> None:
    raw_doc["kfunc"] = [k for k in raw_doc["kfunc"] if k["name"] != "bpf_throw"]
    assert error_of(raw_doc) == "special kfunc bpf_throw has no [[kfunc]] entry"


def test_bad_config_expression(raw_doc: dict[str, Any]) -> None:
    entry(raw_doc, "bpf_throw")["config"] = "CONFIG_A || CONFIG_B"
    assert "unsupported: config expression" in error_of(raw_doc)


def test_bad_toml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[profile\nname = 1\n")
    with pytest.raises(TableError, match="invalid TOML"):
        load_table_file(bad)


def test_kfunc_missing_from_btf(raw_doc: dict[str, Any], embedded_view: KfuncBtf) -> None:
    file = parse_table(raw_doc, "t.toml")
    funcs = {n: f for n, f in embedded_view.funcs.items() if n != "bpf_strlen"}
    btf = KfuncBtf("rec", funcs, embedded_view.special_kfunc_type)
    with pytest.raises(TableError, match="kfunc bpf_strlen is not a FUNC of rec"):
        KfuncTable.build(file, btf)


@pytest.mark.parametrize(("name", "change", "problem"), [
    ("bpf_iter_num_new", {"arg0_struct": ""},
     "first argument must be a pointer to struct bpf_iter_<type>"),
    ("bpf_iter_num_next", {"arg0_size": 12}, "struct bpf_iter_num size 12 is not a multiple of 8"),
    ("bpf_iter_num_next", {"arg0_struct": "bpf_iter_task"},
     "name does not match its argument type struct bpf_iter_task"),
    ("bpf_iter_num_destroy", {"params": ("it", "extra")},
     "only the constructor (KF_ITER_NEW) takes more than the iterator"),
    ("bpf_iter_num_next", {"returns_ptr": False}, "KF_ITER_NEXT kfunc must return a pointer"),
    ("bpf_iter_num_destroy", {"ret_type_id": 1}, "KF_ITER_DESTROY kfunc must return void"),
])
def test_iterator_btf_rules(raw_doc: dict[str, Any], embedded_view: KfuncBtf, name: str,
                            change: dict[str, Any], problem: str) -> None:
    """btf_check_iter_kfuncs' prototype rules, checked when the table is compiled."""
    file = parse_table(raw_doc, "t.toml")
    KfuncTable.build(file, embedded_view)  # every 6.18 iterator passes
    funcs = dict(embedded_view.funcs)
    funcs[name] = dataclasses.replace(funcs[name], **change)
    with pytest.raises(TableError) as info:
        KfuncTable.build(file, KfuncBtf("rec", funcs, embedded_view.special_kfunc_type))
    assert info.value.problem == f"iterator kfunc {name} in rec: {problem}"


def test_special_enum_mismatch(raw_doc: dict[str, Any], embedded_view: KfuncBtf) -> None:
    file = parse_table(raw_doc, "t.toml")
    swapped = list(embedded_view.special_kfunc_type)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    btf = KfuncBtf("rec", embedded_view.funcs, tuple(swapped))
    with pytest.raises(TableError, match="index 0: table has bpf_obj_new_impl"):
        KfuncTable.build(file, btf)


_scalars = st.one_of(st.text(max_size=8), st.integers(), st.booleans(),
                     st.lists(st.text(max_size=6), max_size=3))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["profile", "families", "sets", "kfunc"]),
    key=st.sampled_from(["name", "flags", "families", "sets", "union", "hooks", "filter",
                         "special_kfuncs", "annotations", "x"]),
    value=_scalars,
)
def test_any_corruption_is_a_table_error(
    raw_doc: dict[str, Any], path: str, key: str, value: object
) -> None:
    doc = copy.deepcopy(raw_doc)
    target = doc[path]
    if isinstance(target, list):
        target[0][key] = value
    elif path in ("families", "sets"):
        next(iter(target.values()))[key] = value
    else:
        target[key] = value
    try:
        parse_table(doc, "t.toml")
    except TableError as err:
        assert err.problem and "\n" not in err.problem


# ---- reading the file: every failure is one TableError line ----


def _load_problem(path: Path | str) -> str:
    with pytest.raises(TableError) as info:
        load_table_file(path)
    assert info.value.path == str(path)
    assert info.value.problem.isprintable()
    return info.value.problem


@pytest.mark.parametrize(("content", "problem"), [
    (b'[profile]\nname = "caf\xe9"\n', "invalid TOML: not UTF-8: byte 0xe9 at line 2"),
    (b"\xff", "invalid TOML: not UTF-8: byte 0xff at line 1"),
    (b"x = " + b"[" * 100_000, "invalid TOML: arrays or tables nested too deeply"),
    (b"x = " + b"[" * 100_000 + b"]" * 100_000, "invalid TOML: arrays or tables nested too deeply"),
    (b"x = " + b"{a = " * 100_000, "invalid TOML: arrays or tables nested too deeply"),
])
def test_undecodable_table(tmp_path: Path, content: bytes, problem: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    assert _load_problem(bad) == problem


def test_table_that_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # refused before it is opened: an open would wait for a writer
    assert _load_problem(fifo) == "not a regular file"
    assert _load_problem("/dev/zero") == "not a regular file"  # read without end before
    assert _load_problem(tmp_path) == "is a directory"
    assert _load_problem(tmp_path / "absent.toml") == "no such file"


def test_table_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.truncate(MAX_TEXT_SIZE + 1)
    assert _load_problem(big) == (f"file is {MAX_TEXT_SIZE + 1} bytes, more than the "
                                  f"{MAX_TEXT_SIZE}-byte limit")


def test_names_with_control_characters_are_escaped(raw_doc: dict[str, Any]) -> None:
    entry(raw_doc, "bpf_throw")["flags"] = ["KF_\x1b[2J\n"]
    assert error_of(raw_doc) == "kfunc bpf_throw: unknown flag KF_\\x1b[2J\\n"
