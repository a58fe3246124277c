"""``kfcheck disasm`` linked view (no kernel needed): final instructions against the embedded
profile, kfunc ids from its BTF, placeholders for runtime addresses, unlinked programs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kfcheck.btf import Btf, Kind
from kfcheck.btf import cache as btf_cache
from kfcheck.btf.cache import cache_dir
from kfcheck.cli import main
from kfcheck.commands.disasm import disassemble_object, link_target, linked_listing
from kfcheck.isa import Op
from kfcheck.link import KernelTarget, link_object
from kfcheck.link import Program as LinkedProgram
from kfcheck.link.core import essential_name
from kfcheck.link.kconfig import kernel_version
from kfcheck.obj import read_object
from kfcheck.obj.model import ExternKind
from kfcheck.profile.embedded import SYSFS_BTF_ENV, load_profile, read_manifest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
PROGS = HERE / "progs"
EXAMPLE = ROOT / "examples" / "task_acquire.bpf.o"
LINK_KFUNCS = ROOT / "tests" / "link" / "progs" / "kfuncs.bpf.o"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module")
def embedded_btf() -> Btf:
    """The embedded profile's kernel BTF."""
    return load_profile().btf


@pytest.fixture(scope="module")
def target() -> tuple[KernelTarget, str]:
    """The embedded profile as link target, shared (its CO-RE index is built once)."""
    return link_target()


def _calls_kfuncs(path: Path) -> bool:
    return any(e.kind is ExternKind.KFUNC for e in read_object(str(path)).externs)


def _objects_with_kfuncs() -> list[Path]:
    """The examples, the linker's kfunc object and every 8th corpus object calling kfuncs."""
    corpus = [p for p in sorted(CORPUS.glob("*.bpf.o")) if _calls_kfuncs(p)]
    return [EXAMPLE, LINK_KFUNCS, *corpus[::8]]


def _by_index(lines: tuple[str, ...]) -> dict[int, str]:
    return {int(m[1]): m[2] for line in lines if (m := re.match(r"(\d+): (\(.*)", line))}


@pytest.mark.parametrize("path", _objects_with_kfuncs(), ids=lambda p: p.name)
def test_kfunc_ids_are_the_embedded_btf_func_ids(path: Path, embedded_btf: Btf,
                                                 target: tuple[KernelTarget, str]) -> None:
    obj = read_object(str(path))
    called = {essential_name(e.name) for e in obj.externs if e.kind is ExternKind.KFUNC}
    kernel, profile = target
    assert kernel.btf.cache_key == embedded_btf.cache_key
    seen = 0
    for prog in link_object(obj, kernel):
        assert isinstance(prog, LinkedProgram), prog
        lines = _by_index(linked_listing(prog, kernel.btf, profile).lines)
        for insn in prog.insns:
            if insn.op is not Op.CALL_KFUNC:
                continue
            m = re.fullmatch(r"\(85\) call (\w*)#(\d+)", lines[insn.index])
            assert m is not None, lines[insn.index]
            name, btf_id = m[1], int(m[2])
            funcs = embedded_btf.by_name(name, Kind.FUNC)
            assert name in called and [f.id for f in funcs] == [btf_id] or (
                name == "" and btf_id == 0)
            seen += 1
    assert seen


def test_example_kfunc_and_helper_calls(embedded_btf: Btf) -> None:
    lines = disassemble_object(str(EXAMPLE)).splitlines()
    acquire = embedded_btf.by_name("bpf_task_acquire", Kind.FUNC)[0].id
    assert lines[0] == ("tp_btf/task_newtask/count_children: prog_type tracing, attach "
                        "btf_trace_task_newtask, 29 insns, linked for 6.18.44-fc-v595")
    assert f"4: (85) call bpf_task_acquire#{acquire}" in lines
    assert "14: (85) call bpf_map_lookup_elem#1" in lines
    assert "12: (18) r1 = map[name:children]" in lines
    # A source comment precedes the instruction that starts its line (linked line_info).
    at = lines.index(f"4: (85) call bpf_task_acquire#{acquire}")
    assert lines[at - 2] == ("; parent = bpf_task_acquire(task->real_parent); "
                             "@ task_acquire.bpf.c:19")
    assert not any("pc-1" in line or "<kfunc" in line for line in lines)


def test_listing_works_without_sysfs_btf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         embedded_btf: Btf) -> None:
    monkeypatch.setenv(SYSFS_BTF_ENV, str(tmp_path / "no-such-vmlinux"))
    real_read = btf_cache.read_file

    def guarded(path: str, name: str | None = None) -> bytes:
        assert not path.startswith("/sys/kernel/btf"), f"read {path}"
        return real_read(path, name)

    def refuse(*_: object) -> KernelTarget:
        raise AssertionError("linked against the running kernel")

    monkeypatch.setattr(btf_cache, "read_file", guarded)
    monkeypatch.setattr(KernelTarget, "running", staticmethod(refuse))
    assert main(["disasm", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    release = embedded_btf.by_name("bpf_task_release", Kind.FUNC)[0].id
    assert f"9: (85) call bpf_task_release#{release}\n" in out


def test_global_data_maps_and_ksym_placeholders() -> None:
    text = disassemble_object(str(LINK_KFUNCS))
    assert "0: (18) r2 = map[name:kfuncs.kconfig][0]+8" in text.splitlines()
    assert "0: (18) r1 = ksym[bpf_prog_active]" in text.splitlines()
    assert "35: (85) call #0" in text.splitlines()  # weak kfunc the kernel lacks: id 0
    global_data = disassemble_object(str(PROGS / "global_data.bpf.o")).splitlines()
    assert "20: (18) r1 = map[name:global_d.bss][0]+8" in global_data


def test_subprograms_follow_the_program() -> None:
    lines = disassemble_object(str(PROGS / "subprogs.bpf.o")).splitlines()
    assert lines[0] == "socket/calls: prog_type socket_filter, 33 insns, linked for 6.18.44-fc-v595"
    markers = [line for line in lines if line.startswith("<")]
    assert markers == ["<mix>:", "<twice>:", "<global_fn>:"]  # in first-call order
    calls = [line for line in lines if "(85) call pc" in line]
    assert calls[:3] == ["10: (85) call pc+7", "12: (85) call pc+11", "15: (85) call pc+14"]
    assert "27: (85) call pc-10" in calls
    callbacks = disassemble_object(str(PROGS / "callbacks.bpf.o")).splitlines()
    assert "4: (18) r2 = 0x5" in callbacks and callbacks[callbacks.index("<step>:") + 2] == (
        "10: (24) w1 *= 3")


def test_unlinkable_program_is_listed_raw_with_a_note() -> None:
    lines = disassemble_object(str(PROGS / "kfuncs.bpf.o")).splitlines()
    assert lines[0] == ("tp_btf/sched_switch/kfunc_calls: prog_type tracing, attach "
                        "sched_switch, 12 insns")
    assert lines[1].startswith("note: not linked: extern (func ksym) 'bpf_task_acquire': "
                               "func_proto [10] incompatible with vmlinux")
    assert "1: (85) call pc-1  <kfunc bpf_rcu_read_lock>" in lines
    sections = disassemble_object(str(ROOT / "tests" / "obj" / "progs" / "sections.bpf.o"))
    assert "note: not linked: unsupported: struct_ops programs" in sections.splitlines()


def test_raw_view_keeps_relocation_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disasm", "--raw", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "4: (85) call pc-1  <kfunc bpf_task_acquire>" in out
    assert "linked for" not in out


def test_kernel_btf_option(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           embedded_btf: Btf) -> None:
    manifest = read_manifest()
    vmlinux = cache_dir() / f"{manifest.name}-{manifest.btf_sha256[:16]}.btf"  # decompressed
    if not vmlinux.is_file():
        vmlinux = tmp_path / "vmlinux"
        vmlinux.write_bytes(embedded_btf.to_bytes())
    assert main(["disasm", "--kernel-btf", str(vmlinux), "--program", "count_children",
                 str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(f"linked for 6.18.44-fc-v595@{vmlinux}")
    assert out == disassemble_object(str(EXAMPLE)).replace(
        "linked for 6.18.44-fc-v595", f"linked for 6.18.44-fc-v595@{vmlinux}")
    bad = tmp_path / "bad"
    bad.write_bytes(b"not btf")
    assert main(["disasm", "--kernel-btf", str(bad), str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kfcheck: {bad}: ") and "Traceback" not in err


def test_target_from_profile() -> None:
    profile = load_profile()
    target = KernelTarget.from_profile(profile)
    assert target.btf is profile.btf
    assert target.facts.version == kernel_version("6.18.44") == (6 << 16) + (18 << 8) + 44
    assert link_target()[1] == "6.18.44-fc-v595"
