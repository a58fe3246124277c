"""Record the kfunc view of a kernel BTF from ``bpftool btf dump file ... `` text output.

Run: ``bpftool btf dump file /sys/kernel/btf/vmlinux | python tests/profile/record_btf.py OUT``
(the reference kernel's recording is ``src/kfcheck/data/linux-6.18.kfuncs-btf.json``).
Writes the checked-in recording used when the live BTF is not available (CI): one entry per
FUNC carrying a ``bpf_kfunc`` decl tag or named in ``enum special_kfunc_type``, with its
prototype, plus the enum itself.
"""

from __future__ import annotations

import json
import re
import sys

_TYPE = re.compile(r"^\[(\d+)\] (\w+) '([^']*)'(.*)$")
_PARAM = re.compile(r"^\t'([^']*)' type_id=(\d+)$")
_ENUMV = re.compile(r"^\t'([^']*)' val=(-?\d+)$")


def record(lines: list[str]) -> dict[str, object]:
    """Return the recording (see the module docstring) for a bpftool text dump."""
    funcs: dict[str, tuple[int, int]] = {}
    protos: dict[int, tuple[int, list[list[object]]]] = {}
    tagged: set[int] = set()
    special: list[str] = []
    cur_proto: list[list[object]] | None = None
    in_special = False
    for line in lines:
        line = line.rstrip("\n")
        m = _TYPE.match(line)
        if m:
            tid, kind, name, rest = int(m[1]), m[2], m[3], m[4]
            cur_proto, in_special = None, False
            attrs = dict(re.findall(r"(\w+)=(-?\w+)", rest))
            if kind == "FUNC":
                funcs.setdefault(name, (tid, int(attrs["type_id"])))
            elif kind == "FUNC_PROTO":
                cur_proto = []
                protos[tid] = (int(attrs["ret_type_id"]), cur_proto)
            elif kind == "DECL_TAG" and name == "bpf_kfunc":
                tagged.add(int(attrs["type_id"]))
            elif kind == "ENUM" and name == "special_kfunc_type":
                in_special = True
            continue
        if cur_proto is not None and (p := _PARAM.match(line)):
            cur_proto.append([p[1], int(p[2])])
        elif in_special and (e := _ENUMV.match(line)):
            special.append(e[1].removeprefix("KF_"))
    wanted = {n for n, (tid, _) in funcs.items() if tid in tagged} | set(special)
    out = []
    for name in sorted(wanted):
        tid, proto = funcs[name]
        ret, params = protos[proto]
        out.append({"name": name, "id": tid, "tagged": tid in tagged, "ret": ret,
                    "params": params})
    return {"funcs": out, "special_kfunc_type": special}


if __name__ == "__main__":
    data = record(sys.stdin.readlines())
    with open(sys.argv[1], "w") as fh:
        json.dump(data, fh, indent=0, separators=(",", ":"))
        fh.write("\n")
