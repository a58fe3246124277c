"""Generated C: checked-in outputs are up to date and compile against the stand-in macros."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kfunc_paths import HERE, TABLE_PATH

from kfcheck.cli import main
from kfcheck.errors import TableError
from kfcheck.profile.kfuncs.codegen import DEF_MAX_FAMILIES, Style, generate
from kfcheck.profile.kfuncs.families import closure
from kfcheck.profile.kfuncs.loader import parse_table
from kfcheck.profile.kfuncs.schema import TableFile

GEN = HERE.parent.parent / "gen" / "linux-6.18"
MACROS = HERE / "kfunc_macros.h"
OUTPUTS = {Style.KERNEL: GEN / "kfuncs_kernel.c", Style.DEF: GEN / "kfuncs_def.c"}
GCC = shutil.which("gcc")


@pytest.mark.parametrize("style", list(Style))
def test_checked_in_output_is_up_to_date(table_file: TableFile, style: Style) -> None:
    fresh = generate(table_file, style, TABLE_PATH.name)
    assert OUTPUTS[style].read_text() == fresh, (
        f"regenerate: kfcheck table gen-c --style {style.value} > {OUTPUTS[style]}"
    )


def test_kernel_style_shape(table_file: TableFile) -> None:
    text = generate(table_file, Style.KERNEL)
    enum = re.search(r"enum special_kfunc_type \{\n(.*?)\};", text, re.S)
    assert enum is not None
    assert [ln.strip().rstrip(",")[3:] for ln in enum[1].splitlines()] == list(
        table_file.special_kfuncs)
    listed = re.findall(r"^BTF_ID\(func, (\w+)\)$", text, re.M)
    assert listed == list(table_file.special_kfuncs)
    assert "static bool is_bpf_graph_api_kfunc(u32 btf_id)" in text
    assert "btf_id == special_kfunc_list[KF_bpf_refcount_acquire_impl]" in text
    assert "BTF_ID_FLAGS(func, bpf_task_acquire, KF_ACQUIRE | KF_RET_NULL | KF_RCU)" in text
    # the kernel's own predicate names where it has one; set-based families test the set
    for name in ("kfunc_spin_allowed", "is_bpf_iter_num_api_kfunc",
                 "is_bpf_wq_set_callback_impl_kfunc", "is_rbtree_lock_required_kfunc"):
        assert f"static bool {name}(u32 btf_id)" in text
    assert ("static bool bpf_dev_bound_kfunc_id(u32 btf_id)\n{\n"
            "\treturn btf_id_set8_contains(&xdp_metadata_kfunc_ids, btf_id);\n}") in text


def test_def_style_shape(table_file: TableFile) -> None:
    """Lines carry the union closure, at most DEF_MAX_FAMILIES families each (a kfunc in more
    gets several lines); kfuncs in no family get none."""
    text = generate(table_file, Style.DEF)
    lines = re.findall(r"^BPF_VERIF_KFUNC_DEF\((\w+)((?:, \w+)*)\)$", text, re.M)
    assert len(lines) == len(re.findall(r"^BPF_VERIF_KFUNC_DEF", text, re.M))
    fams: dict[str, list[str]] = {}
    for name, args in lines:
        listed = args.split(", ")[1:]
        assert 1 <= len(listed) <= DEF_MAX_FAMILIES, name
        fams.setdefault(name, []).extend(listed)
    inc = closure(table_file.families)
    for k in table_file.kfuncs:
        want = [f.name.lower() for f, included in inc.items() if included & k.families]
        assert fams.get(k.name, []) == want, k.name
    assert "bpf_strlen" not in fams
    assert ("BPF_VERIF_KFUNC_DEF(bpf_rbtree_add_impl, rbtree_add, rbtree_api, rbtree_node_api, "
            "graph_api, rbtree_lock_required, spin_allowed)\n"
            "BPF_VERIF_KFUNC_DEF(bpf_rbtree_add_impl, callback_sync, callback_calling)") in text


def test_family_outside_special_list_is_refused(raw_doc: dict[str, Any]) -> None:
    raw_doc["families"]["ARENA"] = {"doc": "arena"}
    for k in raw_doc["kfunc"]:
        if k["name"] == "bpf_arena_alloc_pages":
            k["families"] = ["ARENA"]
    file = parse_table(raw_doc, "t.toml")
    with pytest.raises(TableError, match="bpf_arena_alloc_pages is not in special_kfuncs"):
        generate(file, Style.KERNEL)
    assert "BPF_VERIF_KFUNC_DEF(bpf_arena_alloc_pages, arena)" in generate(file, Style.DEF)


def gcc_check(source: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    assert GCC is not None
    cmd = [GCC, "-std=gnu11", "-fsyntax-only", "-Wall", "-Werror", "-Wno-unused-function",
           "-include", str(MACROS), *(f"-D{d}" for d in defines), str(source)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@pytest.mark.skipif(GCC is None, reason="gcc not installed")
@pytest.mark.parametrize("style", list(Style))
def test_generated_c_compiles(style: Style, table_file: TableFile) -> None:
    configs = sorted({c for k in table_file.kfuncs for c in re.findall(r"CONFIG_\w+", k.config)})
    for defines in ((), configs):
        done = gcc_check(OUTPUTS[style], *defines)
        assert done.returncode == 0, done.stderr


@pytest.mark.skipif(GCC is None, reason="gcc not installed")
def test_compile_check_catches_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.c"
    text = OUTPUTS[Style.KERNEL].read_text()
    bad.write_text(text.replace("KF_RET_NULL | KF_RCU", "KF_RET_NULL | KF_NO_SUCH_FLAG", 1))
    assert gcc_check(bad).returncode != 0
    bad.write_text(text.replace("special_kfunc_list[KF_bpf_throw]", "special_kfunc_list[KF_x]"))
    assert gcc_check(bad).returncode != 0


@pytest.mark.skipif(GCC is None, reason="gcc not installed")
@pytest.mark.parametrize("args", [
    "throw, no_such_family",  # a family without a BTF_SET_SUB
    'throw, 42+"x"',  # not a family name
    "",  # the macro takes 1 to 6 families
    "throw, throw, throw, throw, throw, throw, throw",  # ... not 7
])
def test_def_compile_check_catches_bad_families(tmp_path: Path, args: str) -> None:
    text = OUTPUTS[Style.DEF].read_text()
    assert "BPF_VERIF_KFUNC_DEF(bpf_throw, throw)\n" in text
    bad = tmp_path / "bad.c"
    bad.write_text(text.replace("DEF(bpf_throw, throw)", f"DEF(bpf_throw{', ' if args else ''}"
                                f"{args})"))
    assert gcc_check(bad).returncode != 0
    good = "throw, throw, throw, throw, throw, throw"
    bad.write_text(text.replace("DEF(bpf_throw, throw)", f"DEF(bpf_throw, {good})"))
    assert gcc_check(bad).returncode == 0


def test_cli_gen_c_matches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "gen-c", "--style", "def"]) == 0
    assert capsys.readouterr().out == OUTPUTS[Style.DEF].read_text()


def test_cli_show_export_families(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["table", "show", "bpf_list_pop_front"]) == 0
    out = capsys.readouterr().out
    assert "KF_ACQUIRE | KF_RET_NULL" in out and "GRAPH_API" in out
    assert main(["table", "export", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"] == "linux-6.18" and len(data["kfuncs"]) == 203
    assert set(data["kfuncs"][0]) == {"name", "btf_id", "flags", "families", "sets", "prog_types"}
    assert "bpf_throw" in data["families"]["THROW"]
    assert main(["table", "family", "res_spin_lock"]) == 0
    assert sorted(capsys.readouterr().out.split()) == [
        "bpf_res_spin_lock", "bpf_res_spin_lock_irqsave", "bpf_res_spin_unlock",
        "bpf_res_spin_unlock_irqrestore"]


def test_cli_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "show", "bpf_nope"]) == 2
    assert "no kfunc named bpf_nope" in capsys.readouterr().err
    assert main(["table", "family", "arena"]) == 2
    assert "not declared by linux-6.18" in capsys.readouterr().err


def test_cli_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = TABLE_PATH.read_text()
    changed = text.replace(
        'name = "bpf_strlen"\nsets', 'name = "bpf_strlen"\nflags = ["KF_RCU"]\nsets')
    changed = changed.replace('name = "bpf_strstr"', 'name = "bpf_strstr2"')
    other = tmp_path / "other.toml"
    other.write_text(changed)
    assert main(["table", "diff", str(TABLE_PATH), str(other)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "+ bpf_strstr2" in out and "- bpf_strstr" in out
    assert "~ bpf_strlen: flags +KF_RCU" in out


def test_bench_harness_is_up_to_date(table: object) -> None:
    import importlib.util

    path = HERE.parent.parent / "bench" / "bench_lookup.py"
    spec = importlib.util.spec_from_file_location("bench_lookup", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    fresh = bench.c_source(bench.workload(table))
    assert (path.parent / "lookup_generated.c").read_text() == fresh, (
        "regenerate: python bench/bench_lookup.py --keep-c bench/lookup_generated.c")
