"""CO-RE relocations: values equal what the kernel BTF says, found by an independent walk."""

from __future__ import annotations

import functools
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfcheck.btf import Btf, BtfType, Kind, Member
from kfcheck.btf.ext import CoreReloKind as CoreKind
from kfcheck.btf.types import INT_SIGNED
from kfcheck.isa import decode
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.link.core import (
    POISON_HELPER,
    Candidates,
    CoreError,
    essential_name,
    patch_insn,
    resolve,
    types_match,
)
from kfcheck.obj import read_object

PROGS = Path(__file__).parent / "progs"

CORE_OBJ = str(PROGS / "core.bpf.o")
SECTION = "tp_btf/sched_switch"


def member_bits(btf: Btf, type_id: int, name: str) -> tuple[int, int, int] | None:
    """(bit offset, bitfield size, member type) of ``name``, through anonymous members."""
    t = btf[btf.resolve(type_id)]
    for m in t.members:
        if m.name == name:
            return m.bit_offset, m.bitfield_size, m.type
        if not m.name:
            inner = member_bits(btf, m.type, name)
            if inner is not None:
                return m.bit_offset + inner[0], inner[1], inner[2]
    return None


def kernel_struct(btf: Btf, name: str) -> int:
    (t,) = btf.by_name(name, Kind.STRUCT)
    return t.id


def offset(btf: Btf, struct: str, *path: str) -> int:
    type_id, bits = kernel_struct(btf, struct), 0
    for name in path:
        found = member_bits(btf, type_id, name)
        assert found is not None
        bits += found[0]
        type_id = found[2]
    return bits // 8


def core_results(kernel: KernelTarget) -> dict[tuple[CoreKind, str, str], tuple[int, bool]]:
    obj = read_object(CORE_OBJ)
    assert obj.btf is not None and obj.btf_ext is not None
    out = {}
    for relo in obj.btf_ext.core_relos[SECTION]:
        res = resolve(obj.btf, relo.type_id, relo.access, relo.kind, kernel.candidates)
        out[(relo.kind, obj.btf[relo.type_id].name, relo.access)] = (res.new_val, res.poison)
    return out


def test_field_offsets_sizes_and_existence(kernel: KernelTarget) -> None:
    btf = kernel.btf
    got = core_results(kernel)
    task = "task_struct___mine"
    expected = {
        (CoreKind.FIELD_BYTE_OFFSET, task, "0:0"): offset(btf, "task_struct", "pid"),
        (CoreKind.FIELD_BYTE_OFFSET, task, "0:2"): offset(btf, "task_struct", "flags"),
        (CoreKind.FIELD_BYTE_OFFSET, task, "0:3:3"): offset(btf, "task_struct", "comm") + 3,
        (CoreKind.FIELD_BYTE_OFFSET, task, "0:4:0"): offset(btf, "task_struct", "se")
        + offset(btf, "sched_entity", "vruntime"),
        (CoreKind.FIELD_BYTE_SIZE, task, "0:3"): 16,
        (CoreKind.FIELD_EXISTS, task, "0:1"): 1,
        (CoreKind.FIELD_EXISTS, task, "0:5"): 0,
        (CoreKind.FIELD_BYTE_OFFSET, "sk_buff___mine", "0:0"): offset(btf, "sk_buff", "len"),
        (CoreKind.FIELD_BYTE_OFFSET, "sk_buff___mine", "0:3"):
            offset(btf, "sk_buff", "vlan_tci"),
        (CoreKind.TYPE_EXISTS, task, "0"): 1,
        (CoreKind.TYPE_EXISTS, "no_such_type___mine", "0"): 0,
        (CoreKind.TYPE_SIZE, task, "0"): btf.size_of(kernel_struct(btf, "task_struct")),
        (CoreKind.TYPE_ID_TARGET, task, "0"): kernel_struct(btf, "task_struct"),
        (CoreKind.ENUMVAL_EXISTS, "bpf_map_type___mine", "0"): 1,
        (CoreKind.ENUMVAL_EXISTS, "bpf_map_type___mine", "1"): 0,
        (CoreKind.ENUMVAL_VALUE, "bpf_map_type___mine", "0"): 2,  # BPF_MAP_TYPE_ARRAY
        # sched_entity's u64 is "long long unsigned int" in the kernel, "unsigned long long"
        # for clang: libbpf's name check makes the types not match.
        (CoreKind.TYPE_MATCHES, "sched_entity___mine", "0"): 0,
    }
    for key, value in expected.items():
        assert got[key] == (value, False), key


def test_bitfield_relocations(kernel: KernelTarget) -> None:
    bits = member_bits(kernel.btf, kernel_struct(kernel.btf, "sk_buff"), "pkt_type")
    assert bits is not None and bits[1] == 3
    bit_off = bits[0]
    byte_off = bit_off // 8  # a u8 bitfield that does not straddle a byte
    got = core_results(kernel)
    key = "sk_buff___mine", "0:1"
    assert got[(CoreKind.FIELD_BYTE_OFFSET, *key)] == (byte_off, False)
    assert got[(CoreKind.FIELD_BYTE_SIZE, *key)] == (1, False)
    assert got[(CoreKind.FIELD_LSHIFT_U64, *key)] == (64 - (bit_off + 3 - byte_off * 8), False)
    assert got[(CoreKind.FIELD_RSHIFT_U64, *key)] == (61, False)
    assert got[(CoreKind.FIELD_SIGNED, *key)] == (0, False)


def insns_of(prog: Program) -> list[tuple[int, int, int, int, int]]:
    """(code, dst, src, off, imm) of each instruction."""
    return [(i.code, i.dst, i.src, i.off, i.imm) for i in prog.insns]


def test_linked_loads_use_kernel_offsets_and_dead_access_is_poisoned(
        kernel: KernelTarget) -> None:
    (prog,) = link_file(CORE_OBJ, kernel)
    assert isinstance(prog, Program)
    insns = insns_of(prog)
    pid = offset(kernel.btf, "task_struct", "pid")
    vruntime = offset(kernel.btf, "task_struct", "se") + offset(kernel.btf, "sched_entity",
                                                                 "vruntime")
    loads = {(code, off) for code, _, _, off, _ in insns if code & 0x07 == 0x01}
    assert (0x61, pid) in loads          # ldxw r, [r + pid]
    assert (0x79, vruntime) in loads     # ldxdw r, [r + se.vruntime]
    assert (0x85, 0, 0, 0, POISON_HELPER) in [(c, d, s, o, i) for c, d, s, o, i in insns]


def test_anonymous_local_type_is_refused(kernel: KernelTarget) -> None:
    local = Btf.from_types([
        BtfType(1, Kind.INT, "int", size=4, int_encoding=INT_SIGNED, int_bits=32),
        BtfType(2, Kind.STRUCT, "", size=4, members=(Member("x", 1, 0),)),
    ], b"\0")
    with pytest.raises(CoreError, match="doesn't support anonymous types"):
        resolve(local, 2, "0:0", CoreKind.FIELD_BYTE_OFFSET, Candidates(kernel.btf))


@pytest.mark.parametrize(("name", "essential"), [
    ("task_struct", "task_struct"), ("task_struct___mine", "task_struct"),
    ("a___b___c", "a___b"), ("x____y", "x____y"), ("___z", "___z"), ("ab___", "ab___"),
])
def test_essential_name(name: str, essential: str) -> None:
    assert essential_name(name) == essential


@given(st.text(alphabet="ab_", max_size=12))
def test_essential_name_is_a_prefix_and_idempotent_on_plain_names(name: str) -> None:
    ess = essential_name(name)
    assert name.startswith(ess)
    if "___" not in name:
        assert ess == name


MATCH_OBJ = str(PROGS / "core_match.bpf.o")
U64 = (1 << 64) - 1


@functools.cache
def bpftool_enum_values() -> dict[tuple[str, str], int]:
    """(enum, enumerator) -> value, from bpftool's dump of the kernel BTF (independent of
    kfcheck's BTF reader)."""
    if shutil.which("bpftool") is None:
        pytest.skip("needs bpftool to read the kernel's enumerators independently")
    out = subprocess.run(["bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux"],
                         capture_output=True, text=True, check=True).stdout
    values: dict[tuple[str, str], int] = {}
    enum = ""
    for line in out.splitlines():
        if m := re.match(r"\[\d+\] ENUM(?:64)? '([^']*)'", line):
            enum = m.group(1)
        elif not line.startswith("\t"):
            enum = ""
        elif enum and (m := re.match(r"\t'(\w+)' val=(-?\d+)(?:U?LL)?$", line)):
            values[(enum, m.group(1))] = int(m.group(2))
    return values


def match_results(kernel: KernelTarget) -> dict[tuple[CoreKind, str], int]:
    obj = read_object(MATCH_OBJ)
    assert obj.btf is not None and obj.btf_ext is not None
    out = {}
    for relo in obj.btf_ext.core_relos["tc"]:
        res = resolve(obj.btf, relo.type_id, relo.access, relo.kind, kernel.candidates)
        assert not res.poison
        out[(relo.kind, obj.btf[relo.type_id].name)] = res.new_val
    return out


def test_type_matches_anonymous_members_by_empty_name(kernel: KernelTarget) -> None:
    got = match_results(kernel)
    assert {name: value for (kind, name), value in got.items()
            if kind is CoreKind.TYPE_MATCHES} == {
        "btf_type___anon": 1,  # its anonymous union matches the kernel's anonymous union
        "btf_type___prefix": 1,
        "btf_type___signed": 0,
        "btf_type___named": 0,  # "u" is not the kernel's unnamed member
    }


def test_type_matches_unknown_kind_only_matches_void() -> None:
    local = Btf.from_types([BtfType(1, Kind.INT, "int", size=4, int_encoding=INT_SIGNED,
                                    int_bits=32), BtfType(2, Kind.PTR, type=1)], b"\0int\0")
    assert types_match(local, 0, local, 0)
    assert not types_match(local, 0, local, 2)  # unnamed, as void, but a pointer


def test_enum_values_are_widened_as_libbpf_does(kernel: KernelTarget) -> None:
    """libbpf reads a 32-bit enumerator as s32 (sign-extended to 64 bits whatever the enum's
    signedness) and a 64-bit one as its u64."""
    kernel_values = bpftool_enum_values()
    dead = kernel_values[("perf_event_state", "PERF_EVENT_STATE_DEAD")]
    uts = kernel_values[("init_ns_ino", "UTS_NS_INIT_INO")]
    iv1 = kernel_values[("blake2b_iv", "BLAKE2B_IV1")]
    assert dead < 0 and uts >= 1 << 31 and iv1 >= 1 << 32  # the cases this test is about

    def s32_to_u64(v: int) -> int:
        low = v & 0xFFFFFFFF
        return (low | 0xFFFFFFFF00000000) if low >> 31 else low

    got = match_results(kernel)
    expected = {"perf_event_state___mine": s32_to_u64(dead),
                "init_ns_ino___mine": s32_to_u64(uts), "blake2b_iv___mine": iv1 & U64}
    assert {name: value & U64 for (kind, name), value in got.items()
            if kind is CoreKind.ENUMVAL_VALUE} == expected
    (prog,) = link_file(MATCH_OBJ, kernel)
    assert isinstance(prog, Program)
    imm64 = {insn.imm64 for insn in prog.insns if insn.imm64 is not None}
    assert set(expected.values()) <= imm64


def test_type_id_target_is_not_validated(kernel: KernelTarget) -> None:
    """libbpf does not check the compiled type id (static linking may renumber types)."""
    obj = read_object(CORE_OBJ)
    assert obj.btf is not None
    (task,) = obj.btf.by_name("task_struct___mine", Kind.STRUCT)
    res = resolve(obj.btf, task.id, "0", CoreKind.TYPE_ID_TARGET, kernel.candidates)
    assert not res.validate
    (insn,) = decode(struct.pack("<BBhi", 0x18, 1, 0, task.id + 7) + bytes(8))  # another id
    (new,) = patch_insn(insn, res)
    assert new.imm64 == kernel_struct(kernel.btf, "task_struct")
