"""Kernel BTF pointers (``PTR_TO_BTF_ID``): loads through them (``check_ptr_to_btf_access``,
``btf_struct_walk``), the trust the kernel gives a pointer read from a field (trusted, RCU,
untrusted, maybe-null), and ``tp_btf`` context arguments typed from the attach point's BTF
prototype (``btf_ctx_access``). Types come from the profile's kernel BTF.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kfcheck.btf import Btf, Kind
from kfcheck.errors import BtfError
from kfcheck.uapi import AttachType
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.env import SPECIAL_FIELDS, Env, struct_fields
from kfcheck.verifier.kfunc_alloc import record_fields
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.progtypes import SCALAR_FIELD, CtxField
from kfcheck.verifier.state import SCALAR_UNKNOWN, TF, Base, Reg, State, pointer

TRUSTED_MODIFIERS = TF.ALLOC | TF.TRUSTED  # BPF_REG_TRUSTED_MODIFIERS (NON_OWN_REF unmodelled)
_INT_KINDS = (Kind.INT, Kind.ENUM, Kind.ENUM64)
# btf_ctx_access: tracepoints whose pointer arguments may be NULL (raw_tp_null_args). Their
# masks are not modelled: programs attached to them are unsupported.
_NULLABLE_ARG_TPS = frozenset((
    "sched_pi_setprio sched_process_wait sched_stick_numa sched_swap_numa afs_make_fs_call "
    "afs_make_fs_calli afs_make_fs_call1 afs_make_fs_call2 afs_protocol_error afs_flock_ev "
    "cachefiles_lookup cachefiles_unlink cachefiles_rename cachefiles_prep_read "
    "cachefiles_mark_active cachefiles_mark_failed cachefiles_mark_inactive cachefiles_vfs_error "
    "cachefiles_io_error cachefiles_ondemand_open cachefiles_ondemand_copen "
    "cachefiles_ondemand_close cachefiles_ondemand_read cachefiles_ondemand_cread "
    "cachefiles_ondemand_fd_write cachefiles_ondemand_fd_release ext4_mballoc_discard "
    "ext4_mballoc_free fib_table_lookup posix_lock_inode fcntl_setlk locks_remove_posix "
    "flock_lock_inode break_lease_noblock break_lease_block break_lease_unblock "
    "generic_delete_lease time_out_leases host1x_cdma_push_gather mm_khugepaged_scan_pmd "
    "mm_collapse_huge_page_isolate mm_khugepaged_scan_file mm_khugepaged_collapse_file "
    "mm_page_alloc mm_page_pcpu_drain mm_page_alloc_zone_locked netfs_failure "
    "device_pm_callback_start qdisc_dequeue rxrpc_recvdata rxrpc_resend signal_generate "
    "signal_deliver xs_stream_read_data xprt_reserve_cong xprt_release_cong xprt_get_cong "
    "xprt_put_cong tcp_send_reset tegra_dma_tx_status tmigr_update_events "
    "writeback_dirty_folio "
    # later kernels' entries (the list only grows; a name here is never guessed non-NULL)
    "rxrpc_tq rxrpc_client kfree_skb tcp_sendmsg_locked folio_wait_writeback mr_integ_alloc "
    "bpf_testmod_test_read amdgpu_vm_bo_map amdgpu_vm_bo_unmap netfs_folioq "
    "xfs_defer_create_intent xfs_defer_cancel_list xfs_defer_pending_finish "
    "xfs_defer_pending_abort xfs_defer_relog_intent xfs_defer_isolate_paused "
    "xfs_defer_item_pause xfs_defer_item_unpause xfs_defer_add_item xfs_defer_cancel_item "
    "xfs_defer_finish_item xfs_ioc_free_eofblocks xfs_blockgc_free_space xfs_btree_updkeys "
    "xfs_btree_overlapped_query_range xfs_map_blocks_found xfs_map_blocks_alloc "
    "xfs_iomap_alloc xfs_iomap_found xfs_inodegc_flush xfs_inodegc_push xfs_inodegc_start "
    "xfs_inodegc_stop xfs_inodegc_queue xfs_inodegc_throttle xfs_fs_sync_fs xfs_blockgc_start "
    "xfs_blockgc_stop xfs_blockgc_worker xfs_blockgc_flush_all xchk_nlinks_live_update "
    "xchk_metapath_lookup nfsd_dirent nfsd_file_acquire nfsd_file_insert_err "
    "nfsd_file_cons_err nfs4_setup_sequence pnfs_update_layout nfs4_inode_callback_event "
    "nfs4_inode_stateid_callback_event pnfs_mds_fallback_pg_init_read "
    "pnfs_mds_fallback_pg_init_write pnfs_mds_fallback_pg_get_mirror_count "
    "pnfs_mds_fallback_read_done pnfs_mds_fallback_write_done "
    "pnfs_mds_fallback_read_pagelist pnfs_mds_fallback_write_pagelist coda_dec_pic_run "
    "coda_dec_pic_done cfg80211_scan_done rdev_set_coalesce cfg80211_report_wowlan_wakeup "
    "cfg80211_inform_bss_frame cfg80211_michael_mic_failure wiphy_work_queue wiphy_work_run "
    "wiphy_work_cancel wiphy_work_flush hugetlbfs_alloc_inode spufs_context "
    "kvm_page_fault_enter dpu_crtc_setup_mixer binder_transaction btree_path_free "
    "hfi1_sdma_progress iptfs_ingress_postq_event neigh_update amdtp_packet").split())
# structs the conntrack kfuncs' btf_struct_access lets tc/xdp programs write (others: "only
# read is supported")
_WRITABLE_STRUCTS = frozenset({"nf_conn", "nf_conn___init"})
# ``struct <type><suffix>`` in the kernel BTF lists the fields whose pointers keep trust
_SAFE_TRUSTED, _SAFE_TRUSTED_OR_NULL = "__safe_trusted", "__safe_trusted_or_null"
_SAFE_RCU, _SAFE_RCU_OR_NULL = "__safe_rcu", "__safe_rcu_or_null"


def is_trusted(reg: Reg) -> bool:
    """``is_trusted_reg``: referenced, or carrying trusted modifiers and not untrusted."""
    if reg.ref_obj_id:
        return True
    return bool(reg.flags & TRUSTED_MODIFIERS) and not reg.flags & TF.UNTRUSTED


def is_rcu(reg: Reg) -> bool:
    """``is_rcu_reg``."""
    return bool(reg.flags & TF.RCU)


def in_rcu_cs(env: Env, st: State) -> bool:
    """``in_rcu_cs``: in an RCU read-side section, holding a lock, or a non-sleepable program."""
    return st.rcu > 0 or st.locked or not env.program.sleepable


# ---- btf_struct_walk ----


@dataclass(frozen=True, slots=True)
class _Walk:
    """What a load at an offset of a struct reads: a scalar, or a pointer to a struct."""

    btf_id: int = 0  # 0: a scalar
    flags: TF = TF.NONE  # RCU / USER / PERCPU from type tags, UNTRUSTED from unions
    field: str = ""
    mem: bool = False  # WALK_PTR_UNTRUSTED: a pointer to a non-struct


def _resolve_member(btf: Btf, type_id: int, name: str) -> tuple[int, int, int]:
    """``__btf_resolve_size``: (resolved type, total size, element count; arrays linearised
    to their innermost element type)."""
    try:
        size = btf.size_of(type_id)
    except BtfError as exc:
        raise Reject(Msg.BTF_FIELD_NO_SIZE, name) from exc
    t = btf[btf.resolve(type_id)]
    nelems = 1
    while t.kind is Kind.ARRAY:
        nelems *= t.nelems
        t = btf[btf.resolve(t.elem_type)]
    return t.id, size, nelems


def walk(btf: Btf, type_id: int, off: int, size: int) -> _Walk:
    """``btf_struct_access`` for a kernel (not program-allocated) struct."""
    flags = TF.NONE
    t = btf[btf.resolve(type_id)]
    for _ in range(64):
        step = _walk_once(btf, t.id, off, size, flags)
        if isinstance(step, _Walk):
            return step
        nested, off, flags = step
        t = btf[nested]
    raise Unsupported("BTF struct nesting too deep")


def _walk_once(btf: Btf, type_id: int, off: int, size: int,
               flags: TF) -> _Walk | tuple[int, int, TF]:
    """One round of ``btf_struct_walk``: a result, or (nested struct, offset in it, flags)."""
    while True:
        t = btf[type_id]
        tname = t.name
        if t.kind not in (Kind.STRUCT, Kind.UNION):
            raise Reject(Msg.BTF_NOT_STRUCT, tname)
        if t.kind is Kind.UNION and len(t.members) != 1:
            flags |= TF.UNTRUSTED
        if off + size > t.size:
            last = t.members[-1] if t.members else None
            if last is not None and btf[btf.resolve(last.type)].kind is Kind.ARRAY and \
                    btf[btf.resolve(last.type)].nelems == 0:
                raise Unsupported("loads past a kernel struct's flexible array", None)
            raise Reject(Msg.BTF_BEYOND_STRUCT, tname, off, size)
        nested = None
        for m in t.members:
            moff = m.bit_offset // 8
            if off + size <= moff:
                break
            if m.bitfield_size:
                end_bit = m.bit_offset + m.bitfield_size
                if off <= moff and (end_bit + 7) // 8 <= off + size:
                    return _Walk()
                continue
            if off < moff:
                break
            mid, msize, nelems = _resolve_member(btf, m.type, m.name)
            mtrue_end = moff + msize
            if off >= mtrue_end:
                continue
            mtype = btf[mid]
            if btf[btf.resolve(m.type)].kind is Kind.ARRAY:
                if moff == mtrue_end:
                    continue
                elem = msize // nelems
                moff += (off - moff) // elem * elem
            if mtype.kind in (Kind.STRUCT, Kind.UNION):
                if off == moff:
                    return mid, 0, flags
                nested = (mid, off - moff)
                break
            if mtype.kind is Kind.PTR:
                if 8 != size or off != moff:
                    raise Reject(Msg.BTF_PTR_MEMBER, m.name, moff, tname, off, size)
                target = btf[mtype.type] if mtype.type else None
                tag = TF.NONE
                if target is not None and target.kind is Kind.TYPE_TAG:
                    tag = {"user": TF.USER, "percpu": TF.PERCPU, "rcu": TF.RCU}.get(
                        target.name, TF.NONE)
                stype = btf[btf.resolve(mtype.type)] if mtype.type else None
                if stype is not None and stype.kind in (Kind.STRUCT, Kind.UNION):
                    return _Walk(stype.id, flags | tag, m.name)
                return _Walk(field=m.name, mem=True)
            if off + size > mtrue_end and not flags & TF.UNTRUSTED:
                raise Reject(Msg.BTF_BEYOND_MEMBER, m.name, mtrue_end, tname, off, size)
            return _Walk()
        if nested is None:
            raise Reject(Msg.BTF_NO_FIELD, tname, off)
        type_id, off = nested


def nested_struct_at(btf: Btf, type_id: int, off: int) -> tuple[int, int] | None:
    """The struct member starting at ``off`` of struct ``type_id`` (``btf_struct_walk`` of
    one byte giving ``WALK_STRUCT``): (its type, 0), or None."""
    step = _walk_once(btf, btf.resolve(type_id), off, 1, TF.NONE)
    return None if isinstance(step, _Walk) else (step[0], step[1])


def _safe_field(btf: Btf, owner: int, field: str, target: int, suffix: str) -> bool:
    """``btf_nested_type_is_trusted``: ``struct <owner><suffix>`` lists ``field`` as a
    pointer to ``target``'s type."""
    found = btf.by_name(btf[owner].name + suffix, Kind.STRUCT)
    if not found:
        return False
    want = btf[target].name
    for m in found[0].members:
        if m.name != field:
            continue
        t = btf[btf.resolve(m.type)]
        if t.kind is Kind.PTR and t.type and btf[btf.resolve(t.type)].name == want:
            return True
    return False


def _loaded_flags(env: Env, st: State, reg: Reg, w: _Walk) -> TF:
    """The trust ``check_ptr_to_btf_access`` gives a pointer read through ``reg``."""
    btf = env.profile.btf
    flag = w.flags
    if reg.flags & TF.UNTRUSTED:
        return TF.UNTRUSTED
    if not (is_trusted(reg) or is_rcu(reg)):
        return flag & ~(TF.TRUSTED | TF.RCU)  # old compat: plain PTR_TO_BTF_ID
    owner = btf.resolve(reg.btf_id)
    if flag & TF.UNTRUSTED:
        raise Unsupported("pointers read through a union of a trusted BTF pointer")
    if _safe_field(btf, owner, w.field, w.btf_id, _SAFE_TRUSTED):
        return flag | TF.TRUSTED
    if _safe_field(btf, owner, w.field, w.btf_id, _SAFE_TRUSTED_OR_NULL):
        return flag | TF.TRUSTED | TF.MAYBE_NULL
    if in_rcu_cs(env, st) and not reg.maybe_null:
        if _safe_field(btf, owner, w.field, w.btf_id, _SAFE_RCU):
            return flag | TF.RCU
        if flag & TF.RCU or _safe_field(btf, owner, w.field, w.btf_id, _SAFE_RCU_OR_NULL):
            return flag | TF.RCU | TF.MAYBE_NULL
        if flag & (TF.PERCPU | TF.USER):
            return flag
        return flag & ~(TF.TRUSTED | TF.RCU)
    return TF.UNTRUSTED


def access(env: Env, st: State, insn: int, regno: int, reg: Reg, off: int, size: int,
           write: bool) -> Reg | None:
    """``check_ptr_to_btf_access``: a load or store of ``size`` bytes at ``off`` (the
    register's fixed offset included) through a kernel BTF pointer."""
    alloc = bool(reg.flags & TF.ALLOC)  # program-allocated: a type of the program BTF
    btf = env.prog_btf if alloc else env.profile.btf
    if btf is None:
        raise Unsupported("allocated object without program BTF", insn)
    tname = btf[reg.btf_id].name
    if not alloc and not gpl(env.program.license):
        raise Reject(Msg.BTF_NON_GPL, tname, insn=insn)
    if off < 0:
        raise Reject(Msg.BTF_NEGATIVE, regno, tname, off, insn=insn)
    if not reg.s.is_const() or reg.s.value:
        raise Reject(Msg.BTF_VAR_OFFSET, regno, tname, off, sc.var_off_text(reg.s), insn=insn)
    if reg.flags & TF.USER:
        raise Reject(Msg.BTF_USER, regno, tname, off, insn=insn)
    if reg.flags & TF.PERCPU:
        raise Reject(Msg.BTF_PERCPU, regno, tname, off, insn=insn)
    if alloc:
        return _alloc_access(btf, insn, reg, off, size, write)
    if write:
        if (not reg.flags & TF.UNTRUSTED and env.info.btf_writes
                and tname in _WRITABLE_STRUCTS):
            raise Unsupported(f"writes to kernel struct {tname} ({env.info.name} programs)",
                              insn)
        raise Reject(Msg.ONLY_READ, insn=insn)
    try:
        w = walk(btf, reg.btf_id, off, size)
    except Reject as exc:
        exc.insn = insn
        raise
    if w.mem:  # read-only untrusted memory of unknown size (loads are probe reads)
        return pointer(Base.PTR_TO_MEM, TF.RDONLY | TF.UNTRUSTED)
    if not w.btf_id:
        return SCALAR_UNKNOWN
    flags = _loaded_flags(env, st, reg, w)
    loaded = pointer(Base.PTR_TO_BTF_ID, flags, btf_id=w.btf_id)
    if flags & TF.MAYBE_NULL:
        loaded = replace(loaded, id=env.new_id())
    return loaded


def _alloc_access(btf: Btf, insn: int, reg: Reg, off: int, size: int,
                  write: bool) -> Reg | None:
    """``btf_struct_access`` of a program-allocated object: no special field touched, then
    the walk (pointers read from it are scalars); writes allowed."""
    record_fields(btf, reg.btf_id, insn)  # unmodelled special fields: unsupported
    for field_off, field_size, name in struct_fields(btf, reg.btf_id):
        if off < field_off + field_size and field_off < off + size:
            if name not in SPECIAL_FIELDS:
                raise Unsupported("kptr fields of allocated objects", insn)
            raise Reject(Msg.DIRECT_ACCESS, name, insn=insn)
    try:
        w = walk(btf, reg.btf_id, off, size)
    except Reject as exc:
        exc.insn = insn
        raise
    if w.mem and not write:
        raise Unsupported("a pointer to a non-struct read from an allocated object", insn)
    return None if write else SCALAR_UNKNOWN


def gpl(license_: str) -> bool:
    """``license_is_gpl_compatible``."""
    return license_ in ("GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
                        "Dual MIT/GPL", "Dual MPL/GPL")


# ---- tp_btf and bpf_iter contexts: btf_ctx_access ----


def btf_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """The context of a tracing program, typed by its attach target's BTF."""
    if env.program.expected_attach_type == AttachType.TRACE_ITER:
        return iter_ctx(off, size, write, env)
    return tp_btf_ctx(off, size, write, env)


def iter_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``btf_ctx_access`` for a bpf_iter program: the arguments of the target's
    ``bpf_iter_<target>`` function, the ``bpf_iter_meta`` trusted, the target's objects
    trusted or NULL (the NULL call ends the iteration; the target's ``ctx_arg_info``)."""
    if off < 0 or off >= 8 * 12 or write or off % size:
        return None
    btf = env.profile.btf
    fn = btf[env.program.attach_btf_id]
    proto = btf[fn.type] if fn.kind is Kind.FUNC else fn
    if proto.kind is not Kind.FUNC_PROTO:
        raise Unsupported(f"iter/{fn.name}: attach target is not a function")
    structs = []
    for param in proto.params:
        t = btf[btf.resolve(param.type)] if param.type else None
        pointee = btf[btf.resolve(t.type)] if t is not None and t.kind is Kind.PTR and t.type \
            else None
        if pointee is None or pointee.kind is not Kind.STRUCT:
            # buffers (map keys and values) and scalars: kfcheck lacks the target's table
            raise Unsupported(f"iter/{fn.name}: argument '{param.name}' is not a struct pointer")
        structs.append(pointee)
    if off % 8 or off // 8 >= len(structs) or size != 8:
        return None
    pointee = structs[off // 8]
    if pointee.name == "bpf_iter_meta":
        return CtxField(Base.PTR_TO_BTF_ID, TF.TRUSTED, pointee.id)
    return CtxField(Base.PTR_TO_BTF_ID, TF.TRUSTED | TF.MAYBE_NULL, pointee.id)


def tp_btf_ctx(off: int, size: int, write: bool, env: Env) -> CtxField | None:
    """``tracing_prog_is_valid_access`` + ``btf_ctx_access`` for ``tp_btf`` programs: the
    tracepoint's arguments (after the hidden ``void *__data``) typed from kernel BTF."""
    if off < 0 or off >= 8 * 12 or write or off % size:
        return None
    btf = env.profile.btf
    tp = btf[env.program.attach_btf_id]
    name = tp.name.removeprefix("btf_trace_")
    if name in _NULLABLE_ARG_TPS:
        raise Unsupported(f"tp_btf/{name}: arguments that may be NULL")
    ptr = btf[btf.resolve(tp.id)]
    proto = btf[btf.resolve(ptr.type)] if ptr.kind is Kind.PTR else ptr
    if proto.kind is not Kind.FUNC_PROTO:
        raise Unsupported(f"tp_btf/{name}: attach type is not a function prototype")
    params = proto.params[1:]
    if off % 8:
        return None
    arg = off // 8
    if arg >= len(params):
        return None
    t = btf[btf.resolve(params[arg].type)] if params[arg].type else None
    if t is None:
        raise Unsupported(f"tp_btf/{name}: void argument")
    if t.kind in _INT_KINDS or t.kind in (Kind.STRUCT, Kind.UNION):
        if t.kind is Kind.INT and t.size > 8:
            raise Unsupported(f"tp_btf/{name}: wide integer argument")
        return SCALAR_FIELD
    if t.kind is not Kind.PTR:
        return None
    if size != 8:
        return None
    if t.type == 0:
        return SCALAR_FIELD
    target = btf[t.type]
    if target.kind is Kind.TYPE_TAG:
        raise Unsupported(f"tp_btf/{name}: type-tagged pointer argument")
    pointee = btf[btf.resolve(t.type)]
    if pointee.kind is Kind.INT:
        return SCALAR_FIELD
    if pointee.kind is not Kind.STRUCT:
        # enum / pointer / union targets: kernels differ (btf_type_is_struct_ptr)
        raise Unsupported(f"tp_btf/{name}: argument pointing to {pointee.kind.name}")
    if params[arg].name.endswith("__nullable"):
        return CtxField(Base.PTR_TO_BTF_ID, TF.TRUSTED | TF.MAYBE_NULL, pointee.id)
    return CtxField(Base.PTR_TO_BTF_ID, TF.TRUSTED, pointee.id)
