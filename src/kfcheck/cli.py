"""Command line: each command parses its arguments and calls one library function."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kfcheck.errors import KfcheckError

Handler = Callable[[argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kfcheck", description="Table-driven BPF kfunc checker."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for register in _COMMANDS:
        register(sub)
    return parser


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
    Register = Callable[[Subparsers], None]

# Each entry adds one sub-command and sets ``handler`` on it (see ``command``).
_COMMANDS: list[Register] = []


def command(register: Register) -> Register:
    """Decorator: add a sub-command registration function to the CLI."""
    _COMMANDS.append(register)
    return register


# ---- commands (one block each; each calls into the library) ----


def _profile_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", metavar="NAME", default="",
                   help="the kernel build to speak for (kfcheck profile list; default: "
                   "$KFCHECK_PROFILE, else the running kernel's build, else the newest shipped)")


def chosen_profile(name: str) -> str:
    """The profile a command uses: ``name``, else the default, with one line on stderr saying
    which and why (not when ``$KFCHECK_PROFILE`` names it)."""
    if name:
        return name
    from kfcheck.profile.embedded import PROFILE_ENV, default_profile

    choice = default_profile()
    if choice.reason != f"${PROFILE_ENV}":
        print(f"kfcheck: profile {choice.name}: {choice.reason}", file=sys.stderr)
    return choice.name


# ---- profile (owner: kernel builds, kfcheck.profile) ----
@command
def _register_profile(sub: Subparsers) -> None:
    p = sub.add_parser("profile", help="kernel build profiles: list, show, capture")
    acts = p.add_subparsers(dest="action", required=True)
    acts.add_parser("list", help="every profile (shipped and captured) and the default")
    acts.add_parser("show", help="one profile in full").add_argument("name")
    cap = acts.add_parser("capture", help="make a profile of the running kernel (needs root): "
                          "its BTF and the nearest shipped table corrected by a probe run")
    cap.add_argument("--name", default="", help="profile name (default: the kernel release)")
    cap.add_argument("--timeout", type=float, default=120.0, metavar="S",
                     help="probe time limit in seconds (default 120)")
    p.set_defaults(handler=_run_profile)


def _run_profile(args: argparse.Namespace) -> int:
    from kfcheck.commands.profile import capture_profile, list_profiles, show_profile

    if args.action == "list":
        text = list_profiles()
    elif args.action == "show":
        text = show_profile(args.name)
    else:
        text = capture_profile(args.name, args.timeout)
    sys.stdout.write(text)
    return 0
# ---- end profile ----


# ---- table (owner: kfunc table, kfcheck.profile) ----
@command
def _register_table(sub: Subparsers) -> None:
    p = sub.add_parser("table", help="the kfunc table: list, show, families, diff, export, gen-c, "
                       "extract, probe")
    _profile_option(p)
    p.add_argument("--table", metavar="FILE", default="",
                   help="table file (default: the profile's)")
    p.add_argument(
        "--kernel-btf", metavar="FILE", default="",
        help="compile the table against this kernel's BTF (default: the profile's); "
        "kfuncs the BTF lacks are dropped with a warning (probe: with --recorded only)",
    )
    acts = p.add_subparsers(dest="action", required=True)
    acts.add_parser("list", help="every kfunc with its BTF id and flags")
    acts.add_parser("show", help="one kfunc in full").add_argument("name")
    acts.add_parser("families", help="the families and their sizes")
    acts.add_parser("family", help="the kfuncs of one family").add_argument("name")
    dif = acts.add_parser("diff", help="changes from table file A to table file B")
    dif.add_argument("a")
    dif.add_argument("b")
    exp = acts.add_parser("export", help="the table as JSON")
    exp.add_argument("--json", action="store_true", help="JSON output (the only format)")
    gen = acts.add_parser("gen-c", help="generate the C side of the table")
    gen.add_argument("--style", choices=["kernel", "def"], default="kernel")
    ext = acts.add_parser("extract", help="kfuncs, prototypes, fastcall tags, annotations and "
                          "enum special_kfunc_type of a kernel BTF")
    ext.add_argument("--btf", metavar="FILE", default="",
                     help="kernel BTF (default: --kernel-btf, else the embedded profile's)")
    ext.add_argument("--json", action="store_true", help="JSON output")
    prb = acts.add_parser("probe", help="load tiny programs into the running kernel and report "
                          "where it disagrees with the table (needs root); exit 1 on "
                          "disagreements, 3 when incomplete (time limit)")
    prb.add_argument("--timeout", type=float, default=120.0, metavar="S",
                     help="total time limit in seconds (default 120)")
    prb.add_argument("--json", action="store_true", help="JSON output")
    prb.add_argument("--recorded", metavar="FILE", default="",
                     help="compare a recorded run (from --save) instead of probing")
    prb.add_argument("--save", metavar="FILE", default="", help="write the run as JSON")
    p.set_defaults(handler=_run_table)


def _run_table(args: argparse.Namespace) -> int:
    from kfcheck.commands.table import TableRequest, run_table

    profile = "" if args.action == "diff" else chosen_profile(args.profile)
    out = run_table(TableRequest(
        action=args.action, profile=profile, table=getattr(args, "a", args.table),
        kernel_btf=args.kernel_btf,
        name=getattr(args, "name", ""), other=getattr(args, "b", ""),
        style=getattr(args, "style", "kernel"), btf=getattr(args, "btf", ""),
        as_json=getattr(args, "json", False), timeout=getattr(args, "timeout", 120.0),
        recorded=getattr(args, "recorded", ""), save=getattr(args, "save", ""),
    ))
    for line in out.warnings:
        print(f"kfcheck: warning: {line}", file=sys.stderr)
    sys.stdout.write(out.text)
    return out.exit_code
# ---- end table ----


# ---- btf (owner: BTF package) ----
@command
def _register_btf(sub: Subparsers) -> None:
    p = sub.add_parser("btf", help="dump BTF (raw or from an ELF object) like bpftool")
    p.add_argument("file", help="raw BTF (e.g. /sys/kernel/btf/vmlinux) or a BPF ELF object")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--type", metavar="NAME", help="print only the types called NAME")
    what.add_argument("--kfuncs", action="store_true", help="list kfunc prototypes in C")
    p.add_argument("--base", metavar="FILE", help="base BTF for split (module) BTF")
    p.set_defaults(handler=_run_btf)


def _run_btf(args: argparse.Namespace) -> int:
    from kfcheck.commands.btf import show_btf

    sys.stdout.writelines(
        line + "\n" for line in show_btf(args.file, args.type, args.kfuncs, args.base)
    )
    return 0
# ---- end btf ----


# ---- disasm (owner: ISA package, kfcheck.isa) ----
@command
def _register_disasm(sub: Subparsers) -> None:
    p = sub.add_parser("disasm", help="disassemble BPF objects in the verifier log's format "
                       "(linked against the kernel profile); exit 2 if a file is bad")
    p.add_argument("object", nargs="+", metavar="OBJ",
                   help="BPF ELF objects (clang -target bpf)")
    p.add_argument("--program", metavar="NAME", help="only this program or subprogram")
    p.add_argument("--raw", action="store_true",
                   help="the object's instructions before linking, with relocation notes")
    p.add_argument("--kernel-btf", metavar="FILE", default=None,
                   help="link against this kernel's BTF (default: the profile's)")
    _profile_option(p)
    p.set_defaults(handler=_run_disasm)


def _run_disasm(args: argparse.Namespace) -> int:
    from kfcheck.commands.disasm import disassemble_object

    profile = "" if args.raw else chosen_profile(args.profile)
    return each_file(args.object, lambda path: disassemble_object(
        path, args.program, raw=args.raw, kernel_btf=args.kernel_btf, profile=profile),
        shared=[args.kernel_btf] if args.kernel_btf else [])
# ---- end disasm ----


# ---- obj (owner: ELF objects, kfcheck.obj) ----
@command
def _register_obj(sub: Subparsers) -> None:
    p = sub.add_parser("obj", help="programs, maps, externs and relocations of BPF objects; "
                       "exit 2 if a file is bad")
    p.add_argument("object", nargs="+", metavar="OBJ",
                   help="BPF ELF objects (clang -target bpf)")
    p.set_defaults(handler=_run_obj)


def _run_obj(args: argparse.Namespace) -> int:
    from kfcheck.commands.obj import describe_object

    return each_file(args.object, describe_object)


def each_file(paths: Sequence[str], render: Callable[[str], str],
              shared: Sequence[str] = ()) -> int:
    """Write ``render(path)`` for each file; the exit code (2 if a file was bad, else 0).

    One file is written as it is, its error raised (``kfcheck: FILE: PROBLEM``). Several are
    each written after a ``FILE:`` line, blank lines between; a file whose ``render`` raises
    ``KfcheckError`` gets the line ``FILE: error: PROBLEM`` and the others are still written.
    An error about a ``shared`` file (an input of every file's run) ends the run.
    """
    if len(paths) == 1:
        sys.stdout.write(render(paths[0]))
        return 0
    status = 0
    for n, path in enumerate(paths):
        gap = "\n" if n else ""
        try:
            text = render(path)
        except KfcheckError as err:
            err.in_file(path)
            if err.path != path and err.path in shared:
                raise
            status = 2
            sys.stdout.write(f"{gap}{path}: error: "
                             f"{err.problem if err.path == path else err}\n")
            continue
        sys.stdout.write(f"{gap}{path}:\n{text}")
    return status
# ---- end obj ----


# ---- kernel (owner: kernel oracle, kfcheck.kernel) ----
@command
def _register_kernel(sub: Subparsers) -> None:
    p = sub.add_parser("kernel", help="verify programs with the running kernel (load only); "
                       "exit 1 if a program is rejected, 2 if a file is bad")
    p.add_argument("objects", nargs="+", metavar="OBJ", help="BPF ELF objects")
    p.add_argument("--json", action="store_true", help="one JSON record per program")
    p.add_argument("--log", action="store_true", help="include the kernel's verifier logs")
    p.add_argument("--log-level", type=int, choices=(1, 2), default=None, metavar="N",
                   help="include the log of exactly this level, without statistics (1 the "
                   "failing path, 2 every path: what kfcheck check --log-level N reproduces)")
    p.set_defaults(handler=_run_kernel)


def _run_kernel(args: argparse.Namespace) -> int:
    from kfcheck.commands.report import render
    from kfcheck.kernel.report import check_files

    with_log = args.log or args.log_level is not None
    report = render(check_files(args.objects, args.log, args.log_level), args.json, with_log)
    sys.stdout.write(report.text)
    return report.exit_code
# ---- end kernel ----


# ---- check (owner: offline verifier, kfcheck.verifier) ----
@command
def _register_check(sub: Subparsers) -> None:
    p = sub.add_parser("check", help="verify programs offline for a kernel build (the profile); "
                       "exit 1 if a program is rejected, 2 if a file is bad")
    p.add_argument("objects", nargs="+", metavar="OBJ", help="BPF ELF objects")
    _profile_option(p)
    p.add_argument("--kernel-btf", metavar="FILE", default=None,
                   help="check against this kernel's BTF with the profile's table")
    p.add_argument("--log-level", type=int, choices=(0, 1, 2), default=0, metavar="N",
                   help="include the verifier log: 1 the failing path, 2 every path")
    p.add_argument("--json", action="store_true", help="one JSON record per program "
                   "(the shape of kfcheck kernel --json)")
    p.set_defaults(handler=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from kfcheck.commands.report import render
    from kfcheck.profile.embedded import load_profile
    from kfcheck.verifier.check import check_files

    profile = load_profile(args.kernel_btf, chosen_profile(args.profile))
    results = check_files(args.objects, profile, args.log_level)
    report = render(results, args.json, args.log_level > 0)
    sys.stdout.write(report.text)
    return report.exit_code
# ---- end check ----



def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KfcheckError as err:
        print(f"kfcheck: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
