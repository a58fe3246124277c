"""Kernel-build profiles: shipped builds, the default choice, --profile, capture."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from builds import FAKE_SHA256_ENV, recorded_builds

from kfcheck.cli import main
from kfcheck.errors import TableError
from kfcheck.host import KernelBuild, btf_digest
from kfcheck.kernel.syscall import available
from kfcheck.profile.embedded import (
    PROFILE_ENV,
    SYSFS_BTF_ENV,
    Profile,
    default_profile,
    list_manifests,
    load_profile,
    read_manifest,
)

V595, V1272 = "6.18.44-fc-v595", "6.18.44-fc-v1272"
REPO = Path(__file__).parents[2]


def test_both_builds_are_shipped_and_recorded() -> None:
    shipped = {m.name: m for m in list_manifests() if m.shipped}
    assert {V595, V1272} <= set(shipped)
    assert shipped[V1272].recorded > shipped[V595].recorded
    recorded = {b.release: b.btf_sha256 for b in recorded_builds()}
    for name in (V595, V1272):
        assert recorded[name] == shipped[name].btf_sha256


def test_builds_differ_as_data() -> None:
    """The v1272 table is a delta over v595's: its trust policy; its BTF gives the changed
    prototype of bpf_cpumask_populate."""
    old, new = load_profile(name=V595), load_profile(name=V1272)
    assert not old.table.file.args_trusted_by_default and new.table.file.args_trusted_by_default
    assert [s.name for s in old.table] == [s.name for s in new.table]
    plain = old.table.by_name("css_rstat_flush")
    assert plain is not None and not old.table.args_trusted(plain)
    flushed = new.table.by_name("css_rstat_flush")
    assert flushed is not None and new.table.args_trusted(flushed)

    def first_arg(profile: Profile) -> str:
        """The struct the first parameter of bpf_cpumask_populate points to."""
        spec = profile.table.by_name("bpf_cpumask_populate")
        assert spec is not None
        pointer = profile.btf[profile.btf.resolve(spec.args[0].type_id)]
        return profile.btf[profile.btf.resolve(pointer.type)].name

    assert first_arg(old) == "cpumask" and first_arg(new) == "bpf_cpumask"


def _without_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROFILE_ENV, raising=False)


def test_default_is_the_running_build(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_env(monkeypatch)
    build = KernelBuild("6.18.44-fc-v595", read_manifest(V595).btf_sha256)
    monkeypatch.setattr("kfcheck.profile.embedded.running_build", lambda: build)
    choice = default_profile()
    assert choice.name == V595 and "its BTF is the running kernel's" in choice.reason


def test_default_for_an_unknown_build_is_the_newest(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_env(monkeypatch)
    monkeypatch.setattr("kfcheck.profile.embedded.running_build",
                        lambda: KernelBuild("6.18.44-fc-v595", "0" * 64))
    choice = default_profile()
    assert choice.name == V1272
    assert "no profile for the running kernel 6.18.44-fc-v595" in choice.reason
    monkeypatch.setattr("kfcheck.profile.embedded.running_build", lambda: None)
    assert default_profile().name == V1272


def test_env_names_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROFILE_ENV, V1272)
    assert default_profile().name == V1272 and load_profile().name == V1272


def test_cli_says_which_profile_and_why(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _without_env(monkeypatch)
    monkeypatch.setattr("kfcheck.profile.embedded.running_build",
                        lambda: KernelBuild("9.9.9-other", "1" * 64))
    assert main(["table", "show", "css_rstat_flush"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"kfcheck: profile {V1272}: no profile for the "
                                               "running kernel 9.9.9-other")
    assert main(["table", "--profile", V595, "list"]) == 0
    assert capsys.readouterr().err == ""


def test_profile_option_changes_ids(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(REPO / "examples" / "task_acquire.bpf.o")
    ids = {}
    for name in (V595, V1272):
        assert main(["disasm", "--profile", name, example]) == 0
        out = capsys.readouterr().out
        assert f"linked for {name}" in out
        ids[name] = load_profile(name=name).table.by_name("bpf_task_acquire")
        spec = ids[name]
        assert spec is not None and f"call bpf_task_acquire#{spec.btf_id}" in out
    assert main(["table", "--profile", "no-such", "list"]) == 2
    assert "no-such: no such profile (known: " in capsys.readouterr().err


def test_profile_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "list"]) == 0
    out = capsys.readouterr().out
    assert V595 in out and V1272 in out and out.splitlines()[-1].startswith("# default: ")
    assert main(["profile", "show", V1272]) == 0
    out = capsys.readouterr().out
    assert "table: 6.18.44-fc-v1272.kfuncs.toml <- linux-6.18.kfuncs.toml" in out
    assert "pointer arguments trusted by default: yes" in out
    assert main(["profile", "show", "nope"]) == 2


def test_delta_errors(tmp_path: Path) -> None:
    from kfcheck.profile.kfuncs.loader import load_table_file

    base = read_manifest(V595).table
    (tmp_path / "base.toml").write_bytes(base.read_bytes())
    delta = tmp_path / "d.toml"
    delta.write_text('[delta]\nbase = "base.toml"\nremove = ["bpf_task_acquire"]\n'
                     '[profile]\nname = "x"\n[[kfunc]]\nname = "bpf_task_release"\n'
                     'flags = ["KF_RELEASE", "KF_SLEEPABLE"]\nsets = ["generic_btf_ids"]\n')
    table = load_table_file(delta)
    assert table.profile == "x" and "bpf_task_acquire" not in {k.name for k in table.kfuncs}
    (release,) = [k for k in table.kfuncs if k.name == "bpf_task_release"]
    assert release.flags & 32
    delta.write_text('[delta]\nbase = "missing.toml"\n')
    with pytest.raises(TableError, match="missing.toml: no such file"):
        load_table_file(delta)
    delta.write_text('[delta]\nbase = "base.toml"\nremove = ["nope"]\n')
    with pytest.raises(TableError, match="remove names no kfunc of the base: nope"):
        load_table_file(delta)
    delta.write_text('[delta]\nbase = "d.toml"\n')
    with pytest.raises(TableError, match="bases deep"):
        load_table_file(delta)


live = pytest.mark.skipif(available() is not None or os.geteuid() != 0,
                          reason=f"needs root and bpf(): {available() or 'not root'}")


@pytest.mark.kernel
@live
def test_capture_then_use(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "KFCHECK_CACHE_DIR": str(tmp_path)}
    env.pop(PROFILE_ENV, None)
    run = subprocess.run([sys.executable, "-m", "kfcheck", "profile", "capture", "--name",
                          "mine"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "disagreements left: 0" in run.stdout
    manifest = tmp_path / "kfcheck" / "profiles" / "mine.profile.toml"
    assert manifest.is_file()
    listed = subprocess.run([sys.executable, "-m", "kfcheck", "table", "--profile", "mine",
                             "list"], capture_output=True, text=True, env=env, timeout=60)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 203
    shown = subprocess.run([sys.executable, "-m", "kfcheck", "profile", "list"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert "mine" in shown.stdout and "captured" in shown.stdout
    sysfs = os.environ.get(SYSFS_BTF_ENV) or "/sys/kernel/btf/vmlinux"
    assert btf_digest(sysfs) in (tmp_path / "kfcheck" / "profiles" / "mine.profile.toml"
                                 ).read_text()


@pytest.mark.kernel
@live
def test_an_unrecorded_build_skips_only_the_record_comparison() -> None:
    """With the running build's digest made up, the live record tests skip, saying how to
    record; the oracle still runs, equals libbpf, and leaks no fd."""
    env = {**os.environ, FAKE_SHA256_ENV: "0" * 64}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "tests/corpus/test_kernel_record.py", "tests/corpus/test_corpus_programs.py",
         "-k", "(live_oracle_reproduces_record or oracle_equals_libbpf or "
         "gives_intended_verdict) and task_acquire or leaves_no_bpf_fds"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:]
    summary = run.stdout.strip().splitlines()[-1]
    assert " passed" in summary and " skipped" in summary, summary
    assert "no record of the running build" in run.stdout and "make record" in run.stdout
    assert json.dumps("0" * 64)[1:-1] in run.stdout
