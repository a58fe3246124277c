"""Offline commands read nothing of the host: with ``/boot``, ``/proc/kallsyms``,
``/proc/config.gz`` and ``/sys`` unreadable, ``kfcheck disasm`` and ``kfcheck check`` of every
committed object print what they print with them (the profile carries the machine's facts)."""

from __future__ import annotations

import builtins
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kfcheck import host
from kfcheck.cli import main

ROOT = Path(__file__).parent.parent
BLOCKED = ("/boot", "/proc/kallsyms", "/proc/config.gz", "/sys")
OBJECTS = sorted([*ROOT.glob("tests/**/*.bpf.o"), *ROOT.glob("examples/*.bpf.o")])


def _blocked(path: object) -> bool:
    if isinstance(path, int):
        return False
    text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else ""
    return any(text == b or text.startswith(b + "/") for b in BLOCKED)


def _guard(real: Callable[..., Any], tried: list[str]) -> Callable[..., Any]:
    def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
        if _blocked(path):
            tried.append(os.fsdecode(path))
            raise PermissionError(13, "blocked by the test", os.fsdecode(path))
        return real(path, *args, **kwargs)
    return guarded


@pytest.fixture
def no_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every file-opening entry point refuses the host's files; yields the paths tried."""
    tried: list[str] = []
    monkeypatch.setattr(builtins, "open", _guard(builtins.open, tried))
    monkeypatch.setattr(io, "open", _guard(io.open, tried))
    monkeypatch.setattr(os, "open", _guard(os.open, tried))
    host.running_build.cache_clear()
    yield tried
    host.running_build.cache_clear()


# Programs at the 1,000,000-instruction limit take the verifier ~25 s each and read nothing
# more than the others.
SLOW = {"loop_too_many_insns_bad.bpf.o", "loop_state_explosion_bad.bpf.o"}


def _output(command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """One run of ``command`` over every committed object."""
    code = main([command, *(str(p) for p in OBJECTS if p.name not in SLOW)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["disasm", "check"])
def test_offline_commands_read_nothing_of_the_host(
        command: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(OBJECTS) > 100
    with_host = _output(command, capsys)
    tried: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", _guard(builtins.open, tried))
        patch.setattr(io, "open", _guard(io.open, tried))
        patch.setattr(os, "open", _guard(os.open, tried))
        host.running_build.cache_clear()
        try:
            without = _output(command, capsys)
        finally:
            host.running_build.cache_clear()
    assert with_host[1] == without[1]
    assert with_host[0] == without[0]
    # Only the running kernel's BTF is looked at, to say whether the profile is its build.
    assert not [t for t in tried if not t.startswith("/sys/kernel/btf/")], tried


def test_the_block_holds(no_host: list[str]) -> None:
    """The guard refuses what the host module reads (so the test above proves something)."""
    assert host.config_text() is None
    assert host.kallsyms() == {}
    assert host.running_build() is None
    assert no_host
