"""Values of ``.kconfig`` externs: the kernel build's config and libbpf's ``LINUX_*`` ones.

The config comes from the profile (or, for the running kernel, ``kfcheck.host``). Values are
encoded as libbpf does: ``y``/``n``/``m`` as bool, char or ``enum libbpf_tristate``, numbers
into integers of the extern's size, quoted strings into char arrays. Weak externs not set stay 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from kfcheck import host
from kfcheck.btf import Btf, Kind
from kfcheck.btf.types import INT_BOOL, INT_SIGNED
from kfcheck.errors import LinkError
from kfcheck.host import MachineFacts
from kfcheck.obj.model import Extern

TRISTATE = {"n": 0, "y": 1, "m": 2}  # enum libbpf_tristate


class KcfgType(Enum):
    """libbpf's ``enum kcfg_type``: how an extern's value is encoded."""

    BOOL = "bool"
    CHAR = "char"
    TRISTATE = "tristate"
    INT = "int"
    CHAR_ARR = "char_arr"


def kcfg_type(btf: Btf, type_id: int) -> KcfgType | None:
    """Classify an extern's (resolved) type; None if libbpf does not support it."""
    t = btf[btf.resolve(type_id)]
    if t.kind is Kind.INT:
        if t.int_encoding & INT_BOOL and t.size == 1:
            return KcfgType.BOOL
        if t.size == 1 and t.int_bits == 8 and not t.int_encoding & INT_SIGNED:
            return KcfgType.CHAR
        return KcfgType.INT if t.size in (1, 2, 4, 8) else None
    if t.kind is Kind.ENUM:
        return KcfgType.TRISTATE if t.name == "libbpf_tristate" else None
    if t.kind is Kind.ARRAY:
        elem = btf[btf.resolve(t.elem_type)]
        if elem.kind is Kind.INT and elem.size == 1 and elem.int_bits == 8:
            return KcfgType.CHAR_ARR
    return None


def kernel_version(release: str) -> int:
    """``KERNEL_VERSION(a, b, c)`` of a release string, patch capped at 255 like libbpf."""
    m = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", release)
    if not m:
        return 0
    major, minor, patch = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    return (major << 16) + (minor << 8) + min(patch, 255)


@dataclass(frozen=True)
class KernelFacts:
    """What linking asks about the kernel build: ``.kconfig`` values, the version, and the
    machine's possible-CPU count and page size (map sizes)."""

    config: dict[str, str]
    version: int
    has_bpf_cookie: bool = True
    has_syscall_wrapper: bool = True
    possible_cpus: int = 1
    page_size: int = 4096

    @classmethod
    def running(cls) -> KernelFacts:
        """The facts of the running kernel and machine."""
        return cls.of(host.machine_facts(), host.release())

    @classmethod
    def of(cls, machine: MachineFacts, release: str) -> KernelFacts:
        """The facts of a kernel build recorded as ``machine`` (e.g. by a profile)."""
        return cls(machine.kconfig, kernel_version(release), possible_cpus=machine.possible_cpus,
                   page_size=machine.page_size)


def _libbpf_value(name: str, facts: KernelFacts) -> str | None:
    if name == "LINUX_KERNEL_VERSION":
        return str(facts.version)
    if name == "LINUX_HAS_BPF_COOKIE":
        return "y" if facts.has_bpf_cookie else "n"
    if name == "LINUX_HAS_SYSCALL_WRAPPER":
        return "y" if facts.has_syscall_wrapper else "n"
    return None


def _encode(ext: Extern, kind: KcfgType, raw: str) -> bytes:
    size = ext.size
    if raw in TRISTATE:
        if kind is KcfgType.BOOL:
            if raw == "m":
                raise LinkError(f"extern (kcfg) '{ext.name}': value '{raw}' implies "
                                "tristate or char type")
            return bytes([raw == "y"])
        if kind is KcfgType.TRISTATE:
            return TRISTATE[raw].to_bytes(size, "little")
        if kind is KcfgType.CHAR:
            return raw.encode()
        raise LinkError(f"extern (kcfg) '{ext.name}': value '{raw}' implies bool, "
                        "tristate, or char type")
    if raw.startswith('"'):
        if kind is not KcfgType.CHAR_ARR:
            raise LinkError(f"extern (kcfg) '{ext.name}': value '{raw}' implies char "
                            "array type")
        text = raw[1:-1].encode() if raw.endswith('"') and len(raw) > 1 else b""
        return (text[: size - 1] + b"\0").ljust(size, b"\0")
    if kind is not KcfgType.INT and kind is not KcfgType.CHAR:
        raise LinkError(f"extern (kcfg) '{ext.name}': value '{raw}' implies integer "
                        "type")
    try:
        number = int(raw, 0)
    except ValueError:
        raise LinkError(f"extern (kcfg) '{ext.name}': failed to parse value "
                        f"'{raw}'") from None
    bits = size * 8
    if not -(1 << (bits - 1)) <= number < (1 << bits):
        raise LinkError(f"extern (kcfg) '{ext.name}': value '{raw}' doesn't fit in "
                        f"{size} bytes")
    return (number & ((1 << bits) - 1)).to_bytes(size, "little")


def kconfig_data(btf: Btf, externs: list[Extern], size: int,
                 facts: KernelFacts) -> bytes:
    """The initial contents of the ``.kconfig`` map for these externs."""
    data = bytearray(size)
    for ext in externs:
        kind = kcfg_type(btf, ext.type_id)
        if kind is None:
            raise LinkError(f"extern (kcfg) '{ext.name}': unsupported type")
        if ext.name.startswith("LINUX_"):
            raw = _libbpf_value(ext.name, facts)
            if raw is None:
                raise LinkError(f"extern (kcfg) '{ext.name}': unrecognized "
                                "LINUX_xxx extern")
        else:
            raw = facts.config.get(ext.name)
            if raw is None:
                if not ext.is_weak:
                    raise LinkError(f"extern (kcfg) '{ext.name}': strong extern not "
                                    "resolved in kernel config")
                continue
        value = _encode(ext, kind, raw)
        data[ext.kconfig_offset : ext.kconfig_offset + len(value)] = value
    return bytes(data)
