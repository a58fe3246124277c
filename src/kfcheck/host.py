"""What kfcheck reads of the machine it runs on; nothing else in kfcheck reads the host.

- the running kernel build's identity (release and sysfs BTF digest);
- ``MachineFacts``: its kernel config (``/boot/config-<release>``, else ``/proc/config.gz``,
  libbpf's order), possible-CPU count and page size, which a profile records so that
  offline commands read none of them;
- ``kallsyms()``: kernel symbol addresses (``ld_imm64`` of a typeless ``__ksym``), which a
  profile also records (``kfcheck profile capture``).

A kernel build is named by its release (``uname -r``) and identified by the sha256 of its
BTF (``/sys/kernel/btf/vmlinux``, or ``$KFCHECK_SYSFS_BTF``). Two builds of one release differ
in kfunc rules, prototypes and verdicts, so records and profiles are keyed by this identity.
"""

from __future__ import annotations

import errno
import functools
import gzip
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field

SYSFS_BTF_ENV = "KFCHECK_SYSFS_BTF"
CONFIG_PATHS = ("/boot/config-{release}", "/proc/config.gz")  # libbpf's order
KALLSYMS = "/proc/kallsyms"
POSSIBLE_CPUS = "/sys/devices/system/cpu/possible"
_CONFIG_LINE = re.compile(r"^(CONFIG_\w+)=(.*)$")


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


@dataclass(frozen=True)
class MachineFacts:
    """What libbpf reads of the machine when it prepares a program for a kernel build: the
    build's ``CONFIG_*`` values (for ``.kconfig`` externs), the possible-CPU count (default
    perf event array size) and the page size (ring buffer rounding)."""

    kconfig: dict[str, str] = field(default_factory=dict)
    possible_cpus: int = 1
    page_size: int = 4096


def release() -> str:
    """The running kernel's release (``uname -r``)."""
    return os.uname().release


def parse_kconfig(text: str) -> dict[str, str]:
    """``CONFIG_*`` values of a kernel config file's text (``# ... is not set`` lines skipped)."""
    return {m.group(1): m.group(2) for line in text.splitlines()
            if (m := _CONFIG_LINE.match(line))}


def config_text(paths: tuple[str, ...] = CONFIG_PATHS) -> str | None:
    """The running kernel's config file text (the first of ``paths`` readable, ``{release}``
    filled in), None when no config file is readable."""
    release = os.uname().release
    for pattern in paths:
        path = pattern.format(release=release)
        try:
            if path.endswith(".gz"):
                with gzip.open(path, "rt") as fh:
                    return fh.read()
            with open(path) as fh:
                return fh.read()
        except OSError:
            continue
    return None


def possible_cpus() -> int:
    """Number of possible CPUs (``0-3,5`` style list), as libbpf counts them."""
    try:
        with open(POSSIBLE_CPUS) as fh:
            text = fh.read().strip()
    except OSError:
        return os.cpu_count() or 1
    count = 0
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        count = max(count, int(hi or lo) + 1)
    return count


def machine_facts() -> MachineFacts:
    """The running machine's facts."""
    text = config_text()
    return MachineFacts(parse_kconfig(text) if text is not None else {}, possible_cpus(),
                        os.sysconf("SC_PAGE_SIZE"))


def parse_kallsyms(text: str) -> dict[str, int]:
    """Symbol addresses by name of ``/proc/kallsyms`` text (module symbols, which have a
    fourth column, and later duplicates ignored)."""
    table: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            table.setdefault(parts[2], int(parts[0], 16))
    return table


def kallsyms_text() -> str:
    """The running kernel's ``/proc/kallsyms`` text ("" when unreadable)."""
    try:
        with open(KALLSYMS) as fh:
            return fh.read()
    except OSError:
        return ""


def kallsyms() -> dict[str, int]:
    """Addresses of the running kernel's symbols by name; empty when unreadable."""
    return parse_kallsyms(kallsyms_text())
