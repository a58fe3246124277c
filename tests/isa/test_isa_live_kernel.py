"""The same comparison as test_isa_kernel_format, against the running kernel right now."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator

import pytest
from record_kernel_lines import CASE_BUILDERS, Env, kernel_ids, record_case

from kfcheck.isa import Insn, Op, decode, format_line
from kfcheck.kernel.syscall import FdScope, available, map_create
from kfcheck.uapi import MapType

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def env() -> Iterator[Env]:
    reason = available()
    if reason:
        pytest.skip(f"kernel bpf() unavailable: {reason}")
    fds = FdScope()
    found = Env(fds)
    found.array_fd = fds.adopt(map_create(MapType.ARRAY, 4, 8, 1, name="isa_live"))
    if shutil.which("bpftool"):
        found.btf_ids = kernel_ids({"bpf_rcu_read_lock", "bpf_rcu_read_unlock"})
    yield found
    fds.close_all()


def test_every_printed_line_matches(env: Env) -> None:
    cases = [case for build in CASE_BUILDERS for case in build(env)]
    by_id = {v: k for k, v in env.btf_ids.items()}

    def names(insn: Insn) -> str | None:
        return by_id.get(insn.imm) if insn.op == Op.CALL_KFUNC else None

    compared = 0
    for case in cases:
        record = record_case(case)
        assert record["lines"], f"{case.name}: the kernel printed no instructions"
        for entry in record["lines"]:
            (insn,) = decode(bytes.fromhex(entry["bytes"]))
            insn = dataclasses.replace(insn, index=entry["index"])
            if entry["runtime"]:
                value = re.fullmatch(r".* = 0x([0-9a-f]+)", entry["line"])
                assert value is not None
                insn = dataclasses.replace(insn, imm64=int(value.group(1), 16))
            assert format_line(insn, names) == entry["line"], case.name
            compared += 1
    assert compared > 200

