"""The installed ``kfcheck`` command (the README's main job runs it) starts the CLI."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from kfcheck.cli import main


def test_console_script_names_the_cli() -> None:
    (script,) = entry_points(group="console_scripts", name="kfcheck")
    assert script.load() is main


def test_installed_command_runs() -> None:
    command = Path(sys.executable).parent / "kfcheck"
    if not command.exists():
        pytest.skip("kfcheck is not installed next to this Python")
    done = subprocess.run([str(command), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "check" in done.stdout
