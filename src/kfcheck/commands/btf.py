"""The ``kfcheck btf`` command's library side: dump, type lookup, kfunc prototypes."""

from __future__ import annotations

import os

from kfcheck.btf import load_btf
from kfcheck.btf.cnames import func_decl
from kfcheck.btf.dump import dump_lines, dump_type
from kfcheck.btf.parse import Btf
from kfcheck.errors import BtfError

SYSFS_BTF_DIR = "/sys/kernel/btf"
VMLINUX = os.path.join(SYSFS_BTF_DIR, "vmlinux")


def default_base(path: str) -> str | None:
    """Module BTF in sysfs is split BTF on top of vmlinux's (as bpftool assumes)."""
    real = os.path.abspath(path)
    if os.path.dirname(real) == SYSFS_BTF_DIR and real != VMLINUX:
        return VMLINUX
    return None


def show_btf(
    path: str, type_name: str | None = None, kfuncs: bool = False, base_path: str | None = None
) -> list[str]:
    """Lines to print for ``kfcheck btf``: bpftool's raw dump, the types named
    ``type_name``, or the kfunc prototypes (``/* bpf_fastcall */`` marks fastcall ones).

    All lines are computed before any is returned, so a bad type raises ``BtfError`` before
    anything is printed.
    """
    base_path = base_path or default_base(path)
    base = load_btf(base_path) if base_path else None
    btf = load_btf(path, base=base)
    if kfuncs:
        return [_kfunc_line(btf, func.id) for func in btf.kfuncs()]
    if type_name is not None:
        found = btf.by_name(type_name)
        if not found:
            raise BtfError(f"no type named {type_name!r}", path=path)
        return [dump_type(btf, t) for t in found]
    return list(dump_lines(btf))


def _kfunc_line(btf: Btf, func_id: int) -> str:
    mark = "  /* bpf_fastcall */" if btf.fastcall(func_id) else ""
    return f"{func_decl(btf, func_id)};{mark}"
