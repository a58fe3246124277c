"""What kfcheck reads of the machine it runs on: the running kernel build's identity.

A kernel build is named by its release (``uname -r``) and identified by the sha256 of its
BTF (``/sys/kernel/btf/vmlinux``, or ``$KFCHECK_SYSFS_BTF``). Two builds of one release differ
in kfunc rules, prototypes and verdicts, so records and profiles are keyed by this identity.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import stat
from dataclasses import dataclass

SYSFS_BTF_ENV = "KFCHECK_SYSFS_BTF"


def sysfs_btf() -> str:
    """The running kernel's BTF: ``$KFCHECK_SYSFS_BTF``, else ``/sys/kernel/btf/vmlinux``."""
    return os.environ.get(SYSFS_BTF_ENV) or "/sys/kernel/btf/vmlinux"


@dataclass(frozen=True, slots=True)
class KernelBuild:
    """One kernel build: its release name and the sha256 of its BTF (hex)."""

    release: str
    btf_sha256: str

    @property
    def short(self) -> str:
        """``release (sha256 abcdef12…)``, for messages."""
        return f"{self.release} (BTF sha256 {self.btf_sha256[:8]}…)"


def btf_digest(path: str) -> str:
    """The sha256 (hex) of a BTF file's bytes; raises OSError when it cannot be read or is not
    a regular file (checked before the open: a FIFO would block it, a device never end)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file", path)
    digest = hashlib.sha256()
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # replaced since the stat
            raise OSError(errno.EINVAL, "not a regular file", path)
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@functools.cache
def running_build() -> KernelBuild | None:
    """The running kernel's build, None when its BTF cannot be read (no sysfs BTF)."""
    try:
        return KernelBuild(os.uname().release, btf_digest(sysfs_btf()))
    except OSError:
        return None
