"""Hostile input, as a mutation campaign found it (issue 9, "Hardening"): every case ends in one
``kfcheck: <file>: <problem>`` line on stderr and exit code 2, quickly, without reading more
than a stated limit, and without a traceback.

Cases that hung before their fix run the CLI in a subprocess with a time-out; the others call
``kfcheck.cli.main`` in the test process. Other lines on stderr are allowed before the error
when they are kfcheck's own notes (``kfcheck: ...``), never after it.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kfcheck.btf.encode import encode_btf
from kfcheck.btf.types import INT_SIGNED, LINKAGE_GLOBAL, BtfType, Kind, Param
from kfcheck.cli import main
from kfcheck.files import MAX_INPUT_SIZE, MAX_TEXT_SIZE
from kfcheck.kernel import syscall
from kfcheck.profile.embedded import read_manifest

ROOT = Path(__file__).parent.parent
CALLS = ROOT / "tests" / "obj" / "progs" / "calls.bpf.o"
GLOBALS = ROOT / "tests" / "obj" / "progs" / "globals.bpf.o"
TASK_ACQUIRE = ROOT / "examples" / "task_acquire.bpf.o"
TIMEOUT = 30  # seconds; a hang is what these tests catch, not slowness
MEMORY = 2 << 30  # address space of a subprocess: a regression fails, not the machine


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KFCHECK_CACHE_DIR", str(cache_dir))


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run(*args: str) -> tuple[int, str, str]:
    """The CLI in a subprocess, with a time-out and a memory limit (a regression that hangs or
    reads without end fails the test instead of hanging the suite or exhausting memory)."""
    proc = subprocess.run([sys.executable, "-m", "kfcheck", *args], capture_output=True,
                          text=True, timeout=TIMEOUT, env=os.environ.copy(),
                          preexec_fn=_limit_memory)
    return proc.returncode, proc.stdout, proc.stderr


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _problem(result: tuple[int, str, str], path: str | Path) -> str:
    """The problem of the one error line about ``path``, checked to be the last line."""
    code, _out, err = result
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines and all(line.startswith("kfcheck: ") for line in lines), err
    prefix = f"kfcheck: {path}: "
    assert lines[-1].startswith(prefix), err
    assert sum(line.startswith(prefix) for line in lines) == 1, err
    return lines[-1].removeprefix(prefix)


# ---- 1. ELF section offsets and sizes of 2^63 and more ----

def _section_header(data: bytes | bytearray, name: bytes) -> int:
    """File offset of the section header named ``name`` (an ELF64 little-endian object)."""
    (e_shoff,) = struct.unpack_from("<Q", data, 0x28)
    e_shnum, e_shstrndx = struct.unpack_from("<HH", data, 0x3C)
    (strtab,) = struct.unpack_from("<Q", data, e_shoff + e_shstrndx * 64 + 24)
    for idx in range(e_shnum):
        hdr = e_shoff + idx * 64
        (name_off,) = struct.unpack_from("<I", data, hdr)
        start = strtab + name_off
        if data[start : data.index(b"\0", start)] == name:
            return int(hdr)
    raise KeyError(name)


OBJECT_COMMANDS = (["btf"], ["obj"], ["disasm"], ["disasm", "--raw"],
                   ["table", "extract", "--btf"])


@pytest.mark.parametrize("command", OBJECT_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("field", "value"), [
    (24, 1 << 63), (24, (1 << 64) - 1), (32, 1 << 63), (32, (1 << 64) - 1),
], ids=["offset-2^63", "offset-2^64-1", "size-2^63", "size-2^64-1"])
def test_btf_section_offset_or_size_of_2_63(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], field: int,
    value: int,
) -> None:
    data = bytearray(CALLS.read_bytes())
    struct.pack_into("<Q", data, _section_header(data, b".BTF") + field, value)
    bad = tmp_path / "bad.o"
    bad.write_bytes(data)
    problem = _problem(_main(capsys, *command, str(bad)), bad)
    assert "out of file bounds" in problem
    assert f"{'offset' if field == 24 else 'size'} {value}" in problem


# ---- 2. files that are not regular files, and files too large ----

FILE_COMMANDS = {
    "check": ["check", "{f}"],
    "check --kernel-btf": ["check", "--kernel-btf", "{f}", str(TASK_ACQUIRE)],
    "kernel": ["kernel", "{f}"],
    "btf": ["btf", "{f}"],
    "btf --base": ["btf", "--base", "{f}", str(CALLS)],
    "obj": ["obj", "{f}"],
    "disasm": ["disasm", "{f}"],
    "disasm --raw": ["disasm", "--raw", "{f}"],
    "disasm --kernel-btf": ["disasm", "--kernel-btf", "{f}", str(TASK_ACQUIRE)],
    "table --table": ["table", "--table", "{f}", "list"],
    "table --kernel-btf": ["table", "--kernel-btf", "{f}", "list"],
    "table extract --btf": ["table", "extract", "--btf", "{f}"],
    "table diff": ["table", "diff", "{f}", "{f}"],
    "table probe --recorded": ["table", "probe", "--recorded", "{f}"],
}


def _args(command: str, path: Path | str) -> list[str]:
    """The command line of ``command`` on ``path``; skips ``kernel`` where there is no kernel
    to load into (it then refuses every file alike, before reading it)."""
    if command == "kernel" and (reason := syscall.available()) is not None:
        pytest.skip(f"kernel: {reason}")
    return [arg.format(f=path) for arg in FILE_COMMANDS[command]]


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_fifo_without_writer_is_refused(tmp_path: Path, command: str) -> None:
    """Opening a FIFO for reading blocks until a writer comes: the type is checked first."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert _problem(_run(*_args(command, fifo)), fifo) == "not a regular file"


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_device_is_refused(command: str) -> None:
    """``/dev/zero`` never ends (the table loader read it until memory ran out)."""
    assert _problem(_run(*_args(command, "/dev/zero")), "/dev/zero") == "not a regular file"


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 GiB file that takes no disk space."""
    path = tmp_path_factory.mktemp("sparse") / "big"
    with open(path, "wb") as f:
        f.truncate(3 << 30)
    return path


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_file_over_the_limit_is_refused_unread(sparse: Path, command: str) -> None:
    text = command.startswith(("table --table", "table diff", "table probe"))
    limit = MAX_TEXT_SIZE if text else MAX_INPUT_SIZE
    problem = _problem(_run(*_args(command, sparse)), sparse)
    assert problem == f"file is {3 << 30} bytes, more than the {limit}-byte limit"


def test_limits_are_generous_for_real_inputs() -> None:
    assert MAX_INPUT_SIZE == 256 << 20 and MAX_TEXT_SIZE == 16 << 20


# ---- 2b. the files of a captured profile ($XDG_DATA_HOME/kfcheck/profiles) ----
# Every command that defaults its profile reads every manifest there; the profile's BTF and
# table are named by its manifest, so they may be any file at all.

def _manifest(profiles: Path, btf: str = "vmlinux.btf", table: str = "t.toml") -> Path:
    manifest = profiles / "mine.profile.toml"
    shipped = read_manifest("6.18.44-fc-v595")
    manifest.write_text(f'[profile]\nname = "mine"\nkernel = "6.18"\nbtf = "{btf}"\n'
                        f'btf_sha256 = "{shipped.btf_sha256}"\nbtf_size = {shipped.btf_size}\n'
                        f'table = "{table}"\nrecorded = "2020-01-01"\n')
    return manifest


@pytest.fixture()
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty captured-profile directory, and no ``$KFCHECK_PROFILE``."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("KFCHECK_PROFILE", raising=False)
    profiles = tmp_path / "data" / "kfcheck" / "profiles"
    profiles.mkdir(parents=True)
    return profiles


@pytest.mark.parametrize("command", [["profile", "list"], ["check", str(TASK_ACQUIRE)],
                                     ["table", "list"]], ids=" ".join)
def test_captured_manifest_that_is_a_fifo(profiles: Path, command: list[str]) -> None:
    fifo = profiles / "mine.profile.toml"
    os.mkfifo(fifo)
    assert _problem(_run(*command), fifo) == "not a regular file"


@pytest.mark.parametrize(("content", "expected"), [
    (b"x = " + b"[" * 100_000, "invalid TOML: arrays or tables nested too deeply"),
    (b'[profile]\nname = "caf\xe9"\n', "invalid TOML: not UTF-8: byte 0xe9 at line 2"),
], ids=["arrays", "latin-1"])
def test_captured_manifest_decoding(capsys: pytest.CaptureFixture[str], profiles: Path,
                                    content: bytes, expected: str) -> None:
    manifest = profiles / "mine.profile.toml"
    manifest.write_bytes(content)
    assert _problem(_main(capsys, "profile", "list"), manifest) == expected


def test_captured_profile_btf_that_never_ends(profiles: Path) -> None:
    _manifest(profiles, btf="/dev/zero", table=str(read_manifest("6.18.44-fc-v595").table))
    assert _problem(_run("table", "--profile", "mine", "list"), "/dev/zero") == (
        "not a regular file")


def test_captured_profile_btf_that_is_a_fifo(profiles: Path) -> None:
    _manifest(profiles, table=str(read_manifest("6.18.44-fc-v595").table))
    os.mkfifo(profiles / "vmlinux.btf")
    assert _problem(_run("check", "--profile", "mine", str(TASK_ACQUIRE)),
                    profiles / "vmlinux.btf") == "not a regular file"


def test_profile_btf_decompressing_past_the_limit(
    capsys: pytest.CaptureFixture[str], profiles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ``.xz`` BTF of a few kB that inflates past the limit (here lowered to 1 MiB) is not
    inflated whole."""
    import lzma

    import kfcheck.profile.embedded as embedded

    monkeypatch.setattr(embedded, "MAX_INPUT_SIZE", 1 << 20)
    btf = profiles / "vmlinux.btf.xz"
    btf.write_bytes(lzma.compress(bytes(4 << 20)))
    _manifest(profiles, btf=btf.name, table=str(read_manifest("6.18.44-fc-v595").table))
    problem = _problem(_main(capsys, "table", "--profile", "mine", "list"), btf)
    assert problem == f"profile BTF decompresses to more than the {1 << 20}-byte limit"


def test_captured_table_whose_base_is_a_fifo(profiles: Path) -> None:
    """``profile show`` reads a delta table and follows its chain of bases (the table loader
    refuses the FIFO first; ``table_chain`` reads through the same reader)."""
    _manifest(profiles, btf=str(read_manifest("6.18.44-fc-v595").btf))
    (profiles / "t.toml").write_text('[delta]\nbase = "base.toml"\n\n[profile]\n'
                                     'name = "mine"\nkernel = "6.18"\n')
    os.mkfifo(profiles / "base.toml")
    assert _problem(_run("profile", "show", "mine"), profiles / "base.toml") == (
        "not a regular file")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_running_kernel_btf_that_is_not_a_regular_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The default profile is chosen by the digest of the running kernel's BTF
    (``$KFCHECK_SYSFS_BTF``): one that cannot be hashed is one that cannot be read."""
    path = tmp_path / "pipe" if kind == "fifo" else Path("/dev/zero")
    if kind == "fifo":
        os.mkfifo(path)
    monkeypatch.setenv("KFCHECK_SYSFS_BTF", str(path))
    monkeypatch.delenv("KFCHECK_PROFILE", raising=False)
    code, out, err = _run("profile", "list")
    assert code == 0, err
    assert f"the running kernel's BTF ({path}) cannot be read" in out + err


# ---- 3. table files: bytes that are not UTF-8, nesting deeper than the recursion limit ----

@pytest.mark.parametrize(("content", "expected"), [
    (b'[profile]\nname = "caf\xe9"\n', "invalid TOML: not UTF-8: byte 0xe9 at line 2"),
    (b"x = " + b"[" * 100_000, "invalid TOML: arrays or tables nested too deeply"),
    (b"x = " + b"{a = " * 100_000, "invalid TOML: arrays or tables nested too deeply"),
], ids=["latin-1", "arrays", "inline-tables"])
@pytest.mark.parametrize("command", ["table --table", "table diff"])
def test_table_file_decoding(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                             content: bytes, expected: str, command: str) -> None:
    table = tmp_path / "t.toml"
    table.write_bytes(content)
    assert _problem(_main(capsys, *_args(command, table)), table) == expected


@pytest.mark.parametrize(("content", "expected"), [
    (b'{"a": "caf\xe9"}', "invalid JSON: 'utf-8' codec can't decode byte 0xe9"),
    (b"[" * 100_000, "invalid JSON: arrays or objects nested too deeply"),
], ids=["latin-1", "arrays"])
def test_recorded_probe_decoding(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                 content: bytes, expected: str) -> None:
    recorded = tmp_path / "run.json"
    recorded.write_bytes(content)
    problem = _problem(_main(capsys, *_args("table probe --recorded", recorded)), recorded)
    assert problem.startswith(expected)


# ---- 4. C spelling of prototypes: function pointers nesting function pointers ----

def nested_fnptr_btf(depth: int) -> bytes:
    """A kfunc whose two parameters are function pointers whose two parameters are function
    pointers ... ``depth`` deep: its C spelling doubles with each level."""
    types = [BtfType(1, Kind.INT, "int", size=4, int_encoding=INT_SIGNED, int_bits=32)]
    param_type = 1
    for _ in range(depth):
        proto = len(types) + 1
        types.append(BtfType(proto, Kind.FUNC_PROTO, type=1,
                             params=(Param("a", param_type), Param("b", param_type))))
        types.append(BtfType(proto + 1, Kind.PTR, type=proto))
        param_type = proto + 1
    proto = len(types) + 1
    types.append(BtfType(proto, Kind.FUNC_PROTO, type=1,
                         params=(Param("f", param_type), Param("g", param_type))))
    types.append(BtfType(proto + 1, Kind.FUNC, "bpf_nested", type=proto,
                         linkage=LINKAGE_GLOBAL))
    types.append(BtfType(proto + 2, Kind.DECL_TAG, "bpf_kfunc", type=proto + 1,
                         component_idx=-1))
    return encode_btf(types)


@pytest.mark.parametrize("command", [["btf", "--kfuncs"], ["table", "extract", "--btf"],
                                     ["table", "extract", "--json", "--btf"]], ids=" ".join)
def test_exponential_prototype_is_refused(tmp_path: Path, command: list[str]) -> None:
    btf = tmp_path / "nested.btf"
    btf.write_bytes(nested_fnptr_btf(30))
    assert len(btf.read_bytes()) < 1400
    problem = _problem(_run(*command, str(btf)), btf)
    assert problem == "type 63: FUNC bpf_nested: C declaration longer than 4096 characters"


def test_nested_prototype_within_the_limit_is_spelt(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    btf = tmp_path / "nested.btf"
    btf.write_bytes(nested_fnptr_btf(1))
    code, out, _err = _main(capsys, "btf", "--kfuncs", str(btf))
    assert code == 0
    assert out == ("int bpf_nested(int (*f)(int a, int b), int (*g)(int a, int b));\n")


# ---- 5. names with line breaks or control characters, and internal paths ----

def _renamed(data: bytes, section: bytes, old: bytes, new: bytes) -> bytes:
    """``data`` with the string ``old`` replaced by ``new`` in one section only."""
    assert len(old) == len(new)
    hdr = _section_header(data, section)
    offset, size = struct.unpack_from("<QQ", data, hdr + 24)
    where = data.index(b"\0" + old + b"\0", offset, offset + size) + 1
    return data[:where] + new + data[where + len(old) :]


def test_extern_name_with_newline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The symbol (not its BTF) renamed: libbpf's "failed to find BTF for extern"."""
    bad = tmp_path / "extern.o"
    bad.write_bytes(_renamed(TASK_ACQUIRE.read_bytes(), b".strtab", b"bpf_task_acquire",
                             b"bpf_task_acqu\nre"))
    for command in (["obj"], ["disasm"]):
        problem = _problem(_main(capsys, *command, str(bad)), bad)
        assert problem == "failed to find BTF for extern 'bpf_task_acqu\\nre'"


def test_variable_name_with_control_characters(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    """The BTF VAR (not its symbol) renamed: BTF fix-up of a DATASEC before linking."""
    bad = tmp_path / "var.o"
    bad.write_bytes(_renamed(GLOBALS.read_bytes(), b".BTF", b"counter", b"c\x1b[2Jr\n"))
    problem = _problem(_main(capsys, "disasm", str(bad)), bad)
    assert problem == "failed to find symbol for variable 'c\\x1b[2Jr\\n' in section '.data'"


def test_table_name_with_control_characters(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    table = tmp_path / "t.toml"
    table.write_text('[profile]\nname = "x"\nkernel = "6.18"\n\n'
                     '[[kfunc]]\nname = "bpf_a\\nb\\u001b[31m"\nflags = ["KF_BOGUS"]\n')
    problem = _problem(_main(capsys, "table", "diff", str(table), str(table)), table)
    assert problem == "kfunc bpf_a\\nb\\x1b[31m: unknown flag KF_BOGUS"


def test_path_with_newline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "a\nb.o"
    escaped = str(missing).replace("\n", "\\n")
    assert _problem(_main(capsys, "obj", str(missing)), escaped) == "no such file"


def test_cache_directory_stays_out_of_messages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded profile's BTF is decompressed into the cache directory and loaded from
    there; a table naming a kfunc that BTF lacks names the shipped BTF, not the cache copy."""
    from kfcheck.profile.embedded import read_manifest

    cache = tmp_path / "cache"
    monkeypatch.setenv("KFCHECK_CACHE_DIR", str(cache))
    text = read_manifest().table.read_text()
    table = tmp_path / "t.toml"
    table.write_text(text.replace('name = "bpf_task_acquire"', 'name = "bpf_task_acquirx"', 1))
    for _cold_then_warm in range(2):
        problem = _problem(_main(capsys, "table", "--table", str(table), "list"), table)
        assert problem.startswith("kfunc bpf_task_acquirx is not a FUNC of ")
        assert str(cache) not in problem
    assert any(cache.iterdir())  # the cache was used
