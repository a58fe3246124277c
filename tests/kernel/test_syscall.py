"""The bpf() syscall layer against the running kernel."""

from __future__ import annotations

import errno
import struct
from collections.abc import Callable

import pytest

from kfcheck.kernel import syscall
from kfcheck.uapi import MapType, ProgType

pytestmark = [pytest.mark.kernel, pytest.mark.usefixtures("bpf_fds_checked")]


def insn(code: int, dst: int = 0, src: int = 0, off: int = 0, imm: int = 0) -> bytes:
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)


MOV_R0_0 = insn(0xB7)
EXIT = insn(0x95)


def test_trivial_socket_filter_accepted() -> None:
    result = syscall.prog_load(MOV_R0_0 + EXIT, ProgType.SOCKET_FILTER, name="trivial")
    assert result.ok and result.errno == 0
    assert "processed 2 insns" in result.log


def test_uninitialised_r0_rejected_with_kernel_message() -> None:
    result = syscall.prog_load(EXIT, ProgType.SOCKET_FILTER)
    assert not result.ok
    assert result.errno == errno.EACCES
    assert "R0 !read_ok" in result.log.splitlines()


def test_small_log_buffer_grows_on_enospc() -> None:
    body = MOV_R0_0 * 200 + EXIT
    result = syscall.prog_load(body, ProgType.SOCKET_FILTER, log_size=256)
    assert result.ok, result.log[-300:]
    assert not result.log_truncated
    assert "processed 201 insns" in result.log


def test_map_create_update_freeze_and_close() -> None:
    fd = syscall.map_create(MapType.ARRAY, 4, 8, 1, name="kfcheck_test")
    try:
        syscall.map_update_elem(fd, b"\0" * 4, b"\x01" * 8)
        syscall.map_freeze(fd)
        with pytest.raises(syscall.BpfSyscallError) as info:
            syscall.map_update_elem(fd, b"\0" * 4, b"\x02" * 8)
        assert info.value.errno == errno.EPERM
    finally:
        syscall.close(fd)


def test_map_create_error_is_kfcheck_error() -> None:
    with pytest.raises(syscall.BpfSyscallError) as info:
        syscall.map_create(MapType.ARRAY, 4, 0, 1)
    assert info.value.errno == errno.EINVAL
    assert info.value.problem == "EINVAL"


def _btf(types: bytes, strings: bytes) -> bytes:
    header = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types), len(types), len(strings))
    return header + types + strings


def test_btf_load_ok_and_failure_log() -> None:
    # [1] INT 'int' size 4, signed, 32 bits
    int_type = struct.pack("<III", 1, 1 << 24, 4) + struct.pack("<I", (1 << 24) | 32)
    fd = syscall.btf_load(_btf(int_type, b"\0int\0"))
    syscall.close(fd)
    bad_ptr = struct.pack("<III", 0, 2 << 24, 7)  # PTR to missing type 7
    with pytest.raises(syscall.BpfSyscallError) as info:
        syscall.btf_load(_btf(bad_ptr, b"\0"))
    assert info.value.errno == errno.EINVAL
    assert "Invalid type_id" in info.value.log


def test_fd_scope_closes_everything() -> None:
    with syscall.FdScope() as scope:
        for _ in range(3):
            scope.adopt(syscall.map_create(MapType.ARRAY, 4, 4, 1))


def test_available_reports_usable() -> None:
    assert syscall.available() is None


def test_leak_check_sees_open_map_fds(bpf_fd_lister: Callable[[], frozenset[str]]) -> None:
    open_fds = bpf_fd_lister
    before = open_fds()
    fd = syscall.map_create(MapType.ARRAY, 4, 4, 1)
    try:
        assert len(open_fds() - before) == 1
    finally:
        syscall.close(fd)
    assert open_fds() == before


BPF_F_NUMA_NODE = 1 << 2


def test_map_create_passes_numa_node() -> None:
    syscall.close(syscall.map_create(MapType.ARRAY, 4, 4, 1, map_flags=BPF_F_NUMA_NODE,
                                     numa_node=0))
    with pytest.raises(syscall.BpfSyscallError) as info:  # no such node
        syscall.map_create(MapType.ARRAY, 4, 4, 1, map_flags=BPF_F_NUMA_NODE, numa_node=4095)
    assert info.value.errno == errno.EINVAL
