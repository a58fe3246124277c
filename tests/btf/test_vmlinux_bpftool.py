"""Our raw dump equals ``bpftool btf dump file X`` (bpftool's default raw format), type by
type: the live kernel BTF, a program object with every kind, the corpus objects, and split
BTF (a sysfs module if one exists, else one built here on top of vmlinux)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kfcheck.btf import load_btf
from kfcheck.btf.dump import dump_type
from kfcheck.btf.encode import encode_btf
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import BtfType, EnumValue, Kind, Member, Param, VarSecinfo

# Not imported from conftest: another test directory's conftest may own that module name.
BPFTOOL = shutil.which("bpftool")
VMLINUX = Path("/sys/kernel/btf/vmlinux")

pytestmark = pytest.mark.skipif(BPFTOOL is None, reason="bpftool not installed")


def _bpftool_entries(*args: str) -> list[str]:
    """bpftool's dump split into one entry per type (member lines start with a tab)."""
    assert BPFTOOL is not None
    proc = subprocess.run([BPFTOOL, "btf", "dump", "file", *args], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"bpftool failed: {proc.stderr.strip()}")
    entries: list[str] = []
    for line in proc.stdout.splitlines():
        if line.startswith("\t"):
            entries[-1] += "\n" + line
        else:
            entries.append(line)
    return entries


def _compare(btf: Btf, expected: list[str]) -> None:
    ours = [dump_type(btf, t) for t in btf.types()]
    assert len(ours) == len(expected)
    for mine, theirs in zip(ours, expected, strict=True):
        assert mine == theirs


def test_vmlinux_matches_bpftool(vmlinux: Btf) -> None:
    _compare(vmlinux, _bpftool_entries(str(VMLINUX)))


def test_program_object_matches_bpftool(allkinds_obj: Path, allkinds: Btf) -> None:
    kinds = {t.kind for t in allkinds.types()}
    assert kinds == set(Kind) - {Kind.UNKN}  # the object really has every kind
    _compare(allkinds, _bpftool_entries(str(allkinds_obj)))


def test_corpus_objects_match_bpftool() -> None:
    corpus = sorted((Path(__file__).parents[1] / "corpus").glob("*.o"))[:40]
    if not corpus:
        pytest.skip("no corpus objects")
    for obj in corpus:
        _compare(load_btf(str(obj), cache=False), _bpftool_entries(str(obj)))


def _module_btf_paths() -> list[Path]:
    return [p for p in Path("/sys/kernel/btf").glob("*") if p.name != "vmlinux"]


def test_sysfs_module_btf_matches_bpftool(vmlinux: Btf) -> None:
    modules = _module_btf_paths()[:3]
    if not modules:
        pytest.skip("no module BTF under /sys/kernel/btf (only vmlinux)")
    for mod in modules:
        split = load_btf(str(mod), base=vmlinux)
        _compare(split, _bpftool_entries(str(mod), "-B", str(VMLINUX)))


def test_hand_built_split_btf_matches_bpftool(vmlinux: Btf, tmp_path: Path) -> None:
    """A module-like split BTF on top of vmlinux: new types, base type references, kfunc."""
    n = len(vmlinux)
    task = vmlinux.by_name("task_struct", Kind.STRUCT)[0].id
    int_id = vmlinux.by_name("int", Kind.INT)[0].id
    types = [
        BtfType(n, Kind.STRUCT, "kfcheck_mod_state", size=24, kflag=True, members=(
            Member("owner", n + 1, 0), Member("count", int_id, 64),
            Member("flag", int_id, 96, 1), Member("task_struct", n + 1, 128))),
        BtfType(n + 1, Kind.PTR, type=task),
        BtfType(n + 2, Kind.FUNC_PROTO, type=int_id, params=(Param("p", n + 1),)),
        BtfType(n + 3, Kind.FUNC, "kfcheck_mod_kfunc", type=n + 2, linkage=1),
        BtfType(n + 4, Kind.DECL_TAG, "bpf_kfunc", type=n + 3),
        BtfType(n + 5, Kind.ENUM, "kfcheck_mod_e", size=4, values=(EnumValue("KF_A", 3),)),
        BtfType(n + 6, Kind.VAR, "kfcheck_mod_var", type=n, linkage=1),
        BtfType(n + 7, Kind.DATASEC, ".data..percpu", size=24,
                secinfos=(VarSecinfo(n + 6, 0, 24), VarSecinfo(task, 24, 0))),
    ]
    raw = encode_btf(types, base=vmlinux)
    path = tmp_path / "kfcheck_mod"
    path.write_bytes(raw)
    split = load_btf(str(path), base=vmlinux)
    assert split.start_id == n
    assert [t.id for t in split.by_name("task_struct")] == [task]
    _compare(split, _bpftool_entries(str(path), "-B", str(VMLINUX)))
