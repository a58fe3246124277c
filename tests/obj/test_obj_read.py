"""read_object on the clang-19 test objects in progs/ (sources next to them)."""

from __future__ import annotations

from pathlib import Path

from kfcheck.btf.types import Kind
from kfcheck.obj import (
    BpfObject,
    ExternKind,
    InitSlot,
    MapOrigin,
    RelocKind,
    read_object,
)
from kfcheck.obj.model import BPF_F_MMAPABLE, BPF_F_RDONLY_PROG, BPF_F_SLEEPABLE
from kfcheck.uapi import AttachType, MapType, ProgType

PROGS = Path(__file__).parent / "progs"


def obj(name: str) -> BpfObject:
    return read_object(str(PROGS / f"{name}.bpf.o"))


def relocs_of(o: BpfObject, prog: str) -> list[tuple[int, RelocKind, str, int]]:
    p = o.program(prog)
    assert p is not None
    return [(r.insn_index, r.kind, r.target, r.target_offset) for r in p.relocations]


# ---- programs, subprograms, calls ----


def test_calls_programs_and_subprograms() -> None:
    o = obj("calls")
    assert o.name == "calls"
    assert o.license == "GPL"
    assert o.kern_version is None
    assert [(p.name, p.section, p.prog_type) for p in o.programs] == [
        ("first", "xdp", ProgType.XDP),
        ("second", "xdp", ProgType.XDP),
        ("third", "syscall", ProgType.SYSCALL),
    ]
    first, second, third = o.programs
    assert first.offset == 0 and second.offset == len(first.insns)
    assert second.sec_index == first.sec_index != third.sec_index
    assert all(p.is_global for p in o.programs)
    assert third.sleepable and third.prog_flags == BPF_F_SLEEPABLE
    assert [(f.name, f.section, f.is_global) for f in o.subprograms] == [
        ("add_global", ".text", True),
        ("add_static", ".text", False),
        ("loop_cb", ".text", False),
    ]
    # bytes of each function are its slice of the section
    text = o.section(".text")
    assert text is not None
    for f in o.subprograms:
        assert f.insns == text.data[f.offset : f.offset + len(f.insns)]


def test_calls_relocations() -> None:
    o = obj("calls")
    add_global = next(f for f in o.subprograms if f.name == "add_global")
    add_static = next(f for f in o.subprograms if f.name == "add_static")
    loop_cb = next(f for f in o.subprograms if f.name == "loop_cb")
    assert relocs_of(o, "first") == [
        (6, RelocKind.CALLBACK, "loop_cb", loop_cb.insn_offset),
        (11, RelocKind.SUBPROG_CALL, "add_global", add_global.insn_offset),
        (15, RelocKind.SUBPROG_CALL, "add_static", add_static.insn_offset),
    ]
    assert relocs_of(o, "third") == [(1, RelocKind.SUBPROG_CALL, "add_global", 0)]
    text = o.section(".text")
    assert text is not None
    for r in o.programs[0].relocations:
        assert r.target_sec_index == text.index
    # the call inside .text (add_global -> add_static) is pc-relative: no relocation
    assert add_global.relocations == ()
    # the relocated instructions are what they claim to be
    for r in o.programs[0].relocations:
        code = o.programs[0].insns[r.insn_index * 8]
        assert code == (0x18 if r.kind is RelocKind.CALLBACK else 0x85)
    assert o.function_at(text.index, add_static.insn_offset) == add_static


def test_calls_btf_ext_sections() -> None:
    o = obj("calls")
    assert o.btf is not None and o.btf_ext is not None
    assert set(o.btf_ext.func_info) == {".text", "xdp", "syscall"}
    funcs = {o.btf[fi.type_id].name for fi in o.btf_ext.func_info["xdp"]}
    assert funcs == {"first", "second"}


# ---- maps ----


def test_btf_defined_maps() -> None:
    o = obj("maps")
    assert [m.name for m in o.maps] == [
        "inner_a", "inner_b", "outer_array", "jmp_table", "hash_map", "percpu_array",
        "ringbuf", "bloom", "sized_lru", "outer_hash",
    ]
    assert all(m.origin is MapOrigin.BTF_DEF and m.section == ".maps" for m in o.maps)
    hash_map = o.map("hash_map")
    assert hash_map is not None
    assert (hash_map.map_type, hash_map.key_size, hash_map.value_size, hash_map.max_entries,
            hash_map.map_flags) == (MapType.HASH, 4, 8, 128, 1)
    assert o.btf is not None
    assert o.btf[hash_map.key_type_id].name == "__u32"
    assert o.btf[o.btf.resolve(hash_map.value_type_id)].size == 8
    assert o.btf[hash_map.btf_var_id].kind is Kind.VAR
    assert o.btf[hash_map.btf_var_id].name == "hash_map"

    percpu = o.map("percpu_array")
    assert percpu is not None
    assert (percpu.map_type, percpu.key_size, percpu.value_size, percpu.numa_node) == (
        MapType.PERCPU_ARRAY, 4, 16, 1)
    assert o.btf[percpu.value_type_id].name == "pair"

    lru = o.map("sized_lru")
    assert lru is not None
    assert (lru.map_type, lru.key_size, lru.value_size, lru.max_entries, lru.pinning,
            lru.key_type_id) == (MapType.LRU_HASH, 8, 16, 32, 1, 0)

    ringbuf = o.map("ringbuf")
    assert ringbuf is not None
    assert (ringbuf.map_type, ringbuf.key_size, ringbuf.value_size, ringbuf.max_entries) == (
        MapType.RINGBUF, 0, 0, 4096)

    bloom = o.map("bloom")
    assert bloom is not None
    assert (bloom.map_type, bloom.key_size, bloom.value_size, bloom.map_extra) == (
        MapType.BLOOM_FILTER, 0, 4, 3)



def test_arena_map_and_data() -> None:
    o = obj("arena")
    (arena,) = o.maps
    assert (arena.map_type, arena.map_flags, arena.max_entries, arena.map_extra) == (
        MapType.ARENA, BPF_F_MMAPABLE, 2, 0x100000000)  # map_extra from __ulong (ENUM64)
    assert arena.initial_data == (3).to_bytes(4, "little")
    assert relocs_of(o, "bump") == [(0, RelocKind.ARENA_DATA, "arena", 0)]


def test_map_offsets_follow_symbols() -> None:
    o = obj("maps")
    by_name = {s.name: s.value for s in o.symbols}
    for m in o.maps:
        assert m.sec_offset == by_name[m.real_name]


def test_map_in_map_and_prog_array() -> None:
    o = obj("maps")
    outer = o.map("outer_array")
    assert outer is not None
    assert (outer.map_type, outer.key_size, outer.value_size, outer.max_entries) == (
        MapType.ARRAY_OF_MAPS, 4, 4, 3)
    assert outer.inner is not None
    assert (outer.inner.origin, outer.inner.map_type, outer.inner.max_entries,
            outer.inner.key_size, outer.inner.value_size) == (
        MapOrigin.INNER, MapType.ARRAY, 1, 4, 4)
    assert outer.inner.real_name == "outer_array.inner"
    assert outer.inner.name == "outer_array.inn"  # 15 characters, as the kernel keeps
    assert outer.init_slots == (InitSlot(0, "inner_a"), InitSlot(2, "inner_b"))

    outer_hash = o.map("outer_hash")
    assert outer_hash is not None and outer_hash.inner is not None
    assert (outer_hash.inner.map_type, outer_hash.inner.key_size, outer_hash.inner.value_size,
            outer_hash.inner.max_entries) == (MapType.HASH, 4, 8, 16)
    assert outer_hash.init_slots == ()

    jmp = o.map("jmp_table")
    assert jmp is not None
    assert (jmp.map_type, jmp.key_size, jmp.value_size, jmp.max_entries, jmp.inner) == (
        MapType.PROG_ARRAY, 4, 4, 2, None)
    assert jmp.init_slots == (InitSlot(1, "tail_target"),)


def test_map_relocations() -> None:
    o = obj("maps")
    got = relocs_of(o, "use_maps")
    assert [(kind, target) for _, kind, target, _ in got] == [
        (RelocKind.MAP, name) for name in (
            "hash_map", "percpu_array", "outer_array", "ringbuf", "bloom", "sized_lru",
            "outer_hash", "jmp_table")
    ]
    prog = o.program("use_maps")
    assert prog is not None
    for r in prog.relocations:
        assert prog.insns[r.insn_index * 8] == 0x18
        assert prog.insns[r.insn_index * 8 + 1] >> 4 == 0  # clang leaves src_reg 0


def test_global_data_maps() -> None:
    o = obj("globals")
    assert o.license == "Dual BSD/GPL"
    assert o.kern_version == 0x060C00
    got = {m.real_name: m for m in o.maps}
    assert list(got) == [".data", ".rodata", ".data.custom", ".rodata.custom",
                         ".data.a_very_long_section_name", ".bss.custom", ".bss"]
    assert {m.real_name: m.name for m in o.maps} == {
        ".data": "globals.data",
        ".rodata": "globals.rodata",
        ".data.custom": ".data.custom",
        ".rodata.custom": ".rodata.custom",
        ".data.a_very_long_section_name": ".data.a_very_lo",
        ".bss.custom": ".bss.custom",
        ".bss": "globals.bss",
    }
    for m in o.maps:
        assert (m.map_type, m.key_size, m.max_entries, m.sec_offset) == (MapType.ARRAY, 4, 1, 0)
        assert m.value_size == len(m.initial_data)
        assert o.btf is not None and o.btf[m.datasec_id].kind is Kind.DATASEC
        assert o.btf[m.datasec_id].name == m.real_name
        assert m.value_type_id == m.datasec_id and m.key_type_id == 0
    assert got[".data"].initial_data == (7).to_bytes(4, "little")
    assert got[".data.custom"].initial_data == (0x11223344).to_bytes(4, "little")
    assert got[".rodata.custom"].initial_data == (5).to_bytes(2, "little")
    assert got[".rodata"].initial_data.startswith((42).to_bytes(4, "little"))
    assert b"limit %u\n\0" in got[".rodata"].initial_data
    assert got[".bss"].initial_data == bytes(8)
    # .rodata is read-only for programs; only maps with a non-static variable are mmapable
    assert got[".rodata"].map_flags == BPF_F_RDONLY_PROG | BPF_F_MMAPABLE
    assert got[".data"].map_flags == BPF_F_MMAPABLE
    assert got[".bss"].map_flags == 0  # only the static hidden_total


def test_global_data_relocations() -> None:
    o = obj("globals")
    got = relocs_of(o, "read_globals")
    assert all(kind is RelocKind.GLOBAL_DATA for _, kind, _, _ in got)
    targets = {(target, off) for _, _, target, off in got}
    # `limit` at offset 0 of .rodata and the static string right after it (offset 4)
    assert ("globals.rodata", 0) in targets and ("globals.rodata", 4) in targets
    assert {t for t, _ in targets} == {
        "globals.rodata", ".data.custom", "globals.data", ".bss.custom", ".data.a_very_lo",
        "globals.bss"}


def test_internal_map_names() -> None:
    from kfcheck.obj.maps import internal_map_name, object_name

    assert object_name("/x/my_object_name.bpf.o") == "my_object_name"
    assert object_name("averyveryverylongname.o") == "averyveryverylo"
    assert internal_map_name("my_object_name", ".rodata") == "my_objec.rodata"
    assert internal_map_name("my_object_name", ".bss") == "my_objec.bss"
    assert internal_map_name("my_object_name", ".kconfig") == "my_obje.kconfig"
    assert internal_map_name("my_object_name", ".rodata.abracadabra") == ".rodata.abracad"
    assert internal_map_name("a-b", ".data") == "a_b.data"


# ---- externs ----


def test_externs() -> None:
    o = obj("externs")
    kinds = {e.name: (e.kind, e.is_weak) for e in o.externs}
    assert kinds == {
        "LINUX_KERNEL_VERSION": (ExternKind.KCONFIG, False),
        "CONFIG_BPF_SYSCALL": (ExternKind.KCONFIG, False),
        "CONFIG_HZ": (ExternKind.KCONFIG, True),
        "bpf_rcu_read_lock": (ExternKind.KFUNC, False),
        "bpf_rcu_read_unlock": (ExternKind.KFUNC, False),
        "bpf_task_acquire": (ExternKind.KFUNC, False),
        "bpf_task_release": (ExternKind.KFUNC, False),
        "bpf_missing_kfunc": (ExternKind.KFUNC, True),
        "bpf_prog_active": (ExternKind.KSYM_TYPED, False),
        "init_task": (ExternKind.KSYM_TYPELESS, False),
        "no_such_symbol": (ExternKind.KSYM_TYPELESS, True),
    }
    assert o.btf is not None
    acquire = o.extern("bpf_task_acquire")
    assert acquire is not None
    assert o.btf[acquire.btf_id].kind is Kind.FUNC
    assert o.btf[acquire.type_id].kind is Kind.FUNC_PROTO
    assert len(o.btf[acquire.type_id].params) == 1  # clang drops extern parameter names
    active = o.extern("bpf_prog_active")
    assert active is not None and o.btf[active.type_id].name == "int"


def test_kconfig_layout_and_map() -> None:
    o = obj("externs")
    # libbpf order: alignment descending, size ascending, then name
    layout = {e.name: (e.kconfig_offset, e.size, e.align) for e in o.externs
              if e.kind is ExternKind.KCONFIG}
    assert layout == {
        "CONFIG_HZ": (0, 4, 4),
        "LINUX_KERNEL_VERSION": (4, 4, 4),
        "CONFIG_BPF_SYSCALL": (8, 1, 1),
    }
    (kconfig,) = o.maps
    assert (kconfig.name, kconfig.origin, kconfig.map_type, kconfig.value_size,
            kconfig.initial_data) == ("externs.kconfig", MapOrigin.KCONFIG, MapType.ARRAY, 9,
                                      bytes(9))
    assert kconfig.map_flags & BPF_F_RDONLY_PROG


def test_extern_relocations() -> None:
    o = obj("externs")
    got = [(kind, target, off) for _, kind, target, off in relocs_of(o, "on_switch")]
    assert got == [
        (RelocKind.KCONFIG, "externs.kconfig", 4),
        (RelocKind.KCONFIG, "externs.kconfig", 8),
        (RelocKind.KFUNC, "bpf_rcu_read_lock", 0),
        (RelocKind.KFUNC, "bpf_task_acquire", 0),
        (RelocKind.KFUNC, "bpf_task_release", 0),
        (RelocKind.KFUNC, "bpf_rcu_read_unlock", 0),
        (RelocKind.KFUNC_ADDR, "bpf_missing_kfunc", 0),
        (RelocKind.KCONFIG, "externs.kconfig", 0),
        (RelocKind.KFUNC, "bpf_missing_kfunc", 0),
        (RelocKind.KSYM_VAR, "no_such_symbol", 0),
        (RelocKind.KSYM_VAR, "init_task", 0),
        (RelocKind.KSYM_VAR, "bpf_prog_active", 0),
    ]
    prog = o.program("on_switch")
    assert prog is not None
    assert prog.prog_type is ProgType.TRACING
    assert prog.expected_attach_type is AttachType.TRACE_RAW_TP
    assert prog.attach_target == "sched_switch"


# ---- section names ----


def test_many_sections() -> None:
    o = obj("sections")
    assert len(o.programs) == 62
    by_name = {p.name: p for p in o.programs}
    cases = {
        "p_fentry_s": (ProgType.TRACING, AttachType.TRACE_FENTRY, "do_nanosleep", True),
        "p_lsm_cgroup": (ProgType.LSM, AttachType.LSM_CGROUP, "socket_bind", False),
        "p_tc_ingress": (ProgType.SCHED_CLS, AttachType.TCX_INGRESS, None, False),
        "p_xdp": (ProgType.XDP, AttachType.XDP, None, False),
        "p_tp": (ProgType.TRACEPOINT, None, "syscalls/sys_enter_openat", False),
        "p_uprobe_s": (ProgType.KPROBE, None, "/bin/bash:readline", True),
        "p_cgroup_skb_ingress": (ProgType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, None,
                                 False),
        "p_struct_ops_s": (ProgType.STRUCT_OPS, None, "test_2", True),
        "p_freplace": (ProgType.EXT, None, "handler", False),
        "p_tp_btf_bare": (ProgType.TRACING, AttachType.TRACE_RAW_TP, None, False),
        "p_unknown": (ProgType.UNSPEC, None, None, False),
    }
    for name, want in cases.items():
        p = by_name[name]
        assert (p.prog_type, p.expected_attach_type, p.attach_target, p.sleepable) == want, name
    assert by_name["p_xdp_frags"].prog_flags == 1 << 5
    lazy = by_name["p_no_autoload"]
    assert (lazy.section, lazy.sec_name, lazy.prog_type, lazy.autoload) == (
        "?xdp", "xdp", ProgType.XDP, False)
    assert by_name["p_xdp"].autoload
    assert all(s.index == i for i, s in enumerate(o.sections))
    # every program of the object is in its own section, in file order
    assert [p.sec_index for p in o.programs] == sorted(p.sec_index for p in o.programs)
