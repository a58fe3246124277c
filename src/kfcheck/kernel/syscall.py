"""The ``bpf()`` system call through ctypes on libc (no libbpf).

Only the commands kfcheck needs: load programs, BTF and maps into the kernel, fill and freeze
maps, and close what was loaded. Nothing here attaches, pins or runs anything.
"""

from __future__ import annotations

import ctypes
import errno as errno_mod
import os
import platform
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

from kfcheck.errors import KernelError
from kfcheck.uapi import BpfCmd, ProgType

# __NR_bpf per architecture.
_SYS_BPF = {"x86_64": 321, "aarch64": 280, "arm64": 280, "riscv64": 280, "ppc64le": 361,
            "s390x": 351, "i686": 357, "i386": 357}

BPF_OBJ_NAME_LEN = 16
# The kernel refuses log buffers larger than UINT_MAX >> 2 and smaller than 128 bytes.
LOG_SIZE_MAX = (1 << 30) - 1
LOG_SIZE_MIN = 128
# The first size of the reusable log buffer (it grows when a log does not fit).
LOG_SIZE_START = 1 << 20

BPF_F_SLEEPABLE = 1 << 4
BPF_F_RDONLY_PROG = 1 << 7
BPF_F_MMAPABLE = 1 << 10


class _ProgLoadAttr(ctypes.Structure):
    """``union bpf_attr`` for BPF_PROG_LOAD."""

    _fields_ = [
        ("prog_type", ctypes.c_uint32),
        ("insn_cnt", ctypes.c_uint32),
        ("insns", ctypes.c_uint64),
        ("license", ctypes.c_uint64),
        ("log_level", ctypes.c_uint32),
        ("log_size", ctypes.c_uint32),
        ("log_buf", ctypes.c_uint64),
        ("kern_version", ctypes.c_uint32),
        ("prog_flags", ctypes.c_uint32),
        ("prog_name", ctypes.c_char * BPF_OBJ_NAME_LEN),
        ("prog_ifindex", ctypes.c_uint32),
        ("expected_attach_type", ctypes.c_uint32),
        ("prog_btf_fd", ctypes.c_uint32),
        ("func_info_rec_size", ctypes.c_uint32),
        ("func_info", ctypes.c_uint64),
        ("func_info_cnt", ctypes.c_uint32),
        ("line_info_rec_size", ctypes.c_uint32),
        ("line_info", ctypes.c_uint64),
        ("line_info_cnt", ctypes.c_uint32),
        ("attach_btf_id", ctypes.c_uint32),
        ("attach_btf_obj_fd", ctypes.c_uint32),
        ("core_relo_cnt", ctypes.c_uint32),
        ("fd_array", ctypes.c_uint64),
        ("core_relos", ctypes.c_uint64),
        ("core_relo_rec_size", ctypes.c_uint32),
        ("log_true_size", ctypes.c_uint32),
        ("prog_token_fd", ctypes.c_int32),
        ("fd_array_cnt", ctypes.c_uint32),
    ]


class _MapCreateAttr(ctypes.Structure):
    """``union bpf_attr`` for BPF_MAP_CREATE."""

    _fields_ = [
        ("map_type", ctypes.c_uint32),
        ("key_size", ctypes.c_uint32),
        ("value_size", ctypes.c_uint32),
        ("max_entries", ctypes.c_uint32),
        ("map_flags", ctypes.c_uint32),
        ("inner_map_fd", ctypes.c_uint32),
        ("numa_node", ctypes.c_uint32),
        ("map_name", ctypes.c_char * BPF_OBJ_NAME_LEN),
        ("map_ifindex", ctypes.c_uint32),
        ("btf_fd", ctypes.c_uint32),
        ("btf_key_type_id", ctypes.c_uint32),
        ("btf_value_type_id", ctypes.c_uint32),
        ("btf_vmlinux_value_type_id", ctypes.c_uint32),
        ("map_extra", ctypes.c_uint64),
    ]


class _MapElemAttr(ctypes.Structure):
    """``union bpf_attr`` for BPF_MAP_UPDATE_ELEM and BPF_MAP_FREEZE."""

    _fields_ = [
        ("map_fd", ctypes.c_uint32),
        ("key", ctypes.c_uint64),
        ("value", ctypes.c_uint64),
        ("flags", ctypes.c_uint64),
    ]


class _BtfLoadAttr(ctypes.Structure):
    """``union bpf_attr`` for BPF_BTF_LOAD."""

    _fields_ = [
        ("btf", ctypes.c_uint64),
        ("btf_log_buf", ctypes.c_uint64),
        ("btf_size", ctypes.c_uint32),
        ("btf_log_size", ctypes.c_uint32),
        ("btf_log_level", ctypes.c_uint32),
        ("btf_log_true_size", ctypes.c_uint32),
    ]


class BpfSyscallError(KernelError):
    """A ``bpf()`` command failed; carries the errno and the kernel's log (if any)."""

    def __init__(self, operation: str, err: int, log: str = "") -> None:
        last = _last_line(log)
        super().__init__(f"{errno_name(err)}" + (f": {last}" if last else ""))
        self.operation = operation  # what failed: "BTF", "map <name>", "map update"...
        self.errno = err
        self.log = log

    def __str__(self) -> str:
        return f"{self.operation}: {super().__str__()}"


@dataclass(frozen=True)
class LoadResult:
    """Outcome of one BPF_PROG_LOAD: accepted or not, the errno, the verifier log."""

    ok: bool
    errno: int
    log: str
    log_truncated: bool = False


def errno_name(err: int) -> str:
    """``EACCES`` for 13, etc."""
    return errno_mod.errorcode.get(err, f"errno {err}")


def _last_line(log: str) -> str:
    lines = [line for line in log.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


_libc: ctypes.CDLL | None = None


def _sys_bpf(cmd: BpfCmd, attr: ctypes.Structure) -> tuple[int, int]:
    """Call ``bpf(cmd, &attr, sizeof attr)``; return (result, errno)."""
    global _libc
    nr = _SYS_BPF.get(platform.machine())
    if nr is None:
        return -1, errno_mod.ENOSYS
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.syscall.restype = ctypes.c_long
    ctypes.set_errno(0)
    ret = int(_libc.syscall(ctypes.c_long(nr), ctypes.c_int(int(cmd)), ctypes.byref(attr),
                            ctypes.c_uint(ctypes.sizeof(attr))))
    return (ret, 0) if ret >= 0 else (-1, ctypes.get_errno())


def _addr(buf: ctypes.Array[ctypes.c_char] | ctypes.Array[ctypes.c_int32] | None) -> int:
    return ctypes.addressof(buf) if buf is not None else 0


def _buffer(data: bytes) -> ctypes.Array[ctypes.c_char] | None:
    return ctypes.create_string_buffer(data, len(data)) if data else None


def _name(name: str) -> bytes:
    """Object names: at most 15 bytes of [A-Za-z0-9_.], as libbpf trims them."""
    clean = "".join(c for c in name if c.isalnum() or c in "_.")
    return clean.encode("ascii", "replace")[: BPF_OBJ_NAME_LEN - 1]


def close(fd: int) -> None:
    """Close a file descriptor returned by this module."""
    os.close(fd)


class _LogBuffer(threading.local):
    """One verifier log buffer per thread, reused by every load: allocating (and zeroing) a
    large buffer per program would cost more than most verifications."""

    buf: ctypes.Array[ctypes.c_char] | None = None

    def get(self, size: int) -> ctypes.Array[ctypes.c_char]:
        """The buffer, grown to at least ``size`` bytes (it never shrinks), emptied."""
        if self.buf is None or len(self.buf) < size:
            self.buf = None  # free the old buffer before allocating the new one
            self.buf = ctypes.create_string_buffer(size)
        self.buf[0] = b"\0"  # a load refused before any log line leaves the buffer alone
        return self.buf


_log_buffer = _LogBuffer()


def prog_load(
    insns: bytes,
    prog_type: int,
    *,
    license: str = "GPL",
    log_level: int = 2,
    log_size: int = LOG_SIZE_START,
    expected_attach_type: int = 0,
    attach_btf_id: int = 0,
    attach_btf_obj_fd: int = 0,
    prog_btf_fd: int = 0,
    func_info: bytes = b"",
    func_info_rec_size: int = 8,
    line_info: bytes = b"",
    line_info_rec_size: int = 16,
    fd_array: Sequence[int] = (),
    prog_flags: int = 0,
    name: str = "",
    kern_version: int = 0,
    keep_tail: bool = False,
) -> LoadResult:
    """Load a program to have it verified, then close it at once; return the verdict and log.

    The log goes to the thread's reusable buffer, of at least ``log_size`` bytes (the whole
    buffer is offered to the kernel). When the log does not fit (ENOSPC), the buffer grows to
    the size the kernel asked for (up to ``LOG_SIZE_MAX``) and the program is loaded again;
    beyond that the result is marked ``log_truncated``. With ``keep_tail`` it is not loaded
    again when the kernel kept the end of the log (kernels since 6.4 do; older ones keep its
    start): the result is ENOSPC, ``log_truncated``, with the end of the log.
    """
    if len(insns) % 8:
        raise KernelError(f"instruction bytes not a multiple of 8: {len(insns)}")
    insn_buf = _buffer(insns)
    license_buf = ctypes.create_string_buffer(license.encode())
    func_buf = _buffer(func_info)
    line_buf = _buffer(line_info)
    fds = (ctypes.c_int32 * len(fd_array))(*fd_array) if fd_array else None
    size = max(LOG_SIZE_MIN, min(log_size, LOG_SIZE_MAX)) if log_level else 0
    while True:
        log_buf = _log_buffer.get(size) if size else None
        if log_buf is not None:
            size = min(len(log_buf), LOG_SIZE_MAX)
        attr = _ProgLoadAttr(
            prog_type=prog_type,
            insn_cnt=len(insns) // 8,
            insns=_addr(insn_buf),
            license=ctypes.addressof(license_buf),
            log_level=log_level if size else 0,
            log_size=size,
            log_buf=_addr(log_buf),
            kern_version=kern_version,
            prog_flags=prog_flags,
            prog_name=_name(name),
            expected_attach_type=expected_attach_type,
            prog_btf_fd=prog_btf_fd,
            func_info_rec_size=func_info_rec_size if func_info else 0,
            func_info=_addr(func_buf),
            func_info_cnt=len(func_info) // func_info_rec_size if func_info else 0,
            line_info_rec_size=line_info_rec_size if line_info else 0,
            line_info=_addr(line_buf),
            line_info_cnt=len(line_info) // line_info_rec_size if line_info else 0,
            attach_btf_id=attach_btf_id,
            attach_btf_obj_fd=attach_btf_obj_fd,
            fd_array=_addr(fds),
        )
        fd, err = _sys_bpf(BpfCmd.PROG_LOAD, attr)
        log = log_buf.value.decode("utf-8", "replace") if log_buf is not None else ""
        if fd >= 0:
            close(fd)
            return LoadResult(True, 0, log)
        # log_true_size: set by the kernels that keep the end of the log (6.4 on)
        rotated = attr.log_true_size > 0
        if err == errno_mod.ENOSPC and log_buf is not None and size < LOG_SIZE_MAX \
                and not (keep_tail and rotated):
            size = min(LOG_SIZE_MAX, max(int(attr.log_true_size) + 1, size * 2))
            continue
        return LoadResult(False, err, log, log_truncated=err == errno_mod.ENOSPC)


def map_create(
    map_type: int,
    key_size: int,
    value_size: int,
    max_entries: int,
    *,
    map_flags: int = 0,
    name: str = "",
    inner_map_fd: int = 0,
    btf_fd: int = 0,
    btf_key_type_id: int = 0,
    btf_value_type_id: int = 0,
    map_extra: int = 0,
    numa_node: int = 0,
) -> int:
    """Create a map; return its fd (the caller closes it, e.g. through ``FdScope``).
    ``numa_node`` counts only with ``BPF_F_NUMA_NODE`` in ``map_flags``."""
    attr = _MapCreateAttr(
        map_type=map_type, key_size=key_size, value_size=value_size, max_entries=max_entries,
        map_flags=map_flags, inner_map_fd=inner_map_fd, numa_node=numa_node,
        map_name=_name(name), btf_fd=btf_fd,
        btf_key_type_id=btf_key_type_id, btf_value_type_id=btf_value_type_id,
        map_extra=map_extra,
    )
    fd, err = _sys_bpf(BpfCmd.MAP_CREATE, attr)
    if fd < 0:
        raise BpfSyscallError(f"map {name or '?'}", err)
    return fd


def map_update_elem(map_fd: int, key: bytes, value: bytes, flags: int = 0) -> None:
    """Write one element (used to fill global-data maps with their initial values)."""
    key_buf = ctypes.create_string_buffer(key, len(key))
    value_buf = ctypes.create_string_buffer(value, len(value))
    attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(key_buf),
                        value=ctypes.addressof(value_buf), flags=flags)
    ret, err = _sys_bpf(BpfCmd.MAP_UPDATE_ELEM, attr)
    if ret < 0:
        raise BpfSyscallError("map update", err)


def map_freeze(map_fd: int) -> None:
    """Freeze a map against writes from user space (``.rodata``)."""
    ret, err = _sys_bpf(BpfCmd.MAP_FREEZE, _MapElemAttr(map_fd=map_fd))
    if ret < 0:
        raise BpfSyscallError("map freeze", err)


def btf_load(data: bytes, log_level: int = 0) -> int:
    """Load BTF; return its fd. On failure raise ``BpfSyscallError`` with the kernel's log."""
    data_buf = ctypes.create_string_buffer(data, len(data))
    level = log_level
    while True:
        log_buf = ctypes.create_string_buffer(1 << 20) if level else None
        attr = _BtfLoadAttr(btf=ctypes.addressof(data_buf), btf_log_buf=_addr(log_buf),
                            btf_size=len(data), btf_log_size=(1 << 20) if level else 0,
                            btf_log_level=level)
        fd, err = _sys_bpf(BpfCmd.BTF_LOAD, attr)
        if fd >= 0:
            return fd
        if level == 0:
            level = 1  # load again to get the kernel's reason
            continue
        log = log_buf.value.decode("utf-8", "replace") if log_buf is not None else ""
        raise BpfSyscallError("BTF", err, log)


class FdScope:
    """Owns file descriptors and closes them all (last first) when the scope ends."""

    def __init__(self) -> None:
        self._fds: list[int] = []

    def adopt(self, fd: int) -> int:
        """Take ownership of ``fd``; return it."""
        self._fds.append(fd)
        return fd

    def close_all(self) -> None:
        """Close every owned fd."""
        while self._fds:
            close(self._fds.pop())

    def __enter__(self) -> FdScope:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close_all()


# r0 = 0; exit
_TRIVIAL = bytes.fromhex("b700000000000000" "9500000000000000")
_availability: list[str | None] = []


def available() -> str | None:
    """None if ``bpf()`` program loading works here, else the reason it does not."""
    if not _availability:
        _availability.append(_probe())
    return _availability[0]


def _probe() -> str | None:
    if _SYS_BPF.get(platform.machine()) is None:
        return f"bpf() not supported: unknown architecture {platform.machine()}"
    result = prog_load(_TRIVIAL, ProgType.SOCKET_FILTER, log_level=0)
    if result.ok:
        return None
    if os.geteuid() != 0 and result.errno in (errno_mod.EPERM, errno_mod.EACCES):
        return "not root"
    if result.errno == errno_mod.EPERM:  # root without the capabilities (a container, setpriv)
        return "missing privilege: loading BPF programs needs CAP_BPF or CAP_SYS_ADMIN (EPERM)"
    return f"bpf() not supported: {errno_name(result.errno)}"


def open_bpf_fds() -> frozenset[str]:
    """This process's open fds on BPF objects (programs, maps, BTF), as ``fd:target``.

    The oracle and the probe promise to close every object they create; tests compare this
    set before and after to hold them to it.
    """
    fds: set[str] = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("anon_inode:") and ("bpf" in target or "btf" in target):
            fds.add(f"{fd}:{target}")
    return frozenset(fds)
