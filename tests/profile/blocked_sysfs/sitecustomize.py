"""Loaded at start-up by the interpreters of ``test_works_without_sysfs`` (on PYTHONPATH):
every way the standard library opens, stats or lists a path fails for /sys/kernel/btf."""

from __future__ import annotations

import builtins
import errno
import io
import os
from typing import Any

BLOCKED = "/sys/kernel/btf"


def _blocked(path: Any) -> bool:
    if isinstance(path, int):
        return False
    name = os.fsdecode(os.fspath(path))
    full = os.path.abspath(name)
    return full == BLOCKED or full.startswith(BLOCKED + "/")


def _guard(fn: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        path = args[0] if args else kwargs.get("path", kwargs.get("file", "."))
        if _blocked(path):
            raise PermissionError(errno.EACCES, "blocked by the test", os.fspath(path))
        return fn(*args, **kwargs)

    return wrapper


builtins.open = io.open = _guard(io.open)
for _name in ("open", "stat", "lstat", "access", "listdir", "scandir"):
    setattr(os, _name, _guard(getattr(os, _name)))
