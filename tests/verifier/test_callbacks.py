"""Callbacks (bpf_loop, bpf_for_each_map_elem): corpus programs offline, and hand-built
programs offline and against the running kernel, which must agree (verdict and message)."""

from __future__ import annotations

import struct
from dataclasses import replace

import pytest
from corpus_intent import CORPUS_DIR

from kfcheck.isa import decode
from kfcheck.kernel.oracle import load
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.link.program import FuncRecord
from kfcheck.profile.embedded import load_profile
from kfcheck.verifier.check import check, verify

CORPUS_CASES = [
    ("callback_bpf_loop_ok", "accept", ""),
    ("callback_loop_ctx_count_ok", "accept", ""),
    ("callback_bad_return_bad", "reject",
     "At callback return the register R0 has smin=5 smax=5 should have been in [0, 1]"),
    ("callback_for_each_bad_return_bad", "reject",
     "At callback return the register R0 has smin=-1 smax=-1 should have been in [0, 1]"),
    ("callback_ctx_null_deref_bad", "reject", "R2 invalid mem access 'scalar'"),
    ("callback_for_each_write_key_bad", "reject", "write to change key R2 not allowed"),
]


@pytest.mark.parametrize(("name", "outcome", "error"), CORPUS_CASES)
def test_corpus_callbacks(name: str, outcome: str, error: str) -> None:
    (verdict,) = check(str(CORPUS_DIR / f"{name}.bpf.o"), load_profile(name="6.18.44-fc-v1272"))
    assert (verdict.outcome.value, verdict.error) == (outcome, error)


# ---- hand-built programs: a tc program calling bpf_loop(r1, callback, r3, 0) ----


def _op(code: int, dst: int = 0, src: int = 0, off: int = 0, imm: int = 0) -> bytes:
    return struct.pack("<BBhi", code, dst | src << 4, off, imm)


def mov(dst: int, imm: int) -> bytes:
    return _op(0xB7, dst, imm=imm)


def movr(dst: int, src: int) -> bytes:
    return _op(0xBF, dst, src)


def add(dst: int, imm: int) -> bytes:
    return _op(0x07, dst, imm=imm)


def addr(dst: int, src: int) -> bytes:
    return _op(0x0F, dst, src)


def ldx(dst: int, src: int, off: int) -> bytes:
    return _op(0x79, dst, src, off)


def stx(dst: int, off: int, src: int) -> bytes:
    return _op(0x7B, dst, src, off)


def st0(dst: int, off: int) -> bytes:
    return _op(0x7A, dst, off=off)


def jgt(dst: int, imm: int, off: int) -> bytes:
    return _op(0x25, dst, off=off, imm=imm)


def call(helper: int) -> bytes:
    return _op(0x85, imm=helper)


EXIT = _op(0x95)
LOOP = 181


def ld_func(dst: int, at: int, target: int) -> bytes:
    """``dst = &subprogram at target`` (an ld_imm64 at slot ``at``)."""
    return _op(0x18, dst, 4, imm=target - at - 1) + _op(0)


def _template() -> Program:
    return next(p for p in link_file(str(CORPUS_DIR / "callback_bad_return_bad.bpf.o"),
                                     KernelTarget.from_profile(load_profile()))
                if isinstance(p, Program))


def program(main: list[bytes], callback: list[bytes]) -> Program:
    """The template's two BTF functions over new bodies: ``main``, then ``callback``."""
    prog = _template()
    body = b"".join(main)
    start = len(body) // 8
    (f_main, f_cb) = prog.func_info
    return replace(prog, insns=tuple(decode(body + b"".join(callback))), line_info=(),
                   func_info=(FuncRecord(0, f_main.type_id), FuncRecord(start, f_cb.type_id)))


def loop_main(count: list[bytes], ctx: list[bytes], after: list[bytes]) -> list[bytes]:
    """``count`` sets r1, ``ctx`` r3; then bpf_loop; then ``after`` (ending in an exit)."""
    head = ctx + count
    at = sum(len(b) for b in head) // 8
    rest = [mov(4, 0), call(LOOP), *after]
    target = at + 2 + sum(len(b) for b in rest) // 8
    return [*head, ld_func(2, at, target), *rest]


RET0 = [mov(0, 0), EXIT]
NULL_CTX = [mov(3, 0)]
STACK_CTX = [st0(10, -8), movr(3, 10), add(3, -8)]
COUNTER = [ldx(1, 2, 0), add(1, 1), stx(2, 0, 1)]  # *(u64 *)ctx += 1

HAND_BUILT = {
    "returns_1": (loop_main([mov(1, 10)], NULL_CTX, RET0), [mov(0, 1), EXIT]),
    "returns_2": (loop_main([mov(1, 10)], NULL_CTX, RET0), [mov(0, 2), EXIT]),
    "returns_index": (loop_main([mov(1, 10)], NULL_CTX, RET0), [movr(0, 1), EXIT]),
    "ctx_not_stack": (loop_main([mov(1, 10)], [movr(3, 1)], RET0), RET0),
    "count_is_pointer": (loop_main([movr(1, 10)], NULL_CTX, RET0), RET0),
    "stack_ctx_sum": (loop_main([mov(1, 100)], STACK_CTX, RET0),
                      [ldx(3, 2, 0), addr(3, 1), stx(2, 0, 3), *RET0]),
    # the counter stays within bpf_loop's count: the out-of-range branch is dead
    "bounded_counter": (loop_main([mov(1, 3)], STACK_CTX,
                                  [ldx(1, 10, -8), jgt(1, 3, 2), *RET0, ldx(0, 1, 0), EXIT]),
                        [*COUNTER, *RET0]),
    "counter_over_bound": (loop_main([mov(1, 3)], STACK_CTX,
                                     [ldx(1, 10, -8), jgt(1, 2, 2), *RET0, ldx(0, 1, 0), EXIT]),
                           [*COUNTER, *RET0]),
    "callback_reads_uninit_r3": (loop_main([mov(1, 10)], NULL_CTX, RET0), [movr(0, 3), EXIT]),
    "callback_r0_uninit": (loop_main([mov(1, 10)], NULL_CTX, RET0), [EXIT]),
    "callback_returns_stack": (loop_main([mov(1, 10)], NULL_CTX, RET0), [movr(0, 10), EXIT]),
}


@pytest.mark.parametrize("name", sorted(HAND_BUILT))
def test_hand_built_offline(name: str) -> None:
    """kfcheck's verdict is the kernel's (``EXPECTED``), or ``unsupported`` (``OFFLINE``)."""
    main, callback = HAND_BUILT[name]
    verdict = verify(program(main, callback), load_profile())
    assert (verdict.outcome.value, verdict.error) == OFFLINE.get(name, EXPECTED[name])


@pytest.mark.usefixtures("bpf_fds_checked")
@pytest.mark.parametrize("name", sorted(HAND_BUILT))
def test_hand_built_kernel(name: str) -> None:
    """The running kernel gives the verdict and message kfcheck gives."""
    main, callback = HAND_BUILT[name]
    kernel = load(program(main, callback), full_log=False)
    assert (kernel.outcome.value, kernel.error) == EXPECTED[name]


EXPECTED = {
    "returns_1": ("accept", ""),
    "returns_2": ("reject",
                  "At callback return the register R0 has smin=2 smax=2 should have been in "
                  "[0, 1]"),
    "returns_index": ("reject",
                      "At callback return the register R0 has unknown scalar value should have "
                      "been in [0, 1]"),
    "ctx_not_stack": ("reject", "R3 type=ctx expected=fp"),
    "count_is_pointer": ("reject", "verifier bug: backtracking misuse"),
    "stack_ctx_sum": ("accept", ""),
    "bounded_counter": ("accept", ""),
    "counter_over_bound": ("reject", "R1 invalid mem access 'scalar'"),
    "callback_reads_uninit_r3": ("reject", "R3 !read_ok"),
    "callback_r0_uninit": ("reject", "R0 not a scalar value"),
    "callback_returns_stack": ("reject", "cannot return stack pointer to the caller"),
}
# what kfcheck does not model: the kernel marks a pointer count precise and fails
OFFLINE = {"count_is_pointer": ("unsupported", "unsupported: bpf_loop with a pointer as its count")}
